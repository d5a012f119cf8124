//! Fixed-width integer reads from a byte slice, `None` past its end: the one set the header
//! checks, the probe and the JPEG marker walk use.

/// A big-endian 16-bit value at `at`.
pub(crate) fn be16(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from(u16::from_be_bytes([
        *b.get(at)?,
        *b.get(at + 1)?,
    ])))
}

/// A little-endian 16-bit value at `at`.
pub(crate) fn le16(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from(u16::from_le_bytes([
        *b.get(at)?,
        *b.get(at + 1)?,
    ])))
}

/// A big-endian 32-bit value at `at`.
pub(crate) fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// A little-endian 32-bit value at `at`.
pub(crate) fn le32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_stop_at_the_end() {
        let b = [1, 2, 3, 4];
        assert_eq!(be16(&b, 0), Some(0x0102));
        assert_eq!(le16(&b, 2), Some(0x0403));
        assert_eq!(be32(&b, 0), Some(0x0102_0304));
        assert_eq!(le32(&b, 0), Some(0x0403_0201));
        assert_eq!(be16(&b, 3), None);
        assert_eq!(le32(&b, 1), None);
    }
}
