//! The reduced-scale JPEG decoder: 1/8, 1/4 or 1/2 of the source in each axis, straight from
//! the DCT coefficients.
//!
//! At 1/8 scale a block's DC coefficient is its exact mean, so the image is libjpeg's 1x1 IDCT
//! `((dc * q + 4) >> 3) + 128`; at 1/4 and 1/2 scale only the 2x2 or 4x4 lowest frequencies of
//! each block are kept and transformed by libjpeg 9's integer 2x2 or 4x4 IDCT. All of it is
//! integer arithmetic with no SIMD, so every target computes the same samples.
//!
//! For a **progressive** JPEG at 1/8 scale only the DC scans are entropy-decoded and the AC
//! scans (most of the file) are skipped over by looking for the next marker. At 1/4 and 1/2
//! scale every scan is decoded, but only the kept coefficients are stored, with one bit per
//! coefficient saying whether it is non-zero (which the refinement scans need). For a
//! **sequential** JPEG every Huffman symbol is read, but the coefficients past the kept ones
//! are stepped over, never stored (several whole code-and-magnitude units per table lookup,
//! `huffman::RUN_BITS` bits at a time, up to the end of the block); and when its first scan carries every component (nearly
//! always), each MCU row is transformed and assembled as soon as it is decoded, so no
//! coefficient store exists at all (`render::Assembler`). No buffer holds the image at full
//! scale.
//!
//! Anything unusual (a missing table, an invalid code, truncation, restart markers out of
//! order, CMYK or RGB-coded files, DNL) makes [`decode`] return a [`Fallback`] saying why, and
//! the caller hands the file to the full decoder, so outcomes for damaged files stay those of the
//! full decoder.
//!
//! One job per file, after zune-jpeg's layout: [`markers`] (the marker walk the whole crate
//! uses), `frame` and `tables` (segments), `huffman` and `bitstream` (entropy decoding), `scan`
//! (the MCU loop), `sequential` and `progressive` (coefficients), `kept` (which coefficients a
//! scale keeps), `idct`, `upsample` and `render` (samples).

mod bitstream;
mod encoder;
mod frame;
mod huffman;
#[cfg(test)]
mod huffman_tests;
mod idct;
mod kept;
pub(crate) mod markers;
mod progressive;
mod render;
mod scan;
mod sequential;
mod tables;
#[cfg(test)]
mod tests;
mod upsample;

use image::DynamicImage;

pub(crate) use encoder::encode;

use frame::Frame;
use huffman::Huffman;
use kept::Kept;
use markers::{Item, Markers};

/// The scales the reduced-scale decoder offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scale {
    /// 1/8 in each axis: one sample per 8x8 block, its DC coefficient.
    Eighth,
    /// 1/4 in each axis: 2x2 samples per block, from its 2x2 lowest frequencies.
    Quarter,
    /// 1/2 in each axis: 4x4 samples per block, from its 4x4 lowest frequencies.
    Half,
}

impl Scale {
    /// Samples per block side (1, 2 or 4).
    pub fn samples_per_block(self) -> usize {
        match self {
            Scale::Eighth => 1,
            Scale::Quarter => 2,
            Scale::Half => 4,
        }
    }

    /// Full-scale pixels per reduced pixel along each axis (8, 4 or 2).
    pub fn factor(self) -> u32 {
        match self {
            Scale::Eighth => 8,
            Scale::Quarter => 4,
            Scale::Half => 2,
        }
    }

    /// The decoded size of a `width` x `height` JPEG: whole blocks, `samples_per_block` each.
    pub fn decoded_size(self, width: u32, height: u32) -> (u32, u32) {
        let n = self.samples_per_block() as u32;
        (width.div_ceil(8) * n, height.div_ceil(8) * n)
    }

    /// How the budget and `inspect` name the path (`"1/8"`, `"1/4"`, `"1/2"`).
    pub fn name(self) -> &'static str {
        match self {
            Scale::Eighth => "1/8",
            Scale::Quarter => "1/4",
            Scale::Half => "1/2",
        }
    }
}

