//! Traditional Chinese characters and their simplified forms, so that Traditional Chinese
//! text (Big5's) is priced with the statistics of the Simplified Chinese words in the
//! character tables.
//!
//! `variants/t2s.bin` is GENERATED — do not edit. Regenerate with `tools/gen_variants.py`
//! (source, OpenCC's TSCharacters.txt, and its license in that script and the README beside
//! the table). Layout: little-endian u16 pairs (traditional, simplified), sorted.

use super::u16_at;
use std::sync::OnceLock;

const T2S: &[u8] = include_bytes!("variants/t2s.bin");

const _: () = assert!(T2S.len().is_multiple_of(4) && !T2S.is_empty());

/// The simplified form of `c`, or `c` itself.
#[inline]
pub(crate) fn simplified(c: char) -> char {
    static TABLE: OnceLock<Box<[u16]>> = OnceLock::new();
    let u = c as u32;
    if !(0x3400..0x10000).contains(&u) {
        return c;
    }
    let table = TABLE.get_or_init(|| {
        let mut t = vec![0u16; 0x10000 - 0x3400].into_boxed_slice();
        for i in 0..T2S.len() / 4 {
            let (from, to) = (u16_at(T2S, 2 * i), u16_at(T2S, 2 * i + 1));
            if let Some(slot) = (from as usize).checked_sub(0x3400).and_then(|k| t.get_mut(k)) {
                *slot = to;
            }
        }
        t
    });
    match table[(u - 0x3400) as usize] {
        0 => c,
        s => char::from_u32(u32::from(s)).unwrap_or(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traditional_characters_map_to_simplified() {
        assert_eq!(simplified('這'), '这');
        assert_eq!(simplified('們'), '们');
        assert_eq!(simplified('这'), '这');
        assert_eq!(simplified('の'), 'の');
        assert_eq!(simplified('a'), 'a');
    }
}
