//! A scan (SOS): its segment, and the MCU loop that hands each block to the sequential or
//! progressive coefficient decoder.

use super::bitstream::Bits;
use super::frame::{Component, Frame};
use super::huffman::Huffman;
use super::progressive::{ac_first, ac_refine, Band};
use super::sequential::sequential_ac;
use super::tables::Tables;
use super::Fallback;

/// A scan's SOS segment.
pub(super) struct Scan {
    /// Indices into the frame's components, with their DC and AC table ids.
    pub(super) components: Vec<(usize, usize, usize)>,
    pub(super) ss: u8,
    pub(super) se: u8,
    pub(super) ah: u8,
    pub(super) al: u8,
}

/// Reads a SOS segment against the frame it belongs to.
pub(super) fn parse(seg: &[u8], frame: &Frame) -> Result<Scan, Fallback> {
    read_segment(seg, frame).ok_or(Fallback::BadScan)
}

fn read_segment(seg: &[u8], frame: &Frame) -> Option<Scan> {
    let n = usize::from(*seg.first()?);
    if n == 0 || n > 4 {
        return None;
    }
    let mut components = Vec::with_capacity(n);
    for i in 0..n {
        let id = *seg.get(1 + 2 * i)?;
        let tables = *seg.get(2 + 2 * i)?;
        let index = frame.components.iter().position(|c| c.id == id)?;
        components.push((index, usize::from(tables >> 4), usize::from(tables & 15)));
    }
    let ss = *seg.get(1 + 2 * n)?;
    let se = *seg.get(2 + 2 * n)?;
    let a = *seg.get(3 + 2 * n)?;
    if frame.progressive {
        let (ah, al) = (a >> 4, a & 15);
        if (ss == 0) != (se == 0)
            || se > 63
            || ss > se
            || al > 13
            || (ah != 0 && ah != al + 1)
            || (ss != 0 && n != 1)
        {
            return None;
        }
    } else if ss != 0 || se != 63 || a != 0 {
        return None;
    }
    Some(Scan {
        components,
        ss,
        se,
        ah: a >> 4,
        al: a & 15,
    })
}

/// One component as a scan sees it.
pub(super) struct ScanComponent<'f, 't> {
    /// Its index among the frame's components.
    pub(super) index: usize,
    pub(super) coefs: &'f mut [i16],
    pub(super) nonzero: &'f mut [u64],
    pub(super) grid_w: usize,
    /// Blocks per MCU across and down (1 x 1 in a single-component scan).
    pub(super) h: usize,
    pub(super) v: usize,
    pub(super) dc_table: Option<&'t Huffman>,
    pub(super) ac_table: Option<&'t Huffman>,
    pub(super) pred: i32,
}

/// What a scan carries.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum ScanKind {
    /// Sequential: DC and AC of every block.
    Sequential,
    /// Progressive DC, first pass or refinement.
    DcFirst,
    DcRefine,
    /// Progressive AC band, first pass or refinement.
    AcFirst,
    AcRefine,
}

/// Receives each MCU row of a streamed scan (its index, and the scan's components holding that
/// row's coefficients).
pub(super) type Sink<'s> = &'s mut dyn FnMut(usize, &[ScanComponent<'_, '_>]);

impl ScanKind {
    /// The kind of `scan` in a frame that is or is not progressive.
    fn of(progressive: bool, scan: &Scan) -> ScanKind {
        match (progressive, scan.ss, scan.ah) {
            (false, _, _) => ScanKind::Sequential,
            (true, 0, 0) => ScanKind::DcFirst,
            (true, 0, _) => ScanKind::DcRefine,
            (true, _, 0) => ScanKind::AcFirst,
            (true, _, _) => ScanKind::AcRefine,
        }
    }
}

