//! Progressive AC scans: first passes and refinement passes over a spectral band, with
//! end-of-band runs (JPEG G.1.2.3).

use super::bitstream::Bits;
use super::huffman::Huffman;
use super::kept::{store, Kept, NOT_KEPT};

/// A progressive AC scan's spectral band and bit position, and what the decode keeps.
#[derive(Clone, Copy)]
pub(super) struct Band<'k> {
    pub(super) kept: &'k Kept,
    pub(super) ss: usize,
    pub(super) se: usize,
    pub(super) al: u32,
}

/// The first pass over a progressive AC band of one block (not inside an end-of-band run).
/// Returns the end-of-band run that follows it.
#[inline]
pub(super) fn ac_first(
    bits: &mut Bits<'_>,
    table: &Huffman,
    (block, nonzero): (&mut [i16], &mut u64),
    band: Band<'_>,
) -> Option<u32> {
    let Band { kept, ss, se, al } = band;
    let mut k = ss;
    while k <= se {
        if bits.n < 32 {
            bits.refill();
        }
        if let Some((run, value)) = bits.fast_ac(table) {
            k += run;
            if k > se {
                return None;
            }
            *nonzero |= 1 << k;
            store(block, kept, k, i16::try_from(value << al).ok()?)?;
            k += 1;
            continue;
        }
        let symbol = bits.symbol(table)?;
        let (run, size) = (u32::from(symbol >> 4), u32::from(symbol & 15));
        if size == 0 {
            if run < 15 {
                // This block ends the first of 2^run + extra blocks with nothing more here.
                return Some((1 << run) + bits.get(run) - 1);
            }
            k += 16;
            continue;
        }
        k += run as usize;
        if k > se {
            return None;
        }
        let value = i16::try_from(bits.receive_extend(size).checked_shl(al)?).ok()?;
        *nonzero |= 1 << k;
        store(block, kept, k, value)?;
        k += 1;
    }
    Some(0)
}

/// Adds a refinement bit to a non-zero coefficient: its magnitude grows by `p1` when the bit
/// is set (and the bit was not already there).
#[inline]
pub(super) fn correct(block: &mut [i16], kept: &Kept, k: usize, p1: i16) -> Option<()> {
    let slot = kept.slot[k];
    if slot != NOT_KEPT {
        let c = &mut block[usize::from(slot)];
        if *c & p1 == 0 {
            *c = if *c >= 0 {
                c.checked_add(p1)?
            } else {
                c.checked_sub(p1)?
            };
        }
    }
    Some(())
}

/// Reads the correction bits of the non-zero coefficients in `mask`, lowest index first.
#[inline]
pub(super) fn correct_all(
    bits: &mut Bits<'_>,
    block: &mut [i16],
    kept: &Kept,
    mask: u64,
    p1: i16,
) -> Option<()> {
    // Coefficients that are not kept only need their bits consumed, many at a time.
    let kept_part = mask & kept.mask;
    let individually = if kept_part == 0 {
        0
    } else {
        let top = 63 - kept_part.leading_zeros();
        mask & (u64::MAX >> (63 - top))
    };
    let mut m = individually;
    while m != 0 {
        let k = m.trailing_zeros() as usize;
        m &= m - 1;
        if bits.get(1) == 1 {
            correct(block, kept, k, p1)?;
        }
    }
    let mut rest = (mask & !individually).count_ones();
    while rest > 0 {
        let take = rest.min(24);
        bits.get(take);
        rest -= take;
    }
    Some(())
}

/// A refinement pass over a progressive AC band of one block (JPEG G.1.2.3, as libjpeg's
/// `decode_mcu_AC_refine`). Takes and returns the end-of-band run.
#[inline]
pub(super) fn ac_refine(
    bits: &mut Bits<'_>,
    table: &Huffman,
    (block, nonzero): (&mut [i16], &mut u64),
    band: Band<'_>,
    mut eob_run: u32,
) -> Option<u32> {
    let Band { kept, ss, se, al } = band;
    let p1 = 1i16 << al;
    let mut k = ss;
    if eob_run == 0 {
        while k <= se {
            if bits.n < 32 {
                bits.refill();
            }
            let symbol = bits.symbol(table)?;
            let (mut run, size) = (u32::from(symbol >> 4), symbol & 15);
            let mut value = 0i16;
            if size != 0 {
                // `size` must be 1: the new coefficient is +-1 at this bit position.
                value = if bits.get(1) == 1 { p1 } else { -p1 };
            } else if run != 15 {
                eob_run = (1 << run) + bits.get(run);
                break;
            }
            // Step over `run` zero coefficients, refining the non-zero ones on the way.
            while k <= se {
                if *nonzero & (1 << k) != 0 {
                    if bits.get(1) == 1 {
                        correct(block, kept, k, p1)?;
                    }
                } else {
                    if run == 0 {
                        break;
                    }
                    run -= 1;
                }
                k += 1;
            }
            if value != 0 {
                if k > se {
                    return None;
                }
                *nonzero |= 1 << k;
                store(block, kept, k, value)?;
            }
            k += 1;
        }
    }
    if eob_run > 0 {
        // Inside an end-of-band run: only the non-zero coefficients get correction bits.
        if k <= se {
            let band = (u64::MAX >> (63 - se)) & (u64::MAX << k);
            correct_all(bits, block, kept, *nonzero & band, p1)?;
        }
        eob_run -= 1;
    }
    Some(eob_run)
}
