//! Macroblock decisions: for each 16x16 block in raster order, the luma prediction (one of four
//! 16x16 modes, or sixteen 4x4 blocks with ten modes each) and the chroma mode that cost least
//! in squared error plus lambda times bits, with the quantised levels of the choice and the
//! reconstruction every decoder will make of it (the edges the next blocks predict from).

use super::boolcoder::{bit_cost, tree_path};
use super::predict::{
    implied_bmode, predict_4x4, predict_block, Edges, B_DC, B_PRED, DC_PRED, NUM_BMODES, TM_PRED,
};
use super::residual::{cost, kind, MAX_LEVEL, ZIGZAG};
use super::tables::{TokenProbs, AC_QUANT, DC_QUANT, KF_BMODE_PROBS};
use super::transform::{fdct, fwht, idct, iwht};
use super::yuv::Planes;

/// The key-frame luma mode tree (RFC 6386 section 11.2) and its fixed probabilities.
pub const YMODE_TREE: [i8; 8] = [-(B_PRED as i8), 2, 4, 6, 0, -1, -2, -3];
/// Probabilities of [`YMODE_TREE`].
pub const YMODE_PROBS: [u8; 4] = [145, 156, 163, 128];
/// The chroma mode tree and its fixed probabilities.
pub const UV_MODE_TREE: [i8; 6] = [0, 2, -1, 4, -2, -3];
/// Probabilities of [`UV_MODE_TREE`].
pub const UV_MODE_PROBS: [u8; 3] = [142, 114, 183];
/// The 4x4 mode tree.
pub const BMODE_TREE: [i8; 18] = [
    0, 2, -1, 4, -2, 6, 8, 12, -3, 10, -5, -6, -4, 14, -7, 16, -8, -9,
];

/// Quantiser steps `[dc, ac]` of each block type for one quantiser index.
#[derive(Clone, Copy)]
pub struct Quant {
    y1: [u32; 2],
    y2: [u32; 2],
    uv: [u32; 2],
}

impl Quant {
    /// The steps of quantiser index `q` (0..=127), RFC 6386 section 14.1.
    pub fn new(q: usize) -> Quant {
        let dc = u32::from(DC_QUANT[q]);
        let ac = u32::from(AC_QUANT[q]);
        Quant {
            y1: [dc, ac],
            y2: [dc * 2, (ac * 155 / 100).max(8)],
            uv: [dc.min(132), ac],
        }
    }
}

/// Rounding offsets in 1/256 of a step, `[dc, ac]` (libwebp's): a little under one half, so
/// that a coefficient just over half a step becomes 0 and saves its bits.
const BIAS_Y1: [u32; 2] = [96, 110];
const BIAS_Y2: [u32; 2] = [96, 108];
const BIAS_UV: [u32; 2] = [110, 115];

fn quantise(c: i32, step: u32, bias: u32) -> i16 {
    let level = ((c.unsigned_abs() << 8) + bias * step) / (step << 8);
    let level = level.min(MAX_LEVEL as u32) as i16;
    if c < 0 {
        -level
    } else {
        level
    }
}

/// Quantises a block's coefficients (raster) from `first` into levels (zigzag) and writes the
/// dequantised coefficients back (raster).
fn quantise_block(
    coeffs: &mut [i32; 16],
    first: usize,
    steps: [u32; 2],
    bias: [u32; 2],
) -> [i16; 16] {
    let mut levels = [0i16; 16];
    for (n, &r) in ZIGZAG.iter().enumerate().skip(first) {
        let i = usize::from(n > 0);
        let level = quantise(coeffs[r], steps[i], bias[i]);
        levels[n] = level;
        coeffs[r] = i32::from(level) * steps[i] as i32;
    }
    levels
}

fn sse(a: &[u8], b: &[u8]) -> u64 {
    a.iter()
        .zip(b)
        .map(|(&x, &y)| {
            let d = i32::from(x) - i32::from(y);
            (d * d) as u64
        })
        .sum()
}

