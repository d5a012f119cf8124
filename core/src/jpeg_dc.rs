//! The 1/8-scale JPEG decoder: the image made of each 8x8 block's DC coefficient.
//!
//! A block's DC coefficient is its exact mean, so the 1/8-scale image of a JPEG is integer
//! arithmetic that every target computes alike (libjpeg's 1x1 IDCT: `((dc * q + 4) >> 3) + 128`).
//! For a **progressive** JPEG only the DC scans are entropy-decoded; the AC scans (most of the
//! file) are skipped over by looking for the next marker. For a **sequential** JPEG every
//! Huffman symbol must be read, but the AC values are skipped, never stored, dequantised or
//! transformed. No buffer larger than the 1/8-scale image is made.
//!
//! Anything unusual (a missing table, an invalid code, truncation, restart markers out of
//! order, CMYK or RGB-coded files, DNL) makes [`decode`] return `None`, and the caller falls back
//! to the full decoder, so outcomes for damaged files stay those of the full decoder.

/// A decoded 1/8-scale image: gray (1 channel) or RGB (3), row-major, 8 bits per sample.
pub struct DcImage {
    /// `ceil(width / 8)` of the source.
    pub width: u32,
    /// `ceil(height / 8)` of the source.
    pub height: u32,
    /// 1 or 3.
    pub channels: usize,
    /// Interleaved samples.
    pub pixels: Vec<u8>,
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
        Some(Huffman {
            lookup,
            skip,
            max_code,
            offset,
            values: values.to_vec(),
        })
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
    #[inline]
    fn receive_extend(&mut self, bits: u32) -> i32 {
        if bits == 0 {
            return 0;
        }
        let v = self.get(bits) as i32;
        if v < (1 << (bits - 1)) {
            v - (1 << bits) + 1
        } else {
            v
        }
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
    /// Width of the DC grid in blocks (MCU-padded).
    grid_w: usize,
    /// Blocks covering the component itself (non-interleaved scans use these).
    blocks_w: usize,
    blocks_h: usize,
    dc: Vec<i16>,
    dc_seen: bool,
}

struct Frame {
    progressive: bool,
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

/// Decodes the 1/8-scale image, or `None` when the full decoder should handle the file.
pub fn decode(data: &[u8]) -> Option<DcImage> {
    if data.get(0..2)? != [0xFF, 0xD8] {
        return None;
    }
    let mut pos = 2;
    let mut frame: Option<Frame> = None;
    let mut dc_tables: [Option<Huffman>; 4] = [None, None, None, None];
    let mut ac_tables: [Option<Huffman>; 4] = [None, None, None, None];
    let mut quant = [0i32; 4];
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
                frame = Some(parse_frame(seg, marker == 0xC2)?);
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
                pos = if f.progressive && scan.ss != 0 {
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

fn parse_frame(seg: &[u8], progressive: bool) -> Option<Frame> {
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
            dc: Vec::new(),
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
        c.dc = vec![0; c.grid_w * grid_h];
    }
    Some(Frame {
        progressive,
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

fn parse_dqt(seg: &[u8], quant: &mut [i32; 4], seen: &mut [bool; 4]) -> Option<()> {
    let mut at = 0;
    while at < seg.len() {
        let pq_tq = seg[at];
        let id = usize::from(pq_tq & 15);
        if id > 3 {
            return None;
        }
        // The first value in zig-zag order is the DC quantiser.
        let (q, size) = match pq_tq >> 4 {
            0 => (i32::from(*seg.get(at + 1)?), 64),
            1 => (be16(seg, at + 1)? as i32, 128),
            _ => return None,
        };
        seg.get(at + 1..at + 1 + size)?;
        quant[id] = q;
        seen[id] = true;
        at += 1 + size;
    }
    Some(())
}

struct Scan {
    /// Indices into the frame's components, with their DC and AC table ids.
    components: Vec<(usize, usize, usize)>,
    ss: u8,
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
        if (ss == 0) != (se == 0) || se > 63 || ss > se {
            return None;
        }
    } else if ss != 0 || se != 63 || a != 0 {
        return None;
    }
    Some(Scan {
        components,
        ss,
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
    dc: &'f mut [i16],
    grid_w: usize,
    /// Blocks per MCU across and down (1 x 1 in a single-component scan).
    h: usize,
    v: usize,
    dc_table: Option<&'t Huffman>,
    ac_table: Option<&'t Huffman>,
    pred: i32,
}

/// Decodes one scan's DC values (and steps over the AC symbols of a sequential scan).
/// Returns a position at or before the marker that ends the scan.
fn decode_scan(
    frame: &mut Frame,
    scan: &Scan,
    mut bits: Bits<'_>,
    tables: &Tables<'_>,
    restart_interval: usize,
) -> Option<usize> {
    let refine = frame.progressive && scan.ah != 0;
    let sequential = !frame.progressive;
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
        if refine && !c.dc_seen {
            return None;
        }
        c.dc_seen = true;
        let dc_table = tables.dc.get(td)?.as_ref();
        let ac_table = tables.ac.get(ta)?.as_ref();
        if (!refine && dc_table.is_none()) || (sequential && ac_table.is_none()) {
            return None;
        }
        let (h, v) = if single { (1, 1) } else { (c.h, c.v) };
        comps.push(ScanComponent {
            grid_w: c.grid_w,
            dc: &mut c.dc,
            h,
            v,
            dc_table,
            ac_table,
            pred: 0,
        });
    }
    let al = u32::from(scan.al);
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
                    until_restart = restart_interval;
                }
                until_restart -= 1;
            }
            for c in comps.iter_mut() {
                for by in 0..c.v {
                    let row = (uy * c.v + by) * c.grid_w + ux * c.h;
                    for bx in 0..c.h {
                        let slot = c.dc.get_mut(row + bx)?;
                        if refine {
                            *slot |= (bits.get(1) as i16) << al;
                            continue;
                        }
                        if bits.n < 32 {
                            bits.refill();
                        }
                        let size = u32::from(bits.symbol(c.dc_table?)?);
                        if size > 11 {
                            return None;
                        }
                        c.pred = c.pred.saturating_add(bits.receive_extend(size));
                        *slot = i16::try_from(c.pred.checked_shl(al)?).ok()?;
                        if sequential {
                            skip_ac(&mut bits, c.ac_table?)?;
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

/// Steps over one block's 63 AC coefficients of a sequential scan.
#[inline]
fn skip_ac(bits: &mut Bits<'_>, table: &Huffman) -> Option<()> {
    let mut k = 1;
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

/// Dequantises the DC grids and assembles the 1/8-scale image.
fn render(frame: &Frame, quant: &[i32; 4]) -> DcImage {
    let out_w = frame.width.div_ceil(8);
    let out_h = frame.height.div_ceil(8);
    let planes: Vec<Vec<u8>> = frame
        .components
        .iter()
        .map(|c| {
            let q = quant[c.quant];
            // Only the blocks that cover the component (not the MCU padding).
            let mut samples = Vec::with_capacity(c.blocks_w * c.blocks_h);
            for row in c.dc.chunks_exact(c.grid_w).take(c.blocks_h) {
                samples.extend(
                    row[..c.blocks_w]
                        .iter()
                        .map(|&dc| ((((i32::from(dc) * q + 4) >> 3) + 128).clamp(0, 255)) as u8),
                );
            }
            upsample(
                &samples,
                c.blocks_w,
                c.blocks_h,
                frame.h_max / c.h,
                frame.v_max / c.v,
                out_w,
                out_h,
            )
        })
        .collect();
    if planes.len() == 1 {
        return DcImage {
            width: out_w as u32,
            height: out_h as u32,
            channels: 1,
            pixels: planes.into_iter().next().unwrap_or_default(),
        };
    }
    let mut pixels = vec![0u8; out_w * out_h * 3];
    for (((px, &y), &cb), &cr) in pixels
        .chunks_exact_mut(3)
        .zip(&planes[0])
        .zip(&planes[1])
        .zip(&planes[2])
    {
        px.copy_from_slice(&ycc_to_rgb(y, cb, cr));
    }
    DcImage {
        width: out_w as u32,
        height: out_h as u32,
        channels: 3,
        pixels,
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

/// Brings a component plane to the output size: factor 1 copies, factor 2 uses the triangle
/// ("fancy") filter of libjpeg (3/4 nearer + 1/4 farther sample), other factors replicate.
fn upsample(
    plane: &[u8],
    w: usize,
    h: usize,
    fx: usize,
    fy: usize,
    out_w: usize,
    out_h: usize,
) -> Vec<u8> {
    if fx == 1 && fy == 1 && w == out_w {
        let mut out = plane.to_vec();
        out.truncate(out_w * out_h);
        return out;
    }
    // Horizontal pass into 4x-scaled values, then vertical.
    let mut rows: Vec<u16> = vec![0; out_w * h];
    for (row, dst) in plane.chunks_exact(w).zip(rows.chunks_exact_mut(out_w)) {
        let at = |i: usize| u16::from(row[i.min(w - 1)]);
        match fx {
            2 => {
                for (i, pair) in dst.chunks_mut(2).enumerate() {
                    let near = 3 * at(i);
                    pair[0] = near + at(i.saturating_sub(1));
                    if let Some(second) = pair.get_mut(1) {
                        *second = near + at(i + 1);
                    }
                }
            }
            _ => {
                for (x, d) in dst.iter_mut().enumerate() {
                    *d = 4 * at(x / fx);
                }
            }
        }
    }
    let mut out = vec![0u8; out_w * out_h];
    let line = |i: usize| &rows[i.min(h - 1) * out_w..][..out_w];
    for (y, dst) in out.chunks_exact_mut(out_w).enumerate() {
        let i = y / fy;
        let near = line(i);
        if fy == 2 {
            let far = line(if y % 2 == 0 {
                i.saturating_sub(1)
            } else {
                i + 1
            });
            for ((d, &a), &b) in dst.iter_mut().zip(near).zip(far) {
                *d = ((3 * u32::from(a) + u32::from(b) + 8) >> 4) as u8;
            }
        } else {
            for (d, &a) in dst.iter_mut().zip(near) {
                *d = ((u32::from(a) + 2) >> 2) as u8;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ycc_of_neutral_gray_is_gray() {
        assert_eq!(ycc_to_rgb(100, 128, 128), [100, 100, 100]);
        assert_eq!(ycc_to_rgb(255, 0, 255), [255, 208, 28]);
    }

    #[test]
    fn upsampling_by_two_uses_the_triangle_filter() {
        // One row 0, 100 doubled: 0, 25, 75, 100.
        let out = upsample(&[0, 100], 2, 1, 2, 1, 4, 1);
        assert_eq!(out, vec![0, 25, 75, 100]);
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

    /// Every corpus JPEG this decoder takes must agree with the full decoder's 8x8 block
    /// means: in luma up to IDCT rounding; in colour more loosely, since subsampled chroma is
    /// known only per 16x16 area at this scale. Both a sequential and a progressive file must
    /// be among them.
    #[test]
    fn block_means_agree_with_the_full_decoder() {
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
            let Some(dc) = decode(&bytes) else { continue };
            let full = image::load_from_memory(&bytes).expect("the full decoder takes it too");
            let (w, h) = (full.width() as usize, full.height() as usize);
            assert_eq!(
                (dc.width as usize, dc.height as usize),
                (w.div_ceil(8), h.div_ceil(8))
            );
            let c = dc.channels;
            let full = if c == 1 {
                full.to_luma8().into_raw()
            } else {
                full.to_rgb8().into_raw()
            };
            let (mut luma_error, mut sample_error, mut n) = (0u64, 0u64, 0u64);
            for by in 0..h / 8 {
                for bx in 0..w / 8 {
                    let at = |x: usize, y: usize| ((by * 8 + y) * w + bx * 8 + x) * c;
                    let got = &dc.pixels[(by * dc.width as usize + bx) * c..][..c];
                    let mut sums = [0u32; 4];
                    for y in 0..8 {
                        for x in 0..8 {
                            let px = &full[at(x, y)..at(x, y) + c];
                            sums[3] += luma(px);
                            for ch in 0..c {
                                sums[ch] += u32::from(px[ch]);
                            }
                        }
                    }
                    luma_error += u64::from(((sums[3] + 32) / 64).abs_diff(luma(got)));
                    for ch in 0..c {
                        sample_error +=
                            u64::from(((sums[ch] + 32) / 64).abs_diff(u32::from(got[ch])));
                    }
                    n += 1;
                }
            }
            let n = n.max(1) as f64;
            let (luma_error, sample_error) =
                (luma_error as f64 / n, sample_error as f64 / n / c as f64);
            assert!(luma_error < 1.5, "{path}: mean luma error {luma_error:.2}");
            // Tiny images are all edges at this scale; the colour bound applies from 8x8 blocks.
            if n >= 64.0 {
                assert!(
                    sample_error < 8.0,
                    "{path}: mean sample error {sample_error:.2}"
                );
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
                    let decoded = decode(truncated).is_some();
                    assert!(!decoded || has_end, "{path} cut at {cut} decoded");
                }
                let mut flipped = bytes.clone();
                flipped[cut] ^= 0x5A;
                if small_enough(&flipped) {
                    let _ = decode(&flipped);
                }
                tried += 1;
            }
        }
        assert!(tried > 1000, "only {tried} damaged inputs");
    }

    #[test]
    fn non_jpeg_and_truncated_input_is_left_to_the_full_decoder() {
        assert!(decode(b"not a jpeg").is_none());
        assert!(decode(&[0xFF, 0xD8, 0xFF]).is_none());
    }
}
