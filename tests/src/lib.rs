//! Shared test support: the corpus manifest and the parity option sets, used by the host tests,
//! the aarch64 run under qemu-user and (through `parity/optionsets.tsv`) the wasm runs.

pub mod hostile;

use std::path::Path;

use thumbprint_core::{ErrorCode, Fit, Format, Options};

mod corpus_dir;
pub use corpus_dir::corpus_dir;

/// What a manifest row expects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expect {
    /// A thumbnail; with the displayed (upright) size when the row tests orientation.
    Ok {
        /// The display size after orientation, when given.
        display: Option<(u32, u32)>,
        /// The EXIF orientation value the file carries, when the row tests orientation.
        orient: Option<u16>,
    },
    /// One of these error codes.
    Error(ErrorCode),
    /// Any of these outcomes (`None` = ok).
    Either(Vec<Option<ErrorCode>>),
}

impl Expect {
    /// Whether an outcome (`None` = ok) is acceptable.
    pub fn accepts(&self, outcome: Option<ErrorCode>) -> bool {
        match self {
            Expect::Ok { .. } => outcome.is_none(),
            Expect::Error(code) => outcome == Some(*code),
            Expect::Either(list) => list.contains(&outcome),
        }
    }
}

/// One row of MANIFEST.tsv.
#[derive(Debug, Clone)]
pub struct Row {
    /// Path relative to the corpus folder.
    pub path: String,
    /// What the file exercises.
    pub exercises: String,
    /// The expected outcome.
    pub expect: Expect,
}

fn outcome(word: &str) -> Option<Option<ErrorCode>> {
    Some(match word.trim() {
        "ok" => None,
        "error:unsupported" => Some(ErrorCode::UnsupportedFormat),
        "error:corrupt" => Some(ErrorCode::CorruptImage),
        "error:too-large" => Some(ErrorCode::ImageTooLarge),
        _ => return None,
    })
}

fn parse_expect(expect: &str, exercises: &str) -> Result<Expect, String> {
    if expect == "either" {
        let list = exercises
            .split("accept:")
            .nth(1)
            .ok_or_else(|| format!("either row without accept list: {exercises}"))?;
        let list = list.split(';').next().unwrap_or_default();
        let outcomes = list
            .split('|')
            .map(|w| {
                let w = w.trim();
                let w = w.split_whitespace().next().unwrap_or_default();
                outcome(w).ok_or_else(|| format!("unknown outcome {w:?}"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        return Ok(Expect::Either(outcomes));
    }
    let mut parts = expect.split(';');
    match outcome(parts.next().unwrap_or_default()) {
        Some(None) => {
            let parts: Vec<&str> = parts.collect();
            let display = parts.iter().find_map(|p| {
                let (w, h) = p.strip_prefix("display=")?.split_once('x')?;
                Some((w.parse().ok()?, h.parse().ok()?))
            });
            let orient = parts
                .iter()
                .find_map(|p| p.strip_prefix("orient=")?.parse().ok());
            Ok(Expect::Ok { display, orient })
        }
        Some(Some(code)) => Ok(Expect::Error(code)),
        None => Err(format!("unknown expectation {expect:?}")),
    }
}

/// Reads and parses `MANIFEST.tsv` of the corpus folder.
pub fn manifest(corpus: &Path) -> Result<Vec<Row>, String> {
    let text = std::fs::read_to_string(corpus.join("MANIFEST.tsv"))
        .map_err(|e| format!("reading the manifest in {}: {e}", corpus.display()))?;
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split('\t').collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .ok_or_else(|| format!("manifest has no {name} column"))
    };
    let (c_path, c_ex, c_expect) = (col("path")?, col("exercises")?, col("expect")?);
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            let get = |i: usize| f.get(i).copied().unwrap_or_default().to_string();
            Ok(Row {
                path: get(c_path),
                expect: parse_expect(&get(c_expect), &get(c_ex))?,
                exercises: get(c_ex),
            })
        })
        .collect()
}

/// A named option set of the parity vectors.
#[derive(Debug, Clone)]
pub struct OptionSet {
    /// Its name in the vectors file.
    pub name: String,
    /// The options.
    pub options: Options,
}

/// The parity option sets, from `parity/optionsets.tsv` (shared with the wasm runner).
pub fn option_sets() -> Vec<OptionSet> {
    include_str!("../parity/optionsets.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            let num = |s: &str| s.parse::<u32>().ok();
            OptionSet {
                name: f[0].to_string(),
                options: Options {
                    width: num(f[1]).unwrap_or(0),
                    height: num(f[2]),
                    fit: f[3].parse().unwrap_or(Fit::Contain),
                    format: f[4].parse().unwrap_or(Format::Png),
                    quality: num(f[5]).and_then(|q| u8::try_from(q).ok()),
                    lossless: f.get(6) == Some(&"true"),
                },
            }
        })
        .collect()
}

