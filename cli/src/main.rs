//! `thumbprint`: the engine from the command line (and, with `serve`, the local service).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use thumbprint_cli::local::{Access, Config};
use thumbprint_cli::urls::{self, UrlArgs};
use thumbprint_cli::{batch, CliError};
use thumbprint_core::{ErrorCode, Options, RawValue, LIMITS};
use thumbprint_service::auth::Rules;
use thumbprint_service::{pipeline, ServiceError};

/// Deterministic thumbnails: the same bytes as the server and the browser preview.
#[derive(Parser)]
#[command(name = "thumbprint", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// The thumbnail options, as the HTTP query string spells them.
#[derive(Args)]
struct OptionArgs {
    /// Box width in pixels (1..=4096; default 200); a comma-separated list makes a batch of
    /// several sizes (320,640,1280).
    #[arg(short = 'w', long)]
    width: Option<String>,
    /// Box height in pixels (1..=4096; default: the width, a square box); with several widths,
    /// one height for all or a list as long as the widths.
    #[arg(short = 'H', long)]
    height: Option<String>,
    /// contain (default, never upscales), cover or fill.
    #[arg(long)]
    fit: Option<String>,
    /// png (default), jpeg, webp (lossy unless --lossless), avif, or auto (JPEG for opaque
    /// thumbnails, PNG for transparent ones).
    #[arg(short = 'f', long)]
    format: Option<String>,
    /// Quality 1..=100 for lossy output (default 80; AVIF 50).
    #[arg(short = 'q', long)]
    quality: Option<String>,
    /// Lossless WebP (with -f webp).
    #[arg(long)]
    lossless: bool,
}

impl OptionArgs {
    /// Parses the option strings exactly as the HTTP query string is parsed.
    fn parse(&self) -> Result<Options, ServiceError> {
        self.with_size(self.width.as_deref(), self.height.as_deref())
    }

    /// The options with this width and height text (the rest as given).
    fn with_size(
        &self,
        width: Option<&str>,
        height: Option<&str>,
    ) -> Result<Options, ServiceError> {
        Ok(Options::from_lookup(|name| {
            let value = match name {
                "width" => width,
                "height" => height,
                "fit" => self.fit.as_deref(),
                "format" => self.format.as_deref(),
                "quality" => self.quality.as_deref(),
                "lossless" => self.lossless.then_some("true"),
                _ => None,
            };
            value.map(RawValue::Text)
        })?)
    }

    /// The options of each size of a batch: one per width of a comma-separated `width`, paired
    /// with one `height` for all or a list as long (each parsed as the query string is).
    fn members(&self) -> Result<Vec<Options>, ServiceError> {
        let widths: Vec<Option<&str>> = match &self.width {
            Some(w) => w.split(',').map(|s| Some(s.trim())).collect(),
            None => vec![None],
        };
        let heights: Vec<Option<&str>> = match &self.height {
            Some(h) => h.split(',').map(|s| Some(s.trim())).collect(),
            None => vec![None],
        };
        if heights.len() != 1 && heights.len() != widths.len() {
            return Err(ServiceError::with_message(
                ErrorCode::InvalidOption,
                "height is one value or a list as long as the widths",
            ));
        }
        widths
            .iter()
            .enumerate()
            .map(|(i, w)| self.with_size(*w, heights[if heights.len() == 1 { 0 } else { i }]))
            .collect()
    }
}

/// Who may call `POST /thumbnail` on `thumbprint serve`.
#[derive(Args)]
struct AuthArgs {
    /// Accept only JWTs from this issuer (its `iss`), checked with API Gateway's rules.
    #[arg(
        long,
        value_name = "URL",
        requires = "jwt_audience",
        conflicts_with = "dev_auth"
    )]
    jwt_issuer: Option<String>,
    /// An accepted audience (`aud`, or `client_id` for Cognito access tokens); repeatable.
    #[arg(long = "jwt-audience", value_name = "AUD", requires = "jwt_issuer")]
    jwt_audience: Vec<String>,
    /// A scope of the route (a token needs any one); repeatable. None: no scope check.
    #[arg(long = "jwt-scope", value_name = "SCOPE", requires = "jwt_issuer")]
    jwt_scope: Vec<String>,
    /// The issuer's keys: a JWKS file, or a JWKS URL. Default: the `jwks_uri` of
    /// `<issuer>/.well-known/openid-configuration`.
    #[arg(long, value_name = "FILE|URL", requires = "jwt_issuer")]
    jwks: Option<String>,
    /// DEVELOPMENT ONLY: start an OAuth 2.0 / OpenID issuer on 127.0.0.1 (anyone can sign in)
    /// and accept its tokens; the page signs in with it and curl gets tokens from it.
    #[arg(long)]
    dev_auth: bool,
    /// The development issuer's port (default: the API's port + 1).
    #[arg(long, value_name = "PORT", requires = "dev_auth")]
    dev_auth_port: Option<u16>,
}

