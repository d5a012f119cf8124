//! The command line's doors: input bounded like the HTTP body, JSON kept apart from an image
//! written to standard output, and `inspect` saying what the engine will do.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::Value;
use thumbprint_core::LIMITS;

fn thumbprint() -> Command {
    Command::new(env!("CARGO_BIN_EXE_thumbprint"))
}

fn photo() -> std::path::PathBuf {
    thumbprint_tests::corpus_dir().join("photos/rocket.jpg")
}

#[test]
fn endless_input_is_refused_at_the_body_cap() {
    let out = thumbprint()
        .args([
            "resize",
            "/dev/zero",
            "-w",
            "10",
            "-o",
            "/dev/null",
            "--json",
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["error"]["code"], "payload_too_large");
}

#[test]
fn standard_input_over_the_cap_is_refused_and_at_the_cap_is_read() {
    for (len, want) in [
        (LIMITS.max_input_bytes + 1, Some("payload_too_large")),
        (LIMITS.max_input_bytes, Some("unsupported_format")),
    ] {
        let mut child = thumbprint()
            .args(["resize", "-", "-o", "/dev/null", "--json"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("spawn");
        let mut stdin = child.stdin.take().expect("stdin");
        // The child may stop reading at the cap: a broken pipe is expected then.
        let _ = stdin.write_all(&vec![b'x'; len]);
        drop(stdin);
        let out = child.wait_with_output().expect("wait");
        let v: Value = serde_json::from_slice(&out.stdout).expect("json");
        assert_eq!(v["error"]["code"].as_str(), want, "{len} bytes");
    }
}

#[test]
fn image_on_stdout_keeps_the_json_on_stderr() {
    let out = thumbprint()
        .arg("resize")
        .arg(photo())
        .args(["-w", "64", "-o", "-", "--json"])
        .output()
        .expect("run");
    assert!(out.status.success());
    assert!(
        out.stdout.starts_with(b"\x89PNG\r\n\x1a\n"),
        "stdout is the image alone"
    );
    let v: Value = serde_json::from_slice(&out.stderr).expect("json on stderr");
    assert_eq!(v["bytes"].as_u64(), Some(out.stdout.len() as u64));
    // Failures too.
    let out = thumbprint()
        .args(["resize", "/dev/null", "-o", "-", "--json"])
        .output()
        .expect("run");
    assert!(out.stdout.is_empty());
    let v: Value = serde_json::from_slice(&out.stderr).expect("json on stderr");
    assert_eq!(v["error"]["code"], "unsupported_format");
}

#[test]
fn inspect_predicts_without_decoding() {
    let out = thumbprint()
        .arg("inspect")
        .arg(photo())
        .args(["-w", "100"])
        .output()
        .expect("run");
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(
        (v["width"].as_u64(), v["height"].as_u64()),
        (Some(640), Some(427))
    );
    assert_eq!(
        (v["out_width"].as_u64(), v["out_height"].as_u64()),
        (Some(100), Some(67))
    );
    // A sixth of the source or less (not an eighth): the quarter-scale JPEG decoder, with the
    // full one's figures for the case where it hands the file over.
    assert_eq!(v["path"], "1/4");
    assert!(v["fallback_footprint"]["peak"].is_u64());
    assert_eq!(v["admitted"], true);
    let peak = v["footprint"]["peak"].as_u64().expect("peak");
    assert!(peak > 640 * 427 * 3 && peak < 64 << 20, "{peak}");
    // A 64 Mpx RGBA 16-bit PNG is opened and refused by the model (512 MiB just to decode).
    let dir = std::env::temp_dir().join(format!("thumbprint-inspect-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp");
    let case = thumbprint_tests::hostile::cases()
        .into_iter()
        .find(|c| c.name == "png_8192x8192_rgba16.png")
        .expect("case");
    let path = dir.join(&case.name);
    std::fs::write(&path, &case.bytes).expect("write");
    let out = thumbprint()
        .arg("inspect")
        .arg(&path)
        .output()
        .expect("run");
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["admitted"], false);
    assert!(v["footprint"]["decode"].as_u64() > Some(512 << 20));
    let out = thumbprint()
        .arg("resize")
        .arg(&path)
        .args(["-o", "/dev/null", "--json"])
        .output()
        .expect("run");
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["error"]["code"], "image_too_large");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_file_that_cannot_be_read_or_written_is_named_with_the_systems_reason() {
    let missing_dir = std::env::temp_dir().join("thumbprint-no-such-dir/x.png");
    let photo = photo();
    let cases: [(&[&str], &str, &str); 2] = [
        (
            &[
                "resize",
                photo.to_str().expect("utf-8"),
                "-w",
                "300",
                "-o",
                missing_dir.to_str().expect("utf-8"),
            ],
            "write",
            missing_dir.to_str().expect("utf-8"),
        ),
        (
            &[
                "resize",
                "/no/such/photo.jpg",
                "-w",
                "300",
                "-o",
                "/dev/null",
            ],
            "read",
            "/no/such/photo.jpg",
        ),
    ];
    for (args, action, path) in cases {
        // Plain: one line naming what failed, the path and the OS's reason; its own exit code.
        let out = thumbprint().args(args).output().expect("run");
        assert_eq!(out.status.code(), Some(3), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(&format!("cannot {action} {path}")), "{err}");
        assert!(err.contains("No such file or directory"), "{err}");
        assert!(!err.contains("internal_error"), "{err}");
        // --json: the error object names the path.
        let out = thumbprint().args(args).arg("--json").output().expect("run");
        assert_eq!(out.status.code(), Some(3));
        let v: Value = serde_json::from_slice(&out.stdout).expect("json");
        assert_eq!(v["error"]["code"], "file_error", "{v}");
        assert_eq!(v["error"]["path"], path, "{v}");
        assert!(
            v["error"]["message"]
                .as_str()
                .expect("message")
                .contains("No such file"),
            "{v}"
        );
    }
}
