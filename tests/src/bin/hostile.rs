//! Writes the hostile corpus (`thumbprint_tests::hostile`) to a folder: `hostile DIR`; with
//! `hostile --jpeg-seeds DIR`, the small structured JPEGs that seed the fuzz targets.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<_> = std::env::args_os().skip(1).collect();
    let seeds = args.first().is_some_and(|a| a == "--jpeg-seeds");
    let Some(dir) = args.get(usize::from(seeds)).map(PathBuf::from) else {
        eprintln!("usage: hostile [--jpeg-seeds] DIR");
        return ExitCode::FAILURE;
    };
    if seeds {
        if let Err(e) = std::fs::create_dir_all(&dir) {
            eprintln!("hostile: {}: {e}", dir.display());
            return ExitCode::FAILURE;
        }
        for (i, jpeg) in thumbprint_tests::hostile::jpeg_seeds()
            .into_iter()
            .enumerate()
        {
            if let Err(e) = std::fs::write(dir.join(format!("seed-{i}.jpg")), jpeg) {
                eprintln!("hostile: {e}");
                return ExitCode::FAILURE;
            }
        }
        return ExitCode::SUCCESS;
    }
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("hostile: {}: {e}", dir.display());
        return ExitCode::FAILURE;
    }
    for case in thumbprint_tests::hostile::cases() {
        let path = dir.join(&case.name);
        if let Err(e) = std::fs::write(&path, &case.bytes) {
            eprintln!("hostile: {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
        println!("{}\t{}\t{}", case.name, case.bytes.len(), case.note);
    }
    ExitCode::SUCCESS
}