/// What a macroblock was coded as.
#[derive(Clone)]
pub struct MbInfo {
    /// The luma mode (`B_PRED` for 4x4 blocks).
    pub ymode: u8,
    /// The 4x4 modes (raster) when `ymode` is `B_PRED`.
    pub bmodes: [u8; 16],
    /// The chroma mode.
    pub uvmode: u8,
    /// The Y2 levels (zigzag) of a 16x16-predicted block.
    pub y2: [i16; 16],
    /// The sixteen luma blocks' levels (zigzag).
    pub y: [[i16; 16]; 16],
    /// Four U then four V blocks' levels (zigzag).
    pub uv: [[i16; 16]; 8],
}

impl MbInfo {
    /// Whether no level is coded (the macroblock is "skipped").
    pub fn skips(&self) -> bool {
        let zero = |b: &[i16; 16]| b.iter().all(|&l| l == 0);
        (self.ymode == B_PRED || zero(&self.y2))
            && self.y.iter().all(zero)
            && self.uv.iter().all(zero)
    }
}

/// Mode costs in 1/256 bits, from the fixed key-frame probabilities.
struct ModeCosts {
    y: [u32; 5],
    uv: [u32; 4],
    b: Box<[[[u32; 10]; 10]; 10]>,
}

fn tree_cost(tree: &[i8], probs: &[u8], value: u8) -> u32 {
    let mut c = 0;
    tree_path(tree, value, |bit, i| c += bit_cost(bit, probs[i]));
    c
}

impl ModeCosts {
    fn new() -> ModeCosts {
        let mut b = Box::new([[[0u32; 10]; 10]; 10]);
        for (above, row) in b.iter_mut().enumerate() {
            for (left, costs) in row.iter_mut().enumerate() {
                for (mode, c) in costs.iter_mut().enumerate() {
                    *c = tree_cost(&BMODE_TREE, &KF_BMODE_PROBS[above][left], mode as u8);
                }
            }
        }
        ModeCosts {
            y: core::array::from_fn(|m| tree_cost(&YMODE_TREE, &YMODE_PROBS, m as u8)),
            uv: core::array::from_fn(|m| tree_cost(&UV_MODE_TREE, &UV_MODE_PROBS, m as u8)),
            b,
        }
    }
}

const LUMA_STRIDE: usize = 1 + 16 + 4;

/// Luma after a trial: its score, levels and reconstruction.
struct Luma {
    score: u64,
    /// The bits of the choice (1/256), under the default probabilities.
    rate: u32,
    ymode: u8,
    bmodes: [u8; 16],
    y2: [i16; 16],
    y: [[i16; 16]; 16],
    recon: [u8; 256],
}

/// A 4x4 block's trial: score, mode, levels, reconstruction and bits.
type Trial4 = (u64, u8, [i16; 16], [u8; 16], u32);

/// Chroma after a trial.
struct Chroma {
    score: u64,
    rate: u32,
    mode: u8,
    uv: [[i16; 16]; 8],
    recon: [[u8; 64]; 2],
}

/// Modes every macroblock must use (tests: each predictor alone, checked against a decoder).
#[derive(Clone, Copy, Default)]
pub struct Forced {
    /// Every luma block 4x4 with this mode.
    pub bmode: Option<u8>,
    /// Every luma block 16x16 with this mode.
    pub ymode: Option<u8>,
    /// Every chroma block with this mode.
    pub uvmode: Option<u8>,
}

/// Walks the frame's macroblocks, deciding each and keeping what the next ones predict from.
pub struct Analyser<'a> {
    planes: &'a Planes,
    probs: &'a TokenProbs,
    quant: Quant,
    lambda: u64,
    lambda_uv: u64,
    allow_4x4: bool,
    /// Large frames: only the closest whole-block prediction of luma and of chroma is tried,
    /// and no 4x4 blocks (see [`FAST_ABOVE_MBS`]).
    fast: bool,
    forced: Forced,
    costs: ModeCosts,
    top_y: Vec<u8>,
    top_u: Vec<u8>,
    top_v: Vec<u8>,
    left_y: [u8; 17],
    left_u: [u8; 9],
    left_v: [u8; 9],
    top_nz: Vec<[u8; 9]>,
    left_nz: [u8; 9],
    top_modes: Vec<[u8; 4]>,
    left_modes: [u8; 4],
}

