//! `thumbprint resize IN... -o DIR/`: many files, several sizes each, on every core.
//!
//! Each worker thread runs one engine call at a time (a set: one decode per decode path for
//! all the sizes of a file, [`pipeline::run_set`]), so a batch holds at most `jobs` inputs; the
//! engine's memory is one [`memory::Pool`] (`--memory`, by default one engine run's budget)
//! that each file reserves its predicted need from before it is decoded, so more jobs never
//! mean more memory. A file that fails is reported and the batch goes on. Every
//! thumbnail written is byte for byte what `POST /thumbnail` answers for the same options.
//!
//! Outputs are named `<stem>-<width>x<height>.<ext>` from the thumbnail's own size, written to
//! a temporary name in the directory and renamed, so a stopped batch leaves no half file (two
//! sizes of one file that come out at one pixel size with other pixels get `-2`, `-3`). Two
//! inputs whose thumbnails would share a name (`a/x.jpg` and `b/x.png`) do not overwrite each
//! other: the second is reported as a failure of that member.

pub mod memory;
pub mod report;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Mutex};
use std::time::{Duration, Instant};

use thumbprint_core::{ErrorCode, Format, Options, Thumbnail, LIMITS, MAX_SET};

use thumbprint_service::{pipeline, ServiceError};

use crate::CliError;

/// What a batch makes.
#[derive(Debug, Clone)]
pub struct Batch {
    /// The input files, in the order given (directories already expanded, see [`expand`]).
    pub inputs: Vec<PathBuf>,
    /// The sizes (each a single request's options), in order.
    pub members: Vec<Options>,
    /// The directory the thumbnails go to (created when missing).
    pub out_dir: PathBuf,
    /// Worker threads (engine runs at once); at least 1.
    pub jobs: usize,
    /// Bytes the engine runs may hold at once, over all workers (see [`memory`]).
    pub memory: u64,
}

/// One thumbnail written.
#[derive(Debug, Clone)]
pub struct Written {
    /// Where it was written.
    pub path: PathBuf,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// The format.
    pub format: Format,
    /// Length in bytes.
    pub bytes: usize,
    /// The strong ETag (quoted), as the server answers it.
    pub etag: String,
}

/// Why one member of a file was not written.
#[derive(Debug, Clone)]
pub struct Failure {
    /// The error, as the service would answer it, or the file that could not be written.
    pub error: CliError,
    /// More about it, when the message alone does not say (the other input of a name clash).
    pub detail: Option<String>,
}

/// What became of one input file.
#[derive(Debug)]
pub struct FileReport {
    /// The input, as given.
    pub input: PathBuf,
    /// The whole file failed (unreadable, not an image, broken, over a budget) ...
    pub error: Option<CliError>,
    /// ... or each member's outcome, in the order of [`Batch::members`].
    pub members: Vec<Result<Written, Failure>>,
}

impl FileReport {
    /// The number of failures in this file (a whole-file failure counts once per member).
    pub fn failures(&self, members: usize) -> usize {
        if self.error.is_some() {
            members
        } else {
            self.members.iter().filter(|m| m.is_err()).count()
        }
    }
}

/// The batch's totals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// Input files.
    pub files: usize,
    /// Files with at least one failure.
    pub failed_files: usize,
    /// Thumbnails written.
    pub thumbnails: usize,
    /// Thumbnails not written.
    pub errors: usize,
    /// Wall time of the whole batch.
    pub elapsed: Duration,
}

/// The file name extension of a format.
pub fn extension(format: Format) -> &'static str {
    match format {
        Format::Jpeg => "jpg",
        other => other.as_str(),
    }
}

/// The input list with each directory replaced by the regular files directly inside it
/// (sorted by name, hidden files left out; not recursive). Paths that are neither stay, so
/// that the batch reports them.
pub fn expand(inputs: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for input in inputs {
        match std::fs::read_dir(input) {
            Ok(entries) => {
                let mut files: Vec<PathBuf> = entries
                    .filter_map(|e| e.ok())
                    .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                    .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
                    .map(|e| e.path())
                    .collect();
                files.sort();
                out.extend(files);
            }
            Err(_) => out.push(input.clone()),
        }
    }
    out
}

/// Makes every thumbnail of `batch`. `on_file` is called on the calling thread as each file
/// finishes (in the order they finish); the totals come back at the end.
pub fn run(batch: &Batch, mut on_file: impl FnMut(&FileReport)) -> Result<Summary, CliError> {
    let started = Instant::now();
    std::fs::create_dir_all(&batch.out_dir)
        .map_err(|e| CliError::file("create the directory", &batch.out_dir, &e))?;
    let next = AtomicUsize::new(0);
    let names = Mutex::new(HashMap::new());
    let pool = memory::Pool::new(batch.memory);
    let mut summary = Summary {
        files: batch.inputs.len(),
        failed_files: 0,
        thumbnails: 0,
        errors: 0,
        elapsed: Duration::ZERO,
    };
    let (tx, rx) = mpsc::channel();
    std::thread::scope(|scope| {
        for _ in 0..batch.jobs.clamp(1, batch.inputs.len().max(1)) {
            let tx = tx.clone();
            let (next, names, pool) = (&next, &names, &pool);
            scope.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(input) = batch.inputs.get(i) else {
                    break;
                };
                if tx.send(one_file(batch, i, input, names, pool)).is_err() {
                    break;
                }
            });
        }
        drop(tx);
        for report in rx {
            let failures = report.failures(batch.members.len());
            summary.errors += failures;
            summary.thumbnails += report.members.iter().filter(|m| m.is_ok()).count();
            if failures > 0 {
                summary.failed_files += 1;
            }
            on_file(&report);
        }
    });
    summary.elapsed = started.elapsed();
    Ok(summary)
}