/// Why the reduced-scale decoder hands a file to the full decoder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Fallback {
    /// No SOI marker: not a JPEG.
    NotJpeg,
    /// The data ends before the image does (a marker, a segment or a scan is cut off).
    Truncated,
    /// Something other than a marker where one must be.
    BadMarker,
    /// Lossless, hierarchical or arithmetic-coded.
    UnsupportedProcess,
    /// The height is given later by a DNL marker.
    Dnl,
    /// A second frame (SOF segment).
    SecondFrame,
    /// A frame (SOF segment) this decoder does not take: not 8-bit, zero size, sampling factors it does
    /// not divide.
    BadFrame,
    /// Four components (CMYK or YCCK).
    Cmyk,
    /// A component count other than 1, 3 or 4.
    ComponentCount,
    /// Three components coded as RGB (Adobe transform 0, or component ids `R`, `G`, `B`).
    RgbCoded,
    /// A Huffman or quantisation table that cannot be built.
    BadTable,
    /// A scan uses a table never defined, or a component lacks its DC coefficients or its
    /// quantisation table.
    MissingTable,
    /// A scan (SOS segment) that does not fit the frame.
    BadScan,
    /// A scan before the frame, or no frame at all.
    NoFrame,
    /// Entropy-coded data that does not decode (an invalid code, a coefficient past the block,
    /// a value out of range, bits read past the scan).
    CorruptData,
    /// Restart markers missing or out of order.
    Restart,
}

impl Fallback {
    /// A snake_case name for logs.
    pub fn name(self) -> &'static str {
        match self {
            Fallback::NotJpeg => "not_jpeg",
            Fallback::Truncated => "truncated",
            Fallback::BadMarker => "bad_marker",
            Fallback::UnsupportedProcess => "unsupported_process",
            Fallback::Dnl => "dnl",
            Fallback::SecondFrame => "second_frame",
            Fallback::BadFrame => "bad_frame",
            Fallback::Cmyk => "cmyk",
            Fallback::ComponentCount => "component_count",
            Fallback::RgbCoded => "rgb_coded",
            Fallback::BadTable => "bad_table",
            Fallback::MissingTable => "missing_table",
            Fallback::BadScan => "bad_scan",
            Fallback::NoFrame => "no_frame",
            Fallback::CorruptData => "corrupt_data",
            Fallback::Restart => "restart",
        }
    }
}

impl From<markers::Stop> for Fallback {
    fn from(stop: markers::Stop) -> Fallback {
        match stop {
            markers::Stop::Truncated => Fallback::Truncated,
            markers::Stop::NotAMarker => Fallback::BadMarker,
        }
    }
}

/// Decodes the image at `scale`: gray or RGB, 8 bits per sample, `scale.decoded_size(..)` pixels
/// (whole blocks). Or the reason the full decoder should handle the file.
pub fn decode(data: &[u8], scale: Scale) -> Result<DynamicImage, Fallback> {
    decode_with(data, scale, Assembly::AsDecoded)
}

/// When the samples of a scan that carries every component of a sequential frame are made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Assembly {
    /// One MCU row at a time as the scan is decoded (what [`decode`] does).
    AsDecoded,
    /// After the scan, from every block's stored coefficients, like every other file (for
    /// [`decode_scales`], and for tests that prove both give the same samples).
    Stored,
    /// Never: each MCU row is dropped once decoded ([`coefficients`], the entropy bench).
    Dropped,
}

fn decode_with(data: &[u8], scale: Scale, assembly: Assembly) -> Result<DynamicImage, Fallback> {
    match read(data, scale, assembly)? {
        Read::Streamed(assembler) => assembler.finish(),
        Read::Stored(mut frame, quant) => {
            frame.scans_done();
            render::render(&frame, &quant)
        }
    }
    .ok_or(Fallback::BadFrame)
}

/// Entropy-decodes every scan of `data` keeping all 64 coefficients of every block (the
/// entropy work of a full-scale decode): a sequential file's one scan an MCU row at a time
/// into a buffer that is dropped, as libjpeg does, other files into the store. Renders
/// nothing. For `benches/entropy.py`'s
/// full-coefficient rate only; returns the number of blocks stored.
pub(crate) fn coefficients(data: &[u8]) -> Result<usize, Fallback> {
    let mut reader = Reader::new(data, Scale::Half, Assembly::Dropped);
    reader.kept = Kept::every();
    match walk(reader)?.finish()? {
        Read::Stored(frame, _) => Ok(frame.components.iter().map(|c| c.grid_w * c.grid_h).sum()),
        Read::Streamed(_) => Err(Fallback::BadScan),
    }
}

