//! The boolean entropy encoder of RFC 6386 section 7 (the decoder's exact mirror), and the cost
//! of a coded bit for rate estimates.

use super::tables::COST;

/// Writes bools with 8-bit probabilities (the probability of a 0 is `prob / 256`).
pub struct BoolWriter {
    out: Vec<u8>,
    range: u32,
    bottom: u32,
    bit_count: u32,
}

impl BoolWriter {
    /// An empty writer.
    pub fn new() -> Self {
        BoolWriter {
            out: Vec::new(),
            range: 255,
            bottom: 0,
            bit_count: 24,
        }
    }

    /// Propagates a carry into the bytes already written.
    fn carry(&mut self) {
        for byte in self.out.iter_mut().rev() {
            if *byte == 255 {
                *byte = 0;
            } else {
                *byte += 1;
                return;
            }
        }
    }

    /// Writes `bit` with `prob`.
    pub fn put(&mut self, bit: bool, prob: u8) {
        let split = 1 + (((self.range - 1) * u32::from(prob)) >> 8);
        if bit {
            self.bottom += split;
            self.range -= split;
        } else {
            self.range = split;
        }
        while self.range < 128 {
            self.range <<= 1;
            if self.bottom & (1 << 31) != 0 {
                self.carry();
            }
            self.bottom <<= 1;
            self.bit_count -= 1;
            if self.bit_count == 0 {
                self.out.push((self.bottom >> 24) as u8);
                self.bottom &= (1 << 24) - 1;
                self.bit_count = 8;
            }
        }
    }

    /// Writes the `bits` low bits of `value`, most significant first, at probability one half.
    pub fn put_literal(&mut self, value: u32, bits: u32) {
        for i in (0..bits).rev() {
            self.put((value >> i) & 1 == 1, 128);
        }
    }

    /// Writes a flag, and when `value` is not 0 its magnitude in `bits` bits and its sign.
    pub fn put_optional_signed(&mut self, value: i32, bits: u32) {
        self.put(value != 0, 128);
        if value != 0 {
            self.put_literal(value.unsigned_abs(), bits);
            self.put(value < 0, 128);
        }
    }

    /// Flushes the coder and returns the bytes.
    pub fn finish(mut self) -> Vec<u8> {
        let mut c = self.bit_count;
        let mut v = self.bottom;
        if v & (1 << (32 - c)) != 0 {
            self.carry();
        }
        v <<= c & 7;
        c >>= 3;
        while c > 0 {
            c -= 1;
            v <<= 8;
        }
        for _ in 0..4 {
            self.out.push((v >> 24) as u8);
            v <<= 8;
        }
        self.out
    }
}

/// The cost of coding `bit` at `prob`, in 1/256 bits.
pub fn bit_cost(bit: bool, prob: u8) -> u32 {
    u32::from(if bit {
        COST[usize::from(255 - prob)]
    } else {
        COST[usize::from(prob)]
    })
}

/// Walks a token tree (RFC 6386 section 8.1: a child above 0 is a node's index, any other is
/// minus a leaf's value) to `value`, calling `emit(bit, probability index)` along its path.
pub fn tree_path(tree: &[i8], value: u8, mut emit: impl FnMut(bool, usize)) {
    fn find(tree: &[i8], node: usize, value: i8, path: &mut Vec<(bool, usize)>) -> bool {
        for (branch, bit) in [(0, false), (1, true)] {
            let child = tree[node + branch];
            path.push((bit, node >> 1));
            if child > 0 {
                if find(tree, child as usize, value, path) {
                    return true;
                }
            } else if -child == value {
                return true;
            }
            path.pop();
        }
        false
    }
    let mut path = Vec::with_capacity(8);
    find(tree, 0, value as i8, &mut path);
    for (bit, index) in path {
        emit(bit, index);
    }
}