impl AuthArgs {
    fn access(&self, port: u16) -> Result<Access, String> {
        if self.dev_auth {
            let port =
                self.dev_auth_port
                    .unwrap_or(if port == 0 { 0 } else { port.wrapping_add(1) });
            return Ok(Access::DevIssuer { port });
        }
        let Some(issuer) = &self.jwt_issuer else {
            return Ok(Access::Open);
        };
        let issuer_ok = url::Url::parse(issuer)
            .is_ok_and(|u| matches!(u.scheme(), "https" | "http") && u.host().is_some());
        if !issuer_ok {
            return Err(format!("--jwt-issuer {issuer}: not an http(s) URL"));
        }
        // Scopes and audiences go into a WWW-Authenticate header and are compared exactly.
        let printable =
            |s: &String| !s.is_empty() && s.bytes().all(|b| b.is_ascii_graphic() && b != b'"');
        if let Some(bad) = self
            .jwt_scope
            .iter()
            .chain(&self.jwt_audience)
            .find(|s| !printable(s))
        {
            return Err(format!(
                "{bad:?}: audiences and scopes are printable ASCII without spaces or quotes"
            ));
        }
        Ok(Access::Jwt {
            rules: Rules {
                issuer: issuer.clone(),
                audiences: self.jwt_audience.clone(),
                scopes: self.jwt_scope.clone(),
            },
            jwks: self.jwks.clone(),
        })
    }
}

#[derive(Subcommand)]
enum Command {
    /// Make a thumbnail of IN (a file, or - for standard input) and write it to OUT; or, with
    /// several inputs or sizes, or OUT a directory, every size of every input into OUT/ as
    /// `<stem>-<width>x<height>.<ext>` on every core (a directory IN means the files in it).
    Resize {
        /// Input image paths, - for standard input, or directories (at most 4,613,734 bytes
        /// a file, as over HTTP).
        #[arg(required = true, value_name = "IN")]
        inputs: Vec<PathBuf>,
        #[command(flatten)]
        options: OptionArgs,
        /// Output path, - for standard output, or a directory (ending in / or existing) for a
        /// batch.
        #[arg(short = 'o', long)]
        output: PathBuf,
        /// Print JSON: one object for a single file (metadata, or the error object) on
        /// standard output, or on standard error when the image itself goes to standard
        /// output; for a batch, one line per thumbnail or failure and a summary line last.
        #[arg(long)]
        json: bool,
        /// A batch's engine runs at once (default: one per core).
        #[arg(short = 'j', long, value_name = "N")]
        jobs: Option<std::num::NonZeroUsize>,
        /// The memory a batch's engine runs share, in MiB (default and least: one run's
        /// budget, 320): each file waits for its predicted need, so more jobs never mean more
        /// memory.
        #[arg(long, value_name = "MIB", value_parser = clap::value_parser!(u64).range(320..=1_048_576))]
        memory: Option<u64>,
    },
    /// Say what resize would do with IN, without decoding it: the format, the sizes, the decode
    /// path and the predicted memory of each stage against the engine's budget (JSON).
    Inspect {
        /// Input image path, or - for standard input.
        input: PathBuf,
        #[command(flatten)]
        options: OptionArgs,
    },
    /// Serve the API and the preview page locally (each request runs the Lambda's own handler).
    /// POST /thumbnail is open unless --jwt-issuer or --dev-auth guard it as API Gateway's JWT
    /// authorizer does.
    Serve {
        /// Port to listen on.
        #[arg(long, default_value_t = 8080)]
        port: u16,
        /// Address to bind (loopback by default).
        #[arg(long, default_value = "127.0.0.1")]
        host: std::net::IpAddr,
        #[command(flatten)]
        auth: AuthArgs,
        #[command(flatten)]
        urls: UrlArgs,
    },
    /// Sign a URL path for `GET /{signature}/{options}/{source}` (imgproxy's format) and print
    /// it: `thumbprint sign --key HEX --salt HEX 'rs:fit:320:320/plain/s3://bucket/a.jpg@webp'`.
    Sign {
        /// The signing key, in hex.
        #[arg(long, value_name = "HEX")]
        key: String,
        /// The salt, in hex.
        #[arg(long, value_name = "HEX")]
        salt: String,
        /// The options and the source: `rs:fit:320:320/plain/s3://bucket/a.jpg@webp`.
        path: String,
    },
}

