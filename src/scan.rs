//! The screen: a fast pass that proves most text clean.
//!
//! UTF-8 misread through a single-byte code page always shows a character the page decodes
//! from a lead byte (0xC2–0xF4) directly followed by one it decodes from a continuation byte
//! (0x80–0xBF) — unless every continuation byte of every character was lost, which no
//! repair could undo anyway. Clean text in almost every language lacks such pairs: the
//! letters of Japanese, Chinese, Korean, Thai, … are not in any of these pages at all, and
//! accented Latin letters are followed by ASCII letters, not by symbols.

use crate::cjk;
use crate::normalize::{decode_at, e3_unstable, nfc_stable, stable_by_lead};
use crate::CodePage;
use std::sync::OnceLock;

/// Characters below this bound are looked up in a table; above it only a handful of MacRoman
/// characters (U+F8FF, U+FB01, U+FB02) exist in any single-byte page fixenc knows.
const TABLE_LIMIT: u32 = 0x2600;

/// The pages of `pages` as a bit set over indices into [`CodePage::ALL`].
fn page_bits(pages: &[CodePage]) -> u64 {
    // The screens run per run and per page: the two common lists take no search.
    match pages {
        [page] => CodePage::ALL.iter().position(|p| p == page).map_or(0, |i| 1 << i),
        _ if pages == CodePage::ALL => (1 << CodePage::ALL.len()) - 1,
        _ => CodePage::ALL.iter().enumerate().filter(|(_, p)| pages.contains(p)).fold(0, |bits, (i, _)| bits | 1 << i),
    }
}

/// Calls `visit` with the roles of each character that some page decodes from a lead byte
/// and of the (up to three) characters after it, until `visit` returns true. The roles of
/// the characters after it stop at the first one no page decodes from a continuation byte
/// (the rest are left zero), and a character with ASCII or the end of the text after it is
/// not visited at all: callers only look for a lead followed by continuations.
///
/// Every character a page decodes a high byte to is below U+2600 or one of MacRoman's
/// U+F8FF, U+FB01, U+FB02, so its UTF-8 starts with 0xC2–0xE2 or 0xEF. The loop steps from
/// lead byte to lead byte (the text is valid UTF-8, so a lead byte tells its sequence's
/// length) and decodes only those: kana, Han, Hangul, Thai and the rest cost one comparison
/// and one step each, and ASCII is skipped eight bytes at a time.
fn scan_leads(text: &str, mut visit: impl FnMut(u64, [u64; 3]) -> bool) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            i = skip_ascii(bytes, i + 1);
            continue;
        }
        let step = LEAD_STEP[usize::from(b)];
        if step != 0 {
            i += usize::from(step);
            continue;
        }
        // A character followed by ASCII (or by nothing) is no lead with a continuation after
        // it under any page, which is all either scan asks: `visit` would see no roles
        // after it and add nothing. Accented letters of Latin text mostly stand before ASCII
        // letters, and are passed here without being decoded.
        let len = if b < 0xE0 { 2 } else { 3 };
        if bytes.get(i + len).is_none_or(|&next| next < 0x80) {
            i += len;
            continue;
        }
        let (c, len) = decode_at(bytes, i);
        let roles = sequence_roles(c);
        if roles & LEAD_MASK != 0 && visit(roles, roles_after(bytes, i + len)) {
            return;
        }
        i += len;
    }
}

/// What the screens of clean text say about a text, all from one pass ([`screen`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Screen {
    /// [`whole_character_pages`] under every page of [`CodePage::ALL`].
    whole: u32,
    /// The double-byte pages that could have made some character of the text out of UTF-8
    /// (`cjk::screen_utf8`, bits over [`CodePage::DOUBLE_BYTE`]).
    pub(crate) cjk_pages: u8,
    /// Whether the text has a dense stretch of characters that a single-byte page decodes
    /// from a high byte (`cjk::screen_bytes_misread`).
    pub(crate) cjk_dense: bool,
    /// Where NFC has to start looking (see `normalize::normalize_from`): `None` when every
    /// character is NFC-stable and NFC leaves the text as it is.
    pub(crate) nfc_from: Option<usize>,
}