impl<'a> Analyser<'a> {
    /// An analyser for `planes` at quantiser index `q`, pricing tokens with `probs`.
    pub fn new(planes: &'a Planes, probs: &'a TokenProbs, q: usize, allow_4x4: bool) -> Self {
        let quant = Quant::new(q);
        let lambda = |step: u32| (u64::from(step) * u64::from(step) * LAMBDA_NUM) >> 8;
        Analyser {
            planes,
            probs,
            quant,
            lambda: lambda(quant.y1[1]).max(1),
            lambda_uv: lambda(quant.uv[1]).max(1),
            allow_4x4: allow_4x4 && planes.mbw * planes.mbh <= FAST_ABOVE_MBS,
            fast: planes.mbw * planes.mbh > FAST_ABOVE_MBS,
            forced: Forced::default(),
            costs: ModeCosts::new(),
            top_y: vec![127; planes.mbw * 16 + 4],
            top_u: vec![127; planes.mbw * 8],
            top_v: vec![127; planes.mbw * 8],
            left_y: [129; 17],
            left_u: [129; 9],
            left_v: [129; 9],
            top_nz: vec![[0; 9]; planes.mbw],
            left_nz: [0; 9],
            top_modes: vec![[B_DC; 4]; planes.mbw],
            left_modes: [B_DC; 4],
        }
    }

    /// The analyser with modes forced on every macroblock.
    #[cfg(test)]
    pub fn forcing(mut self, forced: Forced) -> Self {
        self.forced = forced;
        self
    }

    /// The whole-block modes to try for an `n` x `n` block: all four, or in fast mode the one
    /// whose prediction alone (`sse_of(mode, scratch)`) is closest.
    fn candidates(&self, n: usize, mut sse_of: impl FnMut(u8, &mut [u8]) -> u64) -> Vec<u8> {
        let forced = if n == 16 {
            self.forced.ymode
        } else {
            self.forced.uvmode
        };
        if let Some(m) = forced {
            return vec![m];
        }
        if !self.fast {
            return (DC_PRED..=TM_PRED).collect();
        }
        let mut scratch = vec![0u8; n * n];
        let best = (DC_PRED..=TM_PRED)
            .min_by_key(|&m| (sse_of(m, &mut scratch), m))
            .unwrap_or(DC_PRED);
        vec![best]
    }

    /// Decides every macroblock, in raster order; `output_too_large` as soon as the bits spent
    /// so far (priced under the default probabilities) pass `max_bytes` by a quarter.
    pub fn run(mut self, max_bytes: usize) -> Result<Vec<MbInfo>, crate::Error> {
        let limit = (max_bytes as u64 + max_bytes as u64 / 4) * 8 * 256;
        let mut spent = 0u64;
        let mut out = Vec::with_capacity(self.planes.mbw * self.planes.mbh);
        for mby in 0..self.planes.mbh {
            self.left_y = [129; 17];
            self.left_u = [129; 9];
            self.left_v = [129; 9];
            self.left_nz = [0; 9];
            self.left_modes = [B_DC; 4];
            for mbx in 0..self.planes.mbw {
                let (info, bits) = self.macroblock(mbx, mby);
                spent += u64::from(bits);
                if spent > limit {
                    return Err(crate::Error::OutputTooLarge);
                }
                out.push(info);
            }
        }
        Ok(out)
    }

    /// The luma workspace a decoder builds: row 0 the corner, the 16 above and 4 above-right
    /// (repeated at rows 4, 8 and 12 for the right column of 4x4 blocks); column 0 the left.
    fn luma_workspace(&self, mbx: usize, mby: usize) -> [u8; 17 * LUMA_STRIDE] {
        let s = LUMA_STRIDE;
        let mut ws = [0u8; 17 * LUMA_STRIDE];
        if mby == 0 {
            ws[1..s].fill(127);
        } else {
            ws[1..17].copy_from_slice(&self.top_y[mbx * 16..mbx * 16 + 16]);
            if mbx == self.planes.mbw - 1 {
                let last = self.top_y[mbx * 16 + 15];
                ws[17..s].fill(last);
            } else {
                ws[17..s].copy_from_slice(&self.top_y[mbx * 16 + 16..mbx * 16 + 20]);
            }
        }
        for r in [4, 8, 12] {
            ws.copy_within(17..s, r * s + 17);
        }
        for i in 0..16 {
            ws[(i + 1) * s] = if mbx == 0 { 129 } else { self.left_y[1 + i] };
        }
        ws[0] = corner(mbx, mby, self.left_y[0]);
        ws
    }

