//! The thumbprint side of `benches/peers.py` and `benches/sets.py`: reads
//! `path<TAB>width<TAB>format<TAB>out` lines on stdin, makes each thumbnail with `thumbnail()`
//! (inputs cached in memory after first use), writes it to `out` and answers
//! `milliseconds<TAB>bytes<TAB>width<TAB>height` (or `error<TAB>code`). Only the engine call is
//! timed, as for every peer.
//!
//! A width of `set:W1,W2,...` makes those widths with one `thumbnails()` call, `each:W1,W2,...`
//! with one `thumbnail()` call per width; member `i` goes to `out.i`, and the answer carries
//! the time of all of them, their bytes summed and the last member's size.
//!
//! A width of `decode:1/8`, `decode:1/4`, `decode:1/2` times the reduced-scale JPEG decoder
//! alone, `decode:all` every coefficient entropy-decoded and stored (`benches/entropy.py`); the
//! answer is `milliseconds<TAB>blocks<TAB>0<TAB>0`.

use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::time::Instant;

use thumbprint_core::{thumbnail, thumbnails, Fit, Format, Options};

fn main() {
    let mut cache: HashMap<String, Vec<u8>> = HashMap::new();
    let stdin = std::io::stdin();
    let mut stdout = std::io::stdout().lock();
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        let fields: Vec<&str> = line.split('\t').collect();
        let [path, width, format, out] = fields[..] else {
            let _ = writeln!(stdout, "error\tbad_request");
            continue;
        };
        let bytes = cache
            .entry(path.to_string())
            .or_insert_with(|| std::fs::read(path).unwrap_or_default());
        // `png`, `jpeg`, or `webp`/`avif` with an optional `:quality` (benches/formats.py).
        let (format, quality) = match format.split_once(':') {
            Some((f, q)) => (f, q.parse().ok()),
            None => (format, None),
        };
        let format = match format {
            "jpeg" => Format::Jpeg,
            "webp" => Format::Webp,
            "avif" => Format::Avif,
            _ => Format::Png,
        };
        if let Some(pass) = width.strip_prefix("decode:") {
            let _ = writeln!(stdout, "{}", decode(bytes, pass));
            let _ = stdout.flush();
            continue;
        }
        if let Some((mode, list)) = width.split_once(':') {
            let members: Vec<Options> = list
                .split(',')
                .map(|w| options(w.parse().unwrap_or(200), format, quality))
                .collect();
            let _ = writeln!(stdout, "{}", many(bytes, mode == "set", &members, out));
            let _ = stdout.flush();
            continue;
        }
        let options = options(width.parse().unwrap_or(200), format, quality);
        let start = Instant::now();
        let result = thumbnail(bytes, &options);
        let ms = start.elapsed().as_secs_f64() * 1000.0;
        let reply = match result {
            Ok(t) => {
                let _ = std::fs::write(out, &t.bytes);
                format!("{ms:.3}\t{}\t{}\t{}", t.bytes.len(), t.width, t.height)
            }
            Err(e) => format!("error\t{}", e.code().as_str()),
        };
        let _ = writeln!(stdout, "{reply}");
        let _ = stdout.flush();
    }
}

/// The peers' options: a `width` x `width` box, contain, quality 80 for JPEG.
fn options(width: u32, format: Format, quality: Option<u8>) -> Options {
    Options {
        width,
        height: Some(width),
        fit: Fit::Contain,
        format,
        quality: Some(quality.unwrap_or(80)),
        lossless: false,
    }
}

/// A set by one `thumbnails()` call (`set`) or one `thumbnail()` call per member, timed as one.
fn many(bytes: &[u8], set: bool, members: &[Options], out: &str) -> String {
    let start = Instant::now();
    let results = if set {
        thumbnails(bytes, members)
    } else {
        members.iter().map(|m| thumbnail(bytes, m)).collect()
    };
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    let mut total = 0;
    let mut last = (0, 0);
    for (i, r) in results.iter().enumerate() {
        match r {
            Ok(t) => {
                let _ = std::fs::write(format!("{out}.{i}"), &t.bytes);
                total += t.bytes.len();
                last = (t.width, t.height);
            }
            Err(e) => return format!("error\t{}", e.code().as_str()),
        }
    }
    format!("{ms:.3}\t{total}\t{}\t{}", last.0, last.1)
}

/// The JPEG decoder alone: `1/8`, `1/4`, `1/2` or `all` (every coefficient, no IDCT).
fn decode(bytes: &[u8], pass: &str) -> String {
    use thumbprint_core::benching::{jpeg_coefficients, jpeg_scaled};
    use thumbprint_core::Scale;
    let scale = match pass {
        "1/8" => Some(Scale::Eighth),
        "1/4" => Some(Scale::Quarter),
        "1/2" => Some(Scale::Half),
        _ => None,
    };
    let start = Instant::now();
    let blocks = match scale {
        Some(scale) => jpeg_scaled(bytes, scale).then_some(0),
        None => jpeg_coefficients(bytes),
    };
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    match blocks {
        Some(blocks) => format!("{ms:.3}\t{blocks}\t0\t0"),
        None => "error\tfallback".to_string(),
    }
}