/// Decodes one scan into the components' kept coefficients: into the frame's store, or, with a
/// `sink` (a sequential scan of every component), one MCU row at a time into row buffers that
/// the sink takes before the next row. Returns a position at or before the marker that ends the
/// scan.
pub(super) fn decode(
    frame: &mut Frame,
    scan: &Scan,
    mut bits: Bits<'_>,
    tables: &Tables<'_>,
    restart_interval: usize,
    mut sink: Option<Sink<'_>>,
) -> Result<usize, Fallback> {
    let kind = ScanKind::of(frame.progressive, scan);
    if sink.is_some() {
        frame.one_mcu_row();
    } else {
        frame.store();
    }
    let streamed = sink.is_some();
    let kept = frame.kept;
    let (units_x, units_y) = units(frame, scan)?;
    let mut comps = views(&mut frame.components, scan, kind, tables)?;
    let mut mcu = Mcu {
        kind,
        per_block: kept.per_block(),
        band: Band {
            kept: &kept,
            ss: usize::from(scan.ss),
            se: usize::from(scan.se),
            al: u32::from(scan.al),
        },
        eob_run: 0,
    };
    let mut restarts = Restarts {
        interval: restart_interval,
        until: restart_interval,
        count: 0,
    };
    for uy in 0..units_y {
        for ux in 0..units_x {
            restarts.tick(&mut bits, &mut comps, &mut mcu.eob_run)?;
            for c in comps.iter_mut() {
                // A streamed scan's buffers hold this MCU row only.
                let first_row = if streamed { 0 } else { uy * c.v };
                for by in 0..c.v {
                    let row = (first_row + by) * c.grid_w + ux * c.h;
                    for bx in 0..c.h {
                        mcu.block(&mut bits, c, row + bx)?;
                    }
                }
            }
        }
        if bits.overran() {
            return Err(overran(&bits));
        }
        if let Some(sink) = sink.as_mut() {
            sink(uy, &comps);
            comps.iter_mut().for_each(|c| c.coefs.fill(0));
        }
    }
    // Read-ahead never passes a marker, so the next marker is at or after `pos`.
    Ok(bits.pos)
}

/// The scan's units across and down: its one component's blocks, or the frame's MCUs.
fn units(frame: &Frame, scan: &Scan) -> Result<(usize, usize), Fallback> {
    if scan.components.len() == 1 {
        let c = frame
            .components
            .get(scan.components[0].0)
            .ok_or(Fallback::BadScan)?;
        Ok((c.blocks_w, c.blocks_h))
    } else {
        Ok((frame.mcus_x, frame.mcus_y))
    }
}

/// Mutable views of the scan's components, in scan order, each with the tables its kind needs.
fn views<'f, 't>(
    components: &'f mut [Component],
    scan: &Scan,
    kind: ScanKind,
    tables: &'t Tables<'_>,
) -> Result<Vec<ScanComponent<'f, 't>>, Fallback> {
    let single = scan.components.len() == 1;
    let mut slots: Vec<Option<&mut Component>> = components.iter_mut().map(Some).collect();
    let mut comps = Vec::with_capacity(scan.components.len());
    for &(ci, td, ta) in &scan.components {
        let c = slots
            .get_mut(ci)
            .and_then(Option::take)
            .ok_or(Fallback::BadScan)?;
        match kind {
            ScanKind::DcRefine | ScanKind::AcFirst | ScanKind::AcRefine if !c.dc_seen => {
                return Err(Fallback::MissingTable)
            }
            _ => c.dc_seen = true,
        }
        let dc_table = tables.dc.get(td).ok_or(Fallback::BadScan)?.as_ref();
        let ac_table = tables.ac.get(ta).ok_or(Fallback::BadScan)?.as_ref();
        let needs_dc = matches!(kind, ScanKind::Sequential | ScanKind::DcFirst);
        let needs_ac = matches!(
            kind,
            ScanKind::Sequential | ScanKind::AcFirst | ScanKind::AcRefine
        );
        if (needs_dc && dc_table.is_none()) || (needs_ac && ac_table.is_none()) {
            return Err(Fallback::MissingTable);
        }
        let (h, v) = if single { (1, 1) } else { (c.h, c.v) };
        comps.push(ScanComponent {
            index: ci,
            grid_w: c.grid_w,
            coefs: &mut c.coefs,
            nonzero: &mut c.nonzero,
            h,
            v,
            dc_table,
            ac_table,
            pred: 0,
        });
    }
    Ok(comps)
}

