//! The screen: a fast pass that proves most text clean.
//!
//! UTF-8 misread through a single-byte code page always shows a character the page decodes
//! from a lead byte (0xC2–0xF4) directly followed by one it decodes from a continuation byte
//! (0x80–0xBF) — unless every continuation byte of every character was lost, which no
//! repair could undo anyway. Clean text in almost every language lacks such pairs: the
//! letters of Japanese, Chinese, Korean, Thai, … are not in any of these pages at all, and
//! accented Latin letters are followed by ASCII letters, not by symbols.

use crate::CodePage;
use std::sync::OnceLock;

/// Characters below this bound are looked up in a table; above it only a handful of MacRoman
/// characters (U+F8FF, U+FB01, U+FB02) exist in any single-byte page fixenc knows.
const TABLE_LIMIT: u32 = 0x2600;

/// Bits 0..16: page i decodes `c` from a lead byte; bits 16..32: from a continuation byte.
fn role_table() -> &'static [u32] {
    static TABLE: OnceLock<Vec<u32>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = vec![0u32; TABLE_LIMIT as usize];
        for (i, page) in CodePage::ALL.iter().enumerate() {
            for b in 0x80u8..=0xFF {
                let c = page.decode_byte(b) as u32;
                if c < TABLE_LIMIT {
                    t[c as usize] |= role_bits(b, i);
                }
            }
        }
        t
    })
}

fn role_bits(byte: u8, page_index: usize) -> u32 {
    match byte {
        0x80..=0xBF => 1 << (16 + page_index),
        0xC2..=0xF4 => 1 << page_index,
        _ => 0,
    }
}

#[inline]
fn roles(c: char) -> u32 {
    let u = c as u32;
    if u < TABLE_LIMIT {
        return role_table()[u as usize];
    }
    match u {
        0xF8FF | 0xFB01 | 0xFB02 => {
            let i = CodePage::ALL.iter().position(|&p| p == CodePage::MacRoman).unwrap_or(0);
            CodePage::MacRoman.encode_char(c).map_or(0, |b| role_bits(b, i))
        }
        _ => 0,
    }
}

/// The pages (as a bit set over indices into [`CodePage::ALL`]) under which `text` has a
/// lead character followed by a continuation character; zero means the text is clean for
/// every single-byte family.
pub(crate) fn suspicious_pages(text: &str, pages: &[CodePage]) -> u32 {
    let mut allowed = 0u32;
    for (i, page) in CodePage::ALL.iter().enumerate() {
        if pages.contains(page) {
            allowed |= 1 << i;
        }
    }
    if allowed == 0 || text.is_ascii() {
        return 0;
    }
    let mut found = 0u32;
    let bytes = text.as_bytes();
    let mut pos = 0;
    // Every character a page decodes a high byte to is below U+2600 or one of MacRoman's
    // U+F8FF, U+FB01, U+FB02, so its UTF-8 starts with 0xC2–0xE2 or 0xEF. Kana, Han, Hangul,
    // Thai and the rest start with other bytes and are skipped a byte at a time without
    // decoding: clean CJK text costs about one pass over its bytes.
    while let Some(off) = bytes[pos..].iter().position(|&b| matches!(b, 0xC2..=0xE2 | 0xEF)) {
        let start = pos + off;
        // `start` is a lead byte of valid UTF-8, hence a character boundary.
        let mut chars = text[start..].chars();
        let Some(c) = chars.next() else { break };
        let leads = roles(c) & 0xFFFF;
        if leads != 0 {
            if let Some(next) = chars.next() {
                found |= leads & (roles(next) >> 16);
                if found & allowed == allowed {
                    break;
                }
            }
        }
        pos = start + c.len_utf8();
    }
    found & allowed
}

/// True when `text` may hold single-byte mojibake under one of `pages`: some page reads a
/// character of it as a lead byte followed by as many characters read as continuation bytes
/// as that lead announces. Without one, no character survived whole under any page, and the
/// detector repairs nothing (holes alone are no evidence), so this is the exact gate — and
/// clean French, whose `é` before a no-break space is a lead and a continuation but not a
/// whole character, stops here instead of in the detector.
pub(crate) fn may_be_mojibake(text: &str, pages: &[CodePage]) -> bool {
    whole_character_pages(text, pages) != 0
}

