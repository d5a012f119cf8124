//! Parity vectors on the host: every corpus file through every option set must give the
//! recorded SHA-256 (or error code), recorded against the current engine version.
//! The same vectors are checked on aarch64 (qemu-user: `tests/parity/check-aarch64.sh`) and
//! wasm32 (Node: `tests/parity/wasm.mjs`; Chromium: `tests/browser/parity.test.mjs`), all run by
//! `scripts/test.sh`.

#[test]
fn vectors_match_on_this_target() {
    check(thumbprint_tests::Mode::Single);
}

/// Every file through one `thumbnails` call whose members are all the option sets (mixed
/// sizes, fits, formats and decode scales): each member gives the single request's vector.
#[test]
fn set_members_match_the_vectors() {
    check(thumbprint_tests::Mode::Set);
}

fn check(mode: thumbprint_tests::Mode) {
    let corpus = thumbprint_tests::corpus_dir();
    let lines = thumbprint_tests::parity_lines_by(&corpus, mode).expect("corpus readable");
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

/// Sets with members that fail on their own (an invalid option, an output over the cap or the
/// budget) beside members that succeed, in every order: each member equals its single request,
/// bytes or error, and a failing member does not fail the others.
#[test]
fn set_members_fail_alone() {
    use thumbprint_core::{thumbnail, thumbnails, Fit, Format, Options, MAX_SET};
    let corpus = thumbprint_tests::corpus_dir();
    let o = |width, height, fit, format, quality| Options {
        width,
        height,
        fit,
        format,
        quality,
        lossless: false,
    };
    let members = [
        o(320, None, Fit::Contain, Format::Png, None),
        o(0, None, Fit::Contain, Format::Png, None),
        o(2048, None, Fit::Contain, Format::Png, None),
        o(640, Some(200), Fit::Cover, Format::Jpeg, Some(60)),
        o(40, None, Fit::Contain, Format::Webp, None),
        o(1280, None, Fit::Contain, Format::Jpeg, Some(90)),
        o(200, None, Fit::Contain, Format::Jpeg, Some(101)),
        o(96, Some(96), Fit::Fill, Format::Png, None),
    ];
    assert_eq!(members.len(), MAX_SET);
    let mut checked = 0;
    let mut mismatches = Vec::new();
    for row in thumbprint_tests::manifest(&corpus).expect("manifest") {
        let bytes = std::fs::read(corpus.join(&row.path)).expect("corpus file");
        for order in [members.to_vec(), members.iter().rev().copied().collect()] {
            for (member, got) in order.iter().zip(thumbnails(&bytes, &order)) {
                let want = thumbnail(&bytes, member);
                if got != want {
                    mismatches.push(format!("{} {member:?}", row.path));
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 1000, "{checked}");
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}
