//! Huffman (DHT) and quantisation (DQT) table segments.

use super::huffman::Huffman;
use super::Fallback;

/// The Huffman tables a scan may use, by id.
pub(super) struct Tables<'t> {
    pub(super) dc: &'t [Option<Huffman>; 4],
    pub(super) ac: &'t [Option<Huffman>; 4],
}

/// Reads a DHT segment's tables into `dc` and `ac`.
pub(super) fn parse_dht(
    seg: &[u8],
    dc: &mut [Option<Huffman>; 4],
    ac: &mut [Option<Huffman>; 4],
) -> Result<(), Fallback> {
    read_dht(seg, dc, ac).ok_or(Fallback::BadTable)
}

fn read_dht(
    seg: &[u8],
    dc: &mut [Option<Huffman>; 4],
    ac: &mut [Option<Huffman>; 4],
) -> Option<()> {
    let mut at = 0;
    while at < seg.len() {
        let tc_th = seg[at];
        let counts: &[u8; 16] = seg.get(at + 1..at + 17)?.try_into().ok()?;
        let total: usize = counts.iter().map(|&c| usize::from(c)).sum();
        let values = seg.get(at + 17..at + 17 + total)?;
        let table = Huffman::new(counts, values)?;
        let id = usize::from(tc_th & 15);
        match tc_th >> 4 {
            0 => *dc.get_mut(id)? = Some(table),
            1 => *ac.get_mut(id)? = Some(table),
            _ => return None,
        }
        at += 17 + total;
    }
    Some(())
}

/// Reads quantisation tables (kept in zig-zag order, as stored).
pub(super) fn parse_dqt(
    seg: &[u8],
    quant: &mut [[u16; 64]; 4],
    seen: &mut [bool; 4],
) -> Result<(), Fallback> {
    read_dqt(seg, quant, seen).ok_or(Fallback::BadTable)
}

fn read_dqt(seg: &[u8], quant: &mut [[u16; 64]; 4], seen: &mut [bool; 4]) -> Option<()> {
    let mut at = 0;
    while at < seg.len() {
        let pq_tq = seg[at];
        let id = usize::from(pq_tq & 15);
        if id > 3 {
            return None;
        }
        let wide = match pq_tq >> 4 {
            0 => false,
            1 => true,
            _ => return None,
        };
        let size = if wide { 128 } else { 64 };
        let values = seg.get(at + 1..at + 1 + size)?;
        for (k, q) in quant[id].iter_mut().enumerate() {
            *q = if wide {
                u16::from_be_bytes([values[2 * k], values[2 * k + 1]])
            } else {
                u16::from(values[k])
            };
        }
        seen[id] = true;
        at += 1 + size;
    }
    Some(())
}
