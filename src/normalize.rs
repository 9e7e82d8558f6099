//! Unicode normalization, the last step of the pipeline.
//!
//! NFC is the default because it never changes what a reader sees. NFKC is offered but not
//! the default: it folds the full-width punctuation and digits that Japanese text uses on
//! purpose (`！` → `!`, `１` → `1`).

use crate::scan::skip_ascii;
use std::borrow::Cow;
use unicode_normalization::{is_nfc_quick, is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// A Unicode normalization form applied after repair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Normalization {
    /// Canonical composition (the default).
    #[default]
    Nfc,
    /// Compatibility composition: also folds full-width forms, ligatures, superscripts, …
    Nfkc,
    /// Leave the text in whatever form it is.
    None,
}

impl Normalization {
    /// Parses `nfc`, `nfkc` or `none` (case-insensitive).
    ///
    /// ```
    /// use fixenc::Normalization;
    /// assert_eq!(Normalization::from_label("NFKC"), Some(Normalization::Nfkc));
    /// ```
    pub fn from_label(label: &str) -> Option<Normalization> {
        match label.to_ascii_lowercase().as_str() {
            "nfc" => Some(Normalization::Nfc),
            "nfkc" => Some(Normalization::Nfkc),
            "none" => Some(Normalization::None),
            _ => None,
        }
    }
}

/// Normalizes `text`, borrowing it when it is already in the requested form.
///
/// The quick check answers "yes" for almost all real text in one pass without allocating;
/// only a "maybe" or "no" pays for the full algorithm, and even then the input is returned
/// borrowed if the result turns out equal.
pub(crate) fn normalize(text: &str, form: Normalization) -> Cow<'_, str> {
    let quick = match form {
        Normalization::None => return Cow::Borrowed(text),
        // ASCII is in every normalization form; this is the common case and costs one scan.
        _ if text.is_ascii() => return Cow::Borrowed(text),
        Normalization::Nfc => return nfc(text, 0),
        Normalization::Nfkc => is_nfkc_quick(text.chars()),
    };
    if quick == IsNormalized::Yes {
        return Cow::Borrowed(text);
    }
    let normalized: String = text.nfkc().collect();
    if normalized == text {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(normalized)
    }
}

/// [`normalize`] of text screened by [`crate::scan::screen`], whose `nfc_from` says where
/// NFC has to start looking (`None`: nowhere, every character is stable).
pub(crate) fn normalize_screened(text: &str, form: Normalization, nfc_from: Option<usize>) -> Cow<'_, str> {
    match (form, nfc_from) {
        (Normalization::Nfc, None) => Cow::Borrowed(text),
        (Normalization::Nfc, Some(from)) => nfc(text, from),
        _ => normalize(text, form),
    }
}

/// NFC that copies the stretches of stable characters and normalizes only the segments
/// around the others.
///
/// Why it is correct: a stable character (see [`nfc_stable`]) has canonical combining class
/// 0, is NFC_Quick_Check=Yes and is never the second character of a canonical composition,
/// so NFC never reorders or composes across the boundary before it, and NFC of the text is
/// NFC of each piece between such boundaries, concatenated. Why it is fast: most text is
/// stable characters (one range check each), and the commonest unstable segment in
/// decomposed Latin text, an ASCII letter and one combining accent, is composed by a single
/// table lookup instead of the general algorithm.
///
/// `from` is 0 or the start of a stable character with only stable characters before it:
/// NFC changes nothing before it, and the loop below, started from 0, would reach it with
/// nothing to copy and then take it as the boundary, which is the state it starts in here.
fn nfc(text: &str, from: usize) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let mut out: Option<String> = None;
    // Bytes of `text` before this are already in `out` (or unchanged, when `out` is None).
    let mut copied_to = 0;
    // The start of the last stable character: a normalization boundary.
    let mut boundary = from;
    let mut scratch = String::new();
    let mut i = from;
    while i < bytes.len() {
        if bytes[i] < 0x80 {
            // ASCII is stable: the last ASCII byte of the run is the boundary.
            let end = skip_ascii(bytes, i + 1);
            boundary = end - 1;
            i = end;
            continue;
        }
        if let Some(len) = stable_by_lead(bytes, i) {
            boundary = i;
            i += len;
            continue;
        }
        let (c, len) = decode_at(bytes, i);
        if nfc_stable(c) {
            boundary = i;
            i += len;
            continue;
        }
        // The segment: from the boundary before `c` to the next stable character.
        let start = boundary;
        let mut end = i + len;
        while end < bytes.len() {
            let (next, len) = decode_at(bytes, end);
            if next.is_ascii() || nfc_stable(next) {
                break;
            }
            end += len;
        }
        let segment = &text[start..end];
        let mut composed = [0u8; 4];
        let normalized: &str = match compose_ascii_and_accent(segment) {
            Some(Some(c)) => c.encode_utf8(&mut composed),
            Some(None) => segment,
            // Most characters outside the stable ranges are still NFC (emoji, other
            // scripts): the quick check says so without building anything.
            None if is_nfc_quick(segment.chars()) == IsNormalized::Yes => segment,
            None => {
                scratch.clear();
                scratch.extend(segment.nfc());
                &scratch
            }
        };
        if normalized != segment {
            let o = out.get_or_insert_with(|| String::with_capacity(text.len()));
            o.push_str(&text[copied_to..start]);
            o.push_str(normalized);
            copied_to = end;
        }
        boundary = end;
        i = end;
    }
    match out {
        None => Cow::Borrowed(text),
        Some(mut o) => {
            o.push_str(&text[copied_to..]);
            Cow::Owned(o)
        }
    }
}

