//! JPEG files built marker by marker: any frame header, and entropy-coded scans whose blocks
//! are all zero (DC difference 0, end-of-band runs), so a file of a few KB can declare and fill
//! tens of megapixels or repeat a scan thousands of times.

/// Writes Huffman codes most significant bit first, with JPEG's 0xFF byte stuffing.
#[derive(Default)]
struct MsbBits {
    out: Vec<u8>,
    acc: u32,
    n: u32,
}

impl MsbBits {
    fn bits(&mut self, value: u32, count: u32) {
        for i in (0..count).rev() {
            self.acc = (self.acc << 1) | ((value >> i) & 1);
            self.n += 1;
            if self.n == 8 {
                let b = self.acc as u8;
                self.out.push(b);
                if b == 0xFF {
                    self.out.push(0);
                }
                self.acc = 0;
                self.n = 0;
            }
        }
    }

    fn finish(mut self) -> Vec<u8> {
        if self.n > 0 {
            let pad = 8 - self.n;
            self.bits((1 << pad) - 1, pad);
        }
        self.out
    }
}

/// A component: id, horizontal and vertical sampling factors.
#[derive(Clone, Copy)]
pub struct Comp {
    /// Component id.
    pub id: u8,
    /// Horizontal sampling factor.
    pub h: u8,
    /// Vertical sampling factor.
    pub v: u8,
}

/// Grey: one component.
pub const GRAY: [Comp; 1] = [Comp { id: 1, h: 1, v: 1 }];
/// YCbCr 4:2:0.
pub const YCC420: [Comp; 3] = [
    Comp { id: 1, h: 2, v: 2 },
    Comp { id: 2, h: 1, v: 1 },
    Comp { id: 3, h: 1, v: 1 },
];
/// YCbCr 4:4:4.
pub const YCC444: [Comp; 3] = [
    Comp { id: 1, h: 1, v: 1 },
    Comp { id: 2, h: 1, v: 1 },
    Comp { id: 3, h: 1, v: 1 },
];

