//! The frame (the SOF segment): image size, components, sampling, and each component's block
//! grid.

use super::kept::Kept;
use super::Fallback;
use crate::bytes::be16;

/// One frame component.
pub(super) struct Component {
    pub(super) id: u8,
    pub(super) h: usize,
    pub(super) v: usize,
    pub(super) quant: usize,
    /// Width of the block grid (MCU-padded).
    pub(super) grid_w: usize,
    /// Blocks covering the component itself (non-interleaved scans use these).
    pub(super) blocks_w: usize,
    pub(super) blocks_h: usize,
    /// Height of the block grid (MCU-padded).
    pub(super) grid_h: usize,
    /// The kept coefficients, `Kept::per_block` of them per block, DC first: of every block
    /// once [`Frame::store`] has run, or of one MCU row when a scan streams
    /// ([`Frame::one_mcu_row`]).
    pub(super) coefs: Vec<i16>,
    /// Progressive files above 1/8 scale: per block, bit `k` set when zig-zag coefficient `k`
    /// is non-zero so far (the refinement scans depend on it).
    pub(super) nonzero: Vec<u64>,
    pub(super) dc_seen: bool,
}

/// The frame (its SOF segment), and the components' coefficients.
pub(super) struct Frame {
    pub(super) progressive: bool,
    pub(super) kept: Kept,
    pub(super) width: usize,
    pub(super) height: usize,
    pub(super) h_max: usize,
    pub(super) v_max: usize,
    pub(super) mcus_x: usize,
    pub(super) mcus_y: usize,
    pub(super) components: Vec<Component>,
    /// Whether the components hold every block's coefficients ([`Frame::store`]).
    pub(super) stored: bool,
}

impl Frame {
    /// Makes room for every block's kept coefficients (and, for progressive files above 1/8
    /// scale, their non-zero flags), once.
    pub(super) fn store(&mut self) {
        if self.stored {
            return;
        }
        self.stored = true;
        for c in &mut self.components {
            let blocks = c.grid_w * c.grid_h;
            c.coefs = vec![0; blocks * self.kept.per_block()];
            if self.progressive && self.kept.n > 1 {
                c.nonzero = vec![0; blocks];
            }
        }
    }

    /// Frees what only the scans needed (the progressive non-zero flags: 8 bytes a block,
    /// 3.3 MB on a 13 MP photo), before rendering makes the decode's peak.
    pub(super) fn scans_done(&mut self) {
        for c in &mut self.components {
            c.nonzero = Vec::new();
        }
    }

    /// The stored coefficients as a decode keeping fewer (`kept`, a smaller scale) would have
    /// stored them: the same values (the kept ones do not depend on what else is kept), in
    /// that scale's slots. Non-zero flags are not carried (only scans need them).
    pub(super) fn narrowed(&self, kept: Kept) -> Frame {
        let (from, to) = (self.kept.n, kept.n);
        let components = self
            .components
            .iter()
            .map(|c| {
                let mut coefs = Vec::with_capacity(c.coefs.len() / (from * from) * (to * to));
                for block in c.coefs.chunks_exact(from * from) {
                    for row in block.chunks_exact(from).take(to) {
                        coefs.extend_from_slice(&row[..to]);
                    }
                }
                Component {
                    id: c.id,
                    h: c.h,
                    v: c.v,
                    quant: c.quant,
                    grid_w: c.grid_w,
                    blocks_w: c.blocks_w,
                    blocks_h: c.blocks_h,
                    grid_h: c.grid_h,
                    coefs,
                    nonzero: Vec::new(),
                    dc_seen: c.dc_seen,
                }
            })
            .collect();
        Frame {
            progressive: self.progressive,
            kept,
            width: self.width,
            height: self.height,
            h_max: self.h_max,
            v_max: self.v_max,
            mcus_x: self.mcus_x,
            mcus_y: self.mcus_y,
            components,
            stored: self.stored,
        }
    }

    /// Makes room for one MCU row of coefficients per component, for a scan that streams.
    pub(super) fn one_mcu_row(&mut self) {
        for c in &mut self.components {
            c.coefs = vec![0; c.grid_w * c.v * self.kept.per_block()];
        }
    }
}

/// Reads a SOF segment (baseline, extended or progressive) and sizes each component's grid.
pub(super) fn parse(seg: &[u8], progressive: bool, kept: Kept) -> Result<Frame, Fallback> {
    let byte = |at: usize| seg.get(at).copied().ok_or(Fallback::Truncated);
    let be16 = |at: usize| be16(seg, at).map(|v| v as usize).ok_or(Fallback::Truncated);
    if byte(0)? != 8 {
        return Err(Fallback::BadFrame);
    }
    let height = be16(1)?;
    let width = be16(3)?;
    let n = usize::from(byte(5)?);
    if height == 0 {
        return Err(Fallback::Dnl);
    }
    match n {
        _ if width == 0 => return Err(Fallback::BadFrame),
        1 | 3 => {}
        4 => return Err(Fallback::Cmyk),
        _ => return Err(Fallback::ComponentCount),
    }
    let mut components = Vec::with_capacity(n);
    for i in 0..n {
        let c = seg.get(6 + 3 * i..9 + 3 * i).ok_or(Fallback::Truncated)?;
        let (h, v) = (usize::from(c[1] >> 4), usize::from(c[1] & 15));
        if !(1..=4).contains(&h) || !(1..=4).contains(&v) || c[2] > 3 {
            return Err(Fallback::BadFrame);
        }
        components.push(Component {
            id: c[0],
            h,
            v,
            quant: usize::from(c[2]),
            grid_w: 0,
            blocks_w: 0,
            blocks_h: 0,
            grid_h: 0,
            coefs: Vec::new(),
            nonzero: Vec::new(),
            dc_seen: false,
        });
    }
    let h_max = components.iter().map(|c| c.h).max().unwrap_or(1);
    let v_max = components.iter().map(|c| c.v).max().unwrap_or(1);
    if components
        .iter()
        .any(|c| h_max % c.h != 0 || v_max % c.v != 0)
    {
        return Err(Fallback::BadFrame);
    }
    let mcus_x = width.div_ceil(8 * h_max);
    let mcus_y = height.div_ceil(8 * v_max);
    for c in &mut components {
        c.grid_w = mcus_x * c.h;
        let grid_h = mcus_y * c.v;
        c.blocks_w = (width * c.h).div_ceil(h_max).div_ceil(8);
        c.blocks_h = (height * c.v).div_ceil(v_max).div_ceil(8);
        c.grid_h = grid_h;
    }
    Ok(Frame {
        progressive,
        kept,
        width,
        height,
        h_max,
        v_max,
        mcus_x,
        mcus_y,
        components,
        stored: false,
    })
}