/// The pages (a bit set over indices into [`CodePage::ALL`]) under which some character of
/// `text` survived whole: the only pages the detector needs to try.
pub(crate) fn whole_character_pages(text: &str, pages: &[CodePage]) -> u32 {
    let mut allowed = 0u64;
    for (i, page) in CodePage::ALL.iter().enumerate() {
        if pages.contains(page) {
            allowed |= 1 << i;
        }
    }
    if allowed == 0 || text.is_ascii() {
        return 0;
    }
    let lengths = allowed | allowed << 16 | allowed << 32;
    let mut found = 0u64;
    let bytes = text.as_bytes();
    let mut pos = 0;
    while let Some(off) = bytes[pos..].iter().position(|&b| matches!(b, 0xC2..=0xE2 | 0xEF)) {
        let start = pos + off;
        let mut chars = text[start..].chars();
        let Some(c) = chars.next() else { break };
        let leads = sequence_roles(c) & lengths;
        if leads != 0 {
            // Pages for which the next one, two, three characters are continuations.
            let mut conts = [0u64; 3];
            for slot in conts.iter_mut() {
                match chars.next() {
                    Some(d) => *slot = (sequence_roles(d) >> 48) & allowed,
                    None => break,
                }
            }
            let two = leads & conts[0];
            let three = (leads >> 16) & conts[0] & conts[1];
            let four = (leads >> 32) & conts[0] & conts[1] & conts[2];
            found |= (two | three | four) & allowed;
            if found == allowed {
                break;
            }
        }
        pos = start + c.len_utf8();
    }
    found as u32
}

/// Per page i: bit i, 16 + i, 32 + i when the page decodes `c` from a lead byte of a two-,
/// three- or four-byte sequence; bit 48 + i when from a continuation byte.
#[inline]
fn sequence_roles(c: char) -> u64 {
    static TABLE: OnceLock<Vec<u64>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut t = vec![0u64; TABLE_LIMIT as usize];
        for (i, page) in CodePage::ALL.iter().enumerate() {
            for b in 0x80u8..=0xFF {
                let c = page.decode_byte(b) as u32;
                if c < TABLE_LIMIT {
                    t[c as usize] |= sequence_bits(b, i);
                }
            }
        }
        t
    });
    let u = c as u32;
    if u < TABLE_LIMIT {
        return table[u as usize];
    }
    match u {
        0xF8FF | 0xFB01 | 0xFB02 => {
            let i = CodePage::ALL.iter().position(|&p| p == CodePage::MacRoman).unwrap_or(0);
            CodePage::MacRoman.encode_char(c).map_or(0, |b| sequence_bits(b, i))
        }
        _ => 0,
    }
}

fn sequence_bits(byte: u8, page_index: usize) -> u64 {
    match byte {
        0x80..=0xBF => 1 << (48 + page_index),
        0xC2..=0xDF => 1 << page_index,
        0xE0..=0xEF => 1 << (16 + page_index),
        0xF0..=0xF4 => 1 << (32 + page_index),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_pairs_and_passes_clean_text() {
        let all = &CodePage::ALL;
        assert!(may_be_mojibake("cafÃ©", all));
        assert!(may_be_mojibake("ã‚µ", all));
        assert!(!may_be_mojibake("café naïve Ağır", all));
        assert!(!may_be_mojibake("日本語のテキスト", all));
        assert!(!may_be_mojibake("plain ascii", all));
        assert!(!may_be_mojibake("cafÃ©", &[]));
        // A three-byte lead with one continuation is no whole character: French é before a
        // no-break space.
        assert!(!may_be_mojibake("café\u{a0}!", all));
        assert!(may_be_mojibake("â€™", all));
        assert!(!may_be_mojibake("â€", all));
    }
}