/// The length of the character at byte `i` of valid UTF-8 `bytes` (a character boundary)
/// when its bytes alone show it stable (see [`nfc_stable`]), without decoding it: every
/// character of lead bytes 0xC2–0xCB (U+0080–U+02FF), 0xE4–0xE9 (U+4000–U+9FFF: Han) and
/// 0xEB–0xED (U+B000–U+D7FF: Hangul syllables and jamo), and of 0xE3 (U+3000–U+3FFF: CJK
/// punctuation, kana, CJK Extension A) but the combining U+302A–U+302F and the voicing marks
/// U+3099–U+309A. `None` says nothing: the character is then checked by [`nfc_stable`].
/// Checked against the Unicode data of unicode-normalization by the tests below. This is
/// what makes clean CJK text cost one comparison per character here.
#[inline]
pub(crate) fn stable_by_lead(bytes: &[u8], i: usize) -> Option<usize> {
    match STABLE_BY_LEAD[usize::from(bytes[i])] {
        0 => None,
        CHECK_E3 => {
            let b1 = bytes.get(i + 1).copied().unwrap_or(0);
            let b2 = bytes.get(i + 2).copied().unwrap_or(0);
            (!e3_unstable(b1, b2)).then_some(3)
        }
        len => Some(usize::from(len)),
    }
}

/// True for the characters of lead byte 0xE3 that are not stable, by their second and
/// third bytes (see [`stable_by_lead`]).
#[inline]
pub(crate) fn e3_unstable(b1: u8, b2: u8) -> bool {
    E3_UNSTABLE[usize::from(b1 & 0x3F)] >> (b2 & 0x3F) & 1 != 0
}

/// [`STABLE_BY_LEAD`]'s mark for lead byte 0xE3, whose characters are stable but for a few.
const CHECK_E3: u8 = 0xFF;

/// Per lead byte: the length of its characters when all of them are stable, [`CHECK_E3`]
/// for 0xE3, 0 otherwise (see [`stable_by_lead`]).
const STABLE_BY_LEAD: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = match b {
            0xC2..=0xCB => 2,
            0xE4..=0xE9 | 0xEB..=0xED => 3,
            0xE3 => CHECK_E3,
            _ => 0,
        };
        b += 1;
    }
    table
};

/// The unstable characters of lead byte 0xE3, as bits (third byte & 0x3F) per second byte
/// & 0x3F: U+302A–U+302F (E3 80 AA–AF) and U+3099–U+309A (E3 82 99–9A).
const E3_UNSTABLE: [u64; 64] = {
    let mut table = [0u64; 64];
    table[0] = 0x3F << 0x2A;
    table[2] = 0x3 << 0x19;
    table
};

/// The character starting at byte `i` of valid UTF-8 `bytes` (a character boundary), and its
/// length: straight from the bytes, since this runs for every character of CJK text.
#[inline]
pub(crate) fn decode_at(bytes: &[u8], i: usize) -> (char, usize) {
    let byte = |k: usize| u32::from(bytes.get(i + k).copied().unwrap_or(0) & 0x3F);
    let lead = u32::from(bytes[i]);
    let (u, len) = match lead {
        0x00..=0x7F => (lead, 1),
        0x80..=0xDF => (((lead & 0x1F) << 6) | byte(1), 2),
        0xE0..=0xEF => (((lead & 0x0F) << 12) | (byte(1) << 6) | byte(2), 3),
        _ => (((lead & 0x07) << 18) | (byte(1) << 12) | (byte(2) << 6) | byte(3), 4),
    };
    (char::from_u32(u).unwrap_or('\u{FFFD}'), len)
}

