//! zlib streams of zero bytes at about 1,000:1, written directly: what a compression bomb is.
//!
//! One dynamic-Huffman deflate block whose only symbols are literal 0 (2 bits), a 258-byte match
//! at distance 1 (1 + 1 bits) and end-of-block, so `n` zero bytes cost about `n / 129` bits.
//! Written by hand because general encoders spend seconds compressing hundreds of MiB of zeros.

/// Appends bits least-significant first, as deflate (and GIF, and WebP) pack them.
#[derive(Default)]
pub struct LsbBits {
    /// The bytes written so far.
    pub out: Vec<u8>,
    acc: u64,
    n: u32,
}

impl LsbBits {
    /// Writes the low `count` bits of `value`, least significant first.
    pub fn bits(&mut self, value: u64, count: u32) {
        self.acc |= value << self.n;
        self.n += count;
        while self.n >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n -= 8;
        }
    }

    /// Writes a Huffman code of `len` bits, most significant bit first (deflate's order).
    pub fn code(&mut self, code: u32, len: u32) {
        for i in (0..len).rev() {
            self.bits(u64::from((code >> i) & 1), 1);
        }
    }

    /// Pads to a byte boundary with zeros and returns the bytes.
    pub fn finish(mut self) -> Vec<u8> {
        if self.n > 0 {
            self.out.push(self.acc as u8);
        }
        self.out
    }
}

/// A raw deflate stream of `n` zero bytes.
pub fn deflate_zeros(n: u64) -> Vec<u8> {
    let mut w = LsbBits::default();
    w.bits(1, 1); // BFINAL
    w.bits(2, 2); // dynamic Huffman
    w.bits(29, 5); // HLIT: 286 literal/length codes
    w.bits(0, 5); // HDIST: 1 distance code
    w.bits(14, 4); // HCLEN: 18 code-length codes
                   // Code-length code: 18 -> "0" (1 bit), 1 -> "10", 2 -> "11".
    let order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1];
    for sym in order {
        let len = match sym {
            18 => 1,
            1 | 2 => 2,
            _ => 0,
        };
        w.bits(len, 3);
    }
    let zeros = |w: &mut LsbBits, mut count: u64| {
        while count > 0 {
            let run = count.min(138);
            w.code(0, 1); // symbol 18
            w.bits(run - 11, 7);
            count -= run;
        }
    };
    // Literal/length lengths: 0 -> 2, 256 -> 2, 285 -> 1; the distance code 0 -> 1.
    w.code(0b11, 2); // length 2 for symbol 0
    zeros(&mut w, 255);
    w.code(0b11, 2); // length 2 for symbol 256
    zeros(&mut w, 28);
    w.code(0b10, 2); // length 1 for symbol 285
    w.code(0b10, 2); // distance code 0: length 1
                     // Canonical codes: 285 -> "0"; 0 -> "10"; 256 -> "11". Distance 0 -> "0".
    if n > 0 {
        w.code(0b10, 2);
        let mut left = n - 1;
        while left >= 258 {
            w.code(0, 1);
            w.code(0, 1);
            left -= 258;
        }
        for _ in 0..left {
            w.code(0b10, 2);
        }
    }
    w.code(0b11, 2); // end of block
    w.finish()
}

/// A zlib stream (RFC 1950) of `n` zero bytes.
pub fn zlib_zeros(n: u64) -> Vec<u8> {
    let mut out = vec![0x78, 0xDA];
    out.extend(deflate_zeros(n));
    // Adler-32 of n zeros: a = 1, b = n (mod 65521).
    let b = (n % 65521) as u32;
    out.extend_from_slice(&((b << 16) | 1).to_be_bytes());
    out
}

/// A zlib stream of `data`, stored (uncompressed) blocks: for small, varied payloads.
pub fn zlib_stored(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x78, 0x01];
    let chunks: Vec<&[u8]> = if data.is_empty() {
        vec![&[]]
    } else {
        data.chunks(65535).collect()
    };
    for (i, c) in chunks.iter().enumerate() {
        out.push(u8::from(i + 1 == chunks.len()));
        let len = c.len() as u16;
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(c);
    }
    let (mut a, mut b) = (1u32, 0u32);
    for &x in data {
        a = (a + u32::from(x)) % 65521;
        b = (b + a) % 65521;
    }
    out.extend_from_slice(&((b << 16) | a).to_be_bytes());
    out
}
