//! Parity vectors on the host: every corpus file through every option set must give the
//! recorded SHA-256 (or error code), recorded against the current engine version.
//! The same vectors are checked on aarch64 (qemu-user: `tests/parity/check-aarch64.sh`) and
//! wasm32 (Node: `tests/parity/wasm.mjs`; Chromium: `tests/browser/parity.test.mjs`), all run by
//! `scripts/test.sh`.

#[test]
fn vectors_match_on_this_target() {
    let corpus = thumbprint_tests::corpus_dir();
    let lines = thumbprint_tests::parity_lines(&corpus).expect("corpus readable");
    let mut golden = thumbprint_tests::GOLDEN.lines();
    assert_eq!(
        golden.next(),
        Some(format!("# engine {}", thumbprint_core::ENGINE_VERSION).as_str()),
        "the vectors were recorded for another engine version: output changed without a version bump, or the vectors were not regenerated"
    );
    let golden: Vec<&str> = golden.collect();
    let mut mismatches = Vec::new();
    for (got, want) in lines.iter().zip(&golden) {
        if got != want {
            mismatches.push(format!("got  {got}\nwant {want}"));
        }
    }
    assert_eq!(
        lines.len(),
        golden.len(),
        "vector count differs from the corpus"
    );
    assert!(
        mismatches.is_empty(),
        "{} parity mismatches:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}

#[test]
fn option_sets_are_valid() {
    let sets = thumbprint_tests::option_sets();
    assert!(sets.len() >= 3);
    for s in sets {
        s.options.validate().expect("valid option set");
    }
}
