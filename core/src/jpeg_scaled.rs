//! The reduced-scale JPEG decoder: 1/8 or 1/2 of the source in each axis, straight from the DCT
//! coefficients.
//!
//! At 1/8 scale a block's DC coefficient is its exact mean, so the image is libjpeg's 1x1 IDCT
//! `((dc * q + 4) >> 3) + 128`; at 1/2 scale only the 4x4 lowest frequencies of each block are
//! kept and transformed by libjpeg 9's integer 4x4 IDCT. All of it is integer arithmetic with
//! no SIMD, so every target computes the same samples.
//!
//! For a **progressive** JPEG at 1/8 scale only the DC scans are entropy-decoded and the AC
//! scans (most of the file) are skipped over by looking for the next marker. At 1/2 scale
//! every scan is decoded, but only the kept coefficients are stored, with one bit per
//! coefficient saying whether it is non-zero (which the refinement scans need). For a
//! **sequential** JPEG every Huffman symbol is read, but the coefficients past the kept ones
//! are stepped over, never stored. No buffer holds the image at full scale.
//!
//! Anything unusual (a missing table, an invalid code, truncation, restart markers out of
//! order, CMYK or RGB-coded files, DNL) makes [`decode`] return `None`, and the caller falls back
//! to the full decoder, so outcomes for damaged files stay those of the full decoder.

/// A decoded reduced-scale image: gray (1 channel) or RGB (3), row-major, 8 bits per sample.
pub struct ScaledImage {
    /// `ceil(width / 8) * n` for a decode with `n` samples per block side.
    pub width: u32,
    /// `ceil(height / 8) * n`.
    pub height: u32,
    /// 1 or 3.
    pub channels: usize,
    /// Interleaved samples.
    pub pixels: Vec<u8>,
}

/// Natural (row-major) position of each zig-zag index.
const ZIGZAG: [u8; 64] = [
    0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20,
    13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59,
    52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
];

/// Which coefficients a decode with `n` samples per block side keeps, and where.
#[derive(Clone, Copy)]
struct Kept {
    /// Samples per block side: 1 or 4 (the tables work for any `n` up to 8).
    n: usize,
    /// For each zig-zag index: its slot (`row * n + col`) among the kept ones, or `NOT_KEPT`.
    slot: [u8; 64],
    /// Bit `k` set when zig-zag index `k` is kept.
    mask: u64,
    /// The largest kept zig-zag index.
    last: usize,
}

const NOT_KEPT: u8 = u8::MAX;

impl Kept {
    fn new(n: usize) -> Kept {
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
    fn per_block(&self) -> usize {
        self.n * self.n
    }
}

/// Bits of the first-level Huffman lookup.
const LOOKUP_BITS: u32 = 9;

/// A Huffman table: a direct lookup for short codes, canonical-code limits for long ones.
#[derive(Clone)]
struct Huffman {
    /// `(length << 8) | value` for codes of at most `LOOKUP_BITS` bits; 0 when longer.
    lookup: Vec<u16>,
    /// As `lookup`, but the length includes the magnitude bits that follow an AC symbol
    /// (its low nibble), so that skipping a coefficient is one step.
    skip: Vec<u16>,
    /// For AC symbols whose code and magnitude bits fit in `LOOKUP_BITS`: the coefficient at
    /// once, as `value << 16 | run << 8 | bits`; 0 otherwise.
    fast_ac: Vec<i32>,
    /// For each length 1..=16: the largest code of that length (-1 if none).
    max_code: [i32; 17],
    /// For each length: index into `values` minus the first code of that length.
    offset: [i32; 17],
    values: Vec<u8>,
}

impl Huffman {
    /// Builds a table from the DHT counts and symbols (JPEG Annex C).
    fn new(counts: &[u8; 16], values: &[u8]) -> Option<Huffman> {
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
fn extend(v: i32, bits: u32) -> i32 {
    if v < (1 << (bits - 1)) {
        v - (1 << bits) + 1
    } else {
        v
    }
}

/// The entropy-coded-segment bit reader: 0xFF00 unstuffing, stops at markers.
struct Bits<'a> {
    data: &'a [u8],
    pos: usize,
    /// Bits, left-aligned.
    acc: u64,
    n: u32,
    /// Zero bytes fed after the segment ended (a marker or the end of the data).
    padding: u32,
}

impl<'a> Bits<'a> {
    fn new(data: &'a [u8], pos: usize) -> Self {
        Bits {
            data,
            pos,
            acc: 0,
            n: 0,
            padding: 0,
        }
    }