/// For a segment that is an ASCII character followed by one combining mark of U+0300–U+036F
/// that NFC keeps as it is (all but U+0340, U+0341, U+0343 and U+0344, which NFC replaces):
/// `Some(Some(c))` when the pair composes to `c`, `Some(None)` when the pair stays as it is.
/// `None` for any other segment, which takes the general algorithm. An ASCII character has
/// no decomposition and the mark is alone, so composing the pair is all NFC does.
#[inline]
fn compose_ascii_and_accent(segment: &str) -> Option<Option<char>> {
    let &[base, lead, trail] = segment.as_bytes() else { return None };
    if !base.is_ascii() || !(0xCC..=0xCD).contains(&lead) {
        return None;
    }
    let mark = char::from_u32(((u32::from(lead) & 0x1F) << 6) | (u32::from(trail) & 0x3F))?;
    if !('\u{300}'..='\u{36F}').contains(&mark) || matches!(mark, '\u{340}' | '\u{341}' | '\u{343}' | '\u{344}') {
        return None;
    }
    Some(unicode_normalization::char::compose(char::from(base), mark))
}

/// Characters after which, and before which, NFC never changes anything: canonical
/// combining class 0, NFC_Quick_Check = Yes, and never the second character of a canonical
/// composition (so nothing before them composes with them or is reordered past them). Found
/// by range alone, for the scripts most text is written in. A character outside these ranges
/// is not necessarily unstable, only checked the slow way. Checked against the Unicode data
/// of unicode-normalization by the tests below.
#[inline]
pub(crate) fn nfc_stable(c: char) -> bool {
    matches!(c as u32,
        0..=0x2FF // ASCII, Latin-1, Latin Extended-A and -B, IPA, spacing modifiers
        | 0x388..=0x3FF // Greek letters (U+0374, U+037E and U+0387 are replaced by NFC)
        | 0x400..=0x482 | 0x48A..=0x52F // Cyrillic, without the combining U+0483–U+0489
        | 0x5D0..=0x5EA // Hebrew letters
        | 0x621..=0x64A // Arabic letters (U+064B on are combining marks)
        | 0x904..=0x939 // Devanagari letters (U+0958–U+095F are composition exclusions)
        | 0xE01..=0xE30 | 0xE32..=0xE33 | 0xE40..=0xE46 // Thai consonants and leading vowels
        | 0x1E00..=0x1EFF // Latin Extended Additional (Vietnamese)
        | 0x2002..=0x206F // general punctuation: ’ “ ” – — … (U+2000/2001 decompose)
        | 0x20A0..=0x20CF // currency signs
        | 0x3000..=0x3029 | 0x3030..=0x3098 // CJK punctuation (U+302A–F combine), hiragana up to ゖ
        | 0x309D..=0x30FF // hiragana iteration marks, katakana (ゝ ゞ ヽ ヾ are precomposed)
        | 0x4E00..=0x9FFF // CJK unified ideographs
        | 0xAC00..=0xD7A3 // precomposed Hangul syllables
        | 0xFF01..=0xFFEF) // half- and full-width forms: NFKC folds them, NFC does not
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::Strategy;

    /// Every character that is the second of a canonical composition: the last character
    /// of a canonical decomposition, and the Hangul vowel and final jamo.
    fn composition_seconds() -> std::collections::HashSet<char> {
        let mut seconds: std::collections::HashSet<char> =
            (0x1161..=0x1175).chain(0x11A8..=0x11C2).filter_map(char::from_u32).collect();
        for c in (0..0x11_0000u32).filter_map(char::from_u32) {
            let mut parts = Vec::new();
            unicode_normalization::char::decompose_canonical(c, |p| parts.push(p));
            if parts.len() >= 2 {
                seconds.insert(*parts.last().unwrap());
            }
        }
        seconds
    }

    #[test]
    fn stable_ranges_agree_with_the_unicode_data() {
        use unicode_normalization::char::canonical_combining_class;
        use unicode_normalization::is_nfc;
        let seconds = composition_seconds();
        for c in (0..0x11_0000u32).filter_map(char::from_u32).filter(|&c| nfc_stable(c)) {
            assert_eq!(canonical_combining_class(c), 0, "U+{:04X} is not a starter", c as u32);
            assert!(is_nfc(&c.to_string()), "U+{:04X} changes under NFC", c as u32);
            assert!(!seconds.contains(&c), "U+{:04X} composes with a character before it", c as u32);
        }
    }

    #[test]
    fn stable_lead_bytes_agree_with_the_unicode_data() {
        use unicode_normalization::char::canonical_combining_class;
        use unicode_normalization::is_nfc;
        let seconds = composition_seconds();
        let mut claimed = 0;
        for c in (0x80..0x11_0000u32).filter_map(char::from_u32) {
            let s = c.to_string();
            let Some(len) = stable_by_lead(s.as_bytes(), 0) else { continue };
            claimed += 1;
            assert_eq!(len, c.len_utf8(), "U+{:04X}", c as u32);
            assert_eq!(canonical_combining_class(c), 0, "U+{:04X} is not a starter", c as u32);
            assert!(is_nfc(&s), "U+{:04X} changes under NFC", c as u32);
            assert!(!seconds.contains(&c), "U+{:04X} composes with a character before it", c as u32);
        }
        // Every character of the lead bytes named, less the eight exceptions.
        assert_eq!(claimed, (0x300 - 0x80) + 0x6000 + 0x2800 + 0x1000 - 8);
    }

    #[test]
    fn fast_pair_agrees_with_the_full_algorithm() {
        for base in (0u8..0x80).map(char::from) {
            for mark in ('\u{300}'..='\u{36F}').chain(['\u{3099}', '\u{301}']) {
                let segment = format!("{base}{mark}");
                let expected: String = segment.nfc().collect();
                assert_eq!(nfc(&segment, 0), expected, "{segment:?}");
                assert_eq!(nfc(&format!("x {segment}y"), 0), format!("x {expected}y"));
            }
        }
    }

    #[test]
    fn segments_agree_with_the_full_algorithm() {
        let samples = [
            "e\u{301}te\u{301} a\u{300} la plage",
            "e\u{323}\u{302} Vie\u{323}\u{302}t",
            "\u{301}leading mark",
            "e\u{301}\u{301}\u{301}",
            "é\u{323}",
            "\u{1100}\u{1161}\u{11A8}가\u{11A8}",
            "Ω\u{37E}\u{387}\u{374}",
            "и\u{306} ё е\u{308}",
            "か\u{3099}き\u{309A}",
            "क\u{93C} \u{958}",
            "\u{2126}\u{212B}\u{FB2A}",
            "a\u{31B}\u{301}\u{323}b",
        ];
        for sample in samples {
            let expected: String = sample.nfc().collect();
            assert_eq!(nfc(sample, 0), expected, "{sample:?}");
            assert_eq!(matches!(nfc(sample, 0), Cow::Borrowed(_)), expected == sample, "{sample:?}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config {
            cases: 2000,
            rng_seed: proptest::test_runner::RngSeed::Fixed(0x004E_4643),
            ..Default::default()
        })]

        /// Strings dense in the characters where NFC acts: starters, combining marks of
        /// several classes, jamo, singletons and exclusions.
        #[test]
        fn segmented_nfc_equals_unicode_normalization(
            s in proptest::collection::vec(proptest::sample::select(vec![
                'a', 'e', 'o', ' ', 'é', 'Å', '\u{300}', '\u{301}', '\u{308}', '\u{323}', '\u{31B}',
                '\u{340}', '\u{344}', '\u{1100}', '\u{1161}', '\u{11A8}', '가', 'か', '\u{3099}',
                'Ω', '\u{2126}', '\u{387}', 'и', '\u{306}', 'क', '\u{93C}', '\u{958}', '😀', 'ա',
                // Around the lead-byte fast path: kana and its voicing marks, CJK combining
                // marks, Han, Hangul, compatibility ideographs (which NFC replaces).
                'ア', '\u{309A}', '\u{309B}', '\u{302A}', '\u{3030}', '日', '\u{3400}', '\u{F900}',
                '\u{2F800}', '\u{3131}', '\u{D7B0}', 'ê', '\u{2FF}',
            ]), 0..24).prop_map(|v| v.into_iter().collect::<String>())
        ) {
            let expected: String = s.nfc().collect();
            let got = nfc(&s, 0);
            proptest::prop_assert_eq!(&got, &expected);
            proptest::prop_assert_eq!(matches!(got, Cow::Borrowed(_)), expected == s);
            proptest::prop_assert_eq!(matches!(got, Cow::Borrowed(_)), unicode_normalization::is_nfc(&s));
        }
    }

    #[test]
    fn decoding_from_bytes_agrees_with_str() {
        let text = "a é ア 日 😀 \u{7FF} \u{800} \u{FFFF} \u{10000} \u{10FFFF}";
        for (i, c) in text.char_indices() {
            assert_eq!(decode_at(text.as_bytes(), i), (c, c.len_utf8()));
        }
    }

    #[test]
    fn nfc_composes_and_borrows() {
        assert_eq!(normalize("e\u{301}", Normalization::Nfc), "é");
        assert!(matches!(normalize("é日本", Normalization::Nfc), Cow::Borrowed(_)));
        assert!(matches!(normalize("ascii", Normalization::Nfkc), Cow::Borrowed(_)));
    }

    #[test]
    fn nfkc_folds_full_width_only_on_request() {
        assert_eq!(normalize("！１", Normalization::Nfc), "！１");
        assert_eq!(normalize("！１", Normalization::Nfkc), "!1");
        assert_eq!(normalize("e\u{301}", Normalization::None), "e\u{301}");
    }
}
