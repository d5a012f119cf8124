//! Chroma upsampling to the output grid, one row at a time.

use super::render::Plane;

/// Brings a component plane to the output size one row at a time: factor 1 copies, factor 2
/// uses the triangle ("fancy") filter of libjpeg (3/4 nearer + 1/4 farther sample, in both
/// directions), other factors replicate.
pub(super) struct Upsampler {
    /// Horizontally upsampled source rows at 4x scale, with the row each holds.
    pub(super) rows: [(usize, Vec<u16>); 3],
}

impl Upsampler {
    pub(super) fn new(out_w: usize) -> Upsampler {
        Upsampler {
            rows: std::array::from_fn(|_| (usize::MAX, vec![0; out_w])),
        }
    }

    /// Source row `i` (clamped) of `plane`, upsampled horizontally; computed at most once
    /// while it stays among the three most recent.
    fn horizontal_row(&mut self, plane: &Plane, i: usize, avoid: usize) -> usize {
        let i = i.min(plane.h - 1);
        if let Some(slot) = self.rows.iter().position(|r| r.0 == i) {
            return slot;
        }
        // Evict the row furthest from `i` that is not the one in use.
        let slot = (0..3)
            .filter(|&s| s != avoid)
            .max_by_key(|&s| self.rows[s].0.abs_diff(i))
            .unwrap_or(0);
        horizontal(plane.row(i), plane.fx, &mut self.rows[slot].1);
        self.rows[slot].0 = i;
        slot
    }

    /// Output row `y` of `plane` into `out` (the output width).
    pub(super) fn row(&mut self, plane: &Plane, y: usize, out: &mut [u8]) {
        let i = y / plane.fy;
        if plane.fx == 1 && plane.fy == 1 {
            let src = plane.row(i);
            let len = out.len().min(src.len());
            out[..len].copy_from_slice(&src[..len]);
            return;
        }
        let near = self.horizontal_row(plane, i, usize::MAX);
        if plane.fy == 2 {
            let far = if y.is_multiple_of(2) {
                i.saturating_sub(1)
            } else {
                i + 1
            };
            let far = self.horizontal_row(plane, far, near);
            let (near, far) = (&self.rows[near].1, &self.rows[far].1);
            for ((d, &a), &b) in out.iter_mut().zip(near).zip(far) {
                *d = ((3 * u32::from(a) + u32::from(b) + 8) >> 4) as u8;
            }
        } else {
            for (d, &a) in out.iter_mut().zip(&self.rows[near].1) {
                *d = ((u32::from(a) + 2) >> 2) as u8;
            }
        }
    }
}

/// Upsamples one row horizontally by `fx` into `out`, at 4x scale.
pub(super) fn horizontal(row: &[u8], fx: usize, out: &mut [u16]) {
    let w = row.len();
    if out.is_empty() || w == 0 {
        return;
    }
    let at = |i: usize| u16::from(row[i.min(w - 1)]);
    if fx != 2 {
        for (x, d) in out.iter_mut().enumerate() {
            *d = 4 * at(x / fx);
        }
        return;
    }
    // Interior pairs need no clamping; the ends repeat the edge sample.
    let pairs = out.len() / 2;
    let interior = pairs.min(w).saturating_sub(1);
    if interior > 1 {
        for (pair, win) in out[2..2 * interior].chunks_exact_mut(2).zip(row.windows(3)) {
            let near = 3 * u16::from(win[1]);
            pair[0] = near + u16::from(win[0]);
            pair[1] = near + u16::from(win[2]);
        }
    }
    // The first pair (or lone sample, for a one-sample output) and the last ones.
    for i in std::iter::once(0).chain(interior.max(1)..out.len().div_ceil(2)) {
        let near = 3 * at(i);
        out[2 * i] = near + at(i.saturating_sub(1));
        if let Some(second) = out.get_mut(2 * i + 1) {
            *second = near + at(i + 1);
        }
    }
}
