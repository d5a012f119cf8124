//! The photos the benchmarks run on, shared by `engine.rs` and `sets.rs`.

use std::path::PathBuf;

/// `$THUMBPRINT_PHOTOS` (relative paths count from the workspace root), else the corpus photos.
pub fn photo_dir() -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    std::env::var_os("THUMBPRINT_PHOTOS")
        .map(|d| root.join(d))
        .unwrap_or_else(|| root.join("tests/corpus/photos"))
}

/// The file names in [`photo_dir`], sorted (leaked: divan's `args` wants `'static`).
pub fn names() -> Vec<&'static str> {
    let mut names: Vec<String> = std::fs::read_dir(photo_dir())
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
        .into_iter()
        .map(|n| &*Box::leak(n.into_boxed_str()))
        .collect()
}
