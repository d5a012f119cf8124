//! The JPEG marker walk, shared by the declared-size checks (`declared.rs`), the probe
//! (`probe.rs`) and the reduced-scale decoder: one reading of fill bytes, stand-alone markers, segment lengths and
//! entropy-coded data for the whole crate.

use crate::bytes::be16;

/// Start of image.
pub(crate) const SOI: u8 = 0xD8;
/// End of image.
pub(crate) const EOI: u8 = 0xD9;
/// Start of scan.
pub(crate) const SOS: u8 = 0xDA;
/// Define Huffman tables.
pub(crate) const DHT: u8 = 0xC4;
/// Define quantisation tables.
pub(crate) const DQT: u8 = 0xDB;
/// Define restart interval.
pub(crate) const DRI: u8 = 0xDD;
/// Define number of lines.
pub(crate) const DNL: u8 = 0xDC;
/// Adobe's APP14 (its transform byte says whether three components are YCbCr or RGB).
pub(crate) const APP14: u8 = 0xEE;

/// Whether `marker` starts a frame (SOF0-SOF15 less DHT, JPG and DAC).
pub(crate) fn is_frame(marker: u8) -> bool {
    matches!(marker, 0xC0..=0xCF) && !matches!(marker, DHT | 0xC8 | 0xCC)
}

/// One step of the walk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Item<'a> {
    /// A marker without a segment (`RSTn`, `TEM`).
    Standalone(u8),
    /// End of image.
    End,
    /// A marker segment.
    Segment(Segment<'a>),
}

/// A marker segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Segment<'a> {
    /// The marker's second byte.
    pub marker: u8,
    /// The bytes after the length field, up to the declared end or the end of the data,
    /// whichever comes first.
    pub body: &'a [u8],
    /// Whether all the declared bytes are in the data.
    pub complete: bool,
    /// Where the segment ends (for SOS: where its entropy-coded data starts).
    pub end: usize,
}

/// Why a walk stopped before EOI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stop {
    /// The data ended (inside fill bytes, a marker or a length field).
    Truncated,
    /// Something other than a marker where one must be, or a length field under 2.
    NotAMarker,
}

/// Walks the markers of a JPEG from just after SOI. Fill bytes (runs of 0xFF) before a marker are
/// stepped over; a segment whose length field is under 2 ends the walk.
pub(crate) struct Markers<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Markers<'a> {
    /// The walk over `data`, or `None` when it does not start with SOI.
    pub(crate) fn new(data: &'a [u8]) -> Option<Self> {
        (data.get(0..2)? == [0xFF, SOI]).then_some(Markers { data, pos: 2 })
    }

    /// Continues the walk at `pos` (after a scan's entropy-coded data).
    pub(crate) fn seek(&mut self, pos: usize) {
        self.pos = pos;
    }

    /// The next marker, or why there is none.
    pub(crate) fn next_item(&mut self) -> Result<Item<'a>, Stop> {
        let b = self.data;
        let byte = |at: usize| b.get(at).copied().ok_or(Stop::Truncated);
        if byte(self.pos)? != 0xFF {
            return Err(Stop::NotAMarker);
        }
        while byte(self.pos)? == 0xFF {
            self.pos += 1;
        }
        let marker = byte(self.pos)?;
        self.pos += 1;
        match marker {
            EOI => return Ok(Item::End),
            0xD0..=0xD7 | 0x01 => return Ok(Item::Standalone(marker)),
            _ => {}
        }
        let len = be16(b, self.pos).ok_or(Stop::Truncated)? as usize;
        if len < 2 {
            return Err(Stop::NotAMarker);
        }
        let end = self.pos + len;
        let body = &b[(self.pos + 2).min(b.len())..end.min(b.len())];
        self.pos = end;
        Ok(Item::Segment(Segment {
            marker,
            body,
            complete: end <= b.len(),
            end,
        }))
    }
}

/// The position of the next marker other than `RSTn` at or after `from`, stepping over
/// entropy-coded data (stuffed 0xFF00, restart markers, fill bytes). `None` when the data ends
/// first.
pub(crate) fn next_marker(data: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    loop {
        at += memchr::memchr(0xFF, data.get(at..)?)?;
        match *data.get(at + 1)? {
            0x00 | 0xD0..=0xD7 | 0xFF => at += 1,
            _ => return Some(at),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_walk_steps_over_fill_bytes_and_standalone_markers() {
        let data = [
            0xFF, 0xD8, 0xFF, 0xFF, 0xE0, 0x00, 0x04, 1, 2, 0xFF, 0xD0, 0xFF, 0xDB, 0x00, 0x03, 9,
            0xFF, 0xD9,
        ];
        let mut walk = Markers::new(&data).expect("SOI");
        let Ok(Item::Segment(app0)) = walk.next_item() else {
            panic!("APP0 expected")
        };
        assert_eq!(
            (app0.marker, app0.body, app0.complete),
            (0xE0, &[1, 2][..], true)
        );
        assert_eq!(walk.next_item(), Ok(Item::Standalone(0xD0)));
        let Ok(Item::Segment(dqt)) = walk.next_item() else {
            panic!("DQT expected")
        };
        assert_eq!((dqt.marker, dqt.body), (DQT, &[9][..]));
        assert_eq!(walk.next_item(), Ok(Item::End));
    }

    #[test]
    fn truncated_segments_and_bad_lengths_are_reported() {
        let truncated = [0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x11, 8, 0, 16];
        let Ok(Item::Segment(sof)) = Markers::new(&truncated).expect("SOI").next_item() else {
            panic!("SOF expected")
        };
        assert_eq!((sof.body, sof.complete), (&[8, 0, 16][..], false));
        let short = [0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x01];
        assert_eq!(
            Markers::new(&short).expect("SOI").next_item(),
            Err(Stop::NotAMarker)
        );
        let garbage = [0xFF, 0xD8, 0x12, 0x34];
        assert_eq!(
            Markers::new(&garbage).expect("SOI").next_item(),
            Err(Stop::NotAMarker)
        );
        let cut = [0xFF, 0xD8, 0xFF, 0xFF];
        assert_eq!(
            Markers::new(&cut).expect("SOI").next_item(),
            Err(Stop::Truncated)
        );
        assert!(Markers::new(b"GIF89a").is_none());
    }

    #[test]
    fn entropy_coded_data_is_stepped_over() {
        let data = [1, 0xFF, 0x00, 2, 0xFF, 0xD3, 3, 0xFF, 0xFF, 0xC4];
        // Fill bytes before the marker are stepped over too: the marker's own 0xFF is at 8.
        assert_eq!(next_marker(&data, 0), Some(8));
        assert_eq!(next_marker(&data[..9], 0), None);
    }
}
