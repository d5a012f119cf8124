//! The Huffman lookups (`runs`, `fast_dc`) against a plain canonical-code reading of every
//! distinct table of the corpus's JPEGs, plus a table with codes of every length.

use std::collections::HashSet;

use super::huffman::{Huffman, LOOKUP_BITS, RUN_BITS, RUN_EOB, RUN_STEP_SHIFT};
use super::markers::{self, Item, Markers};

/// A table's codes as `(code, length, symbol)`, from its DHT counts (JPEG Annex C).
fn codes(counts: &[u8; 16], values: &[u8]) -> Vec<(u32, u32, u8)> {
    let (mut code, mut k, mut out) = (0u32, 0usize, Vec::new());
    for len in 1..=16u32 {
        for _ in 0..counts[len as usize - 1] {
            out.push((code, len, values[k]));
            code += 1;
            k += 1;
        }
        code <<= 1;
    }
    out
}

/// The symbol whose code starts `window` (`avail` bits, left to right), if its code is at most
/// `max_len` long.
fn decode(codes: &[(u32, u32, u8)], window: u32, avail: u32, max_len: u32) -> Option<(u32, u8)> {
    codes
        .iter()
        .find(|&&(code, len, _)| len <= avail.min(max_len) && window >> (avail - len) == code)
        .map(|&(_, len, symbol)| (len, symbol))
}

fn extend(magnitude: u32, size: u32) -> i32 {
    let m = magnitude as i32;
    if m < 1 << (size - 1) {
        m - (1 << size) + 1
    } else {
        m
    }
}

/// What a `runs` entry must say for the `RUN_BITS` bits `index`, one unit at a time.
fn expected_run(codes: &[(u32, u32, u8)], index: u32) -> u16 {
    let (mut used, mut step) = (0u32, 0u32);
    loop {
        let avail = RUN_BITS - used;
        let window = index & ((1 << avail) - 1);
        let Some((len, symbol)) = decode(codes, window, avail, LOOKUP_BITS) else {
            break;
        };
        let (run, size) = (u32::from(symbol >> 4), u32::from(symbol & 15));
        if len + size > avail {
            break;
        }
        used += len + size;
        if size == 0 && run != 15 {
            return used as u16 | ((step + 1) << RUN_STEP_SHIFT) as u16 | RUN_EOB;
        }
        step += if size == 0 { 16 } else { run + 1 };
        if step > 64 {
            break;
        }
    }
    if used == 0 {
        0
    } else {
        used as u16 | (step << RUN_STEP_SHIFT) as u16
    }
}

/// What a `fast_dc` entry must say for the `LOOKUP_BITS` bits `index`.
fn expected_dc(codes: &[(u32, u32, u8)], index: u32) -> i32 {
    match decode(codes, index, LOOKUP_BITS, LOOKUP_BITS) {
        Some((len, size)) if size <= 11 && len + u32::from(size) <= LOOKUP_BITS => {
            let size = u32::from(size);
            let rest = LOOKUP_BITS - len - size;
            let value = if size == 0 {
                0
            } else {
                extend((index >> rest) & ((1 << size) - 1), size)
            };
            (value << 8) | (len + size) as i32
        }
        _ => 0,
    }
}

/// Every distinct (counts, values) DHT table in the corpus's JPEGs.
fn corpus_tables() -> Vec<([u8; 16], Vec<u8>)> {
    let mut seen = HashSet::new();
    for (_, data) in super::tests::corpus_jpegs() {
        let Some(mut walk) = Markers::new(&data) else {
            continue;
        };
        while let Ok(item) = walk.next_item() {
            let segment = match item {
                Item::End => break,
                Item::Standalone(_) => continue,
                Item::Segment(s) => s,
            };
            if segment.marker == markers::SOS {
                match markers::next_marker(&data, segment.end) {
                    Some(next) => walk.seek(next),
                    None => break,
                }
            }
            if segment.marker != markers::DHT {
                continue;
            }
            let mut at = 0;
            let seg = segment.body;
            while let Some(counts) = seg.get(at + 1..at + 17) {
                let counts: [u8; 16] = counts.try_into().expect("16 counts");
                let total: usize = counts.iter().map(|&c| usize::from(c)).sum();
                let Some(values) = seg.get(at + 17..at + 17 + total) else {
                    break;
                };
                seen.insert((counts, values.to_vec()));
                at += 17 + total;
            }
        }
    }
    seen.into_iter().collect()
}

#[test]
fn lookups_agree_with_reading_one_code_at_a_time() {
    let mut tables = corpus_tables();
    assert!(
        tables.len() >= 4,
        "only {} tables in the corpus",
        tables.len()
    );
    // Codes of every length 1..=16 (one each, 15 more of length 16), symbols of every run and
    // size including EOB and ZRL, so that units fail to fit at every position.
    let mut counts = [1u8; 16];
    counts[15] = 16;
    let values: Vec<u8> = [0x00, 0x01, 0xF0, 0x11, 0x02, 0x23, 0x05, 0x0A, 0x31, 0x12]
        .into_iter()
        .chain((0..21).map(|i| 0x40 + i))
        .collect();
    tables.push((counts, values));
    let mut checked = 0;
    for (counts, values) in &tables {
        let Some(table) = Huffman::new(counts, values) else {
            continue;
        };
        let codes = codes(counts, values);
        for index in 0..1u32 << RUN_BITS {
            assert_eq!(
                table.runs()[index as usize],
                expected_run(&codes, index),
                "runs[{index:#b}] of {counts:?}"
            );
        }
        for index in 0..1u32 << LOOKUP_BITS {
            assert_eq!(
                table.fast_dc[index as usize],
                expected_dc(&codes, index),
                "fast_dc[{index:#b}] of {counts:?}"
            );
        }
        checked += 1;
    }
    assert!(checked >= 5, "only {checked} tables built");
}
