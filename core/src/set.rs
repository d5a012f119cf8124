//! Thumbnail sets: one input, several options, each member's bytes exactly those of
//! [`thumbnail`](crate::thumbnail) for it.
//!
//! Members that [`thumbnail`](crate::thumbnail) would decode the same way (the same path from
//! the same header: full scale, or one reduced JPEG scale) share one decode and one upright
//! image; each then runs steps 5-7 on it (lent, copied only to premultiply alpha). The decode
//! of a group is the single-request decode of its first member, step for step (the same `choose` answers), so what the others
//! receive is what their own decode would have produced. Whatever cannot be shown to be the
//! same (a member whose admission differs after a fallback, any decode error but an unreadable
//! file) is run on its own, exactly as a single request.
//!
//! Memory: a shared upright image stays alive while each member resizes it (or a copy), so a
//! group is shared only when that image plus the largest member's predicted peak fits
//! [`Limits::engine_memory`](crate::Limits::engine_memory); otherwise its members run one after
//! the other, each within the budget as a single request is. A set never holds more than one
//! decoded image.

use std::borrow::Cow;

use image::{DynamicImage, ImageFormat};

use crate::budget::Path;
use crate::decode::{self, Header};
use crate::jpeg::{self, Scale};
use crate::pixels::Pixels;
use crate::{finish, plan, thumbnail, Error, Intermediate, Options, Thumbnail, LIMITS};

/// The most members a set may have.
pub const MAX_SET: usize = 8;

/// Thumbnails of `input` for each of `members`, in order; each result equals
/// [`thumbnail`](crate::thumbnail)`(input, member)`, bytes and error alike. The file is decoded
/// once per distinct decode path the members need.
pub fn thumbnails(input: &[u8], members: &[Options]) -> Vec<Result<Thumbnail, Error>> {
    let mut out: Vec<Option<Result<Thumbnail, Error>>> = members
        .iter()
        .map(|m| m.validate().err().map(Err))
        .collect();
    // Members still to make, and whether they must run alone.
    let mut pending: Vec<(usize, bool)> = (0..members.len())
        .filter(|&i| out[i].is_none())
        .map(|i| (i, false))
        .collect();
    let mut made = scales_at_once(input, members, &pending);
    while let Some(&(first, alone)) = pending.first() {
        if alone {
            out[first] = Some(thumbnail(input, &members[first]));
            pending.remove(0);
            continue;
        }
        let group = run_group(input, members, first, &pending, &mut out, &mut made);
        pending.retain(|(i, _)| !group.done.contains(i));
        for (i, alone) in pending.iter_mut() {
            if group.alone.contains(i) {
                *alone = true;
            }
        }
    }
    out.into_iter()
        .map(|r| r.unwrap_or(Err(Error::Internal(None))))
        .collect()
}

/// What one shared decode settled.
struct Group {
    /// Members whose result is now known.
    done: Vec<usize>,
    /// Members that must run on their own.
    alone: Vec<usize>,
}

/// What the first member's decode saw: the header and the path taken (`None` when the file
/// could not be opened), and the header of the full decoder when the reduced-scale one handed
/// the file on.
struct Seen {
    first: Option<(Header, bool, Path)>,
    second: Option<Header>,
}

/// Decodes as `thumbnail(input, members[first])` does and makes every pending member that
/// takes the same path from that decode.
fn run_group(
    input: &[u8],
    members: &[Options],
    first: usize,
    pending: &[(usize, bool)],
    out: &mut [Option<Result<Thumbnail, Error>>],
    made: &mut Vec<(Scale, DynamicImage)>,
) -> Group {
    let mut seen = Seen {
        first: None,
        second: None,
    };
    let decoded = decode::decode_using(
        input,
        |header, scaled_ok| {
            let path = plan::admitted(header, &members[first], scaled_ok)?;
            if seen.first.is_none() {
                seen.first = Some((header.clone(), scaled_ok, path));
            } else {
                seen.second = Some(header.clone());
            }
            Ok(path)
        },
        made,
    );
    let Some((header, scaled_ok, path)) = seen.first else {
        // The file could not be opened: every member's own decode fails the same way.
        let err = decoded.err().unwrap_or(Error::Internal(None));
        let done: Vec<usize> = pending.iter().map(|&(i, _)| i).collect();
        for &i in &done {
            out[i] = Some(Err(err.clone()));
        }
        return Group {
            done,
            alone: Vec::new(),
        };
    };
    let decoded = match decoded {
        Ok(d) => d,
        Err(e) => {
            out[first] = Some(Err(e));
            return Group {
                done: vec![first],
                alone: Vec::new(),
            };
        }
    };
    let second = seen.second;
    let (mut same, mut done) = same_path(
        members,
        pending,
        (&header, scaled_ok, path),
        second.as_ref(),
        out,
    );
    let image = Pixels::upright(decoded.image, decoded.orientation);
    let meta = Intermediate {
        full: decoded.full,
        reduced: decoded.reduced,
        icc: decoded.icc,
        fallback: decoded.fallback,
    };
    let (h, scaled) = match &second {
        Some(h2) => (h2, false),
        None => (&header, scaled_ok),
    };
    let peak = same
        .iter()
        .map(|&i| member_peak(h, &members[i], scaled))
        .max()
        .unwrap_or(0);
    if image.data.len() as u64 + peak > LIMITS.engine_memory {
        // The kept image and the largest member would not fit together: the others run alone.
        out[first] = Some(finish(Cow::Owned(image), &meta, &members[first]));
        let alone = same.split_off(1);
        done.retain(|i| !alone.contains(i));
        return Group { done, alone };
    }
    finish_each(image, &meta, members, &same, out);
    Group {
        done,
        alone: Vec::new(),
    }
}

