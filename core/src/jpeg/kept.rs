//! Which DCT coefficients a reduced-scale decode keeps, and where each one is stored.

use super::Scale;

/// Natural (row-major) position of each zig-zag index.
pub(super) const ZIGZAG: [u8; 64] = [
    0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20,
    13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59,
    52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
];

/// Which coefficients a decode with `n` samples per block side keeps, and where.
#[derive(Clone, Copy)]
pub(super) struct Kept {
    /// Samples per block side: 1, 2 or 4 (8 for the entropy bench's every-coefficient pass).
    pub(super) n: usize,
    /// For each zig-zag index: its slot (`row * n + col`) among the kept ones, or `NOT_KEPT`.
    pub(super) slot: [u8; 64],
    /// Bit `k` set when zig-zag index `k` is kept.
    pub(super) mask: u64,
    /// The largest kept zig-zag index.
    pub(super) last: usize,
}

pub(super) const NOT_KEPT: u8 = u8::MAX;

impl Kept {
    pub(super) fn new(scale: Scale) -> Kept {
        Kept::square(scale.samples_per_block())
    }

    /// Every coefficient (what a full-scale decode reads): for the entropy bench only.
    pub(super) fn every() -> Kept {
        Kept::square(8)
    }

    fn square(n: usize) -> Kept {
        let mut slot = [NOT_KEPT; 64];
        let (mut mask, mut last) = (0u64, 0);
        for (k, &natural) in ZIGZAG.iter().enumerate() {
            let (row, col) = (usize::from(natural) / 8, usize::from(natural) % 8);
            if row < n && col < n {
                slot[k] = (row * n + col) as u8;
                mask |= 1 << k;
                last = k;
            }
        }
        Kept {
            n,
            slot,
            mask,
            last,
        }
    }

    /// Coefficients stored per block.
    pub(super) fn per_block(&self) -> usize {
        self.n * self.n
    }
}

/// Stores coefficient `k` (zig-zag) of a block if it is kept; `None` past the block's end.
#[inline]
pub(super) fn store(block: &mut [i16], kept: &Kept, k: usize, value: i16) -> Option<()> {
    let slot = *kept.slot.get(k)?;
    if slot != NOT_KEPT {
        block[usize::from(slot)] = value;
    }
    Some(())
}
