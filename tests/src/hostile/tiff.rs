//! Classic little-endian TIFF files with any sample layout, strips or tiles, zero data.

use super::deflate::zlib_zeros;

/// What one TIFF declares and holds.
pub struct Tiff {
    /// Width.
    pub width: u32,
    /// Height.
    pub height: u32,
    /// Samples per pixel.
    pub samples: u16,
    /// Bits per sample (the same for every sample).
    pub bits: u16,
    /// SampleFormat: 1 unsigned integer, 3 IEEE float.
    pub sample_format: u16,
    /// Compression: 1 none, 8 deflate.
    pub compression: u16,
    /// Rows per strip (ignored with tiles).
    pub rows_per_strip: u32,
    /// Tile size, when tiled.
    pub tile: Option<(u32, u32)>,
    /// Extra tags (tag, type, count, value or offset data), e.g. an ICC profile.
    pub extra: Vec<(u16, u16, Vec<u8>)>,
}

impl Tiff {
    /// A strip image: one strip of the whole image.
    pub fn new(width: u32, height: u32, samples: u16, bits: u16) -> Self {
        Tiff {
            width,
            height,
            samples,
            bits,
            sample_format: 1,
            compression: 8,
            rows_per_strip: height,
            tile: None,
            extra: Vec::new(),
        }
    }

    /// Writes the file. Each strip or tile holds zeros (deflate) or nothing at all (`empty`).
    pub fn build(&self, empty: bool) -> Vec<u8> {
        let bytes_per_row =
            (u64::from(self.width) * u64::from(self.samples) * u64::from(self.bits)).div_ceil(8);
        let (chunks, chunk_bytes): (u64, Vec<u64>) = match self.tile {
            Some((tw, th)) => {
                let n = u64::from(self.width.div_ceil(tw)) * u64::from(self.height.div_ceil(th));
                let b = (u64::from(tw) * u64::from(self.samples) * u64::from(self.bits))
                    .div_ceil(8)
                    * u64::from(th);
                (n, vec![b; n as usize])
            }
            None => {
                let rps = self.rows_per_strip.max(1);
                let n = self.height.div_ceil(rps);
                let sizes = (0..n)
                    .map(|i| u64::from(rps.min(self.height - i * rps)) * bytes_per_row)
                    .collect();
                (u64::from(n), sizes)
            }
        };
        // Identical strips share their data: one compressed copy per distinct size.
        let mut out = b"II*\0\0\0\0\0".to_vec();
        let mut payload_at = std::collections::BTreeMap::new();
        for &b in &chunk_bytes {
            if empty {
                break;
            }
            payload_at.entry(b).or_insert_with(|| {
                let at = out.len() as u32;
                if self.compression == 8 {
                    out.extend(zlib_zeros(b));
                } else {
                    out.resize(out.len() + b as usize, 0);
                }
                (at, out.len() as u32 - at)
            });
        }
        let offsets: Vec<u32> = chunk_bytes
            .iter()
            .map(|b| payload_at.get(b).map_or(8, |p| p.0))
            .collect();
        let counts: Vec<u32> = chunk_bytes
            .iter()
            .map(|b| payload_at.get(b).map_or(0, |p| p.1))
            .collect();
        let _ = chunks;
        let longs = |v: &[u32]| v.iter().flat_map(|x| x.to_le_bytes()).collect::<Vec<u8>>();
        let shorts = |v: &[u16]| v.iter().flat_map(|x| x.to_le_bytes()).collect::<Vec<u8>>();
        let mut tags: Vec<(u16, u16, Vec<u8>)> = vec![
            (256, 4, longs(&[self.width])),
            (257, 4, longs(&[self.height])),
            (258, 3, shorts(&vec![self.bits; usize::from(self.samples)])),
            (259, 3, shorts(&[self.compression])),
            (262, 3, shorts(&[if self.samples >= 3 { 2 } else { 1 }])),
            (277, 3, shorts(&[self.samples])),
            (284, 3, shorts(&[1])),
            (
                339,
                3,
                shorts(&vec![self.sample_format; usize::from(self.samples)]),
            ),
        ];
        if self.samples == 2 || self.samples == 4 {
            tags.push((338, 3, shorts(&[2])));
        }
        match self.tile {
            Some((tw, th)) => {
                tags.push((322, 4, longs(&[tw])));
                tags.push((323, 4, longs(&[th])));
                tags.push((324, 4, longs(&offsets)));
                tags.push((325, 4, longs(&counts)));
            }
            None => {
                tags.push((273, 4, longs(&offsets)));
                tags.push((278, 4, longs(&[self.rows_per_strip])));
                tags.push((279, 4, longs(&counts)));
            }
        }
        tags.extend(self.extra.iter().cloned());
        tags.sort_by_key(|t| t.0);
        // Out-of-line values first, then the IFD.
        let mut entries = Vec::new();
        for (tag, typ, data) in &tags {
            let size = match typ {
                3 => 2,
                4 => 4,
                _ => 1,
            };
            let count = (data.len() / size) as u32;
            let value = if data.len() <= 4 {
                let mut v = data.clone();
                v.resize(4, 0);
                v
            } else {
                if out.len() % 2 == 1 {
                    out.push(0);
                }
                let at = out.len() as u32;
                out.extend_from_slice(data);
                at.to_le_bytes().to_vec()
            };
            entries.push((*tag, *typ, count, value));
        }
        if out.len() % 2 == 1 {
            out.push(0);
        }
        let ifd = out.len() as u32;
        out[4..8].copy_from_slice(&ifd.to_le_bytes());
        out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
        for (tag, typ, count, value) in entries {
            out.extend_from_slice(&tag.to_le_bytes());
            out.extend_from_slice(&typ.to_le_bytes());
            out.extend_from_slice(&count.to_le_bytes());
            out.extend_from_slice(&value);
        }
        out.extend_from_slice(&0u32.to_le_bytes());
        out
    }
}
