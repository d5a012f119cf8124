//! The engine's public API as a front end uses it: options from name/value lookups, `inspect`
//! agreeing with `thumbnail`, stable errors, determinism within a run, and the limits.

use thumbprint_core::{
    etag_for, inspect, sha256_hex, thumbnail, ErrorCode, Format, Options, RawValue, LIMITS,
    OPTION_NAMES,
};
use thumbprint_tests::{corpus_dir, manifest};

/// Options from query-string-like pairs, the way every front end builds them.
fn options(pairs: &[(&str, &str)]) -> Result<Options, thumbprint_core::Error> {
    Options::from_lookup(|name| {
        pairs
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| RawValue::Text(v))
    })
}

fn hopper() -> Vec<u8> {
    std::fs::read(corpus_dir().join("conformance/gif_static_hopper.gif")).expect("hopper")
}

#[test]
fn inspect_predicts_what_thumbnail_does_for_every_corpus_file() {
    let corpus = corpus_dir();
    let sets = [
        options(&[]).expect("defaults"),
        options(&[("width", "64"), ("height", "32"), ("fit", "cover")]).expect("cover"),
        options(&[("width", "500"), ("format", "jpeg")]).expect("jpeg"),
    ];
    let mut compared = 0;
    for row in manifest(&corpus).expect("manifest") {
        let bytes = std::fs::read(corpus.join(&row.path)).expect("corpus file");
        for o in &sets {
            let made = thumbnail(&bytes, o);
            match (inspect(&bytes, o), &made) {
                // What the header decides, thumbnail decides the same way.
                (Err(e), _) => assert_eq!(
                    made.as_ref().err().map(|m| m.code()),
                    Some(e.code()),
                    "{}",
                    row.path
                ),
                (Ok(i), Ok(t)) => {
                    assert!(i.admitted, "{}: made but not admitted", row.path);
                    assert_eq!(
                        (i.out_width, i.out_height),
                        (t.width, t.height),
                        "{}",
                        row.path
                    );
                    assert_eq!(o.output_size(i.width, i.height), (t.width, t.height));
                    compared += 1;
                }
                // What only decoding finds: broken data, or a codec feature the decoder lacks
                // (a TIFF's compression scheme).
                (Ok(i), Err(e)) => assert!(
                    !i.admitted
                        || matches!(
                            e.code(),
                            ErrorCode::CorruptImage | ErrorCode::UnsupportedFormat
                        ),
                    "{}: inspect admitted, thumbnail said {:?}",
                    row.path,
                    e.code()
                ),
            }
        }
    }
    assert!(compared > 300, "{compared} thumbnails compared");
}

#[test]
fn the_same_call_gives_the_same_bytes_and_a_strong_etag() {
    let input = hopper();
    let o = options(&[("width", "40"), ("format", "webp")]).expect("options");
    let a = thumbnail(&input, &o).expect("thumbnail");
    let b = thumbnail(&input, &o).expect("thumbnail");
    assert_eq!(a, b);
    assert_eq!(a.format, Format::Webp);
    assert_eq!(a.mime(), "image/webp");
    assert_eq!(a.etag, etag_for(&a.bytes));
    assert_eq!(a.etag, format!("\"{}\"", &sha256_hex(&a.bytes)[..32]));
    assert!(a.bytes.len() <= LIMITS.max_output_bytes);
}

#[test]
fn options_are_checked_before_the_image_is_read() {
    for pairs in [
        &[("width", "0")][..],
        &[("width", "4097")],
        &[("height", "x")],
        &[("quality", "101")],
        &[("fit", "stretch")],
        &[("format", "gif")],
    ] {
        let e = options(pairs).expect_err("refused");
        assert_eq!(e.code(), ErrorCode::InvalidOption, "{pairs:?}");
        assert!(e.to_string().contains(pairs[0].0), "{e} names the option");
    }
    // Options built by hand are validated by the engine too, whatever the input.
    let mut o = Options::new(LIMITS.max_dimension + 1);
    o.format = Format::Png;
    let e = thumbnail(b"not an image", &o).expect_err("refused");
    assert_eq!(e.code(), ErrorCode::InvalidOption);
    assert_eq!(
        thumbnail(b"not an image", &Options::default())
            .expect_err("refused")
            .code(),
        ErrorCode::UnsupportedFormat
    );
    assert_eq!(OPTION_NAMES.len(), 6);
}

#[test]
fn messages_never_echo_the_input_and_every_code_has_one() {
    let e =
        thumbnail(b"GIF89a\x10\x00\x10\x00SECRET-BYTES", &Options::default()).expect_err("refused");
    assert!(!e.to_string().contains("SECRET"), "{e}");
    assert_eq!(e.to_string(), e.code().default_message());
    for code in ErrorCode::ALL {
        assert!(!code.default_message().is_empty());
        assert_eq!(code.as_str().parse::<ErrorCode>(), Ok(code));
    }
}