fn write_output(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    let res = if path.as_os_str() == "-" {
        std::io::stdout().write_all(bytes)
    } else {
        std::fs::write(path, bytes)
    };
    res.map_err(|e| CliError::file("write", path, &e))
}

fn serve(host: std::net::IpAddr, port: u16, auth: &AuthArgs, urls: &UrlArgs) -> ExitCode {
    let (access, urls) = match auth.access(port).and_then(|a| Ok((a, urls.config()?))) {
        Ok(both) => both,
        Err(e) => {
            eprintln!("thumbprint: {e}");
            return ExitCode::from(2);
        }
    };
    thumbprint_service::logging::init();
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
    let config = Config {
        addr: std::net::SocketAddr::new(host, port),
        access,
        urls,
    };
    match runtime.block_on(thumbprint_cli::local::serve(config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("thumbprint: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The JSON of an inspection.
fn inspection_json(i: &thumbprint_core::Inspection) -> serde_json::Value {
    let stages = |f: &thumbprint_core::Footprint| {
        serde_json::json!({
            "open": f.open, "decode": f.decode, "convert": f.convert, "orient": f.orient,
            "resize": f.resize, "encode": f.encode, "peak": f.peak(),
        })
    };
    serde_json::json!({
        "format": i.format,
        "width": i.width,
        "height": i.height,
        "out_width": i.out_width,
        "out_height": i.out_height,
        "path": i.path,
        "footprint": stages(&i.footprint),
        "fallback_footprint": i.fallback.as_ref().map(stages),
        "engine_memory": LIMITS.engine_memory,
        "admitted": i.admitted,
    })
}

fn fail(e: &CliError, json: bool, to_stderr: bool) -> ExitCode {
    if json && !to_stderr {
        println!("{}", e.to_json());
    } else if json {
        eprintln!("{}", e.to_json());
    } else {
        eprintln!("thumbprint: {e}");
    }
    ExitCode::from(e.exit_code())
}

fn parse_options(options: &OptionArgs) -> Result<Options, CliError> {
    Ok(options.parse()?)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Serve {
            port,
            host,
            auth,
            urls,
        } => serve(host, port, &auth, &urls),
        Command::Sign { key, salt, path } => match urls::signed_path(&key, &salt, &path) {
            Ok(signed) => {
                println!("{signed}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("thumbprint: {e}");
                ExitCode::from(2)
            }
        },
        Command::Inspect { input, options } => {
            let result = parse_options(&options)
                .and_then(|o| Ok((o, batch::read_bounded(&input)?)))
                .and_then(|(o, bytes)| {
                    thumbprint_core::inspect(&bytes, &o).map_err(|e| ServiceError::from(e).into())
                });
            match result {
                Ok(i) => {
                    println!("{}", inspection_json(&i));
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&e, true, false),
            }
        }
        Command::Resize {
            inputs,
            options,
            output,
            json,
            jobs,
            memory,
        } => {
            let is_batch = inputs.len() > 1
                || options.width.as_deref().is_some_and(|w| w.contains(','))
                || output.as_os_str().to_string_lossy().ends_with('/')
                || output.is_dir();
            if is_batch {
                let jobs = jobs.map_or_else(
                    || std::thread::available_parallelism().map_or(1, |n| n.get()),
                    |n| n.get(),
                );
                let members = match options.members() {
                    Ok(m) => m,
                    Err(e) => return fail(&e.into(), json, false),
                };
                let out = if output.as_os_str() == "-" {
                    None
                } else {
                    Some(output.as_path())
                };
                let Some(out_dir) = out else {
                    eprintln!("thumbprint: several inputs or sizes need -o DIRECTORY/");
                    return ExitCode::from(2);
                };
                let batch = batch::Batch {
                    inputs: batch::expand(&inputs),
                    members,
                    out_dir: out_dir.to_path_buf(),
                    jobs,
                    memory: memory.map_or(LIMITS.engine_memory, |m| m * 1024 * 1024),
                };
                return ExitCode::from(batch::report::run(&batch, json));
            }
            let input = &inputs[0];
            let image_on_stdout = output.as_os_str() == "-";
            let result = parse_options(&options)
                .and_then(|o| Ok((o, batch::read_bounded(input)?)))
                .and_then(|(o, bytes)| Ok(pipeline::run(&bytes, &o)?))
                .and_then(|t| write_output(&output, &t.bytes).map(|_| t));
            match result {
                Ok(t) => {
                    if json && image_on_stdout {
                        eprintln!("{}", pipeline::Success::metadata(&t).to_json());
                    } else if json {
                        println!("{}", pipeline::Success::metadata(&t).to_json());
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&e, json, image_on_stdout),
            }
        }
    }
}
