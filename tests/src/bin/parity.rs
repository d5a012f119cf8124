//! Prints the parity vectors of the corpus on this target: `# engine N` then one
//! `path<TAB>option-set<TAB>sha256|error:code` line per file and option set.
//!
//! Usage: `parity [--sets] [CORPUS_DIR]` (default: `$THUMBPRINT_CORPUS` or `tests/corpus`).
//! With `--sets` every file goes through one `thumbnails` call with all the option sets as its
//! members; the lines must be the same.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mode = if args.iter().any(|a| a == "--sets") {
        thumbprint_tests::Mode::Set
    } else {
        thumbprint_tests::Mode::Single
    };
    let corpus = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .map(PathBuf::from)
        .unwrap_or_else(thumbprint_tests::corpus_dir);
    match thumbprint_tests::parity_lines_by(&corpus, mode) {
        Ok(lines) => {
            println!("# engine {}", thumbprint_core::ENGINE_VERSION);
            for l in lines {
                println!("{l}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("parity: {e}");
            ExitCode::FAILURE
        }
    }
}
