//! Each binary compiles only what it runs: the Lambda bootstrap has none of the command line's
//! crates (argument parsing, the progress bar, JWT signing and RSA key generation, hyper's
//! server).

use std::process::Command;

/// The crates `package` depends on (normal edges, this platform), by name.
fn normal_dependencies(package: &str) -> Vec<String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let manifest = concat!(env!("CARGO_MANIFEST_DIR"), "/../Cargo.toml");
    let out = Command::new(cargo)
        .args(["tree", "--locked", "--offline", "--manifest-path", manifest])
        .args([
            "-p", package, "-e", "normal", "--prefix", "none", "--format", "{p}",
        ])
        .output()
        .expect("cargo tree");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().next().map(String::from))
        .collect()
}

#[test]
fn the_lambda_bootstrap_links_only_what_it_runs() {
    let deps = normal_dependencies("thumbprint-lambda");
    assert!(deps.iter().any(|d| d == "thumbprint-service"), "{deps:?}");
    assert!(deps.iter().any(|d| d == "lambda_runtime"), "{deps:?}");
    for unwanted in ["clap", "indicatif", "jsonwebtoken", "rsa", "thumbprint-cli"] {
        assert!(
            !deps.iter().any(|d| d == unwanted),
            "{unwanted} is in the bootstrap"
        );
    }
    // The command line has them (so the check above looks at names that exist).
    let cli = normal_dependencies("thumbprint-cli");
    for wanted in ["clap", "indicatif", "jsonwebtoken", "rsa"] {
        assert!(
            cli.iter().any(|d| d == wanted),
            "{wanted} not in the CLI: {cli:?}"
        );
    }
}