    fn chroma_workspace(&self, top: &[u8], left: &[u8; 9], mbx: usize, mby: usize) -> [u8; 81] {
        let mut ws = [0u8; 81];
        if mby == 0 {
            ws[1..9].fill(127);
        } else {
            ws[1..9].copy_from_slice(&top[mbx * 8..mbx * 8 + 8]);
        }
        for i in 0..8 {
            ws[(i + 1) * 9] = if mbx == 0 { 129 } else { left[1 + i] };
        }
        ws[0] = corner(mbx, mby, left[0]);
        ws
    }

    fn macroblock(&mut self, mbx: usize, mby: usize) -> (MbInfo, u32) {
        let p = self.planes;
        let yw = p.mbw * 16;
        let mut src = [0u8; 256];
        for r in 0..16 {
            let at = (mby * 16 + r) * yw + mbx * 16;
            src[r * 16..r * 16 + 16].copy_from_slice(&p.y[at..at + 16]);
        }
        let ws = self.luma_workspace(mbx, mby);
        let top_nz = self.top_nz[mbx];
        let left_nz = self.left_nz;

        let mut best = self.luma_16x16(&src, &ws, mbx, mby, &top_nz, &left_nz);
        let bound = if self.forced.bmode.is_some() {
            u64::MAX
        } else {
            best.score
        };
        if self.allow_4x4 && self.forced.ymode.is_none() {
            if let Some(b) = self.luma_4x4(&src, &ws, mbx, &top_nz, &left_nz, bound) {
                best = b;
            }
        }
        let chroma = self.chroma(mbx, mby, &top_nz, &left_nz);

        // The contexts and edges the next macroblocks see.
        let info = MbInfo {
            ymode: best.ymode,
            bmodes: best.bmodes,
            uvmode: chroma.mode,
            y2: best.y2,
            y: best.y,
            uv: chroma.uv,
        };
        self.update(mbx, &ws, &best.recon, &chroma.recon, &info);
        (info, best.rate + chroma.rate)
    }

    fn update(
        &mut self,
        mbx: usize,
        ws: &[u8],
        luma: &[u8; 256],
        chroma: &[[u8; 64]; 2],
        info: &MbInfo,
    ) {
        self.left_y[0] = ws[16];
        for i in 0..16 {
            self.left_y[1 + i] = luma[i * 16 + 15];
        }
        self.top_y[mbx * 16..mbx * 16 + 16].copy_from_slice(&luma[240..256]);
        for (c, (top, left)) in [
            (&mut self.top_u, &mut self.left_u),
            (&mut self.top_v, &mut self.left_v),
        ]
        .into_iter()
        .enumerate()
        {
            // The pixel above this block's last column: the next block's corner.
            left[0] = top[mbx * 8 + 7];
            for i in 0..8 {
                left[1 + i] = chroma[c][i * 8 + 7];
            }
            top[mbx * 8..mbx * 8 + 8].copy_from_slice(&chroma[c][56..64]);
        }
        let nz = |b: &[i16; 16], first: usize| u8::from(b[first..].iter().any(|&l| l != 0));
        let first = if info.ymode == B_PRED { 0 } else { 1 };
        let (tnz, lnz) = (&mut self.top_nz[mbx], &mut self.left_nz);
        for y in 0..4 {
            for x in 0..4 {
                let n = nz(&info.y[y * 4 + x], first);
                tnz[x] = n;
                lnz[y] = n;
            }
        }
        for (c, off) in [(0, 4), (4, 6)] {
            for y in 0..2 {
                for x in 0..2 {
                    let n = nz(&info.uv[c + y * 2 + x], 0);
                    tnz[off + x] = n;
                    lnz[off + y] = n;
                }
            }
        }
        if info.ymode != B_PRED {
            let n = nz(&info.y2, 0);
            tnz[8] = n;
            lnz[8] = n;
        }
        let modes = if info.ymode == B_PRED {
            info.bmodes
        } else {
            [implied_bmode(info.ymode); 16]
        };
        self.top_modes[mbx] = [modes[12], modes[13], modes[14], modes[15]];
        self.left_modes = [modes[3], modes[7], modes[11], modes[15]];
    }