fn segment(marker: u8, data: &[u8]) -> Vec<u8> {
    let mut out = vec![0xFF, marker];
    out.extend_from_slice(&((data.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(data);
    out
}

/// A JPEG under construction.
pub struct Jpeg {
    /// Width.
    pub width: u16,
    /// Height.
    pub height: u16,
    comps: Vec<Comp>,
    /// The bytes so far.
    pub out: Vec<u8>,
}

impl Jpeg {
    /// SOI, DQT, the frame header (SOF0 or SOF2) and the Huffman tables: DC table 0 codes only
    /// category 0 ("0"); AC table 0 codes EOB and EOBn runs r<<4 for r = 0..=14 in 4 bits.
    pub fn new(width: u16, height: u16, comps: &[Comp], progressive: bool) -> Self {
        let mut out = vec![0xFF, 0xD8];
        let mut dqt = vec![0];
        dqt.extend_from_slice(&[1; 64]);
        out.extend(segment(0xDB, &dqt));
        let mut sof = vec![8];
        sof.extend_from_slice(&height.to_be_bytes());
        sof.extend_from_slice(&width.to_be_bytes());
        sof.push(comps.len() as u8);
        for c in comps {
            sof.extend_from_slice(&[c.id, (c.h << 4) | c.v, 0]);
        }
        out.extend(segment(if progressive { 0xC2 } else { 0xC0 }, &sof));
        let mut dht = vec![0x00];
        let mut counts = [0u8; 16];
        counts[0] = 1; // one 1-bit code
        dht.extend_from_slice(&counts);
        dht.push(0); // category 0
        dht.push(0x10);
        let mut counts = [0u8; 16];
        counts[3] = 15; // fifteen 4-bit codes
        dht.extend_from_slice(&counts);
        for r in 0..15u8 {
            dht.push(r << 4);
        }
        out.extend(segment(0xC4, &dht));
        Jpeg {
            width,
            height,
            comps: comps.to_vec(),
            out,
        }
    }

    fn max_sampling(&self) -> (u32, u32) {
        let h = self.comps.iter().map(|c| u32::from(c.h)).max().unwrap_or(1);
        let v = self.comps.iter().map(|c| u32::from(c.v)).max().unwrap_or(1);
        (h, v)
    }

    /// Blocks in an interleaved scan of every component: MCUs times blocks per MCU.
    fn interleaved_blocks(&self) -> u64 {
        let (hm, vm) = self.max_sampling();
        let mcus = u64::from(u32::from(self.width).div_ceil(8 * hm))
            * u64::from(u32::from(self.height).div_ceil(8 * vm));
        if self.comps.len() == 1 {
            return self.component_blocks(0);
        }
        mcus * self
            .comps
            .iter()
            .map(|c| u64::from(c.h) * u64::from(c.v))
            .sum::<u64>()
    }

    /// Blocks of component `i` in a non-interleaved scan.
    fn component_blocks(&self, i: usize) -> u64 {
        let (hm, vm) = self.max_sampling();
        let c = self.comps[i];
        let w = (u32::from(self.width) * u32::from(c.h)).div_ceil(hm);
        let h = (u32::from(self.height) * u32::from(c.v)).div_ceil(vm);
        u64::from(w.div_ceil(8)) * u64::from(h.div_ceil(8))
    }

    fn sos(&mut self, comps: &[usize], ss: u8, se: u8, ah: u8, al: u8) {
        let mut d = vec![comps.len() as u8];
        for &i in comps {
            d.extend_from_slice(&[self.comps[i].id, 0x00]);
        }
        d.extend_from_slice(&[ss, se, (ah << 4) | al]);
        self.out.extend(segment(0xDA, &d));
    }

    /// A baseline scan of all components: every block DC 0 + EOB (2 bits); only the first
    /// `keep` per mille of the data is written (a truncated file) when `keep < 1000`.
    pub fn baseline_scan(&mut self, keep: u64) {
        let all: Vec<usize> = (0..self.comps.len()).collect();
        self.sos(&all, 0, 63, 0, 0);
        let blocks = self.interleaved_blocks() * keep / 1000;
        let mut w = MsbBits::default();
        for _ in 0..blocks {
            w.bits(0b0, 1);
            w.bits(0b0000, 4);
        }
        self.out.extend(w.finish());
    }

    /// The progressive DC first scan of every component (1 bit per block).
    pub fn dc_scan(&mut self) {
        let all: Vec<usize> = (0..self.comps.len()).collect();
        self.sos(&all, 0, 0, 0, 0);
        let mut w = MsbBits::default();
        for _ in 0..self.interleaved_blocks() {
            w.bits(0, 1);
        }
        self.out.extend(w.finish());
    }

    /// A progressive AC scan of component `i` over `ss..=se`: every block in end-of-band runs.
    /// `ah`/`al` 0/0 is a first pass; `ah > 0` a refinement (all zero, so no correction bits).
    pub fn ac_scan(&mut self, i: usize, ss: u8, se: u8, ah: u8, al: u8) {
        self.sos(&[i], ss, se, ah, al);
        let mut left = self.component_blocks(i);
        let mut w = MsbBits::default();
        while left > 0 {
            let run = left.min(32767);
            let r = 63 - run.leading_zeros(); // run in 2^r ..= 2^(r+1) - 1
            w.bits(r, 4); // symbol r<<4: code = r in 4 bits
            w.bits((run - (1 << r)) as u32, r);
            left -= run;
        }
        self.out.extend(w.finish());
    }

    /// EOI; the finished file.
    pub fn finish(mut self) -> Vec<u8> {
        self.out.extend_from_slice(&[0xFF, 0xD9]);
        self.out
    }
}

/// A valid progressive JPEG: DC, then the standard AC bands of each component, all zero.
pub fn progressive(width: u16, height: u16, comps: &[Comp]) -> Vec<u8> {
    let mut j = Jpeg::new(width, height, comps, true);
    j.dc_scan();
    for i in 0..comps.len() {
        j.ac_scan(i, 1, 63, 0, 0);
    }
    j.finish()
}

/// A progressive JPEG whose AC first scan of component 0 comes `repeat` times.
pub fn repeated_scans(
    width: u16,
    height: u16,
    comps: &[Comp],
    repeat: usize,
    refine: bool,
) -> Vec<u8> {
    let mut j = Jpeg::new(width, height, comps, true);
    j.dc_scan();
    if refine {
        j.ac_scan(0, 1, 63, 0, 1);
    }
    for _ in 0..repeat {
        if refine {
            j.ac_scan(0, 1, 63, 1, 0);
        } else {
            j.ac_scan(0, 1, 63, 0, 0);
        }
    }
    j.finish()
}

/// A baseline JPEG that declares `width` x `height` and holds `keep` per mille of its data.
pub fn baseline(width: u16, height: u16, comps: &[Comp], keep: u64) -> Vec<u8> {
    let mut j = Jpeg::new(width, height, comps, false);
    j.baseline_scan(keep);
    j.finish()
}

/// An ICC profile split over `APP2` segments as the ICC spec chains them (up to 255 of them).
pub fn with_icc_chain(width: u16, height: u16, profile: &[u8]) -> Vec<u8> {
    let mut j = Jpeg::new(width, height, &GRAY, false);
    let chunks: Vec<&[u8]> = profile.chunks(65519).collect();
    let total = chunks.len().min(255) as u8;
    let mut out = j.out[..2].to_vec();
    for (n, c) in chunks.iter().take(255).enumerate() {
        let mut d = b"ICC_PROFILE\0".to_vec();
        d.extend_from_slice(&[n as u8 + 1, total]);
        d.extend_from_slice(c);
        out.extend(segment(0xE2, &d));
    }
    out.extend_from_slice(&j.out[2..]);
    j.out = out;
    j.baseline_scan(1000);
    j.finish()
}