/// Names already written: the output path, the index of the input that wrote it and the
/// thumbnail's ETag.
type Names = Mutex<HashMap<PathBuf, (usize, String)>>;

fn one_file(
    batch: &Batch,
    index: usize,
    input: &Path,
    names: &Names,
    pool: &memory::Pool,
) -> FileReport {
    let mut report = FileReport {
        input: input.to_path_buf(),
        error: None,
        members: Vec::new(),
    };
    let bytes = match read_bounded(input) {
        Ok(b) => b,
        Err(e) => {
            report.error = Some(e);
            return report;
        }
    };
    let mut results = Vec::with_capacity(batch.members.len());
    let held = pool.reserve(memory::set_need(&bytes, &batch.members));
    for chunk in batch.members.chunks(MAX_SET) {
        results.extend(pipeline::run_set(&bytes, chunk));
    }
    drop(held);
    drop(bytes);
    // A file that is not an image fails every member the same way: say it once.
    if let Some(Err(first)) = results.first() {
        let whole_file = matches!(
            first.code,
            ErrorCode::UnsupportedFormat | ErrorCode::CorruptImage | ErrorCode::ImageTooLarge
        );
        if whole_file && results.iter().all(|r| r.as_ref().err() == Some(first)) {
            report.error = Some(first.clone().into());
            return report;
        }
    }
    let stem = stem_of(input);
    report.members = results
        .into_iter()
        .map(|r| {
            let t = r.map_err(|error| Failure {
                error: error.into(),
                detail: None,
            })?;
            write_member(batch, index, &stem, &t, names)
        })
        .collect();
    report
}

/// The file name stem of an input (`stdin` for `-`).
fn stem_of(input: &Path) -> String {
    if input.as_os_str() == "-" {
        return "stdin".to_owned();
    }
    input
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "thumbnail".to_owned())
}

fn write_member(
    batch: &Batch,
    index: usize,
    stem: &str,
    t: &Thumbnail,
    names: &Names,
) -> Result<Written, Failure> {
    let base = format!("{stem}-{}x{}", t.width, t.height);
    let ext = extension(t.format);
    let mut path = batch.out_dir.join(format!("{base}.{ext}"));
    {
        // A poisoned lock only means another worker panicked while holding it; the map is
        // still whole (each insert is one call).
        let mut names = names.lock().unwrap_or_else(|p| p.into_inner());
        let mut k = 1;
        loop {
            match names.get(&path) {
                // The same file asked twice for sizes that come out the same (a small image
                // that is never upscaled): the same bytes, written once.
                Some((owner, etag)) if *owner == index && *etag == t.etag => {
                    return Ok(written(path, t))
                }
                // Two sizes of one file with one pixel size but other pixels (cover boxes of
                // other shapes on a tiny image): the later one gets a number.
                Some((owner, _)) if *owner == index => {
                    k += 1;
                    path = batch.out_dir.join(format!("{base}-{k}.{ext}"));
                }
                Some((owner, _)) => {
                    return Err(Failure {
                        error: ServiceError::with_message(
                            ErrorCode::InvalidRequest,
                            "another thumbnail of this batch has the same file name",
                        )
                        .into(),
                        detail: Some(format!(
                            "{} is already written from {}",
                            path.display(),
                            batch.inputs[*owner].display()
                        )),
                    });
                }
                None => {
                    names.insert(path.clone(), (index, t.etag.clone()));
                    break;
                }
            }
        }
    }
    let tmp = batch.out_dir.join(format!(
        ".{}.{}.tmp",
        path.file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default(),
        std::process::id()
    ));
    std::fs::write(&tmp, &t.bytes)
        .and_then(|()| std::fs::rename(&tmp, &path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            Failure {
                error: CliError::file("write", &path, &e),
                detail: None,
            }
        })?;
    Ok(written(path, t))
}

fn written(path: PathBuf, t: &Thumbnail) -> Written {
    Written {
        path,
        width: t.width,
        height: t.height,
        format: t.format,
        bytes: t.bytes.len(),
        etag: t.etag.clone(),
    }
}

/// Reads an input, at most as many bytes as the HTTP door accepts: one byte more means
/// `payload_too_large`, whatever the source (`/dev/zero` is refused at once).
pub fn read_bounded(path: &Path) -> Result<Vec<u8>, CliError> {
    use std::io::Read;
    let unreadable = |e: std::io::Error| CliError::file("read", path, &e);
    let source: Box<dyn Read> = if path.as_os_str() == "-" {
        Box::new(std::io::stdin())
    } else {
        Box::new(std::fs::File::open(path).map_err(unreadable)?)
    };
    let mut buf = Vec::new();
    source
        .take(LIMITS.max_input_bytes as u64 + 1)
        .read_to_end(&mut buf)
        .map_err(unreadable)?;
    if buf.len() > LIMITS.max_input_bytes {
        return Err(ServiceError::new(ErrorCode::PayloadTooLarge).into());
    }
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_extensions() {
        assert_eq!(extension(Format::Jpeg), "jpg");
        assert_eq!(extension(Format::Png), "png");
        assert_eq!(extension(Format::Webp), "webp");
        assert_eq!(stem_of(Path::new("a/b/photo.tar.jpg")), "photo.tar");
        assert_eq!(stem_of(Path::new("-")), "stdin");
        assert_eq!(stem_of(Path::new("/")), "thumbnail");
    }

    #[test]
    fn a_whole_file_failure_counts_every_member() {
        let r = FileReport {
            input: PathBuf::from("x"),
            error: Some(ServiceError::new(ErrorCode::CorruptImage).into()),
            members: Vec::new(),
        };
        assert_eq!(r.failures(3), 3);
    }
}