/// The parity result of one (file, option set): the output SHA-256, or `error:<code>`.
pub fn parity_result(input: &[u8], options: &Options) -> String {
    result_text(&thumbprint_core::thumbnail(input, options))
}

/// How the parity lines are made: one `thumbnail` call per option set, or one `thumbnails`
/// call per file with every option set as its members (a mixed set: sizes, fits, formats and
/// decode scales), whose lines must be the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `thumbnail(file, set)` for each option set.
    Single,
    /// `thumbnails(file, all option sets)`.
    Set,
}

fn result_text(r: &Result<thumbprint_core::Thumbnail, thumbprint_core::Error>) -> String {
    match r {
        Ok(t) => thumbprint_core::sha256_hex(&t.bytes),
        Err(e) => format!("error:{}", e.code()),
    }
}

/// Computes every parity line (`path<TAB>set<TAB>result`) for the corpus, in manifest order.
pub fn parity_lines(corpus: &Path) -> Result<Vec<String>, String> {
    parity_lines_by(corpus, Mode::Single)
}

/// [`parity_lines`], made as `mode` says.
pub fn parity_lines_by(corpus: &Path, mode: Mode) -> Result<Vec<String>, String> {
    let sets = option_sets();
    let members: Vec<Options> = sets.iter().map(|s| s.options).collect();
    let mut out = Vec::new();
    for row in manifest(corpus)? {
        let bytes = std::fs::read(corpus.join(&row.path))
            .map_err(|e| format!("reading {}: {e}", row.path))?;
        let results: Vec<String> = match mode {
            Mode::Single => sets
                .iter()
                .map(|s| parity_result(&bytes, &s.options))
                .collect(),
            Mode::Set => thumbprint_core::thumbnails(&bytes, &members)
                .iter()
                .map(result_text)
                .collect(),
        };
        for (set, result) in sets.iter().zip(results) {
            out.push(format!("{}\t{}\t{}", row.path, set.name, result));
        }
    }
    for sweep in sweeps() {
        let bytes = std::fs::read(corpus.join(&sweep.path))
            .map_err(|e| format!("reading {}: {e}", sweep.path))?;
        let members: Vec<Options> = sweep.members.iter().map(|(_, o)| *o).collect();
        let results: Vec<String> = match mode {
            Mode::Single => members.iter().map(|o| parity_result(&bytes, o)).collect(),
            Mode::Set => members
                .chunks(thumbprint_core::MAX_SET)
                .flat_map(|c| thumbprint_core::thumbnails(&bytes, c))
                .map(|r| result_text(&r))
                .collect(),
        };
        for ((name, _), result) in sweep.members.iter().zip(results) {
            out.push(format!("{}\t{}\t{}", sweep.path, name, result));
        }
    }
    Ok(out)
}

/// A quality sweep: one file through one format at every quality of a range
/// (`parity/sweeps.tsv`), so that every quantiser an encoder can use is checked on every target.
pub struct Sweep {
    /// The corpus path.
    pub path: String,
    /// `(name, options)` per quality.
    pub members: Vec<(String, Options)>,
}

/// The sweeps of `parity/sweeps.tsv` (shared with the wasm runner).
pub fn sweeps() -> Vec<Sweep> {
    include_str!("../parity/sweeps.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            let width: u32 = f[2].parse().unwrap_or(0);
            let format: Format = f[3].parse().unwrap_or(Format::Png);
            let (lo, hi) = f[4].split_once('-').unwrap_or(("1", "100"));
            let (lo, hi): (u8, u8) = (lo.parse().unwrap_or(1), hi.parse().unwrap_or(100));
            let members = (lo..=hi)
                .map(|q| {
                    let mut o = Options::new(width);
                    o.format = format;
                    o.quality = Some(q);
                    (format!("{}-q{q}", f[1]), o)
                })
                .collect();
            Sweep {
                path: f[0].to_string(),
                members,
            }
        })
        .collect()
}

/// The golden vectors file's text.
pub const GOLDEN: &str = include_str!("../parity/vectors.tsv");
