//! `thumbprint`: the engine from the command line (and, with `serve`, the local service).

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use thumbprint_core::{ErrorCode, Options, RawOptions, RawValue};
use thumbprint_lambda::{pipeline, ServiceError};

/// Deterministic thumbnails: the same bytes as the server and the browser preview.
#[derive(Parser)]
#[command(name = "thumbprint", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Make a thumbnail of IN (a file, or - for standard input) and write it to OUT.
    Resize {
        /// Input image path, or - for standard input.
        input: PathBuf,
        /// Box width in pixels (1..=4096; default 200).
        #[arg(short = 'w', long)]
        width: Option<String>,
        /// Box height in pixels (1..=4096; default: the width, a square box).
        #[arg(short = 'H', long)]
        height: Option<String>,
        /// contain (default, never upscales), cover or fill.
        #[arg(long)]
        fit: Option<String>,
        /// png (default), jpeg or webp.
        #[arg(short = 'f', long)]
        format: Option<String>,
        /// Quality 1..=100 for lossy output.
        #[arg(short = 'q', long)]
        quality: Option<String>,
        /// Output path, or - for standard output.
        #[arg(short = 'o', long)]
        output: PathBuf,
        /// Print one JSON object on stdout: metadata on success, the error object on failure.
        #[arg(long)]
        json: bool,
    },
    /// Serve the API and the preview page locally (each request runs the Lambda's own code as a
    /// payload-2.0 event; no JWT check).
    Serve {
        /// Port to listen on.
        #[arg(long, default_value_t = 8080)]
        port: u16,
        /// Address to bind (loopback by default).
        #[arg(long, default_value = "127.0.0.1")]
        host: std::net::IpAddr,
    },
}

/// Parses the CLI's option strings exactly as the HTTP query string is parsed.
fn options(
    width: Option<&str>,
    height: Option<&str>,
    fit: Option<&str>,
    format: Option<&str>,
    quality: Option<&str>,
) -> Result<Options, ServiceError> {
    let raw = RawOptions {
        width: width.map(RawValue::Text),
        height: height.map(RawValue::Text),
        fit: fit.map(RawValue::Text),
        format: format.map(RawValue::Text),
        quality: quality.map(RawValue::Text),
    };
    Ok(raw.parse()?)
}

fn read_input(path: &PathBuf) -> Result<Vec<u8>, ServiceError> {
    let mut buf = Vec::new();
    let res = if path.as_os_str() == "-" {
        std::io::stdin().read_to_end(&mut buf).map(|_| ())
    } else {
        std::fs::File::open(path).and_then(|mut f| f.read_to_end(&mut buf).map(|_| ()))
    };
    res.map(|_| buf).map_err(|_| {
        ServiceError::with_message(ErrorCode::InvalidRequest, "the input could not be read")
    })
}

fn write_output(path: &PathBuf, bytes: &[u8]) -> Result<(), ServiceError> {
    let res = if path.as_os_str() == "-" {
        std::io::stdout().write_all(bytes)
    } else {
        std::fs::write(path, bytes)
    };
    res.map_err(|_| {
        ServiceError::with_message(ErrorCode::InternalError, "the output could not be written")
    })
}

fn serve(host: std::net::IpAddr, port: u16) -> ExitCode {
    thumbprint_lambda::logging::init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("thumbprint: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let app = thumbprint_lambda::http::App::new();
    match runtime.block_on(thumbprint_lambda::server::serve(
        app,
        std::net::SocketAddr::new(host, port),
    )) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("thumbprint: {e}");
            ExitCode::FAILURE
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Serve { port, host } => serve(host, port),
        Command::Resize {
            input,
            width,
            height,
            fit,
            format,
            quality,
            output,
            json,
        } => {
            let result = options(
                width.as_deref(),
                height.as_deref(),
                fit.as_deref(),
                format.as_deref(),
                quality.as_deref(),
            )
            .and_then(|o| Ok((o, read_input(&input)?)))
            .and_then(|(o, bytes)| pipeline::run(&bytes, &o))
            .and_then(|t| write_output(&output, &t.bytes).map(|_| t));
            match result {
                Ok(t) => {
                    if json {
                        println!("{}", pipeline::metadata_json(&t));
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    if json {
                        println!("{}", e.to_json(None));
                    } else {
                        eprintln!("thumbprint: {}: {}", e.code, e.message);
                    }
                    ExitCode::from(1)
                }
            }
        }
    }
}
