//! Walks `MANIFEST.tsv` of the corpus and runs every file through the `thumbprint` CLI, as a user
//! would: each row must get its expected outcome (orientation rows come out with the upright
//! aspect ratio), errors as the typed JSON object, in bounded time.

use std::process::Command;
use std::time::{Duration, Instant};

use thumbprint_core::ErrorCode;
use thumbprint_tests::{corpus_dir, manifest, Expect};

fn code_of(s: &str) -> Option<ErrorCode> {
    ErrorCode::ALL.into_iter().find(|c| c.as_str() == s)
}

#[test]
fn every_manifest_row_gets_its_expected_outcome() {
    let corpus = corpus_dir();
    let rows = manifest(&corpus).expect("manifest");
    assert!(rows.len() > 100, "the corpus looks incomplete");
    let out_dir = std::env::temp_dir().join(format!("thumbprint-manifest-{}", std::process::id()));
    std::fs::create_dir_all(&out_dir).expect("tmp dir");
    let mut failures = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let out = out_dir.join(format!("{i}.png"));
        let start = Instant::now();
        let output = Command::new(env!("CARGO_BIN_EXE_thumbprint"))
            .args(["resize"])
            .arg(corpus.join(&row.path))
            .args(["-w", "200", "-o"])
            .arg(&out)
            .arg("--json")
            .output()
            .expect("run thumbprint");
        let elapsed = start.elapsed();
        let stdout = String::from_utf8_lossy(&output.stdout);
        let json: serde_json::Value = match serde_json::from_str(stdout.trim()) {
            Ok(v) => v,
            Err(_) => {
                failures.push(format!(
                    "{}: no JSON on stdout (status {:?}, stderr {})",
                    row.path,
                    output.status.code(),
                    String::from_utf8_lossy(&output.stderr)
                ));
                continue;
            }
        };
        let outcome = json["error"]["code"]
            .as_str()
            .map(|c| code_of(c).expect("known code"));
        if outcome.is_some() == output.status.success() {
            failures.push(format!("{}: exit status disagrees with the JSON", row.path));
        }
        if !row.expect.accepts(outcome) {
            failures.push(format!(
                "{}: expected {:?}, got {:?} ({})",
                row.path, row.expect, outcome, row.exercises
            ));
        }
        if outcome.is_some() && elapsed > Duration::from_secs(20) {
            failures.push(format!("{}: refusal took {elapsed:?}", row.path));
        }
        if let (
            Expect::Ok {
                display: Some((dw, dh)),
            },
            None,
        ) = (&row.expect, outcome)
        {
            let (w, h) = (
                json["width"].as_u64().unwrap_or(0),
                json["height"].as_u64().unwrap_or(0),
            );
            // Upright means the display's orientation: landscape stays landscape, etc.
            let want = (u64::from(*dw)).cmp(&u64::from(*dh));
            if w.cmp(&h) != want {
                failures.push(format!(
                    "{}: thumbnail {w}x{h} is not upright for display {dw}x{dh}",
                    row.path
                ));
            }
        }
        if outcome.is_none() {
            let bytes = std::fs::read(&out).expect("output written");
            assert_eq!(json["bytes"].as_u64(), Some(bytes.len() as u64));
            assert!(
                bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
                "{}: not a PNG",
                row.path
            );
        }
    }
    let _ = std::fs::remove_dir_all(&out_dir);
    assert!(
        failures.is_empty(),
        "{} rows failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