/// Several scales of one file from one entropy decode (a thumbnail set whose members need
/// different scales): image `i` is exactly `decode(data, scales[i])`.
///
/// Every block's coefficients are stored at the largest scale asked for, then each scale is
/// rendered from its own kept ones. The coefficients a scale keeps have the same values
/// whatever else is kept, and a decode that keeps more checks at least as much (the refinement
/// bits of more coefficients; at 1/8 a progressive file's AC scans are not even read), so when
/// this succeeds each single decode succeeds too, with the same coefficients. When it cannot be
/// shown to be the same, it says so with a [`Fallback`] and the caller decodes each scale on
/// its own: any fallback of the largest scale's decode, and a quantisation table redefined
/// after a scan that a single decode assembles as it goes (with the table of its time).
pub fn decode_scales(data: &[u8], scales: &[Scale]) -> Result<Vec<DynamicImage>, Fallback> {
    let largest = scales
        .iter()
        .copied()
        .max_by_key(|s| s.samples_per_block())
        .ok_or(Fallback::NoFrame)?;
    let Read::Stored(mut frame, quant) = read(data, largest, Assembly::Stored)? else {
        return Err(Fallback::BadScan);
    };
    frame.scans_done();
    scales
        .iter()
        .map(|&s| {
            if s == largest {
                render::render(&frame, &quant)
            } else {
                render::render(&frame.narrowed(Kept::new(s)), &quant)
            }
            .ok_or(Fallback::BadFrame)
        })
        .collect()
}

/// The coefficient footprint of [`decode_scales`] at `scale` for a `width` x `height` file with
/// `components` components: every block's kept coefficients and (progressive) non-zero flags,
/// an upper bound for any sampling.
pub fn stored_bytes(width: u32, height: u32, components: u32, scale: Scale) -> u64 {
    // MCU padding adds at most 4 blocks (32 px) in each direction.
    let blocks = (u64::from(width).div_ceil(8) + 4) * (u64::from(height).div_ceil(8) + 4);
    let per_block = (scale.samples_per_block() * scale.samples_per_block()) as u64 * 2 + 8;
    blocks * u64::from(components) * per_block
}

/// What reading a file's scans leaves: the image, assembled as its one scan was decoded, or
/// every block's kept coefficients and the quantisers.
enum Read {
    Streamed(render::Assembler),
    Stored(Frame, Box<[[u16; 64]; 4]>),
}

fn read(data: &[u8], scale: Scale, assembly: Assembly) -> Result<Read, Fallback> {
    walk(Reader::new(data, scale, assembly))?.finish()
}

/// Feeds every marker segment of the reader's data to it.
fn walk(mut reader: Reader<'_>) -> Result<Reader<'_>, Fallback> {
    let data = reader.data;
    let mut walk = Markers::new(data).ok_or(Fallback::NotJpeg)?;
    loop {
        let segment = match walk.next_item()? {
            Item::End => break,
            Item::Standalone(_) => continue,
            Item::Segment(s) if !s.complete => return Err(Fallback::Truncated),
            Item::Segment(s) => s,
        };
        if let Some(end) = reader.segment(segment.marker, segment.body, segment.end)? {
            walk.seek(markers::next_marker(data, end).ok_or(Fallback::Truncated)?);
        }
    }
    Ok(reader)
}

/// What the marker walk has read so far: the frame, the tables, and the image once a scan has
/// been assembled as it was decoded.
struct Reader<'d> {
    data: &'d [u8],
    scale: Scale,
    /// The coefficients kept: the scale's (every one for [`coefficients`]).
    kept: Kept,
    assembly: Assembly,
    frame: Option<Frame>,
    dc_tables: [Option<Huffman>; 4],
    ac_tables: [Option<Huffman>; 4],
    /// Quantisers in zig-zag order.
    quant: [[u16; 64]; 4],
    quant_seen: [bool; 4],
    restart_interval: usize,
    adobe_transform: Option<u8>,
    /// The image, once a scan has been assembled as it was decoded.
    streamed: Option<render::Assembler>,
    /// A scan that `AsDecoded` assembles as it goes has been read (in either assembly, so that
    /// both refuse the same files).
    full_scan: bool,
}

impl<'d> Reader<'d> {
    fn new(data: &'d [u8], scale: Scale, assembly: Assembly) -> Self {
        Reader {
            data,
            scale,
            kept: Kept::new(scale),
            assembly,
            frame: None,
            dc_tables: [None, None, None, None],
            ac_tables: [None, None, None, None],
            quant: [[0u16; 64]; 4],
            quant_seen: [false; 4],
            restart_interval: 0,
            adobe_transform: None,
            streamed: None,
            full_scan: false,
        }
    }

