//! The bit reader over entropy-coded data: byte unstuffing, markers, restart intervals.

use super::huffman::{extend, Huffman, LOOKUP_BITS};

/// The entropy-coded-segment bit reader: 0xFF00 unstuffing, stops at markers.
pub(super) struct Bits<'a> {
    pub(super) data: &'a [u8],
    pub(super) pos: usize,
    /// Bits, left-aligned.
    pub(super) acc: u64,
    pub(super) n: u32,
    /// Zero bytes fed after the segment ended (a marker or the end of the data).
    pub(super) padding: u32,
}

impl<'a> Bits<'a> {
    pub(super) fn new(data: &'a [u8], pos: usize) -> Self {
        Bits {
            data,
            pos,
            acc: 0,
            n: 0,
            padding: 0,
        }
    }

    #[inline]
    pub(super) fn refill(&mut self) {
        // Fast path: eight bytes with no 0xFF among them go in whole.
        if self.padding == 0 {
            if let Some(Ok(chunk)) = self
                .data
                .get(self.pos..self.pos + 8)
                .map(<[u8; 8]>::try_from)
            {
                let word = u64::from_be_bytes(chunk);
                let has_ff =
                    ((!word).wrapping_sub(0x0101_0101_0101_0101) & word & 0x8080_8080_8080_8080)
                        != 0;
                if !has_ff {
                    let k = (63 - self.n) / 8;
                    let take = word & !(u64::MAX >> (8 * k));
                    self.acc |= take >> self.n;
                    self.pos += k as usize;
                    self.n += 8 * k;
                    return;
                }
            }
        }
        while self.n <= 56 {
            let mut byte = 0u8;
            if self.padding == 0 {
                match self.data.get(self.pos) {
                    Some(0xFF) => {
                        if self.data.get(self.pos + 1) == Some(&0) {
                            byte = 0xFF;
                            self.pos += 2;
                        } else {
                            self.padding = 1;
                        }
                    }
                    Some(&b) => {
                        byte = b;
                        self.pos += 1;
                    }
                    None => self.padding = 1,
                }
            } else {
                self.padding += 1;
            }
            self.acc |= u64::from(byte) << (56 - self.n);
            self.n += 8;
        }
    }

    /// Whether bits past the end of the segment were consumed (a truncated or corrupt scan).
    pub(super) fn overran(&self) -> bool {
        // `padding` counts injected bytes (the first one is counted when it is injected).
        self.padding > 0 && self.n < 8 * self.padding
    }

    /// Whether the reader ran into the end of the data (rather than a marker).
    pub(super) fn at_end(&self) -> bool {
        self.pos >= self.data.len()
    }

    #[inline]
    pub(super) fn consume(&mut self, bits: u32) {
        self.acc <<= bits;
        self.n -= bits;
    }

    #[inline]
    pub(super) fn get(&mut self, bits: u32) -> u32 {
        if bits == 0 {
            return 0;
        }
        if self.n < bits {
            self.refill();
        }
        let v = (self.acc >> (64 - bits)) as u32;
        self.consume(bits);
        v
    }

    /// Reads `bits` bits and sign-extends them (JPEG's EXTEND).
    #[inline(always)]
    pub(super) fn receive_extend(&mut self, bits: u32) -> i32 {
        if bits == 0 {
            return 0;
        }
        extend(self.get(bits) as i32, bits)
    }

    /// One AC coefficient through the `fast_ac` table: `(run, value)`, if its code and
    /// magnitude are short enough.
    #[inline(always)]
    pub(super) fn fast_ac(&mut self, table: &Huffman) -> Option<(usize, i32)> {
        let entry = table.fast_ac[(self.acc >> (64 - LOOKUP_BITS)) as usize];
        if entry == 0 {
            return None;
        }
        self.consume((entry & 255) as u32);
        Some((((entry >> 8) & 15) as usize, entry >> 16))
    }

    /// A DC difference: through the `fast_dc` table when its code and magnitude are short
    /// enough, else symbol and magnitude bits one after the other. `None` for an invalid code
    /// or a size over 11.
    #[inline(always)]
    pub(super) fn dc_difference(&mut self, table: &Huffman) -> Option<i32> {
        if self.n < 32 {
            self.refill();
        }
        let entry = table.fast_dc[(self.acc >> (64 - LOOKUP_BITS)) as usize];
        if entry != 0 {
            self.consume((entry & 255) as u32);
            return Some(entry >> 8);
        }
        let size = u32::from(self.symbol(table)?);
        if size > 11 {
            return None;
        }
        Some(self.receive_extend(size))
    }

    #[inline(always)]
    pub(super) fn symbol(&mut self, table: &Huffman) -> Option<u8> {
        if self.n < 16 {
            self.refill();
        }
        let entry = table.lookup[(self.acc >> (64 - LOOKUP_BITS)) as usize];
        if entry != 0 {
            self.consume(u32::from(entry >> 8));
            return Some(entry as u8);
        }
        for len in LOOKUP_BITS + 1..=16 {
            let code = (self.acc >> (64 - len)) as i32;
            if code <= table.max_code[len as usize] {
                self.consume(len);
                return table
                    .values
                    .get((code + table.offset[len as usize]) as usize)
                    .copied();
            }
        }
        None
    }

    /// After a restart interval: drop the remaining bits and expect `RSTn`.
    pub(super) fn restart(&mut self, expected: u8) -> Option<()> {
        self.acc = 0;
        self.n = 0;
        self.padding = 0;
        if self.data.get(self.pos..self.pos + 2)? == [0xFF, 0xD0 + expected] {
            self.pos += 2;
            Some(())
        } else {
            None
        }
    }
}
