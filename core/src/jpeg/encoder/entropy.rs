//! Huffman coding of quantised blocks into the entropy-coded segment: a 64-bit bit buffer
//! that writes four bytes at a time (byte by byte, with a stuffed zero after each 0xFF, only
//! when one of the four is 0xFF), each coefficient's code and magnitude bits in one write.

use super::fdct;
use super::tables::Codes;

/// The entropy-coded segment being written.
pub(super) struct BitWriter {
    pub(super) out: Vec<u8>,
    acc: u64,
    /// Bits in `acc` not yet written (< 32 between calls).
    pending: u32,
}

impl BitWriter {
    pub(super) fn new(out: Vec<u8>) -> BitWriter {
        BitWriter {
            out,
            acc: 0,
            pending: 0,
        }
    }

    /// Appends the low `len` (<= 32) bits of `bits`.
    #[inline(always)]
    fn put(&mut self, bits: u32, len: u32) {
        self.acc = (self.acc << len) | u64::from(bits);
        self.pending += len;
        if self.pending >= 32 {
            self.pending -= 32;
            self.word((self.acc >> self.pending) as u32);
        }
    }

    #[inline(always)]
    fn word(&mut self, w: u32) {
        let bytes = w.to_be_bytes();
        // A zero byte of !w is a 0xFF byte of w (the classic has-zero-byte test).
        let x = !w;
        if x.wrapping_sub(0x0101_0101) & !x & 0x8080_8080 == 0 {
            self.out.extend_from_slice(&bytes);
        } else {
            for b in bytes {
                self.out.push(b);
                if b == 0xff {
                    self.out.push(0);
                }
            }
        }
    }

    /// Pads the last byte with one bits (T.81 F.1.2.3) and returns the output.
    pub(super) fn finish(mut self) -> Vec<u8> {
        let pad = (8 - self.pending % 8) % 8;
        self.put((1 << pad) - 1, pad);
        while self.pending > 0 {
            self.pending -= 8;
            let b = (self.acc >> self.pending) as u8;
            self.out.push(b);
            if b == 0xff {
                self.out.push(0);
            }
        }
        self.out
    }

    /// One symbol's code followed by `size` magnitude bits (code <= 16 bits, size <= 11).
    #[inline(always)]
    fn symbol(&mut self, codes: &Codes, symbol: u32, size: u32, bits: u32) {
        let c = codes.0[symbol as usize];
        self.put((c >> 8) << size | bits, (c & 0xff) + size);
    }

    /// Writes one block: `levels` as [`fdct::quantise`] leaves them, `mask` its non-zero
    /// zig-zag indices; `prev_dc` is the component's previous DC value (DC is coded as the
    /// difference).
    pub(super) fn block(
        &mut self,
        levels: &[i16; 64],
        mask: u64,
        prev_dc: &mut i32,
        dc: &Codes,
        ac: &Codes,
    ) {
        let value = i32::from(levels[fdct::at(0)]);
        let diff = value - *prev_dc;
        *prev_dc = value;
        let (size, bits) = magnitude(diff);
        self.symbol(dc, size, size, bits);

        let mut rest = mask >> 1;
        let mut k = 1usize;
        while rest != 0 {
            let zeros = rest.trailing_zeros();
            k += zeros as usize;
            let mut run = zeros;
            while run >= 16 {
                self.symbol(ac, 0xf0, 0, 0);
                run -= 16;
            }
            let (size, bits) = magnitude(i32::from(levels[fdct::at(k)]));
            self.symbol(ac, run << 4 | size, size, bits);
            rest = (rest >> zeros) >> 1;
            k += 1;
        }
        if k < 64 {
            self.symbol(ac, 0x00, 0, 0);
        }
    }
}

/// A value's size category and magnitude bits (negative values as `v - 1` in `size` bits).
#[inline(always)]
fn magnitude(v: i32) -> (u32, u32) {
    let size = 32 - v.unsigned_abs().leading_zeros();
    let bits = if v < 0 { (v - 1) as u32 } else { v as u32 };
    (size, bits & ((1u32 << size) - 1))
}
