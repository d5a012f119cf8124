//! Embeds the preview page (`web/`, with the engine's wasm build in `web/pkg`) into the binaries,
//! and records the build target.
//!
//! The page's engine must be the engine this binary runs: `scripts/build-wasm.sh` writes into
//! `web/pkg/.engine-sources` a digest of the sources the wasm was built from (the same list as
//! [`ENGINE_SOURCES`], hashed as `sha256sum` prints them, then hashed again). When `web/pkg` is
//! missing or its digest is not that of the sources in the tree, this build fails and says which
//! command to run: a server serving a page without its engine, or with another engine, is a
//! silent lie. `THUMBPRINT_PAGE_UNCHECKED=1` waives the check (a warning is printed), for a quick
//! `cargo check` while the engine is being edited.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

fn mime(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn walk(dir: &Path, root: &Path, out: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            walk(&path, root, out);
        } else if let Ok(rel) = path.strip_prefix(root) {
            let name = rel.to_string_lossy().replace('\\', "/");
            let hidden = path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'));
            if hidden || name.starts_with('.') || name.ends_with(".md") {
                continue;
            }
            out.push((format!("/{name}"), path.clone()));
        }
    }
}

/// What the wasm engine is built from, relative to the workspace root: folders (every file in
/// them) and files. `scripts/build-wasm.sh` lists the same.
const ENGINE_SOURCES: &[&str] = &[
    "core/src",
    "wasm/src",
    "core/Cargo.toml",
    "wasm/Cargo.toml",
    "Cargo.toml",
    "Cargo.lock",
    "scripts/build-wasm.sh",
];

fn files_under(root: &Path, rel: &str, out: &mut Vec<String>) {
    let path = root.join(rel);
    if path.is_dir() {
        if let Ok(entries) = std::fs::read_dir(&path) {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                files_under(root, &format!("{rel}/{name}"), out);
            }
        }
        println!("cargo:rerun-if-changed={}", path.display());
    } else {
        out.push(rel.to_string());
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// The digest of the engine's sources: `sha256sum` of each file (sorted by path, bytewise), and
/// the SHA-256 of that listing.
fn engine_digest(root: &Path) -> String {
    let mut files = Vec::new();
    for rel in ENGINE_SOURCES {
        files_under(root, rel, &mut files);
    }
    files.sort();
    let mut listing = String::new();
    for rel in &files {
        let path = root.join(rel);
        println!("cargo:rerun-if-changed={}", path.display());
        let bytes = std::fs::read(&path).unwrap_or_default();
        let _ = writeln!(listing, "{}  {rel}", hex(&Sha256::digest(&bytes)));
    }
    hex(&Sha256::digest(listing.as_bytes()))
}

/// While `scripts/build-wasm.sh` runs (its lock file exists), waits for it: scripts/run.sh builds
/// the engine and the server side by side, and the server must embed the engine's new build.
fn wait_for_engine_build(web: &Path) {
    let lock = web.join(".pkg-building");
    let started = std::time::Instant::now();
    while lock.exists() && started.elapsed() < std::time::Duration::from_secs(1800) {
        std::thread::sleep(std::time::Duration::from_millis(500));
    }
}

/// Fails the build unless `web/pkg` holds the wasm build of the engine in this tree.
fn check_page_engine(root: &Path, web: &Path) {
    wait_for_engine_build(web);
    let stamp = web.join("pkg/.engine-sources");
    println!("cargo:rerun-if-changed={}", stamp.display());
    println!("cargo:rerun-if-env-changed=THUMBPRINT_PAGE_UNCHECKED");
    let built = std::fs::read_to_string(&stamp).ok();
    let wanted = engine_digest(root);
    let problem = match built {
        None => "web/pkg holds no engine build (web/pkg/.engine-sources is missing)",
        Some(b) if b.trim() != wanted => "web/pkg was built from other engine sources than these",
        Some(_) => return,
    };
    if std::env::var_os("THUMBPRINT_PAGE_UNCHECKED").is_some_and(|v| v == "1") {
        println!("cargo:warning={problem}; THUMBPRINT_PAGE_UNCHECKED=1, so the page is embedded as it is");
        return;
    }
    panic!(
        "\n\n  {problem}.\n  The preview page must embed the engine this binary runs: run \
         scripts/build-wasm.sh first\n  (scripts/run.sh and scripts/test.sh do), then build again.\n\n"
    );
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let root = manifest.join("..");
    let web = root.join("web");
    check_page_engine(&root, &web);
    println!("cargo:rerun-if-changed={}", web.display());
    println!("cargo:rerun-if-changed={}", web.join("pkg").display());
    let mut files = Vec::new();
    walk(&web, &web, &mut files);
    let mut code = String::from("/// Embedded static files: (route, content type, bytes).\npub static ASSETS: &[(&str, &str, &[u8])] = &[\n");
    for (route, path) in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        let abs = path.canonicalize().unwrap_or_else(|_| path.clone());
        writeln!(
            code,
            "    ({route:?}, {:?}, include_bytes!({:?})),",
            mime(path),
            abs.display().to_string()
        )
        .expect("string write");
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it")).join("assets.rs");
    std::fs::write(out, code).expect("write assets.rs");
    println!(
        "cargo:rustc-env=THUMBPRINT_TARGET={}",
        std::env::var("TARGET").unwrap_or_default()
    );
}