    #[inline]
    fn refill(&mut self) {
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
    fn overran(&self) -> bool {
        // `padding` counts injected bytes (the first one is counted when it is injected).
        self.padding > 0 && self.n < 8 * self.padding
    }

    #[inline]
    fn consume(&mut self, bits: u32) {
        self.acc <<= bits;
        self.n -= bits;
    }

    #[inline]
    fn get(&mut self, bits: u32) -> u32 {
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
    fn receive_extend(&mut self, bits: u32) -> i32 {
        if bits == 0 {
            return 0;
        }
        extend(self.get(bits) as i32, bits)
    }

    /// One AC coefficient through the `fast_ac` table: `(run, value)`, if its code and
    /// magnitude are short enough.
    #[inline(always)]
    fn fast_ac(&mut self, table: &Huffman) -> Option<(usize, i32)> {
        let entry = table.fast_ac[(self.acc >> (64 - LOOKUP_BITS)) as usize];
        if entry == 0 {
            return None;
        }
        self.consume((entry & 255) as u32);
        Some((((entry >> 8) & 15) as usize, entry >> 16))
    }

    #[inline(always)]
    fn symbol(&mut self, table: &Huffman) -> Option<u8> {
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
    fn restart(&mut self, expected: u8) -> Option<()> {
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

/// One frame component.
struct Component {
    id: u8,
    h: usize,
    v: usize,
    quant: usize,
    /// Width of the block grid (MCU-padded).
    grid_w: usize,
    /// Blocks covering the component itself (non-interleaved scans use these).
    blocks_w: usize,
    blocks_h: usize,
    /// The kept coefficients of every block, `Kept::per_block` of them each, DC first.
    coefs: Vec<i16>,
    /// Progressive files above 1/8 scale: per block, bit `k` set when zig-zag coefficient `k`
    /// is non-zero so far (the refinement scans depend on it).
    nonzero: Vec<u64>,
    dc_seen: bool,
}

struct Frame {
    progressive: bool,
    kept: Kept,
    width: usize,
    height: usize,
    h_max: usize,
    v_max: usize,
    mcus_x: usize,
    mcus_y: usize,
    components: Vec<Component>,
}

fn be16(b: &[u8], at: usize) -> Option<usize> {
    Some(usize::from(u16::from_be_bytes([
        *b.get(at)?,
        *b.get(at + 1)?,
    ])))
}

/// Decodes the image at `n / 8` scale (`n` = 1 or 4 samples per block side), or `None` when
/// the full decoder should handle the file.
pub fn decode(data: &[u8], n: usize) -> Option<ScaledImage> {
    if !matches!(n, 1 | 4) {
        return None;
    }
    if data.get(0..2)? != [0xFF, 0xD8] {
        return None;
    }
    let mut pos = 2;
    let mut frame: Option<Frame> = None;
    let mut dc_tables: [Option<Huffman>; 4] = [None, None, None, None];
    let mut ac_tables: [Option<Huffman>; 4] = [None, None, None, None];
    // Quantisers in zig-zag order.
    let mut quant = [[0u16; 64]; 4];
    let mut quant_seen = [false; 4];
    let mut restart_interval = 0usize;
    let mut adobe_transform: Option<u8> = None;
    loop {
        // Markers may be preceded by fill bytes.
        if *data.get(pos)? != 0xFF {
            return None;
        }
        while *data.get(pos)? == 0xFF {
            pos += 1;
        }
        let marker = *data.get(pos)?;
        pos += 1;
        if marker == 0xD9 {
            break;
        }
        if (0xD0..=0xD7).contains(&marker) || marker == 0x01 {
            continue;
        }
        let len = be16(data, pos)?;
        let seg = data.get(pos + 2..pos + len)?;
        match marker {
            0xC0..=0xC2 => {
                if frame.is_some() {
                    return None;
                }
                frame = Some(parse_frame(seg, marker == 0xC2, Kept::new(n))?);
            }
            0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF | 0xDC => return None,
            0xC4 => parse_dht(seg, &mut dc_tables, &mut ac_tables)?,
            0xDB => parse_dqt(seg, &mut quant, &mut quant_seen)?,
            0xDD => restart_interval = be16(seg, 0)?,
            0xEE if seg.starts_with(b"Adobe") => adobe_transform = Some(*seg.get(11)?),
            0xDA => {
                let f = frame.as_mut()?;
                let scan = parse_scan(seg, f)?;
                let start = pos + len;
                pos = if f.progressive && scan.ss != 0 && n == 1 {
                    // An AC scan: not needed at 1/8 scale.
                    next_marker(data, start)?
                } else {
                    let bits = Bits::new(data, start);
                    let tables = Tables {
                        dc: &dc_tables,
                        ac: &ac_tables,
                    };
                    let end = decode_scan(f, &scan, bits, &tables, restart_interval)?;
                    next_marker(data, end)?
                };
                continue;
            }
            _ => {}
        }
        pos += len;
    }
    let frame = frame?;
    if frame
        .components
        .iter()
        .any(|c| !c.dc_seen || !quant_seen[c.quant])
    {
        return None;
    }
    // RGB-coded three-component files (Adobe transform 0, or ids 'R' 'G' 'B') are rare; the
    // full decoder handles them.
    if frame.components.len() == 3
        && (adobe_transform == Some(0) || frame.components.iter().map(|c| c.id).eq(*b"RGB"))
    {
        return None;
    }
    Some(render(&frame, &quant))
}

struct Tables<'t> {
    dc: &'t [Option<Huffman>; 4],
    ac: &'t [Option<Huffman>; 4],
}

fn parse_frame(seg: &[u8], progressive: bool, kept: Kept) -> Option<Frame> {
    if *seg.first()? != 8 {
        return None;
    }
    let height = be16(seg, 1)?;
    let width = be16(seg, 3)?;
    let n = usize::from(*seg.get(5)?);
    if height == 0 || width == 0 || !(n == 1 || n == 3) {
        return None;
    }
    let mut components = Vec::with_capacity(n);
    for i in 0..n {
        let c = seg.get(6 + 3 * i..9 + 3 * i)?;
        let (h, v) = (usize::from(c[1] >> 4), usize::from(c[1] & 15));
        if !(1..=4).contains(&h) || !(1..=4).contains(&v) || c[2] > 3 {
            return None;
        }
        components.push(Component {
            id: c[0],
            h,
            v,
            quant: usize::from(c[2]),
            grid_w: 0,
            blocks_w: 0,
            blocks_h: 0,
            coefs: Vec::new(),
            nonzero: Vec::new(),
            dc_seen: false,
        });
    }
    let h_max = components.iter().map(|c| c.h).max()?;
    let v_max = components.iter().map(|c| c.v).max()?;
    if components
        .iter()
        .any(|c| h_max % c.h != 0 || v_max % c.v != 0)
    {
        return None;
    }
    let mcus_x = width.div_ceil(8 * h_max);
    let mcus_y = height.div_ceil(8 * v_max);
    for c in &mut components {
        c.grid_w = mcus_x * c.h;
        let grid_h = mcus_y * c.v;
        c.blocks_w = (width * c.h).div_ceil(h_max).div_ceil(8);
        c.blocks_h = (height * c.v).div_ceil(v_max).div_ceil(8);
        let blocks = c.grid_w * grid_h;
        c.coefs = vec![0; blocks * kept.per_block()];
        if progressive && kept.n > 1 {
            c.nonzero = vec![0; blocks];
        }
    }
    Some(Frame {
        progressive,
        kept,
        width,
        height,
        h_max,
        v_max,
        mcus_x,
        mcus_y,
        components,
    })
}

fn parse_dht(
    seg: &[u8],
    dc: &mut [Option<Huffman>; 4],
    ac: &mut [Option<Huffman>; 4],
) -> Option<()> {
    let mut at = 0;
    while at < seg.len() {
        let tc_th = seg[at];
        let counts: &[u8; 16] = seg.get(at + 1..at + 17)?.try_into().ok()?;
        let total: usize = counts.iter().map(|&c| usize::from(c)).sum();
        let values = seg.get(at + 17..at + 17 + total)?;
        let table = Huffman::new(counts, values)?;
        let id = usize::from(tc_th & 15);
        match tc_th >> 4 {
            0 => *dc.get_mut(id)? = Some(table),
            1 => *ac.get_mut(id)? = Some(table),
            _ => return None,
        }
        at += 17 + total;
    }
    Some(())
}

/// Reads quantisation tables (kept in zig-zag order, as stored).
fn parse_dqt(seg: &[u8], quant: &mut [[u16; 64]; 4], seen: &mut [bool; 4]) -> Option<()> {
    let mut at = 0;
    while at < seg.len() {
        let pq_tq = seg[at];
        let id = usize::from(pq_tq & 15);
        if id > 3 {
            return None;
        }
        let wide = match pq_tq >> 4 {
            0 => false,
            1 => true,
            _ => return None,
        };
        let size = if wide { 128 } else { 64 };
        let values = seg.get(at + 1..at + 1 + size)?;
        for (k, q) in quant[id].iter_mut().enumerate() {
            *q = if wide {
                u16::from_be_bytes([values[2 * k], values[2 * k + 1]])
            } else {
                u16::from(values[k])
            };
        }
        seen[id] = true;
        at += 1 + size;
    }
    Some(())
}

struct Scan {
    /// Indices into the frame's components, with their DC and AC table ids.
    components: Vec<(usize, usize, usize)>,
    ss: u8,
    se: u8,
    ah: u8,
    al: u8,
}

fn parse_scan(seg: &[u8], frame: &Frame) -> Option<Scan> {
    let n = usize::from(*seg.first()?);
    if n == 0 || n > 4 {
        return None;
    }
    let mut components = Vec::with_capacity(n);
    for i in 0..n {
        let id = *seg.get(1 + 2 * i)?;
        let tables = *seg.get(2 + 2 * i)?;
        let index = frame.components.iter().position(|c| c.id == id)?;
        components.push((index, usize::from(tables >> 4), usize::from(tables & 15)));
    }
    let ss = *seg.get(1 + 2 * n)?;
    let se = *seg.get(2 + 2 * n)?;
    let a = *seg.get(3 + 2 * n)?;
    if frame.progressive {
        let (ah, al) = (a >> 4, a & 15);
        if (ss == 0) != (se == 0)
            || se > 63
            || ss > se
            || al > 13
            || (ah != 0 && ah != al + 1)
            || (ss != 0 && n != 1)
        {
            return None;
        }
    } else if ss != 0 || se != 63 || a != 0 {
        return None;
    }
    Some(Scan {
        components,
        ss,
        se,
        ah: a >> 4,
        al: a & 15,
    })
}

/// The position of the next marker other than `RSTn` at or after `from`.
fn next_marker(data: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    loop {
        at += data.get(at..)?.iter().position(|&b| b == 0xFF)?;
        match *data.get(at + 1)? {
            0x00 | 0xD0..=0xD7 | 0xFF => at += 1,
            _ => return Some(at),
        }
    }
}

/// One component as a scan sees it.
struct ScanComponent<'f, 't> {
    coefs: &'f mut [i16],
    nonzero: &'f mut [u64],
    grid_w: usize,
    /// Blocks per MCU across and down (1 x 1 in a single-component scan).
    h: usize,
    v: usize,
    dc_table: Option<&'t Huffman>,
    ac_table: Option<&'t Huffman>,
    pred: i32,
}

/// What a scan carries.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ScanKind {
    /// Sequential: DC and AC of every block.
    Sequential,
    /// Progressive DC, first pass or refinement.
    DcFirst,
    DcRefine,
    /// Progressive AC band, first pass or refinement.
    AcFirst,
    AcRefine,
}

/// Decodes one scan into the components' kept coefficients. Returns a position at or before
/// the marker that ends the scan.
fn decode_scan(
    frame: &mut Frame,
    scan: &Scan,
    mut bits: Bits<'_>,
    tables: &Tables<'_>,
    restart_interval: usize,
) -> Option<usize> {
    let kind = match (frame.progressive, scan.ss, scan.ah) {
        (false, _, _) => ScanKind::Sequential,
        (true, 0, 0) => ScanKind::DcFirst,
        (true, 0, _) => ScanKind::DcRefine,
        (true, _, 0) => ScanKind::AcFirst,
        (true, _, _) => ScanKind::AcRefine,
    };
    let kept = frame.kept;
    let per_block = kept.per_block();
    let single = scan.components.len() == 1;
    let (units_x, units_y) = if single {
        let c = frame.components.get(scan.components[0].0)?;
        (c.blocks_w, c.blocks_h)
    } else {
        (frame.mcus_x, frame.mcus_y)
    };
    // Mutable views of the scan's components, in scan order.
    let mut slots: Vec<Option<&mut Component>> = frame.components.iter_mut().map(Some).collect();
    let mut comps: Vec<ScanComponent<'_, '_>> = Vec::with_capacity(scan.components.len());
    for &(ci, td, ta) in &scan.components {
        let c = slots.get_mut(ci)?.take()?;
        match kind {
            ScanKind::DcRefine | ScanKind::AcFirst | ScanKind::AcRefine if !c.dc_seen => {
                return None
            }
            _ => c.dc_seen = true,
        }
        let dc_table = tables.dc.get(td)?.as_ref();
        let ac_table = tables.ac.get(ta)?.as_ref();
        let needs_dc = matches!(kind, ScanKind::Sequential | ScanKind::DcFirst);
        let needs_ac = matches!(
            kind,
            ScanKind::Sequential | ScanKind::AcFirst | ScanKind::AcRefine
        );
        if (needs_dc && dc_table.is_none()) || (needs_ac && ac_table.is_none()) {
            return None;
        }
        let (h, v) = if single { (1, 1) } else { (c.h, c.v) };
        comps.push(ScanComponent {
            grid_w: c.grid_w,
            coefs: &mut c.coefs,
            nonzero: &mut c.nonzero,
            h,
            v,
            dc_table,
            ac_table,
            pred: 0,
        });
    }
    let al = u32::from(scan.al);
    let band = Band {
        kept: &kept,
        ss: usize::from(scan.ss),
        se: usize::from(scan.se),
        al,
    };
    let mut eob_run = 0u32;
    let mut until_restart = restart_interval;
    let mut restarts = 0u8;
    for uy in 0..units_y {
        for ux in 0..units_x {
            if restart_interval > 0 {
                if until_restart == 0 {
                    if bits.overran() {
                        return None;
                    }
                    bits.restart(restarts & 7)?;
                    restarts = restarts.wrapping_add(1);
                    comps.iter_mut().for_each(|c| c.pred = 0);
                    eob_run = 0;
                    until_restart = restart_interval;
                }
                until_restart -= 1;
            }
            for c in comps.iter_mut() {
                for by in 0..c.v {
                    let row = (uy * c.v + by) * c.grid_w + ux * c.h;
                    for bx in 0..c.h {
                        let index = row + bx;
                        let block = c
                            .coefs
                            .get_mut(index * per_block..(index + 1) * per_block)?;
                        match kind {
                            ScanKind::DcRefine => {
                                block[0] |= (bits.get(1) as i16) << al;
                            }
                            ScanKind::Sequential | ScanKind::DcFirst => {
                                if bits.n < 32 {
                                    bits.refill();
                                }
                                let size = u32::from(bits.symbol(c.dc_table?)?);
                                if size > 11 {
                                    return None;
                                }
                                c.pred = c.pred.saturating_add(bits.receive_extend(size));
                                block[0] = i16::try_from(c.pred.checked_shl(al)?).ok()?;
                                if kind == ScanKind::Sequential {
                                    sequential_ac(&mut bits, c.ac_table?, block, &kept)?;
                                }
                            }
                            ScanKind::AcFirst | ScanKind::AcRefine => {
                                let nonzero = c.nonzero.get_mut(index)?;
                                let table = c.ac_table?;
                                if eob_run > 0 && kind == ScanKind::AcFirst {
                                    eob_run -= 1;
                                } else if kind == ScanKind::AcFirst {
                                    eob_run = ac_first(&mut bits, table, (block, nonzero), band)?;
                                } else {
                                    eob_run = ac_refine(
                                        &mut bits,
                                        table,
                                        (block, nonzero),
                                        band,
                                        eob_run,
                                    )?;
                                }
                            }
                        }
                    }
                }
            }
        }
        if bits.overran() {
            return None;
        }
    }
    // Read-ahead never passes a marker, so the next marker is at or after `pos`.
    Some(bits.pos)
}

/// The AC coefficients of one block of a sequential scan: the kept ones are stored, the rest
/// stepped over.
#[inline]
fn sequential_ac(
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

/// Steps over a sequential block's AC coefficients from zig-zag index `k` on.
#[inline]
fn skip_ac(bits: &mut Bits<'_>, table: &Huffman, mut k: usize) -> Option<()> {
    while k < 64 {
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

/// Stores coefficient `k` (zig-zag) of a block if it is kept; `None` past the block's end.
#[inline]
fn store(block: &mut [i16], kept: &Kept, k: usize, value: i16) -> Option<()> {
    let slot = *kept.slot.get(k)?;
    if slot != NOT_KEPT {
        block[usize::from(slot)] = value;
    }
    Some(())
}

/// A progressive AC scan's spectral band and bit position, and what the decode keeps.
#[derive(Clone, Copy)]
struct Band<'k> {
    kept: &'k Kept,
    ss: usize,
    se: usize,
    al: u32,
}

/// The first pass over a progressive AC band of one block (not inside an end-of-band run).
/// Returns the end-of-band run that follows it.
#[inline]
fn ac_first(
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
fn correct(block: &mut [i16], kept: &Kept, k: usize, p1: i16) -> Option<()> {
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
fn correct_all(
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
fn ac_refine(
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

/// One component's samples at reduced scale, before upsampling.
struct Plane {
    samples: Vec<u8>,
    w: usize,
    h: usize,
    /// Upsampling factors to the output grid.
    fx: usize,
    fy: usize,
}

/// Transforms the kept coefficients of every block of `c` into a plane.
fn transform(c: &Component, kept: &Kept, quant: &[u16; 64]) -> Vec<u8> {
    let n = kept.n;
    let per_block = kept.per_block();
    // The quantisers of the kept coefficients, in slot order.
    let mut q = [0i32; 16];
    for (k, &slot) in kept.slot.iter().enumerate() {
        if slot != NOT_KEPT {
            q[usize::from(slot)] = i32::from(quant[k]);
        }
    }
    // Only the blocks that cover the component (not the MCU padding).
    let w = c.blocks_w * n;
    let mut samples = vec![0u8; w * c.blocks_h * n];
    for (by, grid_row) in c
        .coefs
        .chunks_exact(c.grid_w * per_block)
        .take(c.blocks_h)
        .enumerate()
    {
        let out_rows = &mut samples[by * n * w..];
        for (bx, block) in grid_row
            .chunks_exact(per_block)
            .take(c.blocks_w)
            .enumerate()
        {
            let out = &mut out_rows[bx * n..];
            match n {
                1 => out[0] = idct_1x1(block[0], q[0]),
                _ => idct_4x4(block, &q, out, w),
            }
        }
    }
    samples
}

/// Transforms the kept coefficients and assembles the reduced-scale image.
fn render(frame: &Frame, quant: &[[u16; 64]; 4]) -> ScaledImage {
    let kept = frame.kept;
    let n = kept.n;
    let out_w = frame.width.div_ceil(8) * n;
    let out_h = frame.height.div_ceil(8) * n;
    let planes: Vec<Plane> = frame
        .components
        .iter()
        .map(|c| Plane {
            samples: transform(c, &kept, &quant[c.quant]),
            w: c.blocks_w * n,
            h: c.blocks_h * n,
            fx: frame.h_max / c.h,
            fy: frame.v_max / c.v,
        })
        .collect();
    let channels = if planes.len() == 1 { 1 } else { 3 };
    let mut pixels = vec![0u8; out_w * out_h * channels];
    let mut upsamplers: Vec<Upsampler> = planes.iter().map(|_| Upsampler::new(out_w)).collect();
    let mut rows: Vec<Vec<u8>> = vec![vec![0u8; out_w]; planes.len()];
    for (y, out) in pixels.chunks_exact_mut(out_w * channels).enumerate() {
        for ((plane, row), up) in planes.iter().zip(rows.iter_mut()).zip(&mut upsamplers) {
            up.row(plane, y, row);
        }
        match rows.as_slice() {
            [gray] => out.copy_from_slice(gray),
            [luma, cb, cr] => {
                for (((px, &y), &cb), &cr) in out.chunks_exact_mut(3).zip(luma).zip(cb).zip(cr) {
                    px.copy_from_slice(&ycc_to_rgb(y, cb, cr));
                }
            }
            _ => {}
        }
    }
    ScaledImage {
        width: out_w as u32,
        height: out_h as u32,
        channels,
        pixels,
    }
}

/// libjpeg's 1x1 IDCT: the block mean.
#[inline]
fn idct_1x1(dc: i16, q: i32) -> u8 {
    ((((i32::from(dc) * q + 4) >> 3) + 128).clamp(0, 255)) as u8
}

/// libjpeg 9's 4x4 IDCT (`jpeg_idct_4x4`: CONST_BITS 13, PASS1_BITS 2) of a block's 4x4
/// lowest frequencies.
fn idct_4x4(block: &[i16], q: &[i32; 16], out: &mut [u8], stride: usize) {
    const FIX_0_541196100: i64 = 4433;
    const FIX_0_765366865: i64 = 6270;
    const FIX_1_847759065: i64 = 15137;
    let d = |i: usize| i64::from(block[i]) * i64::from(q[i]);
    let mut ws = [0i64; 16];
    // Pass 1: columns.
    for col in 0..4 {
        let (t0, t2) = (d(col), d(8 + col));
        let (t10, t12) = ((t0 + t2) << 2, (t0 - t2) << 2);
        let (z2, z3) = (d(4 + col), d(12 + col));
        let z1 = (z2 + z3) * FIX_0_541196100 + (1 << 10);
        let t0 = (z1 + z2 * FIX_0_765366865) >> 11;
        let t2 = (z1 - z3 * FIX_1_847759065) >> 11;
        ws[col] = t10 + t0;
        ws[12 + col] = t10 - t0;
        ws[4 + col] = t12 + t2;
        ws[8 + col] = t12 - t2;
    }
    // Pass 2: rows, with the range centre and rounding folded in.
    for row in 0..4 {
        let w = &ws[row * 4..row * 4 + 4];
        let t0 = w[0] + ((128 << 5) + (1 << 4));
        let (t10, t12) = ((t0 + w[2]) << 13, (t0 - w[2]) << 13);
        let z1 = (w[1] + w[3]) * FIX_0_541196100;
        let t0 = z1 + w[1] * FIX_0_765366865;
        let t2 = z1 - w[3] * FIX_1_847759065;
        let px = |v: i64| (v >> 18).clamp(0, 255) as u8;
        let o = &mut out[row * stride..row * stride + 4];
        o[0] = px(t10 + t0);
        o[3] = px(t10 - t0);
        o[1] = px(t12 + t2);
        o[2] = px(t12 - t2);
    }
}

/// libjpeg's integer YCbCr -> RGB (16-bit fixed point, rounded).
#[inline]
fn ycc_to_rgb(y: u8, cb: u8, cr: u8) -> [u8; 3] {
    const HALF: i32 = 1 << 15;
    let y = i32::from(y);
    let cb = i32::from(cb) - 128;
    let cr = i32::from(cr) - 128;
    let r = y + ((91_881 * cr + HALF) >> 16);
    let g = y + ((-22_554 * cb - 46_802 * cr + HALF) >> 16);
    let b = y + ((116_130 * cb + HALF) >> 16);
    [
        r.clamp(0, 255) as u8,
        g.clamp(0, 255) as u8,
        b.clamp(0, 255) as u8,
    ]
}

/// Brings a component plane to the output size one row at a time: factor 1 copies, factor 2
/// uses the triangle ("fancy") filter of libjpeg (3/4 nearer + 1/4 farther sample, in both
/// directions), other factors replicate.
struct Upsampler {
    /// Horizontally upsampled source rows at 4x scale, with the row each holds.
    rows: [(usize, Vec<u16>); 3],
}

impl Upsampler {
    fn new(out_w: usize) -> Upsampler {
        Upsampler {
            rows: std::array::from_fn(|_| (usize::MAX, vec![0; out_w])),
        }
    }

    /// Source row `i` (clamped) of `plane`, upsampled horizontally; computed at most once
    /// while it stays among the three most recent.
    fn horizontal_row(&mut self, plane: &Plane, i: usize, avoid: usize) -> usize {
        let i = i.min(plane.h - 1);
        if let Some(slot) = self.rows.iter().position(|r| r.0 == i) {
            return slot;
        }
        // Evict the row furthest from `i` that is not the one in use.
        let slot = (0..3)
            .filter(|&s| s != avoid)
            .max_by_key(|&s| self.rows[s].0.abs_diff(i))
            .unwrap_or(0);
        let row = &plane.samples[i * plane.w..][..plane.w];
        horizontal(row, plane.fx, &mut self.rows[slot].1);
        self.rows[slot].0 = i;
        slot
    }

    /// Output row `y` of `plane` into `out` (the output width).
    fn row(&mut self, plane: &Plane, y: usize, out: &mut [u8]) {
        let i = y / plane.fy;
        if plane.fx == 1 && plane.fy == 1 {
            let src = &plane.samples[i.min(plane.h - 1) * plane.w..][..plane.w];
            let len = out.len().min(src.len());
            out[..len].copy_from_slice(&src[..len]);
            return;
        }
        let near = self.horizontal_row(plane, i, usize::MAX);
        if plane.fy == 2 {
            let far = if y.is_multiple_of(2) {
                i.saturating_sub(1)
            } else {
                i + 1
            };
            let far = self.horizontal_row(plane, far, near);
            let (near, far) = (&self.rows[near].1, &self.rows[far].1);
            for ((d, &a), &b) in out.iter_mut().zip(near).zip(far) {
                *d = ((3 * u32::from(a) + u32::from(b) + 8) >> 4) as u8;
            }
        } else {
            for (d, &a) in out.iter_mut().zip(&self.rows[near].1) {
                *d = ((u32::from(a) + 2) >> 2) as u8;
            }
        }
    }
}

/// Upsamples one row horizontally by `fx` into `out`, at 4x scale.
fn horizontal(row: &[u8], fx: usize, out: &mut [u16]) {
    let w = row.len();
    if out.is_empty() || w == 0 {
        return;
    }
    let at = |i: usize| u16::from(row[i.min(w - 1)]);
    if fx != 2 {
        for (x, d) in out.iter_mut().enumerate() {
            *d = 4 * at(x / fx);
        }
        return;
    }
    // Interior pairs need no clamping; the ends repeat the edge sample.
    let pairs = out.len() / 2;
    let interior = pairs.min(w).saturating_sub(1);
    if interior > 1 {
        for (pair, win) in out[2..2 * interior].chunks_exact_mut(2).zip(row.windows(3)) {
            let near = 3 * u16::from(win[1]);
            pair[0] = near + u16::from(win[0]);
            pair[1] = near + u16::from(win[2]);
        }
    }
    // The first pair (or lone sample, for a one-sample output) and the last ones.
    for i in std::iter::once(0).chain(interior.max(1)..out.len().div_ceil(2)) {
        let near = 3 * at(i);
        out[2 * i] = near + at(i.saturating_sub(1));
        if let Some(second) = out.get_mut(2 * i + 1) {
            *second = near + at(i + 1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ycc_of_neutral_gray_is_gray() {
        assert_eq!(ycc_to_rgb(100, 128, 128), [100, 100, 100]);
        assert_eq!(ycc_to_rgb(255, 0, 255), [255, 208, 28]);
    }

    fn upsample(samples: &[u8], w: usize, h: usize, fx: usize, fy: usize) -> Vec<Vec<u8>> {
        let plane = Plane {
            samples: samples.to_vec(),
            w,
            h,
            fx,
            fy,
        };
        let mut up = Upsampler::new(w * fx);
        (0..h * fy)
            .map(|y| {
                let mut row = vec![0; w * fx];
                up.row(&plane, y, &mut row);
                row
            })
            .collect()
    }

    #[test]
    fn upsampling_by_two_uses_the_triangle_filter() {
        // One row 0, 100 doubled: 0, 25, 75, 100.
        assert_eq!(upsample(&[0, 100], 2, 1, 2, 1), vec![vec![0, 25, 75, 100]]);
        // Interior samples too: 3/4 of the nearer, 1/4 of the farther neighbour.
        let out = upsample(&[0, 40, 80, 120], 4, 1, 2, 1);
        assert_eq!(out, vec![vec![0, 10, 30, 50, 70, 90, 110, 120]]);
        // Vertically: rows 0 and 100 give 0, 25, 75, 100 (each side).
        let out = upsample(&[0, 100], 1, 2, 1, 2);
        assert_eq!(out, vec![vec![0], vec![25], vec![75], vec![100]]);
        // 2x2 at once, and replication for factor 4.
        let out = upsample(&[0, 64, 128, 192], 2, 2, 2, 2);
        assert_eq!(out[0], vec![0, 16, 48, 64]);
        assert_eq!(out[1], vec![32, 48, 80, 96]);
        assert_eq!(
            upsample(&[7, 9], 2, 1, 4, 1),
            vec![vec![7, 7, 7, 7, 9, 9, 9, 9]]
        );
        // A one-sample output row (an 8-pixel-wide 4:2:x JPEG at 1/8 scale) gets its sample.
        let plane = Plane {
            samples: vec![7],
            w: 1,
            h: 1,
            fx: 2,
            fy: 1,
        };
        let mut row = vec![0];
        Upsampler::new(1).row(&plane, 0, &mut row);
        assert_eq!(row, vec![7]);
    }

    /// The corpus: `$THUMBPRINT_CORPUS`, else `../shared/corpus` beside the checkout.
    fn corpus_dir() -> std::path::PathBuf {
        std::env::var_os("THUMBPRINT_CORPUS").map_or_else(
            || std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus"),
            std::path::PathBuf::from,
        )
    }

    /// Luma of an 8-bit RGB or gray sample.
    fn luma(px: &[u8]) -> u32 {
        match px {
            [r, g, b] => (77 * u32::from(*r) + 150 * u32::from(*g) + 29 * u32::from(*b) + 128) >> 8,
            [y, ..] => u32::from(*y),
            [] => 0,
        }
    }

    /// Every corpus JPEG this decoder takes must agree, at each scale, with the full decoder's
    /// means over the area each reduced sample covers: in luma up to IDCT rounding (1/8 scale)
    /// or the low-pass nature of the scaled IDCTs; in colour more loosely, since subsampled
    /// chroma is known only per 2x2 area. Both a sequential and a progressive file must be
    /// among them.
    #[test]
    fn samples_agree_with_the_full_decoder() {
        let corpus = corpus_dir();
        let Ok(manifest) = std::fs::read_to_string(corpus.join("MANIFEST.tsv")) else {
            panic!("corpus manifest missing at {}", corpus.display());
        };
        let (mut sequential, mut progressive) = (0, 0);
        for line in manifest.lines().skip(1) {
            let mut fields = line.split('\t');
            let path = fields.next().unwrap_or_default();
            if fields.next_back().is_some_and(|e| e.starts_with("error")) {
                continue; // bombs and broken files: not for a full decode here
            }
            let Ok(bytes) = std::fs::read(corpus.join(path)) else {
                continue;
            };
            if decode(&bytes, 1).is_none() {
                continue;
            }
            let full = image::load_from_memory(&bytes).expect("the full decoder takes it too");
            let (w, h) = (full.width() as usize, full.height() as usize);
            for (n, luma_bound) in [(1, 1.5), (4, 4.0)] {
                let Some(small) = decode(&bytes, n) else {
                    panic!("{path}: taken at 1/8 scale but not at {n}/8");
                };
                let c = small.channels;
                let full = if c == 1 {
                    full.to_luma8().into_raw()
                } else {
                    full.to_rgb8().into_raw()
                };
                assert_eq!(
                    (small.width as usize, small.height as usize),
                    (w.div_ceil(8) * n, h.div_ceil(8) * n)
                );
                let cell = 8 / n;
                let (mut luma_error, mut sample_error, mut count) = (0u64, 0u64, 0u64);
                for cy in 0..h / cell {
                    for cx in 0..w / cell {
                        let at = |x: usize, y: usize| ((cy * cell + y) * w + cx * cell + x) * c;
                        let got = &small.pixels[(cy * small.width as usize + cx) * c..][..c];
                        let mut sums = [0u32; 4];
                        for y in 0..cell {
                            for x in 0..cell {
                                let px = &full[at(x, y)..at(x, y) + c];
                                sums[3] += luma(px);
                                for ch in 0..c {
                                    sums[ch] += u32::from(px[ch]);
                                }
                            }
                        }
                        let area = (cell * cell) as u32;
                        let mean = |s: u32| (s + area / 2) / area;
                        luma_error += u64::from(mean(sums[3]).abs_diff(luma(got)));
                        for ch in 0..c {
                            sample_error += u64::from(mean(sums[ch]).abs_diff(u32::from(got[ch])));
                        }
                        count += 1;
                    }
                }
                let count = count.max(1) as f64;
                let (luma_error, sample_error) = (
                    luma_error as f64 / count,
                    sample_error as f64 / count / c as f64,
                );
                assert!(
                    luma_error < luma_bound,
                    "{path} at {n}/8: mean luma error {luma_error:.2}"
                );
                // Tiny images are all edges at 1/8 scale; the colour bound applies from 8x8
                // blocks.
                if count >= 64.0 {
                    assert!(
                        sample_error < 8.0,
                        "{path} at {n}/8: mean sample error {sample_error:.2}"
                    );
                }
            }
            if bytes.windows(2).any(|m| m == [0xFF, 0xC2]) {
                progressive += 1;
            } else {
                sequential += 1;
            }
        }
        assert!(
            sequential >= 5 && progressive >= 1,
            "{sequential} sequential, {progressive} progressive"
        );
    }

    /// Truncations and byte flips of every corpus JPEG: no panic, and a file cut before its
    /// end marker never decodes (it must reach the full decoder, which decides its outcome).
    #[test]
    fn damaged_files_never_panic() {
        let corpus = corpus_dir();
        let manifest = std::fs::read_to_string(corpus.join("MANIFEST.tsv")).unwrap_or_default();
        let mut tried = 0;
        for path in manifest
            .lines()
            .skip(1)
            .filter_map(|l| l.split('\t').next())
        {
            let Ok(bytes) = std::fs::read(corpus.join(path)) else {
                continue;
            };
            if !bytes.starts_with(&[0xFF, 0xD8]) || bytes.len() > 400_000 {
                continue;
            }
            let small_enough = |b: &[u8]| {
                crate::header::jpeg_frame(b)
                    .is_none_or(|f| u64::from(f.width) * u64::from(f.height) <= 1 << 26)
            };
            let step = (bytes.len() / 48).max(1);
            for cut in (2..bytes.len().saturating_sub(2)).step_by(step) {
                let truncated = &bytes[..cut];
                let has_end = truncated.windows(2).any(|m| m == [0xFF, 0xD9]);
                if small_enough(truncated) {
                    for n in [1, 4] {
                        let decoded = decode(truncated, n).is_some();
                        assert!(!decoded || has_end, "{path} cut at {cut} decoded at {n}/8");
                    }
                }
                let mut flipped = bytes.clone();
                flipped[cut] ^= 0x5A;
                if small_enough(&flipped) {
                    for n in [1, 4] {
                        let _ = decode(&flipped, n);
                    }
                }
                tried += 1;
            }
        }
        assert!(tried > 1000, "only {tried} damaged inputs");
    }

    #[test]
    fn non_jpeg_and_truncated_input_is_left_to_the_full_decoder() {
        assert!(decode(b"not a jpeg", 4).is_none());
        assert!(decode(&[0xFF, 0xD8, 0xFF], 4).is_none());
        let ok = std::fs::read(corpus_dir().join("photos/rocket.jpg")).unwrap_or_default();
        assert!(decode(&ok, 4).is_some(), "photos/rocket.jpg is needed here");
        assert!(
            decode(&ok, 2).is_none(),
            "only 1/8 and 1/2 scale are offered"
        );
    }
}
