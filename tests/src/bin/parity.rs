//! Prints the parity vectors of the corpus on this target: `# engine N` then one
//! `path<TAB>option-set<TAB>sha256|error:code` line per file and option set.
//!
//! Usage: `parity [CORPUS_DIR]` (default: `$THUMBPRINT_CORPUS` or `tests/corpus`).

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let corpus = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(thumbprint_tests::corpus_dir);
    match thumbprint_tests::parity_lines(&corpus) {
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