impl Screen {
    /// [`whole_character_pages`] of the text under `pages`.
    pub(crate) fn whole_character_pages(&self, pages: &[CodePage]) -> u32 {
        // Each page's bit is found independently of the others (`whole_character_pages` only
        // stops early once every allowed page is found), so the bits under `pages` are the
        // bits under all pages, masked.
        self.whole & page_bits(pages) as u32
    }
}

/// The screens of clean text in one pass: [`whole_character_pages`] (under every page), the
/// two CJK screens (`cjk::screen_utf8` and `cjk::screen_bytes_misread`) and how far NFC is
/// known to change nothing. They used to be three passes over the text; clean text, the
/// common case, needs nothing else, so this pass is most of what `fix_text` costs on it.
///
/// Why each part gives its definition's answer (the tests compare them on the corpus and on
/// random text):
/// - the single-byte screen is `scan_leads`' step for a character, with
///   `whole_character_pages`' visit; both only OR bits in, so running to the end of the text
///   instead of stopping once every page is found changes nothing;
/// - the CJK screens OR in bits and latch a flag, likewise; a run of ASCII shifts its length
///   in zeros into their window of the last eight characters, as that many ASCII characters
///   one at a time do;
/// - NFC steps as `normalize::nfc` does and notes where the last stable character began:
///   NFC never changes text before it, so starting there is starting at the beginning.
///
/// Kana, Han and Hangul (lead bytes 0xE3–0xE9, 0xEB–0xED) are none of the single-byte
/// pages' characters, never high for the window, and stable by their lead byte (but a few
/// of 0xE3): they are read straight from their three bytes, only for the CJK table, and
/// only where their row of it (`cjk::screen_rows`) could add a page not found yet.
pub(crate) fn screen(text: &str) -> Screen {
    let bytes = text.as_bytes();
    let mut screen = Screen { whole: 0, cjk_pages: 0, cjk_dense: false, nfc_from: None };
    if text.is_ascii() {
        return screen;
    }
    let cjk_table = cjk::screen_table();
    let cjk_rows = cjk::screen_rows();
    let high = cjk::outer_high_table();
    let mut whole = 0u64;
    let (mut found, mut dense) = (0u8, false);
    // The CJK window: the last eight characters as bits (1 = high), and high ones in a row.
    let (mut recent, mut in_a_row) = (0u32, 0u32);
    let mut nfc_from: Option<usize> = None;
    // The start of the last NFC-stable character (a boundary NFC could start from).
    let mut last_stable = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            let end = skip_ascii(bytes, i + 1);
            let run = end - i;
            recent = if run >= 8 { 0 } else { (recent << run) & cjk::MISREAD_WINDOW_MASK };
            in_a_row = 0;
            last_stable = end - 1;
            i = end;
            continue;
        }
        if matches!(b, 0xE3..=0xE9 | 0xEB..=0xED) {
            // A run of kana, Han and Hangul: three bytes each (valid UTF-8), U+3000 and up, so
            // not high for the window, and no single-byte page decodes a byte to them
            // (`LEAD_STEP` is not 0); NFC-stable by their lead byte, but for a few of 0xE3,
            // which end the run and take the general path below.
            let mut rest = &bytes[i..];
            while let &[lead @ (0xE3..=0xE9 | 0xEB..=0xED), b1, b2, ref tail @ ..] = rest {
                if lead == 0xE3 && e3_unstable(b1, b2) {
                    break;
                }
                let row = usize::from(lead & 0x0F) << 6 | usize::from(b1 & 0x3F);
                if cjk_rows[row] & !found != 0 {
                    found |= cjk_table[row << 6 | usize::from(b2 & 0x3F)];
                }
                rest = tail;
            }
            let start = i;
            i = bytes.len() - rest.len();
            if i > start {
                let chars = (i - start) / 3;
                recent = if chars >= 8 { 0 } else { (recent << chars) & cjk::MISREAD_WINDOW_MASK };
                in_a_row = 0;
                last_stable = i - 3;
                continue;
            }
        }
        let (c, len) = decode_at(bytes, i);
        let u = c as usize;
        // The CJK screens (`cjk::screen_utf8`, `cjk::screen_bytes_misread`).
        if let Some(&bits) = cjk_table.get(u) {
            found |= bits;
        }
        if !dense {
            let is_high = high.get(u).copied().unwrap_or(false);
            recent = ((recent << 1) | u32::from(is_high)) & cjk::MISREAD_WINDOW_MASK;
            if is_high {
                in_a_row += 1;
                dense = in_a_row >= cjk::MISREAD_IN_A_ROW || DENSE_WINDOW[recent as usize];
            } else {
                in_a_row = 0;
            }
        }
        // NFC, as `normalize::nfc` tells stable characters.
        if nfc_from.is_none() {
            if stable_by_lead(bytes, i).is_some() || nfc_stable(c) {
                last_stable = i;
            } else {
                nfc_from = Some(last_stable);
            }
        }
        // The single-byte screen: `scan_leads`' step, with `whole_character_pages`' visit.
        // Skipped when every page under which `c` is a lead is in `whole` already: the look
        // ahead can only add those (see `lead_pages`), and mojibake repeats its leads.
        if LEAD_STEP[usize::from(b)] == 0 && bytes.get(i + len).is_some_and(|&next| next >= 0x80) {
            let roles = sequence_roles(c);
            if lead_pages(roles) & !whole != 0 {
                whole |= whole_characters_at(bytes, i + len, roles);
            }
        }
        i += len;
    }
    screen.whole = whole as u32;
    screen.cjk_pages = found;
    screen.cjk_dense = dense;
    screen.nfc_from = nfc_from;
    screen
}

