//! What a batch says while it runs: a progress bar when standard error is a terminal, a plain
//! line per file when it is not, JSON lines on standard output with `--json`, and a summary.

use std::io::{IsTerminal, Write};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::{extension, Batch, FileReport, Summary};

/// Runs `batch` and reports it; the process exit code: 0 when every thumbnail was written, 1
/// when any failed (the batch goes on past failures).
pub fn run(batch: &Batch, json: bool) -> u8 {
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = ProgressBar::with_draw_target(
            Some(batch.inputs.len() as u64),
            ProgressDrawTarget::stderr(),
        );
        // The template is fixed text: it always parses.
        if let Ok(style) = ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} files, {msg} (eta {eta})",
        ) {
            bar.set_style(style);
        }
        bar.set_message("0 thumbnails");
        bar.enable_steady_tick(Duration::from_millis(100));
        bar
    });
    let mut written = 0usize;
    let mut errors = 0usize;
    let result = super::run(batch, |report| {
        written += report.members.iter().filter(|m| m.is_ok()).count();
        errors += report.failures(batch.members.len());
        if json {
            json_lines(report);
        }
        let lines = text_lines(report);
        match &bar {
            Some(bar) => {
                for line in lines.iter().filter(|l| l.starts_with("error")) {
                    bar.println(line);
                }
                bar.set_message(format!(
                    "{written} thumbnails, {errors} error{}",
                    if errors == 1 { "" } else { "s" }
                ));
                bar.inc(1);
            }
            None if !json => {
                let mut err = std::io::stderr().lock();
                for line in lines {
                    let _ = writeln!(err, "{line}");
                }
            }
            None => {}
        }
    });
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let summary = match result {
        Ok(s) => s,
        Err(e) => {
            if json {
                println!("{}", e.to_json());
            }
            eprintln!("thumbprint: {e}");
            return e.exit_code();
        }
    };
    if json {
        println!("{}", summary_json(&summary));
    }
    eprintln!("thumbprint: {}", summary_text(&summary));
    u8::from(summary.errors > 0)
}

/// One line per thumbnail written or failure, for people (no colour, no bar).
fn text_lines(report: &FileReport) -> Vec<String> {
    let input = report.input.display();
    if let Some(e) = &report.error {
        return vec![format!("error {input}: {e}")];
    }
    report
        .members
        .iter()
        .map(|m| match m {
            Ok(w) => format!(
                "ok    {input} -> {} ({} B, {}x{} {})",
                w.path.display(),
                w.bytes,
                w.width,
                w.height,
                extension(w.format)
            ),
            Err(f) => {
                let detail = f.detail.as_deref().map(|d| format!(" ({d})"));
                format!("error {input}: {}{}", f.error, detail.unwrap_or_default())
            }
        })
        .collect()
}

/// The `--json` lines of a file: `{"input", "member", "output", width, height, format, bytes,
/// etag}` per thumbnail (`member`: the index of its size in the `-w` list), `{"input", "member", "error"}` per failed member, `{"input", "error"}` for a
/// file that failed as a whole.
fn json_lines(report: &FileReport) {
    let input = report.input.to_string_lossy();
    let mut out = std::io::stdout().lock();
    if let Some(e) = &report.error {
        let mut v = e.to_json();
        v["input"] = input.as_ref().into();
        let _ = writeln!(out, "{v}");
        return;
    }
    for (i, m) in report.members.iter().enumerate() {
        let v = match m {
            Ok(w) => serde_json::json!({
                "input": input, "member": i, "output": w.path.to_string_lossy(), "width": w.width,
                "height": w.height, "format": w.format.as_str(), "bytes": w.bytes, "etag": w.etag,
            }),
            Err(f) => {
                let mut v = f.error.to_json();
                v["input"] = input.as_ref().into();
                v["member"] = i.into();
                if let Some(d) = &f.detail {
                    v["detail"] = d.as_str().into();
                }
                v
            }
        };
        let _ = writeln!(out, "{v}");
    }
}

fn summary_json(s: &Summary) -> serde_json::Value {
    serde_json::json!({"summary": {
        "files": s.files, "failed_files": s.failed_files, "thumbnails": s.thumbnails,
        "errors": s.errors, "seconds": s.elapsed.as_secs_f64(),
    }})
}

fn summary_text(s: &Summary) -> String {
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut text = format!(
        "{}, {}, {}",
        plural(s.files, "file", "files"),
        plural(s.thumbnails, "thumbnail", "thumbnails"),
        plural(s.errors, "error", "errors"),
    );
    if s.failed_files > 0 {
        text.push_str(&format!(
            " ({} failed)",
            plural(s.failed_files, "file", "files")
        ));
    }
    text.push_str(&format!(" in {:.2} s", s.elapsed.as_secs_f64()));
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_reads_as_a_sentence() {
        let s = Summary {
            files: 3,
            failed_files: 1,
            thumbnails: 7,
            errors: 2,
            elapsed: Duration::from_millis(1234),
        };
        assert_eq!(
            summary_text(&s),
            "3 files, 7 thumbnails, 2 errors (1 file failed) in 1.23 s"
        );
        let one = Summary {
            files: 1,
            failed_files: 0,
            thumbnails: 1,
            errors: 0,
            elapsed: Duration::ZERO,
        };
        assert_eq!(
            summary_text(&one),
            "1 file, 1 thumbnail, 0 errors in 0.00 s"
        );
    }
}
