//! The VP8 key frame (RFC 6386 sections 9 and 19): the frame header, the per-frame token
//! probabilities (updated where the counts say it pays), the modes partition and the one token
//! partition.

use super::boolcoder::{bit_cost, tree_path, BoolWriter};
use super::macroblock::{MbInfo, BMODE_TREE, UV_MODE_PROBS, UV_MODE_TREE, YMODE_PROBS, YMODE_TREE};
use super::predict::{implied_bmode, B_DC, B_PRED};
use super::residual::{kind, walk, Counts, Sink, Writer};
use super::tables::{TokenProbs, COEFF_UPDATE_PROBS, KF_BMODE_PROBS};

/// Walks every macroblock's tokens in bitstream order into `sink`, with the contexts a decoder
/// keeps (a skipped macroblock zeroes them, but a 4x4-predicted one keeps its Y2 context).
fn walk_frame<S: Sink>(sink: &mut S, mbs: &[MbInfo], mbw: usize) {
    let mut top_nz = vec![[0u8; 9]; mbw];
    let mut left_nz = [0u8; 9];
    for (i, mb) in mbs.iter().enumerate() {
        let mbx = i % mbw;
        if mbx == 0 {
            left_nz = [0; 9];
        }
        let tnz = &mut top_nz[mbx];
        if mb.skips() {
            tnz[..8].fill(0);
            left_nz[..8].fill(0);
            if mb.ymode != B_PRED {
                tnz[8] = 0;
                left_nz[8] = 0;
            }
            continue;
        }
        let first = if mb.ymode == B_PRED {
            0
        } else {
            let ctx = usize::from(tnz[8] + left_nz[8]);
            let n = u8::from(walk(sink, kind::Y2, ctx, 0, &mb.y2));
            tnz[8] = n;
            left_nz[8] = n;
            1
        };
        let ykind = if first == 1 {
            kind::Y_AFTER_Y2
        } else {
            kind::Y_WITH_DC
        };
        for y in 0..4 {
            for x in 0..4 {
                let ctx = usize::from(tnz[x] + left_nz[y]);
                let n = u8::from(walk(sink, ykind, ctx, first, &mb.y[y * 4 + x]));
                tnz[x] = n;
                left_nz[y] = n;
            }
        }
        for (c, off) in [(0, 4), (4, 6)] {
            for y in 0..2 {
                for x in 0..2 {
                    let ctx = usize::from(tnz[off + x] + left_nz[off + y]);
                    let n = u8::from(walk(sink, kind::UV, ctx, 0, &mb.uv[c + y * 2 + x]));
                    tnz[off + x] = n;
                    left_nz[off + y] = n;
                }
            }
        }
    }
}

/// The frame's probabilities: each default replaced where coding the counted branches with a
/// new one saves more than the update costs.
fn updated_probs(
    defaults: &TokenProbs,
    counts: &Counts,
) -> (TokenProbs, [[[[bool; 11]; 3]; 8]; 4]) {
    let mut probs = *defaults;
    let mut updated = [[[[false; 11]; 3]; 8]; 4];
    for t in 0..4 {
        for b in 0..8 {
            for c in 0..3 {
                for n in 0..11 {
                    let [zeros, ones] = counts[t][b][c][n];
                    let total = zeros + ones;
                    if total == 0 {
                        continue;
                    }
                    let new = (255 - ones * 255 / total).clamp(1, 255) as u8;
                    let old = defaults[t][b][c][n];
                    let branch = |p: u8| {
                        u64::from(zeros) * u64::from(bit_cost(false, p))
                            + u64::from(ones) * u64::from(bit_cost(true, p))
                    };
                    let upd = COEFF_UPDATE_PROBS[t][b][c][n];
                    let keep = branch(old) + u64::from(bit_cost(false, upd));
                    let change = branch(new) + u64::from(bit_cost(true, upd)) + 8 * 256;
                    if change < keep {
                        probs[t][b][c][n] = new;
                        updated[t][b][c][n] = true;
                    }
                }
            }
        }
    }
    (probs, updated)
}

/// Header fields that follow from the quality.
pub struct FrameParams {
    /// Quantiser index 0..=127.
    pub q: u8,
    /// Loop filter level 0..=63.
    pub filter_level: u8,
}