/// Per value of the CJK screen's window (the last eight characters, 1 for high): whether it
/// holds `cjk::MISREAD_DENSE` high ones. A table, since `count_ones` is a dozen instructions
/// on x86-64 without POPCNT, and this runs for every accented letter.
const DENSE_WINDOW: [bool; 256] = {
    let mut table = [false; 256];
    let mut w = 0;
    while w < 256 {
        table[w] = (w as u32).count_ones() >= cjk::MISREAD_DENSE;
        w += 1;
    }
    table
};

/// The roles of the (up to) three characters from byte `j` on, stopping after the first
/// that is no continuation under any page: what a lead needs to know of what follows it.
#[inline]
fn roles_after(bytes: &[u8], mut j: usize) -> [u64; 3] {
    let mut next = [0u64; 3];
    for slot in next.iter_mut() {
        if j >= bytes.len() {
            break;
        }
        let (d, len) = decode_at(bytes, j);
        *slot = sequence_roles(d);
        if *slot >> 48 == 0 {
            break;
        }
        j += len;
    }
    next
}

/// The pages under which the character whose roles are `roles` is a lead byte of any length:
/// what [`whole_characters_at`] returns is within them (it masks each length's lead bits).
#[inline]
fn lead_pages(roles: u64) -> u64 {
    (roles | roles >> 16 | roles >> 32) & ((1 << CodePage::ALL.len()) - 1)
}

/// The pages under which the character whose roles are `roles` is a lead byte followed, from
/// byte `j` on, by as many continuation characters as it announces: `scan_leads`' look
/// ahead with `whole_character_pages`' visit (under every page).
#[inline]
fn whole_characters_at(bytes: &[u8], j: usize, roles: u64) -> u64 {
    if roles & LEAD_MASK == 0 {
        return 0;
    }
    let conts = roles_after(bytes, j).map(|r| r >> 48);
    let two = roles & conts[0];
    let three = (roles >> 16) & conts[0] & conts[1];
    let four = (roles >> 32) & conts[0] & conts[1] & conts[2];
    (two | three | four) & ((1 << CodePage::ALL.len()) - 1)
}