/// The pending members (the first of them decoded) that take `path` from `header` as the first
/// did, and (after a fallback to the full decoder, whose header is `second`) are admitted at
/// full scale as it was; those refused there get their error. Returns the members that share
/// the decode, and every member now settled.
fn same_path(
    members: &[Options],
    pending: &[(usize, bool)],
    (header, scaled_ok, path): (&Header, bool, Path),
    second: Option<&Header>,
    out: &mut [Option<Result<Thumbnail, Error>>],
) -> (Vec<usize>, Vec<usize>) {
    let first = pending[0].0;
    let mut same = vec![first];
    let mut done = vec![first];
    for &(i, _) in pending.iter().skip(1) {
        if plan::admitted(header, &members[i], scaled_ok).ok() != Some(path) {
            continue;
        }
        if let Some(h2) = second {
            if let Err(e) = plan::admitted(h2, &members[i], false) {
                out[i] = Some(Err(e));
                done.push(i);
                continue;
            }
        }
        same.push(i);
        done.push(i);
    }
    (same, done)
}

/// Makes each member of `same` from one upright image: lent to all but the last (resizing
/// reads it; only premultiplying alpha copies it), given to the last.
fn finish_each(
    image: Pixels,
    meta: &Intermediate,
    members: &[Options],
    same: &[usize],
    out: &mut [Option<Result<Thumbnail, Error>>],
) {
    let Some((&last, others)) = same.split_last() else {
        return;
    };
    for &i in others {
        out[i] = Some(finish(Cow::Borrowed(&image), meta, &members[i]));
    }
    out[last] = Some(finish(Cow::Owned(image), meta, &members[last]));
}

/// The reduced-scale images of a JPEG whose members take two or more different scales, made
/// from one entropy decode ([`jpeg::decode_scales`]); each is what that scale's own decode
/// gives, and [`decode::decode_using`] hands it to the first member that asks for it. Empty
/// when fewer than two scales are needed, when the file cannot be shown to decode the same
/// way (each group then decodes on its own), or when the coefficients, the images and the
/// largest member's peak would not fit [`Limits::engine_memory`](crate::Limits::engine_memory)
/// together.
fn scales_at_once(
    input: &[u8],
    members: &[Options],
    pending: &[(usize, bool)],
) -> Vec<(Scale, DynamicImage)> {
    let Ok(header) = decode::header(input) else {
        return Vec::new();
    };
    if header.format != ImageFormat::Jpeg {
        return Vec::new();
    }
    let mut scales: Vec<Scale> = Vec::new();
    let mut peak = 0;
    for &(i, _) in pending {
        if let Ok(Path::Scaled(s)) = plan::admitted(&header, &members[i], true) {
            if !scales.contains(&s) {
                scales.push(s);
            }
            peak = peak.max(member_peak(&header, &members[i], true));
        }
    }
    if scales.len() < 2 {
        return Vec::new();
    }
    let (w, h) = header.size;
    let largest = scales
        .iter()
        .copied()
        .max_by_key(|s| s.samples_per_block())
        .unwrap_or(Scale::Half);
    let images: u64 = scales
        .iter()
        .map(|s| {
            let (dw, dh) = s.decoded_size(w, h);
            u64::from(dw) * u64::from(dh) * 3
        })
        .sum();
    if jpeg::stored_bytes(w, h, 3, largest) + images + peak > LIMITS.engine_memory {
        return Vec::new();
    }
    match jpeg::decode_scales(input, &scales) {
        Ok(images) => scales.into_iter().zip(images).collect(),
        Err(_) => Vec::new(),
    }
}

/// A member's predicted peak on the path it takes.
fn member_peak(header: &Header, options: &Options, scaled_ok: bool) -> u64 {
    let scaled_ok = scaled_ok && header.format == ImageFormat::Jpeg;
    plan::admit(header, options, scaled_ok).1.peak()
}