/// The restart markers of a scan: every `interval` units (none when 0), the next `RSTn` is
/// read and the predictions and the end-of-band run start again.
struct Restarts {
    interval: usize,
    until: usize,
    count: u8,
}

impl Restarts {
    /// Before each unit.
    #[inline(always)]
    fn tick(
        &mut self,
        bits: &mut Bits<'_>,
        comps: &mut [ScanComponent<'_, '_>],
        eob_run: &mut u32,
    ) -> Result<(), Fallback> {
        if self.interval == 0 {
            return Ok(());
        }
        if self.until == 0 {
            if bits.overran() {
                return Err(overran(bits));
            }
            bits.restart(self.count & 7).ok_or(Fallback::Restart)?;
            self.count = self.count.wrapping_add(1);
            comps.iter_mut().for_each(|c| c.pred = 0);
            *eob_run = 0;
            self.until = self.interval;
        }
        self.until -= 1;
        Ok(())
    }
}

/// What decoding one block of a scan needs: the scan's kind and band, and the end-of-band run
/// carried from block to block.
struct Mcu<'k> {
    kind: ScanKind,
    per_block: usize,
    band: Band<'k>,
    eob_run: u32,
}

impl Mcu<'_> {
    /// Decodes block `index` of component `c`.
    #[inline(always)]
    fn block(
        &mut self,
        bits: &mut Bits<'_>,
        c: &mut ScanComponent<'_, '_>,
        index: usize,
    ) -> Result<(), Fallback> {
        const BAD: Fallback = Fallback::CorruptData;
        let per_block = self.per_block;
        let block = c
            .coefs
            .get_mut(index * per_block..(index + 1) * per_block)
            .ok_or(BAD)?;
        let al = self.band.al;
        match self.kind {
            ScanKind::DcRefine => {
                block[0] |= (bits.get(1) as i16) << al;
            }
            ScanKind::Sequential | ScanKind::DcFirst => {
                let table = c.dc_table.ok_or(Fallback::MissingTable)?;
                c.pred = c.pred.saturating_add(bits.dc_difference(table).ok_or(BAD)?);
                block[0] = c
                    .pred
                    .checked_shl(al)
                    .and_then(|v| i16::try_from(v).ok())
                    .ok_or(BAD)?;
                if self.kind == ScanKind::Sequential {
                    let table = c.ac_table.ok_or(Fallback::MissingTable)?;
                    sequential_ac(bits, table, block, self.band.kept).ok_or(BAD)?;
                }
            }
            ScanKind::AcFirst | ScanKind::AcRefine => {
                let nonzero = c.nonzero.get_mut(index).ok_or(BAD)?;
                let table = c.ac_table.ok_or(Fallback::MissingTable)?;
                if self.eob_run > 0 && self.kind == ScanKind::AcFirst {
                    self.eob_run -= 1;
                } else if self.kind == ScanKind::AcFirst {
                    self.eob_run = ac_first(bits, table, (block, nonzero), self.band).ok_or(BAD)?;
                } else {
                    self.eob_run =
                        ac_refine(bits, table, (block, nonzero), self.band, self.eob_run)
                            .ok_or(BAD)?;
                }
            }
        }
        Ok(())
    }
}

/// Why a scan read past its data: the file ends there, or the entropy-coded data is corrupt.
fn overran(bits: &Bits<'_>) -> Fallback {
    if bits.at_end() {
        Fallback::Truncated
    } else {
        Fallback::CorruptData
    }
}
