//! Huffman tables (JPEG Annex C), with the direct lookups the scan decoders use.

/// Bits of the first-level Huffman lookup.
pub(super) const LOOKUP_BITS: u32 = 9;

/// Bits of the run lookup ([`Huffman::runs`]).
pub(super) const RUN_BITS: u32 = 12;

/// In a [`Huffman::runs`] entry: the bits consumed (low 4 bits), and the coefficients stepped
/// over plus one if the run ends the block with an end-of-block code (from bit 4).
pub(super) const RUN_STEP_SHIFT: u32 = 4;
/// In a [`Huffman::runs`] entry: the run ends with an end-of-block code.
pub(super) const RUN_EOB: u16 = 1 << 15;

/// A Huffman table: a direct lookup for short codes, canonical-code limits for long ones.
#[derive(Clone)]
pub(super) struct Huffman {
    /// `(length << 8) | value` for codes of at most `LOOKUP_BITS` bits; 0 when longer.
    pub(super) lookup: Vec<u16>,
    /// As `lookup`, but the length includes the magnitude bits that follow an AC symbol
    /// (its low nibble), so that skipping a coefficient is one step.
    pub(super) skip: Vec<u16>,
    /// For AC symbols whose code and magnitude bits fit in `LOOKUP_BITS`: the coefficient at
    /// once, as `value << 16 | run << 8 | bits`; 0 otherwise.
    pub(super) fast_ac: Vec<i32>,
    /// For DC differences whose code and magnitude bits fit in `LOOKUP_BITS`: the difference
    /// at once, as `value << 8 | bits`; 0 otherwise.
    pub(super) fast_dc: Box<[i32; 1 << LOOKUP_BITS]>,
    /// For stepping over AC coefficients: indexed by the next `RUN_BITS` bits, as many whole
    /// (code, magnitude) units as fit in them, stopping after an end-of-block code. Each entry
    /// is the bits they take, the coefficients they step over (+1 for an end-of-block code,
    /// see `RUN_STEP_SHIFT`) and `RUN_EOB`; 0 when not even one unit fits.
    ///
    /// Built on first use ([`Huffman::runs`]): only a sequential scan's stepping-over reads
    /// it, and building it (4,096 entries) costs more than decoding a small file, whose
    /// progressive scans may redefine their tables a dozen times.
    runs: std::cell::OnceCell<Box<[u16; 1 << RUN_BITS]>>,
    /// For each length 1..=16: the largest code of that length (-1 if none).
    pub(super) max_code: [i32; 17],
    /// For each length: index into `values` minus the first code of that length.
    pub(super) offset: [i32; 17],
    pub(super) values: Vec<u8>,
}

impl Huffman {
    /// Builds a table from the DHT counts and symbols (JPEG Annex C).
    pub(super) fn new(counts: &[u8; 16], values: &[u8]) -> Option<Huffman> {
        let mut lookup = vec![0u16; 1 << LOOKUP_BITS];
        let mut max_code = [-1i32; 17];
        let mut offset = [0i32; 17];
        let mut code: i32 = 0;
        let mut k = 0usize;
        for len in 1..=16u32 {
            let n = usize::from(counts[len as usize - 1]);
            if n > 0 {
                offset[len as usize] = k as i32 - code;
                for _ in 0..n {
                    let value = *values.get(k)?;
                    if len <= LOOKUP_BITS {
                        let shift = LOOKUP_BITS - len;
                        let first = (code as usize) << shift;
                        for slot in lookup.get_mut(first..first + (1 << shift))? {
                            *slot = ((len as u16) << 8) | u16::from(value);
                        }
                    }
                    code += 1;
                    k += 1;
                }
                max_code[len as usize] = code - 1;
            }
            if code > (1 << len) {
                return None;
            }
            code <<= 1;
        }
        let skip = lookup
            .iter()
            .map(|&e| if e == 0 { 0 } else { e + ((e & 15) << 8) })
            .collect();
        let fast_ac = lookup
            .iter()
            .enumerate()
            .map(|(index, &e)| {
                let (len, symbol) = (u32::from(e >> 8), e as u8);
                let (run, size) = (i32::from(symbol >> 4), u32::from(symbol & 15));
                if e == 0 || size == 0 || len + size > LOOKUP_BITS {
                    return 0;
                }
                let magnitude = (index as u32 >> (LOOKUP_BITS - len - size)) & ((1 << size) - 1);
                let value = extend(magnitude as i32, size);
                (value << 16) | (run << 8) | (len + size) as i32
            })
            .collect();
        let fast_dc = lookup
            .iter()
            .enumerate()
            .map(|(index, &e)| {
                let (len, size) = (u32::from(e >> 8), u32::from(e & 255));
                if e == 0 || size > 11 || len + size > LOOKUP_BITS {
                    return 0;
                }
                let magnitude = (index as u32 >> (LOOKUP_BITS - len - size)) & ((1 << size) - 1);
                let value = if size == 0 {
                    0
                } else {
                    extend(magnitude as i32, size)
                };
                (value << 8) | (len + size) as i32
            })
            .collect::<Vec<_>>()
            .into_boxed_slice()
            .try_into()
            .ok()?;
        Some(Huffman {
            lookup,
            skip,
            fast_ac,
            fast_dc,
            runs: std::cell::OnceCell::new(),
            max_code,
            offset,
            values: values.to_vec(),
        })
    }
}

impl Huffman {
    /// The run lookup (see the `runs` field), built on first use.
    #[inline]
    pub(super) fn runs(&self) -> &[u16; 1 << RUN_BITS] {
        self.runs.get_or_init(|| {
            let mut table = Box::new([0u16; 1 << RUN_BITS]);
            table.copy_from_slice(&runs(&self.lookup));
            table
        })
    }
}

/// The run lookup (see `Huffman::runs`) from the direct lookup: a unit fits when its code
/// is at most `LOOKUP_BITS` long and code and magnitude fit in what is left of `RUN_BITS`.
fn runs(lookup: &[u16]) -> Vec<u16> {
    (0..1u32 << RUN_BITS)
        .map(|index| {
            let (mut used, mut step) = (0u32, 0u32);
            loop {
                let left = RUN_BITS - used;
                // The next LOOKUP_BITS bits from `used` (zeros past the window).
                let peek = if left >= LOOKUP_BITS {
                    (index >> (left - LOOKUP_BITS)) & ((1 << LOOKUP_BITS) - 1)
                } else {
                    (index << (LOOKUP_BITS - left)) & ((1 << LOOKUP_BITS) - 1)
                };
                let e = lookup[peek as usize];
                let (len, symbol) = (u32::from(e >> 8), e as u8);
                let (run, size) = (u32::from(symbol >> 4), u32::from(symbol & 15));
                if e == 0 || len + size > left {
                    break;
                }
                used += len + size;
                if size == 0 && run != 15 {
                    // The end of the block (sequential scans take any size-0 symbol but ZRL
                    // as one).
                    return used as u16 | ((step + 1) << RUN_STEP_SHIFT) as u16 | RUN_EOB;
                }
                step += if size == 0 { 16 } else { run + 1 };
                if step > 64 {
                    break;
                }
            }
            if used == 0 {
                0
            } else {
                used as u16 | (step << RUN_STEP_SHIFT) as u16
            }
        })
        .collect()
}

/// JPEG's EXTEND: a `bits`-bit magnitude as a signed value.
#[inline(always)]
pub(super) fn extend(v: i32, bits: u32) -> i32 {
    if v < (1 << (bits - 1)) {
        v - (1 << bits) + 1
    } else {
        v
    }
}
