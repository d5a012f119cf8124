//! Huffman tables (JPEG Annex C), with the direct lookups the scan decoders use.

/// Bits of the first-level Huffman lookup.
pub(super) const LOOKUP_BITS: u32 = 9;

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
        Some(Huffman {
            lookup,
            skip,
            fast_ac,
            max_code,
            offset,
            values: values.to_vec(),
        })
    }
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