    /// Takes one marker segment (`seg` its body, `end` where it ends); after a scan, the
    /// position its entropy-coded data has been read to.
    fn segment(&mut self, marker: u8, seg: &[u8], end: usize) -> Result<Option<usize>, Fallback> {
        match marker {
            0xC0..=0xC2 => {
                if self.frame.is_some() {
                    return Err(Fallback::SecondFrame);
                }
                self.frame = Some(frame::parse(seg, marker == 0xC2, self.kept)?);
            }
            markers::DNL => return Err(Fallback::Dnl),
            m if markers::is_frame(m) => return Err(Fallback::UnsupportedProcess),
            markers::DHT => tables::parse_dht(seg, &mut self.dc_tables, &mut self.ac_tables)?,
            markers::DQT if self.full_scan && self.assembly == Assembly::Stored => {
                // The streamed image used the tables of its scan's time; a stored one would
                // use these.
                return Err(Fallback::BadTable);
            }
            markers::DQT => tables::parse_dqt(seg, &mut self.quant, &mut self.quant_seen)?,
            markers::DRI => {
                self.restart_interval =
                    crate::bytes::be16(seg, 0).ok_or(Fallback::BadTable)? as usize
            }
            markers::APP14 if seg.starts_with(b"Adobe") => {
                self.adobe_transform = Some(*seg.get(11).ok_or(Fallback::Truncated)?)
            }
            markers::SOS => return self.scan(seg, end).map(Some),
            _ => {}
        }
        Ok(None)
    }

    /// A scan whose SOS segment is `seg` and whose data starts at `start`: decoded (stored, or
    /// assembled as it goes), or skipped when the scale needs none of it.
    fn scan(&mut self, seg: &[u8], start: usize) -> Result<usize, Fallback> {
        let f = self.frame.as_mut().ok_or(Fallback::NoFrame)?;
        if self.full_scan {
            // A scan after one that carried every component of a sequential frame.
            return Err(Fallback::BadScan);
        }
        let scan = scan::parse(seg, f)?;
        if f.progressive && scan.ss != 0 && self.scale == Scale::Eighth {
            // An AC scan: not needed at 1/8 scale.
            return Ok(start);
        }
        let bits = bitstream::Bits::new(self.data, start);
        let tables = tables::Tables {
            dc: &self.dc_tables,
            ac: &self.ac_tables,
        };
        // The first scan of a sequential frame that carries every component is assembled as it
        // is decoded, without storing its coefficients.
        let quant_seen = self.quant_seen;
        self.full_scan = !f.progressive
            && !f.stored
            && scan.components.len() == f.components.len()
            && f.components.iter().all(|c| quant_seen[c.quant]);
        if self.full_scan && self.assembly == Assembly::Dropped {
            let mut sink = |_: usize, _: &[scan::ScanComponent<'_, '_>]| {};
            let sink: scan::Sink<'_> = &mut sink;
            return scan::decode(f, &scan, bits, &tables, self.restart_interval, Some(sink));
        }
        if !(self.full_scan && self.assembly == Assembly::AsDecoded) {
            return scan::decode(f, &scan, bits, &tables, self.restart_interval, None);
        }
        let mut assembler = render::Assembler::streaming(f, &self.quant);
        let mut sink = |mcu_row: usize, comps: &[scan::ScanComponent<'_, '_>]| {
            assembler.band(mcu_row, |index| {
                comps
                    .iter()
                    .find(|c| c.index == index)
                    .map_or(&[][..], |c| &*c.coefs)
            })
        };
        let end = scan::decode(
            f,
            &scan,
            bits,
            &tables,
            self.restart_interval,
            Some(&mut sink),
        )?;
        self.streamed = Some(assembler);
        Ok(end)
    }

    /// The frame with every table it needs, as the image or its kept coefficients.
    fn finish(self) -> Result<Read, Fallback> {
        let frame = self.frame.ok_or(Fallback::NoFrame)?;
        if frame
            .components
            .iter()
            .any(|c| !c.dc_seen || !self.quant_seen[c.quant])
        {
            return Err(Fallback::MissingTable);
        }
        // RGB-coded three-component files (Adobe transform 0, or ids 'R' 'G' 'B') are rare; the
        // full decoder handles them.
        if frame.components.len() == 3
            && (self.adobe_transform == Some(0)
                || frame.components.iter().map(|c| c.id).eq(*b"RGB"))
        {
            return Err(Fallback::RgbCoded);
        }
        Ok(match self.streamed {
            Some(assembler) => Read::Streamed(assembler),
            None => Read::Stored(frame, Box::new(self.quant)),
        })
    }
}
