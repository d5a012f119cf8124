//! The signed-URL parsers on hostile paths: 50,000 paths drawn (with a fixed seed) from the
//! characters that mean something to them (`/ : @ . % = + - _`, hex digits, option and scheme
//! words, multi-byte UTF-8), and from imgproxy's own forms cut at every byte. Nothing may panic:
//! every path is refused with a typed error or read, and every read one maps to engine options
//! (or a typed refusal) for any source size.

use super::geometry::engine_options;
use super::options::parse;
use super::path::split;
use super::source::SourceRef;
use super::UrlKeys;
use thumbprint_core::Format;

/// xorshift64*: a fixed sequence, the same on every run and target.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const PIECES: &[&str] = &[
    "/",
    "/",
    "/",
    ":",
    ":",
    "@",
    ".",
    "%",
    "%3A",
    "%2F",
    "%zz",
    "%4",
    "=",
    "+",
    "-",
    "_",
    "0",
    "1",
    "9",
    "00",
    "4096",
    "4097",
    "99999999999",
    "-1",
    "rs",
    "s",
    "rt",
    "w",
    "h",
    "el",
    "ex",
    "g",
    "q",
    "f",
    "ext",
    "cb",
    "fit",
    "fill",
    "force",
    "auto",
    "fill-down",
    "ce",
    "sm",
    "t",
    "True",
    "png",
    "jpg",
    "jpeg",
    "webp",
    "avif",
    "plain",
    "s3://",
    "s3:/",
    "local:///",
    "local:/",
    "https://",
    "http:/",
    "file:///",
    "aGk",
    "czM6Ly9i",
    "é",
    "\u{1F600}",
    " ",
    "..",
];

fn check(keys: &UrlKeys, raw: &str) {
    if let Some(signed) = split(raw) {
        let _ = keys.verify(signed.signature, &signed.path);
        if let Ok(parsed) = parse(&signed.path) {
            let _ = SourceRef::parse(&parsed.source);
            for dims in [(1, 1), (1, 65_535), (65_535, 1), (640, 427), (1_048_576, 3)] {
                for format in [Format::Png, Format::Jpeg] {
                    if let Ok(o) = engine_options(&parsed.processing, dims, format) {
                        assert!(o.validate().is_ok(), "{raw}: {o:?}");
                    }
                }
            }
        }
    }
}

#[test]
fn no_path_panics_the_parsers() {
    let keys = UrlKeys::from_hex(&["00".into()], &["11".into()]).expect("keys");
    let mut rng = Rng(0x7468_756d_6270_7269);
    for _ in 0..50_000 {
        let mut raw = String::from("/");
        for _ in 0..rng.below(24) {
            raw.push_str(PIECES[rng.below(PIECES.len())]);
        }
        check(&keys, &raw);
    }
    for form in [
        "/sig/rs:fit:300:300:1:0/g:ce:0:0/q:80/f:webp/plain/s3://b/k%20x.jpg@png",
        "/sig/s:160:160:1/resizing_type:fill/quality:85/format:jpg/czM6Ly9iL2suanBn.png",
        "/sig/el:t/f:webp/h:240/rt:force/w:160/czM6/Ly9i/L2su/anBn",
    ] {
        for cut in 0..=form.len() {
            if form.is_char_boundary(cut) {
                check(&keys, &form[..cut]);
            }
        }
    }
}