/// Per byte at a character boundary of valid UTF-8: 0 for a lead byte of the characters
/// some page decodes a high byte to (0xC2–0xE2, 0xEF), else the length of the sequence it
/// starts. One load and one test per character, where a range match takes several.
const LEAD_STEP: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = match b {
            0xC2..=0xE2 | 0xEF => 0,
            0x00..=0x7F => 1,
            0x80..=0xDF => 2,
            0xE0..=0xEF => 3,
            _ => 4,
        };
        b += 1;
    }
    table
};

/// The first non-ASCII byte at or after `from` (or the length), eight bytes at a time.
#[inline]
pub(crate) fn skip_ascii(bytes: &[u8], mut from: usize) -> usize {
    const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
    while let Some(chunk) = bytes.get(from..from + 8) {
        let high = u64::from_le_bytes(chunk.try_into().unwrap_or([0x80; 8])) & HIGH_BITS;
        if high != 0 {
            // Read little-endian, the first byte of the chunk is the lowest: the lowest bit set
            // is the high bit of the first non-ASCII byte.
            return from + (high.trailing_zeros() / 8) as usize;
        }
        from += 8;
    }
    while from < bytes.len() && bytes[from] < 0x80 {
        from += 1;
    }
    from
}

/// The bits of [`sequence_roles`] that mark a lead byte of any length.
const LEAD_MASK: u64 = (1 << 48) - 1;

/// The pages (as a bit set over indices into [`CodePage::ALL`]) under which `text` has a
/// lead character followed by a continuation character; zero means the text is clean for
/// every single-byte family.
pub(crate) fn suspicious_pages(text: &str, pages: &[CodePage]) -> u32 {
    let allowed = page_bits(pages);
    if allowed == 0 || text.is_ascii() {
        return 0;
    }
    let mut found = 0u64;
    scan_leads(text, |roles, next| {
        let leads = (roles | roles >> 16 | roles >> 32) & 0xFFFF;
        found |= leads & (next[0] >> 48) & allowed;
        found == allowed
    });
    found as u32
}

/// The pages (bits over indices into [`CodePage::ALL`]) under which `c` is a lead character
/// as [`suspicious_pages`] sees one, and those under which it is a continuation character:
/// [`suspicious_pages`] of a run is the union, over each two neighbouring characters of the
/// run, of the first's leads and the second's continuations (its scan visits a character
/// whose first byte [`LEAD_STEP`] passes and that has a non-ASCII character after it, and
/// looks at the roles of that next character).
#[inline]
pub(crate) fn lead_and_continuation_pages(c: char) -> (u32, u32) {
    let roles = sequence_roles(c);
    let mut first = [0u8; 4];
    let first = c.encode_utf8(&mut first).as_bytes()[0];
    let leads = if LEAD_STEP[usize::from(first)] == 0 { lead_pages(roles) as u32 } else { 0 };
    (leads, (roles >> 48) as u32)
}

/// True when `text` may hold single-byte mojibake under one of `pages`: some page reads a
/// character of it as a lead byte followed by as many characters read as continuation bytes
/// as that lead announces. Without one, no character survived whole under any page, and the
/// detector repairs nothing (holes alone are no evidence; the one exception, a text every
/// character of which lost a byte, has its own screen, `detect::wholly_damaged_pages`), so
/// this is the exact gate — and
/// clean French, whose `é` before a no-break space is a lead and a continuation but not a
/// whole character, stops here instead of in the detector. (The pipeline asks
/// [`whole_character_pages`] directly and hands the pages to the detector.)
#[cfg(test)]
fn may_be_mojibake(text: &str, pages: &[CodePage]) -> bool {
    whole_character_pages(text, pages) != 0
}