    fn luma_16x16(
        &self,
        src: &[u8; 256],
        ws: &[u8],
        mbx: usize,
        mby: usize,
        tnz: &[u8; 9],
        lnz: &[u8; 9],
    ) -> Luma {
        let s = LUMA_STRIDE;
        let left: [u8; 16] = core::array::from_fn(|i| ws[(i + 1) * s]);
        let edges = Edges {
            top: &ws[..s],
            left: &left,
            has_top: mby > 0,
            has_left: mbx > 0,
        };
        let q = self.quant;
        let mut best: Option<Luma> = None;
        for mode in self.candidates(16, |mode, pred| {
            predict_block(mode, 16, &edges, pred);
            sse(src, pred)
        }) {
            let mut pred = [0u8; 256];
            predict_block(mode, 16, &edges, &mut pred);
            let mut coeffs = [[0i32; 16]; 16];
            for (b, c) in coeffs.iter_mut().enumerate() {
                let at = (b / 4) * 64 + (b % 4) * 4;
                fdct(&src[at..], &pred[at..], 16, c);
            }
            let dc: [i32; 16] = core::array::from_fn(|b| coeffs[b][0]);
            let mut wht = fwht(&dc);
            let y2 = quantise_block(&mut wht, 0, q.y2, BIAS_Y2);
            iwht(&mut wht);
            let mut y = [[0i16; 16]; 16];
            let mut recon = [0u8; 256];
            let mut rate = self.costs.y[usize::from(mode)];
            rate += cost(self.probs, kind::Y2, usize::from(tnz[8] + lnz[8]), 0, &y2);
            let (mut t, mut l) = (
                [tnz[0], tnz[1], tnz[2], tnz[3]],
                [lnz[0], lnz[1], lnz[2], lnz[3]],
            );
            for (b, c) in coeffs.iter_mut().enumerate() {
                let (bx, by) = (b % 4, b / 4);
                y[b] = quantise_block(c, 1, q.y1, BIAS_Y1);
                c[0] = wht[b];
                rate += cost(
                    self.probs,
                    kind::Y_AFTER_Y2,
                    usize::from(t[bx] + l[by]),
                    1,
                    &y[b],
                );
                let n = u8::from(y[b][1..].iter().any(|&v| v != 0));
                t[bx] = n;
                l[by] = n;
                idct(c);
                let at = by * 64 + bx * 4;
                for r in 0..4 {
                    for k in 0..4 {
                        let i = at + r * 16 + k;
                        recon[i] = (i32::from(pred[i]) + c[r * 4 + k]).clamp(0, 255) as u8;
                    }
                }
            }
            let score = sse(src, &recon) * 256 + self.lambda * u64::from(rate);
            if best.as_ref().is_none_or(|b| score < b.score) {
                best = Some(Luma {
                    score,
                    rate,
                    ymode: mode,
                    bmodes: [implied_bmode(mode); 16],
                    y2,
                    y,
                    recon,
                });
            }
        }
        best.expect("four modes tried")
    }