/// Writes the VP8 frame (the "VP8 " chunk's payload).
pub fn write(
    mbs: &[MbInfo],
    width: u32,
    height: u32,
    mbw: usize,
    defaults: &TokenProbs,
    params: &FrameParams,
) -> Vec<u8> {
    let mut counts: Counts = [[[[[0; 2]; 11]; 3]; 8]; 4];
    walk_frame(&mut counts, mbs, mbw);
    let (probs, updated) = updated_probs(defaults, &counts);
    let skipped = mbs.iter().filter(|m| m.skips()).count();
    let prob_skip = (255 - skipped * 255 / mbs.len().max(1)).clamp(1, 254) as u8;

    let mut h = BoolWriter::new();
    h.put_literal(0, 1); // colour space
    h.put_literal(0, 1); // clamping type
    h.put_literal(0, 1); // no segmentation
    h.put_literal(0, 1); // normal loop filter
    h.put_literal(u32::from(params.filter_level), 6);
    h.put_literal(0, 3); // sharpness
    h.put_literal(0, 1); // no loop filter deltas
    h.put_literal(0, 2); // one token partition
    h.put_literal(u32::from(params.q), 7);
    for _ in 0..5 {
        h.put_optional_signed(0, 4); // no quantiser deltas
    }
    h.put_literal(0, 1); // refresh_entropy_probs: irrelevant for one frame
    for t in 0..4 {
        for b in 0..8 {
            for c in 0..3 {
                for n in 0..11 {
                    let u = updated[t][b][c][n];
                    h.put(u, COEFF_UPDATE_PROBS[t][b][c][n]);
                    if u {
                        h.put_literal(u32::from(probs[t][b][c][n]), 8);
                    }
                }
            }
        }
    }
    h.put_literal(1, 1); // mb_no_coeff_skip
    h.put_literal(u32::from(prob_skip), 8);

    let mut top_modes = vec![[B_DC; 4]; mbw];
    let mut left_modes = [B_DC; 4];
    for (i, mb) in mbs.iter().enumerate() {
        let mbx = i % mbw;
        if mbx == 0 {
            left_modes = [B_DC; 4];
        }
        h.put(mb.skips(), prob_skip);
        tree_path(&YMODE_TREE, mb.ymode, |bit, p| h.put(bit, YMODE_PROBS[p]));
        let modes = if mb.ymode == B_PRED {
            for b in 0..16 {
                let above = if b >= 4 {
                    mb.bmodes[b - 4]
                } else {
                    top_modes[mbx][b]
                };
                let left = if b % 4 > 0 {
                    mb.bmodes[b - 1]
                } else {
                    left_modes[b / 4]
                };
                let probs = &KF_BMODE_PROBS[usize::from(above)][usize::from(left)];
                tree_path(&BMODE_TREE, mb.bmodes[b], |bit, p| h.put(bit, probs[p]));
            }
            mb.bmodes
        } else {
            [implied_bmode(mb.ymode); 16]
        };
        top_modes[mbx] = [modes[12], modes[13], modes[14], modes[15]];
        left_modes = [modes[3], modes[7], modes[11], modes[15]];
        tree_path(&UV_MODE_TREE, mb.uvmode, |bit, p| {
            h.put(bit, UV_MODE_PROBS[p])
        });
    }
    let first = h.finish();

    let mut tokens = BoolWriter::new();
    walk_frame(
        &mut Writer {
            out: &mut tokens,
            probs: &probs,
        },
        mbs,
        mbw,
    );
    let tokens = tokens.finish();

    let mut out = Vec::with_capacity(10 + first.len() + tokens.len());
    let tag = (1u32 << 4) | ((first.len() as u32) << 5); // key frame, version 0, shown
    out.extend_from_slice(&tag.to_le_bytes()[..3]);
    out.extend_from_slice(&[0x9d, 0x01, 0x2a]);
    out.extend_from_slice(&(width as u16).to_le_bytes());
    out.extend_from_slice(&(height as u16).to_le_bytes());
    out.extend_from_slice(&first);
    out.extend_from_slice(&tokens);
    out
}

/// The largest first partition the frame tag can describe (19 bits).
pub const MAX_FIRST_PARTITION: usize = (1 << 19) - 1;