/// The pages (a bit set over indices into [`CodePage::ALL`]) under which some character of
/// `text` survived whole: the only pages the detector needs to try, and none for most clean
/// text (see `may_be_mojibake` in the tests for why this is the exact gate).
pub(crate) fn whole_character_pages(text: &str, pages: &[CodePage]) -> u32 {
    let allowed = page_bits(pages);
    if allowed == 0 || text.is_ascii() {
        return 0;
    }
    let mut found = 0u64;
    scan_leads(text, |roles, next| {
        let conts = next.map(|r| (r >> 48) & allowed);
        let two = roles & conts[0];
        let three = (roles >> 16) & conts[0] & conts[1];
        let four = (roles >> 32) & conts[0] & conts[1] & conts[2];
        found |= (two | three | four) & allowed;
        found == allowed
    });
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
    use std::borrow::Cow;
    use unicode_normalization::UnicodeNormalization;

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
        assert_ne!(suspicious_pages("â€", all), 0);
    }

    /// The naive definition: encode each character through the page and look for a lead
    /// byte followed by the continuation bytes it announces (or by one, for pairs).
    fn naive(text: &str, page: CodePage, whole: bool) -> bool {
        let bytes: Vec<Option<u8>> = text.chars().map(|c| page.encode_char(c)).collect();
        let is_cont = |b: Option<u8>| matches!(b, Some(0x80..=0xBF));
        (0..bytes.len()).any(|i| {
            let need = match bytes[i] {
                Some(0xC2..=0xDF) => 1,
                Some(0xE0..=0xEF) => 2,
                Some(0xF0..=0xF4) => 3,
                _ => return false,
            };
            let need = if whole { need } else { 1 };
            (1..=need).all(|k| bytes.get(i + k).is_some_and(|&b| is_cont(b)))
        })
    }

    #[test]
    fn page_bits_shortcuts_agree_with_the_search() {
        let general = |pages: &[CodePage]| -> u64 {
            CodePage::ALL.iter().enumerate().filter(|(_, p)| pages.contains(p)).fold(0, |bits, (i, _)| bits | 1 << i)
        };
        assert_eq!(page_bits(&CodePage::ALL), general(&CodePage::ALL));
        for page in CodePage::ALL {
            assert_eq!(page_bits(&[page]), general(&[page]));
        }
        assert_eq!(page_bits(&[]), 0);
    }

    #[test]
    fn ascii_skip_agrees_with_a_byte_search() {
        let text = "plain ascii text, then café, 日本語, ’quotes’ and  more ascii at the end!";
        let bytes = text.as_bytes();
        for from in 0..=bytes.len() {
            let naive = bytes[from..].iter().position(|&b| b >= 0x80).map_or(bytes.len(), |o| from + o);
            assert_eq!(skip_ascii(bytes, from), naive, "from {from}");
        }
        for c in ['a', 'é', '’', '日', '😀', '\u{7FF}', '\u{800}', '\u{FFFF}', '\u{10000}', '\u{10FFFF}'] {
            let lead = c.to_string().as_bytes()[0];
            let may_be_in_a_page = matches!(lead, 0xC2..=0xE2 | 0xEF);
            let step = if may_be_in_a_page { 0 } else { c.len_utf8() };
            assert_eq!(usize::from(LEAD_STEP[usize::from(lead)]), step, "{c:?}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config {
            cases: 2000,
            rng_seed: proptest::test_runner::RngSeed::Fixed(0x5343_414E),
            ..Default::default()
        })]

        /// Text dense in leads and continuations of several pages, with CJK between them.
        #[test]
        fn the_fast_scans_agree_on_random_text(
            chars in proptest::collection::vec(proptest::sample::select(vec![
                'a', ' ', 'Ã', '©', 'ã', 'ƒ', '\u{a0}', '日', 'の', 'Ð', 'Ÿ', '\u{81}', 'ž', '€', '™', 'â',
                '‚', 'é', '’', '«', '»', '😀', '\u{F8FF}', '\u{FB01}', 'ﬂ', 'Ω', '═', '╗', 'ê', 'ì',
            ]), 0..24),
        ) {
            let text: String = chars.into_iter().collect();
            for (i, &page) in CodePage::ALL.iter().enumerate() {
                let whole = whole_character_pages(&text, &CodePage::ALL) & (1 << i) != 0;
                let pairs = suspicious_pages(&text, &CodePage::ALL) & (1 << i) != 0;
                proptest::prop_assert_eq!(whole, naive(&text, page, true), "{} whole {:?}", page, text);
                proptest::prop_assert_eq!(pairs, naive(&text, page, false), "{} pairs {:?}", page, text);
                proptest::prop_assert_eq!(whole_character_pages(&text, &[page]) != 0, whole);
                proptest::prop_assert_eq!(screen(&text).whole_character_pages(&[page]) != 0, whole);
            }
            check_screen(&text);
        }

        /// Text dense in what NFC changes (combining marks, voicing marks, decomposing
        /// characters) between stable characters of every kind.
        #[test]
        fn the_screen_knows_where_nfc_starts(
            chars in proptest::collection::vec(proptest::sample::select(vec![
                'a', 'e', ' ', 'é', '\u{301}', '\u{308}', '\u{327}', 'か', '\u{3099}', '\u{309A}', 'ウ', '\u{302A}',
                '日', '한', '\u{1100}', '\u{1161}', '\u{212B}', 'Å', '\u{FB01}', 'ｶ', '\u{FF9E}', '😀', '\u{374}',
                'Ω', '\u{F8FF}', '’', 'Ã', '©', '\u{A0}', '\u{E000}', '\u{A000}', '\u{FFFD}',
            ]), 0..24),
        ) {
            let text: String = chars.into_iter().collect();
            check_screen(&text);
        }
    }

    /// The fused screen against the passes it replaces: the single-byte screen, the CJK
    /// screens (their definitions are checked in `cjk`'s tests), and NFC from the start.
    fn check_screen(text: &str) {
        use crate::normalize::{normalize, normalize_screened};
        use crate::Normalization;
        let screen = screen(text);
        assert_eq!(
            screen.whole_character_pages(&CodePage::ALL),
            whole_character_pages(text, &CodePage::ALL),
            "{text:?}"
        );
        let full = normalize(text, Normalization::Nfc);
        let screened = normalize_screened(text, Normalization::Nfc, screen.nfc_from);
        assert_eq!(full, screened, "{text:?} from {:?}", screen.nfc_from);
        assert_eq!(matches!(full, Cow::Borrowed(_)), matches!(screened, Cow::Borrowed(_)), "{text:?}");
        if let Some(from) = screen.nfc_from {
            // Only stable characters before `from`, which starts a character.
            assert!(text.is_char_boundary(from), "{text:?} from {from}");
        }
    }

    #[test]
    fn the_fast_scans_agree_with_the_naive_definition() {
        let mut texts: Vec<String> = ["ja", "fr", "ru", "el", "pl", "tr", "ko", "zh", "vi"]
            .iter()
            .map(|l| std::fs::read_to_string(format!("{}/tests/corpus/{l}.txt", env!("CARGO_MANIFEST_DIR"))).unwrap())
            .collect();
        let misread: Vec<String> = texts
            .iter()
            .flat_map(|t| CodePage::ALL.iter().map(move |p| t.bytes().map(|b| p.decode_byte(b)).collect::<String>()))
            .collect();
        texts.extend(misread);
        for text in &texts {
            for line in text.lines() {
                for (i, &page) in CodePage::ALL.iter().enumerate() {
                    let whole = whole_character_pages(line, &CodePage::ALL) & (1 << i) != 0;
                    let pairs = suspicious_pages(line, &CodePage::ALL) & (1 << i) != 0;
                    assert_eq!(whole, naive(line, page, true), "{page} whole {line:?}");
                    assert_eq!(pairs, naive(line, page, false), "{page} pairs {line:?}");
                }
                check_screen(line);
            }
            check_screen(text);
            check_screen(&text.nfd().collect::<String>());
        }
    }
}