    /// The sixteen 4x4 blocks, each with its cheapest mode; `None` once the running score
    /// passes `bound` (the 16x16 choice is cheaper).
    fn luma_4x4(
        &self,
        src: &[u8; 256],
        ws: &[u8],
        mbx: usize,
        tnz: &[u8; 9],
        lnz: &[u8; 9],
        bound: u64,
    ) -> Option<Luma> {
        let s = LUMA_STRIDE;
        let mut ws = <[u8; 17 * LUMA_STRIDE]>::try_from(ws).ok()?;
        let q = self.quant;
        let (mut t, mut l) = (
            [tnz[0], tnz[1], tnz[2], tnz[3]],
            [lnz[0], lnz[1], lnz[2], lnz[3]],
        );
        let mut modes = [B_DC; 16];
        let mut levels = [[0i16; 16]; 16];
        let mut rate = self.costs.y[usize::from(B_PRED)];
        let mut score = self.lambda * u64::from(rate);
        for b in 0..16 {
            let (bx, by) = (b % 4, b / 4);
            let (x0, y0) = (1 + bx * 4, 1 + by * 4);
            let mut top = [0u8; 9];
            top.copy_from_slice(&ws[(y0 - 1) * s + x0 - 1..(y0 - 1) * s + x0 + 8]);
            let left: [u8; 4] = core::array::from_fn(|i| ws[(y0 + i) * s + x0 - 1]);
            let mut block = [0u8; 16];
            for r in 0..4 {
                let at = (by * 4 + r) * 16 + bx * 4;
                block[r * 4..r * 4 + 4].copy_from_slice(&src[at..at + 4]);
            }
            let above = if by > 0 {
                modes[b - 4]
            } else {
                self.top_modes[mbx][bx]
            };
            let leftm = if bx > 0 {
                modes[b - 1]
            } else {
                self.left_modes[by]
            };
            let ctx = usize::from(t[bx] + l[by]);
            // The full rate-distortion trial (transform, quantise, reconstruct, price) for the
            // modes whose prediction alone is closest, plus its mode cost: most of the time
            // the others never win, and they are most of the encoder's time.
            let mut preds = [[0u8; 16]; NUM_BMODES as usize];
            let mut rough: [(u64, u8); NUM_BMODES as usize] = [(0, 0); NUM_BMODES as usize];
            for mode in 0..NUM_BMODES {
                let pred = &mut preds[usize::from(mode)];
                predict_4x4(mode, &top, &left, pred);
                let mode_bits =
                    self.costs.b[usize::from(above)][usize::from(leftm)][usize::from(mode)];
                rough[usize::from(mode)] = (
                    sse(&block, pred) * 256 + self.lambda * u64::from(mode_bits),
                    mode,
                );
            }
            rough.sort_unstable();
            if let Some(m) = self.forced.bmode {
                rough[0] = (0, m);
            }
            let tried = if self.forced.bmode.is_some() {
                1
            } else {
                TRIED_4X4_MODES
            };
            let mut chosen: Option<Trial4> = None;
            for &(_, mode) in &rough[..tried] {
                let pred = preds[usize::from(mode)];
                let mut c = [0i32; 16];
                fdct(&block, &pred, 4, &mut c);
                let lv = quantise_block(&mut c, 0, q.y1, BIAS_Y1);
                idct(&mut c);
                let recon: [u8; 16] =
                    core::array::from_fn(|i| (i32::from(pred[i]) + c[i]).clamp(0, 255) as u8);
                let bits = self.costs.b[usize::from(above)][usize::from(leftm)][usize::from(mode)]
                    + cost(self.probs, kind::Y_WITH_DC, ctx, 0, &lv);
                let sc = sse(&block, &recon) * 256 + self.lambda * u64::from(bits);
                if chosen.as_ref().is_none_or(|c| sc < c.0) {
                    chosen = Some((sc, mode, lv, recon, bits));
                }
            }
            let (sc, mode, lv, recon, bits) = chosen?;
            score += sc;
            rate += bits;
            if score >= bound {
                return None;
            }
            modes[b] = mode;
            let n = u8::from(lv.iter().any(|&v| v != 0));
            t[bx] = n;
            l[by] = n;
            levels[b] = lv;
            for r in 0..4 {
                ws[(y0 + r) * s + x0..(y0 + r) * s + x0 + 4]
                    .copy_from_slice(&recon[r * 4..r * 4 + 4]);
            }
        }
        let recon: [u8; 256] = core::array::from_fn(|i| ws[(i / 16 + 1) * s + 1 + i % 16]);
        Some(Luma {
            score,
            rate,
            ymode: B_PRED,
            bmodes: modes,
            y2: [0; 16],
            y: levels,
            recon,
        })
    }

