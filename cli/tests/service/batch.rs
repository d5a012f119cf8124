//! The batch command line, `thumbprint resize IN... -w A,B -o DIR/`, as a user runs it: the
//! whole corpus folder (broken files and bombs among the photos) in one call, each thumbnail
//! byte for byte the single request's, every failure reported, a progress bar on a terminal
//! only, name clashes refused instead of overwritten.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;
use thumbprint_core::{ErrorCode, Fit, Format, Options};
use thumbprint_tests::{corpus_dir, manifest};

fn thumbprint() -> Command {
    Command::new(env!("CARGO_BIN_EXE_thumbprint"))
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("thumbprint-batch-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

fn json_lines(stdout: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l:?}: {e}")))
        .collect()
}

/// The members `-w 300,64 -H 200,64 --fit cover -f jpeg -q 80` asks for.
fn members() -> Vec<Options> {
    [(300, 200), (64, 64)]
        .into_iter()
        .map(|(w, h)| Options {
            height: Some(h),
            fit: Fit::Cover,
            format: Format::Jpeg,
            quality: Some(80),
            lossless: false,
            ..Options::new(w)
        })
        .collect()
}

#[test]
fn the_corpus_folder_in_one_call_gives_each_rows_outcome_and_the_single_request_bytes() {
    let corpus = corpus_dir();
    let rows = manifest(&corpus).expect("manifest");
    let input = scratch("corpus-in");
    let out = scratch("corpus-out");
    // The manifest's files side by side in one folder, as a user's upload folder would be.
    let mut by_name = HashMap::new();
    for (i, row) in rows.iter().enumerate() {
        let name = format!(
            "{i:03}-{}",
            Path::new(&row.path)
                .file_name()
                .expect("name")
                .to_string_lossy()
        );
        std::fs::copy(corpus.join(&row.path), input.join(&name)).expect("copy");
        by_name.insert(input.join(&name), row);
    }
    std::fs::write(input.join("notes.txt"), "not an image").expect("write");
    std::fs::write(input.join("empty.jpg"), "").expect("write");
    std::fs::create_dir(input.join("nested")).expect("mkdir");
    let run = thumbprint()
        .arg("resize")
        .arg(&input)
        .args(["-w", "300,64", "-H", "200,64", "--fit", "cover"])
        .args(["-f", "jpeg", "-q", "80", "--json", "-o"])
        .arg(format!("{}/", out.display()))
        .output()
        .expect("run");
    assert_eq!(run.status.code(), Some(1), "some files fail: exit 1");
    let lines = json_lines(&run.stdout);
    let summary = &lines.last().expect("a summary line")["summary"];
    assert_eq!(summary["files"].as_u64(), Some(rows.len() as u64 + 2));

    let mut failures = Vec::new();
    let mut written = 0;
    let mut errors = 0;
    let mut seen: HashMap<PathBuf, usize> = HashMap::new();
    for line in &lines[..lines.len() - 1] {
        let path = PathBuf::from(line["input"].as_str().expect("input"));
        *seen.entry(path.clone()).or_default() += 1;
        if path.ends_with("notes.txt") || path.ends_with("empty.jpg") {
            assert_eq!(line["error"]["code"], "unsupported_format", "{line}");
            assert!(line.get("member").is_none(), "a whole-file failure: {line}");
            errors += 2;
            continue;
        }
        let row = by_name[&path];
        let source = std::fs::read(&path).expect("read");
        let member_indices: Vec<usize> = match line["member"].as_u64() {
            Some(i) => vec![i as usize],
            None => vec![0, 1], // the whole file failed
        };
        for i in member_indices {
            let single = thumbprint_core::thumbnail(&source, &members()[i]);
            let outcome = line["error"]["code"]
                .as_str()
                .map(|c| c.parse::<ErrorCode>().expect("known code"));
            if !row.expect.accepts(outcome) {
                failures.push(format!(
                    "{}: {outcome:?}, expected {:?}",
                    row.path, row.expect
                ));
            }
            match (&single, outcome) {
                (Ok(t), None) => {
                    written += 1;
                    let file = std::fs::read(line["output"].as_str().expect("output"))
                        .expect("the thumbnail is on disk");
                    if file != t.bytes || line["etag"].as_str() != Some(t.etag.as_str()) {
                        failures.push(format!(
                            "{} member {i}: not the single request's bytes",
                            row.path
                        ));
                    }
                }
                (Err(e), Some(code)) if e.code() == code => errors += 1,
                _ => failures.push(format!(
                    "{} member {i}: {line} but alone {single:?}",
                    row.path
                )),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(
        seen.len() as u64,
        rows.len() as u64 + 2,
        "every file reported"
    );
    assert_eq!(summary["thumbnails"].as_u64(), Some(written));
    assert_eq!(summary["errors"].as_u64(), Some(errors));
    assert!(
        written > 200 && errors > 20,
        "{written} written, {errors} errors"
    );
    let on_disk = std::fs::read_dir(&out).expect("out").count() as u64;
    assert!(on_disk <= written, "no stray files: {on_disk} on disk");
    let _ = std::fs::remove_dir_all(&input);
    let _ = std::fs::remove_dir_all(&out);
}

fn photos() -> Vec<PathBuf> {
    let dir = corpus_dir().join("photos");
    let mut p: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("photos")
        .map(|e| e.expect("entry").path())
        .collect();
    p.sort();
    p
}

/// Runs a batch with standard error on a pseudo-terminal; what the terminal showed.
fn on_a_terminal(args: &[&str], out: &Path) -> (Option<i32>, String) {
    let pty = nix::pty::openpty(None, None).expect("openpty");
    let child = thumbprint()
        .arg("resize")
        .args(photos())
        .args(args)
        .arg("-o")
        .arg(format!("{}/", out.display()))
        .env("TERM", "xterm-256color")
        .stdout(Stdio::null())
        .stderr(Stdio::from(pty.slave))
        .spawn()
        .expect("spawn");
    let mut master = std::fs::File::from(pty.master);
    let reader = std::thread::spawn(move || {
        let mut shown = Vec::new();
        // Reading the master ends with EIO once the child's side is closed.
        let _ = master.read_to_end(&mut shown);
        shown
    });
    let status = child.wait_with_output().expect("wait").status;
    let shown = reader.join().expect("reader");
    (status.code(), String::from_utf8_lossy(&shown).into_owned())
}

#[test]
fn a_terminal_gets_a_progress_bar_and_a_pipe_gets_plain_lines() {
    let n = photos().len();
    let out = scratch("tty");
    let (code, shown) = on_a_terminal(&["-w", "1280,320"], &out);
    assert_eq!(code, Some(0), "{shown}");
    assert!(
        shown.contains(&format!("/{n} files")),
        "a bar counting files: {shown:?}"
    );
    assert!(
        shown.contains("\r") && shown.contains("\x1b["),
        "redrawn in place: {shown:?}"
    );
    assert!(shown.contains(&format!(
        "thumbprint: {n} files, {} thumbnails, 0 errors in",
        2 * n
    )));
    assert!(!shown.contains("ok    "), "no per-file lines under a bar");

    let piped = thumbprint()
        .arg("resize")
        .args(photos())
        .args(["-w", "1280,320", "-o"])
        .arg(format!("{}/", out.display()))
        .output()
        .expect("run");
    assert!(piped.status.success());
    let text = String::from_utf8_lossy(&piped.stderr);
    assert!(
        !text.contains('\x1b') && !text.contains('\r'),
        "no terminal codes: {text:?}"
    );
    assert_eq!(
        text.lines().filter(|l| l.starts_with("ok    ")).count(),
        2 * n
    );
    let last = text.lines().last().expect("a summary");
    assert!(
        last.starts_with(&format!(
            "thumbprint: {n} files, {} thumbnails, 0 errors in ",
            2 * n
        )) && last.ends_with(" s"),
        "{last}"
    );
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn two_inputs_with_one_name_do_not_overwrite_each_other() {
    let input = scratch("clash-in");
    let out = scratch("clash-out");
    std::fs::create_dir(input.join("a")).expect("mkdir");
    std::fs::create_dir(input.join("b")).expect("mkdir");
    let p = photos();
    // Two different photos of the same shape would still clash; any two photos with one stem.
    std::fs::copy(&p[0], input.join("a/same.jpg")).expect("copy");
    std::fs::copy(&p[0], input.join("b/same.jpg")).expect("copy");
    let run = thumbprint()
        .arg("resize")
        .arg(input.join("a/same.jpg"))
        .arg(input.join("b/same.jpg"))
        .args(["-w", "50", "--json", "-o"])
        .arg(&out)
        .output()
        .expect("run");
    assert_eq!(run.status.code(), Some(1));
    let lines = json_lines(&run.stdout);
    let ok: Vec<&Value> = lines.iter().filter(|l| l.get("output").is_some()).collect();
    let clash: Vec<&Value> = lines.iter().filter(|l| l.get("detail").is_some()).collect();
    assert_eq!((ok.len(), clash.len()), (1, 1), "{lines:?}");
    assert_eq!(clash[0]["error"]["code"], "invalid_request");
    assert!(clash[0]["detail"]
        .as_str()
        .expect("detail")
        .contains("is already written from"));
    assert_eq!(
        std::fs::read_dir(&out).expect("out").count(),
        1,
        "no temporary files left"
    );
    let _ = std::fs::remove_dir_all(&input);
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn batch_usage_errors_are_plain() {
    // Several sizes need a directory; a bad width fails before any file is read.
    let run = thumbprint()
        .args(["resize", "x.jpg", "-w", "100,200", "-o", "-"])
        .output()
        .expect("run");
    assert_eq!(run.status.code(), Some(2));
    let run = thumbprint()
        .args([
            "resize",
            "x.jpg",
            "y.jpg",
            "-w",
            "100,0",
            "--json",
            "-o",
            "/tmp/unused/",
        ])
        .output()
        .expect("run");
    assert_eq!(run.status.code(), Some(1));
    assert_eq!(
        json_lines(&run.stdout)[0]["error"]["code"],
        "invalid_option"
    );
    let run = thumbprint()
        .args([
            "resize",
            "x.jpg",
            "-w",
            "100,200",
            "-H",
            "1,2,3",
            "-o",
            "/tmp/unused/",
        ])
        .output()
        .expect("run");
    assert_eq!(run.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&run.stderr).contains("as long as the widths"));
}
