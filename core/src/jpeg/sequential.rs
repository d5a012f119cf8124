//! The AC coefficients of a sequential (baseline) block: the kept ones stored, the rest stepped
//! over.

use super::bitstream::Bits;
use super::huffman::{Huffman, LOOKUP_BITS, RUN_BITS, RUN_EOB, RUN_STEP_SHIFT};
use super::kept::{store, Kept};

/// The AC coefficients of one block of a sequential scan: the kept ones are stored, the rest
/// stepped over.
#[inline]
pub(super) fn sequential_ac(
    bits: &mut Bits<'_>,
    table: &Huffman,
    block: &mut [i16],
    kept: &Kept,
) -> Option<()> {
    let mut k = 1;
    if kept.n > 1 {
        while k <= kept.last {
            if bits.n < 32 {
                bits.refill();
            }
            if let Some((run, value)) = bits.fast_ac(table) {
                k += run;
                store(block, kept, k, value as i16)?;
                k += 1;
                continue;
            }
            let symbol = bits.symbol(table)?;
            let (run, size) = (usize::from(symbol >> 4), u32::from(symbol & 15));
            if size == 0 {
                if run != 15 {
                    return Some(());
                }
                k += 16;
                continue;
            }
            k += run;
            store(block, kept, k, bits.receive_extend(size) as i16)?;
            k += 1;
        }
    }
    skip_ac(bits, table, k)
}

/// Steps over a sequential block's AC coefficients from zig-zag index `k` on: as many whole
/// units as the next `RUN_BITS` bits hold per lookup (`Huffman::runs`) while they stay inside
/// the block, one unit at a time otherwise (a code over `LOOKUP_BITS`, or a lookup that would
/// run into the next block).
#[inline]
pub(super) fn skip_ac(bits: &mut Bits<'_>, table: &Huffman, mut k: usize) -> Option<()> {
    let runs = table.runs();
    while k < 64 {
        if bits.n < RUN_BITS {
            bits.refill();
        }
        // Several whole units at once while they stay inside the block, on a copy of the bit
        // buffer (kept in registers).
        let (mut acc, mut n) = (bits.acc, bits.n);
        let mut stuck = false;
        while n >= RUN_BITS && k < 64 {
            let run = runs[(acc >> (64 - RUN_BITS)) as usize];
            let step = usize::from((run & !RUN_EOB) >> RUN_STEP_SHIFT);
            if run == 0 || k + step > 64 {
                stuck = true;
                break;
            }
            let used = u32::from(run & 15);
            acc <<= used;
            n -= used;
            if run & RUN_EOB != 0 {
                bits.acc = acc;
                bits.n = n;
                return Some(());
            }
            k += step;
        }
        bits.acc = acc;
        bits.n = n;
        if !stuck {
            continue;
        }
        if bits.n < 32 {
            bits.refill();
        }
        let entry = table.skip[(bits.acc >> (64 - LOOKUP_BITS)) as usize];
        let symbol = if entry != 0 {
            // Code and magnitude bits at once (at most 9 + 15 < 32 bits).
            bits.consume(u32::from(entry >> 8));
            entry as u8
        } else {
            let symbol = bits.symbol(table)?;
            bits.consume(u32::from(symbol & 15));
            symbol
        };
        let (run, size) = (usize::from(symbol >> 4), symbol & 15);
        if size == 0 {
            if run != 15 {
                return Some(());
            }
            k += 16;
            continue;
        }
        k += run + 1;
    }
    if k > 64 {
        return None;
    }
    Some(())
}
