//! Where the test corpus is: the one definition for every Rust test (core's unit tests include
//! this file by path; everything else uses `thumbprint_tests::corpus_dir`).

/// The corpus folder: `$THUMBPRINT_CORPUS` when set (to try a held-out set), else the copy in
/// the repository, `tests/corpus/`.
pub fn corpus_dir() -> std::path::PathBuf {
    match std::env::var_os("THUMBPRINT_CORPUS") {
        Some(dir) => std::path::PathBuf::from(dir),
        None => std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join("tests")
            .join("corpus"),
    }
}