    fn chroma(&self, mbx: usize, mby: usize, tnz: &[u8; 9], lnz: &[u8; 9]) -> Chroma {
        let p = self.planes;
        let cw = p.mbw * 8;
        let planes = [
            (&p.u, &self.top_u, &self.left_u),
            (&p.v, &self.top_v, &self.left_v),
        ];
        let mut srcs = [[0u8; 64]; 2];
        let mut wss = [[0u8; 81]; 2];
        for (c, (plane, top, left)) in planes.iter().enumerate() {
            for r in 0..8 {
                let at = (mby * 8 + r) * cw + mbx * 8;
                srcs[c][r * 8..r * 8 + 8].copy_from_slice(&plane[at..at + 8]);
            }
            wss[c] = self.chroma_workspace(top, left, mbx, mby);
        }
        let q = self.quant;
        let mut best: Option<Chroma> = None;
        let edges_of = |c: usize| -> ([u8; 8], &[u8]) {
            let ws = &wss[c];
            (core::array::from_fn(|i| ws[(i + 1) * 9]), &ws[..9])
        };
        let candidates = self.candidates(8, |mode, pred| {
            (0..2)
                .map(|c| {
                    let (left, top) = edges_of(c);
                    let e = Edges {
                        top,
                        left: &left,
                        has_top: mby > 0,
                        has_left: mbx > 0,
                    };
                    predict_block(mode, 8, &e, pred);
                    sse(&srcs[c], &pred[..64])
                })
                .sum()
        });
        for mode in candidates {
            let mut rate = self.costs.uv[usize::from(mode)];
            let mut dist = 0;
            let mut uv = [[0i16; 16]; 8];
            let mut recon = [[0u8; 64]; 2];
            for c in 0..2 {
                let ws = &wss[c];
                let left: [u8; 8] = core::array::from_fn(|i| ws[(i + 1) * 9]);
                let edges = Edges {
                    top: &ws[..9],
                    left: &left,
                    has_top: mby > 0,
                    has_left: mbx > 0,
                };
                let mut pred = [0u8; 64];
                predict_block(mode, 8, &edges, &mut pred);
                let off = 4 + 2 * c;
                let (mut t, mut l) = ([tnz[off], tnz[off + 1]], [lnz[off], lnz[off + 1]]);
                for b in 0..4 {
                    let (bx, by) = (b % 2, b / 2);
                    let at = by * 32 + bx * 4;
                    let mut co = [0i32; 16];
                    fdct(&srcs[c][at..], &pred[at..], 8, &mut co);
                    let lv = quantise_block(&mut co, 0, q.uv, BIAS_UV);
                    rate += cost(self.probs, kind::UV, usize::from(t[bx] + l[by]), 0, &lv);
                    let n = u8::from(lv.iter().any(|&v| v != 0));
                    t[bx] = n;
                    l[by] = n;
                    uv[c * 4 + b] = lv;
                    idct(&mut co);
                    for r in 0..4 {
                        for k in 0..4 {
                            let i = at + r * 8 + k;
                            recon[c][i] = (i32::from(pred[i]) + co[r * 4 + k]).clamp(0, 255) as u8;
                        }
                    }
                }
                dist += sse(&srcs[c], &recon[c]);
            }
            let score = dist * 256 + self.lambda_uv * u64::from(rate);
            if best.as_ref().is_none_or(|b| score < b.score) {
                best = Some(Chroma {
                    score,
                    rate,
                    mode,
                    uv,
                    recon,
                });
            }
        }
        best.expect("four modes tried")
    }
}

/// The corner pixel a decoder uses: 127 on the first row, 129 on the first column, else the
/// pixel above-left.
fn corner(mbx: usize, mby: usize, above_left: u8) -> u8 {
    if mby == 0 {
        127
    } else if mbx == 0 {
        129
    } else {
        above_left
    }
}

/// Frames of more macroblocks than this (4 Mpx) take the fast path: one whole-block mode each
/// for luma and chroma, chosen by its prediction alone, and no 4x4 blocks. It keeps a 4096 x
/// 4096 thumbnail inside the engine's CPU budget (2 s; measured in docs/bench/formats.md).
const FAST_ABOVE_MBS: usize = 16_384;

/// How many of the ten 4x4 modes get the full trial (the closest predictions): 10 -> 4 made the
/// encoder about 1.6x faster for 0.3 % more bytes at equal PSNR (docs/bench/formats.md).
const TRIED_4X4_MODES: usize = 4;

/// Lambda per bit is `LAMBDA_NUM / 256` times the square of the AC step: the value that made the
/// fewest bytes at equal PSNR on the photo corpus (3, 5, 8, 12 and 18 measured;
/// docs/bench/formats.md).
const LAMBDA_NUM: u64 = 5;
