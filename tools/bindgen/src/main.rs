//! `thumbprint-bindgen IN.wasm OUT_DIR`: what `wasm-bindgen --target web --no-typescript
//! --out-dir OUT_DIR IN.wasm` does, from wasm-bindgen's own library (`wasm-bindgen-cli-support`,
//! the crate behind its CLI), so the version is pinned once by Cargo.lock and nothing is
//! installed with `cargo install` (the CLI and its test runner took ~3 minutes to build).

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [input, out_dir] = args.as_slice() else {
        eprintln!("usage: thumbprint-bindgen IN.wasm OUT_DIR");
        return ExitCode::from(2);
    };
    let mut bindgen = wasm_bindgen_cli_support::Bindgen::new();
    bindgen
        .input_path(input)
        .typescript(false)
        // The CLI's default: the loader finds `<name>_bg.wasm` beside itself when called
        // without a path.
        .omit_default_module_path(false);
    let result = bindgen.web(true).and_then(|b| b.generate(out_dir));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("thumbprint-bindgen: {e:#}");
            ExitCode::FAILURE
        }
    }
}
