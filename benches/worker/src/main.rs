//! The thumbprint side of `benches/peers.py`: reads `path<TAB>width<TAB>format<TAB>out` lines
//! on stdin, makes each thumbnail with `thumbnail()` (inputs cached in memory after first use),
//! writes it to `out` and answers `milliseconds<TAB>bytes<TAB>width<TAB>height` (or `error<TAB>code`).
//! Only the engine call is timed, as for every peer.

use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::time::Instant;

use thumbprint_core::{thumbnail, Fit, Format, Options};

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
        let width: u32 = width.parse().unwrap_or(200);
        let format = if format == "jpeg" {
            Format::Jpeg
        } else {
            Format::Png
        };
        let options = Options {
            width,
            height: Some(width),
            fit: Fit::Contain,
            format,
            quality: Some(80),
        };
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
