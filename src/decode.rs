//! Decoding bytes in an unknown (possibly legacy) encoding to UTF-8 before repair.
//!
//! Order of evidence: a byte order mark decides; valid UTF-8 is UTF-8 unless it is 7-bit
//! ISO-2022-JP (recognized by its escape sequences); almost-valid UTF-8 (a few corrupted
//! bytes, or a character cut off at the end) stays UTF-8; everything else goes to chardetng,
//! whose guess is then re-examined within its family where chardetng is weak on short input:
//! Shift_JIS vs EUC-JP, the Cyrillic single-byte pages, and the Latin pages of Western and
//! Central Europe.

use std::sync::OnceLock;

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{
    DecoderResult, Encoding, BIG5, EUC_JP, EUC_KR, GB18030, GBK, IBM866, ISO_2022_JP, ISO_8859_13, ISO_8859_15,
    ISO_8859_16, ISO_8859_2, ISO_8859_4, ISO_8859_5, KOI8_R, KOI8_U, SHIFT_JIS, UTF_8, WINDOWS_1250, WINDOWS_1251,
    WINDOWS_1252, WINDOWS_1254, WINDOWS_1257, X_MAC_CYRILLIC,
};

use crate::{fix_and_explain, Error, Explanation, Options};

/// Text decoded from bytes and repaired, with what was learned about its encoding.
///
/// Returned by [`fix_bytes`](crate::fix_bytes) and [`fix_bytes_with`](crate::fix_bytes_with).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Decoded {
    /// The decoded and repaired UTF-8 text (without the byte order mark, if there was one).
    pub text: String,
    /// The name of the input encoding (the WHATWG name, as `encoding_rs` spells it): `"UTF-8"`,
    /// `"Shift_JIS"`, `"EUC-JP"`, `"ISO-2022-JP"`, `"GBK"`, `"gb18030"`, `"Big5"`, `"EUC-KR"`,
    /// `"windows-1251"`, `"KOI8-R"`, `"windows-1252"`, `"ISO-8859-2"`, `"UTF-16LE"`, ….
    /// ISO-8859-1 and US-ASCII input are reported as `"windows-1252"`, a superset of both.
    pub encoding: &'static str,
    /// How sure the decoder is of `encoding`, from 0 to 1: 1 for a byte order mark, valid
    /// UTF-8, ISO-2022-JP recognized by its escapes and an encoding forced by the caller;
    /// lower for a guess, the less so the more evidence (non-ASCII characters) and the
    /// clearer the win over the alternatives of the same family.
    pub confidence: f32,
    /// Whether the input began with a byte order mark (removed from `text`).
    pub had_bom: bool,
    /// How many malformed byte sequences were decoded as U+FFFD REPLACEMENT CHARACTER.
    pub replaced: usize,
    /// What the repair after decoding did (see [`fix_and_explain`](crate::fix_and_explain)).
    pub explanation: Explanation,
}

/// How the bytes were decoded, before repair.
struct Decoding {
    text: String,
    encoding: &'static Encoding,
    confidence: f32,
    had_bom: bool,
    replaced: usize,
}

pub(crate) fn fix_bytes_with(bytes: &[u8], options: &Options, from: Option<&str>) -> Result<Decoded, Error> {
    let decoding = match from {
        Some(label) => decode_forced(bytes, label)?,
        None => decode_detected(bytes),
    };
    Ok(repair(decoding, options))
}

pub(crate) fn fix_bytes_detected(bytes: &[u8], options: &Options) -> Decoded {
    repair(decode_detected(bytes), options)
}

fn repair(decoding: Decoding, options: &Options) -> Decoded {
    let (fixed, explanation) = fix_and_explain(&decoding.text, options);
    let text = match fixed {
        std::borrow::Cow::Borrowed(_) => decoding.text,
        std::borrow::Cow::Owned(s) => s,
    };
    Decoded {
        text,
        encoding: decoding.encoding.name(),
        confidence: decoding.confidence,
        had_bom: decoding.had_bom,
        replaced: decoding.replaced,
        explanation,
    }
}

/// Looks an encoding label up (WHATWG labels: `"sjis"`, `"latin1"`, `"utf-16le"`, …).
fn encoding_for_label(label: &str) -> Result<&'static Encoding, Error> {
    match Encoding::for_label_no_replacement(label.trim().as_bytes()) {
        Some(encoding) => Ok(encoding),
        None => Err(Error::UnknownEncoding { label: label.to_string() }),
    }
}

fn decode_forced(bytes: &[u8], label: &str) -> Result<Decoding, Error> {
    let encoding = encoding_for_label(label)?;
    // A byte order mark of the forced encoding itself is still removed.
    let (had_bom, body) = match Encoding::for_bom(bytes) {
        Some((bom_encoding, len)) if bom_encoding == encoding => (true, &bytes[len..]),
        _ => (false, bytes),
    };
    let (text, replaced) = decode_counting(encoding, body);
    Ok(Decoding { text, encoding, confidence: 1.0, had_bom, replaced })
}

fn decode_detected(bytes: &[u8]) -> Decoding {
    if let Some((encoding, len)) = Encoding::for_bom(bytes) {
        let (text, replaced) = decode_counting(encoding, &bytes[len..]);
        return Decoding { text, encoding, confidence: 1.0, had_bom: true, replaced };
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        if has_jis_double_byte_escape(bytes) {
            let (decoded, replaced) = decode_counting(ISO_2022_JP, bytes);
            if replaced == 0 {
                return Decoding { text: decoded, encoding: ISO_2022_JP, confidence: 1.0, had_bom: false, replaced };
            }
        }
        return Decoding { text: text.to_string(), encoding: UTF_8, confidence: 1.0, had_bom: false, replaced: 0 };
    }
    if let Some(confidence) = mostly_utf8(bytes) {
        let (text, replaced) = decode_counting(UTF_8, bytes);
        return Decoding { text, encoding: UTF_8, confidence, had_bom: false, replaced };
    }
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Allow);
    detector.feed(bytes, true);
    let guess = detector.guess(None, Utf8Detection::Deny);
    let (encoding, text, replaced, margin) = refine(guess, bytes);
    let non_ascii = text.chars().filter(|c| !c.is_ascii()).count();
    let evidence = non_ascii as f32 / (non_ascii as f32 + 4.0);
    let clean = if non_ascii == 0 { 1.0 } else { 1.0 - (replaced as f32 / non_ascii as f32).min(1.0) };
    let decisiveness = match margin {
        // No family check ran: chardetng's guess alone.
        None => 0.8,
        Some(m) => 0.5 + 0.5 * (m * 5.0).min(1.0),
    };
    let confidence = (evidence * clean * decisiveness * if replaced > 0 { 0.5 } else { 1.0 }).clamp(0.0, 1.0);
    Decoding { text, encoding, confidence, had_bom: false, replaced }
}

/// Whether the 7-bit text contains an ISO-2022-JP escape switching to a double-byte set:
/// `ESC $ @`, `ESC $ B` (JIS X 0208) or `ESC $ ( D` (JIS X 0212).
fn has_jis_double_byte_escape(bytes: &[u8]) -> bool {
    memchr::memchr_iter(0x1B, bytes).any(|i| {
        let rest = &bytes[i + 1..];
        rest.starts_with(b"$@") || rest.starts_with(b"$B") || rest.starts_with(b"$(D")
    })
}

/// UTF-8 with a few corrupted bytes, or cut off inside the last character, is still UTF-8:
/// returns the confidence when the valid multi-byte characters far outnumber the errors.
fn mostly_utf8(bytes: &[u8]) -> Option<f32> {
    let mut multibyte = 0usize;
    let mut errors = 0usize;
    let mut truncated_end = false;
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(valid) => {
                multibyte += valid.bytes().filter(|&b| b >= 0xC0).count();
                break;
            }
            Err(e) => {
                let valid_up_to = e.valid_up_to();
                multibyte += rest[..valid_up_to].iter().filter(|&&b| b >= 0xC0).count();
                errors += 1;
                match e.error_len() {
                    Some(len) => rest = &rest[valid_up_to + len..],
                    None => {
                        truncated_end = true;
                        break;
                    }
                }
            }
        }
    }
    if errors == 1 && truncated_end && multibyte >= 1 {
        return Some(0.9 * multibyte as f32 / (multibyte as f32 + 1.0));
    }
    if multibyte >= 10 * errors {
        return Some(0.9 * (1.0 - errors as f32 * 10.0 / multibyte as f32).max(0.1));
    }
    None
}

/// Decodes without BOM handling, counting the malformed sequences turned into U+FFFD.
fn decode_counting(encoding: &'static Encoding, bytes: &[u8]) -> (String, usize) {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let capacity = decoder.max_utf8_buffer_length_without_replacement(bytes.len()).unwrap_or(bytes.len());
    let mut out = String::with_capacity(capacity);
    let mut replaced = 0;
    let mut input = bytes;
    loop {
        let (result, read) = decoder.decode_to_string_without_replacement(input, &mut out, true);
        input = &input[read..];
        match result {
            DecoderResult::InputEmpty => break,
            DecoderResult::OutputFull => {
                let need = decoder
                    .max_utf8_buffer_length_without_replacement(input.len())
                    .unwrap_or(input.len().saturating_mul(3));
                out.reserve(need.max(16));
            }
            DecoderResult::Malformed(_, _) => {
                replaced += 1;
                out.push('\u{FFFD}');
            }
        }
    }
    (out, replaced)
}

/// A family's cost function: (decoded text, replacements) to (cost, units).
type CostFn = fn(&str, usize) -> (f32, usize);

/// How much lower (per non-ASCII character) the cost of another member of the family must be
/// to override chardetng's guess.
const OVERRIDE_MARGIN: f32 = 0.1;

/// One candidate decoding and its cost under the family's check (lower is better).
struct Candidate {
    encoding: &'static Encoding,
    text: String,
    replaced: usize,
    cost: f32,
}

/// Re-examines chardetng's guess within its family. Returns the encoding, its decoding, the
/// number of replacements and, when a family check ran, the relative margin of the winner
/// over the best candidate that decodes differently.
fn refine(guess: &'static Encoding, bytes: &[u8]) -> (&'static Encoding, String, usize, Option<f32>) {
    if ![SHIFT_JIS, EUC_JP, GBK, GB18030, BIG5, EUC_KR, ISO_2022_JP].contains(&guess) {
        if let Some(japanese) = clearly_japanese(bytes) {
            return japanese;
        }
    }
    let (family, cost): (&[&'static Encoding], CostFn) = if guess == SHIFT_JIS || guess == EUC_JP {
        (&[SHIFT_JIS, EUC_JP], japanese_cost)
    } else if [WINDOWS_1251, KOI8_R, KOI8_U, IBM866, ISO_8859_5, X_MAC_CYRILLIC].contains(&guess) {
        (&[WINDOWS_1251, KOI8_R, IBM866, ISO_8859_5], cyrillic_cost)
    } else if [
        WINDOWS_1252,
        WINDOWS_1250,
        ISO_8859_2,
        ISO_8859_15,
        WINDOWS_1254,
        WINDOWS_1257,
        ISO_8859_4,
        ISO_8859_13,
        ISO_8859_16,
    ]
    .contains(&guess)
    {
        (&[WINDOWS_1252, WINDOWS_1250, ISO_8859_2], latin_cost)
    } else {
        let (text, replaced) = decode_counting(guess, bytes);
        return (guess, text, replaced, None);
    };
    let mut candidates: Vec<Candidate> = Vec::new();
    // chardetng's guess first, so that it wins ties.
    for &encoding in std::iter::once(&guess).chain(family.iter()) {
        if candidates.iter().any(|c| c.encoding == encoding) {
            continue;
        }
        let (text, replaced) = decode_counting(encoding, bytes);
        let (raw, units) = cost(&text, replaced);
        let cost = raw / units.max(1) as f32;
        candidates.push(Candidate { encoding, text, replaced, cost });
    }
    // Another candidate replaces chardetng's guess only when clearly better.
    let best_index = candidates.iter().enumerate().skip(1).fold(0, |best, (i, c)| {
        let needed = if best == 0 { OVERRIDE_MARGIN } else { 0.0 };
        if c.cost + needed < candidates[best].cost {
            i
        } else {
            best
        }
    });
    let best = candidates.swap_remove(best_index);
    let margin =
        candidates.iter().filter(|c| c.text != best.text).map(|c| c.cost - best.cost).fold(f32::INFINITY, f32::min);
    let margin = if margin.is_finite() { margin } else { 1.0 };
    (best.encoding, best.text, best.replaced, Some(margin))
}

/// chardetng can take short Japanese text for a single-byte page: Shift_JIS or EUC-JP wins
/// when it decodes the bytes (almost) without error into mostly common characters, at least a fifth of
/// them kana (no other text decodes into kana by chance).
fn clearly_japanese(bytes: &[u8]) -> Option<(&'static Encoding, String, usize, Option<f32>)> {
    for encoding in [SHIFT_JIS, EUC_JP] {
        let (text, replaced) = decode_counting(encoding, bytes);
        let (cost, units) = japanese_cost(&text, 0);
        // A character cut off at the end, or a rare corrupted byte, is tolerated.
        if replaced * 20 > units {
            continue;
        }
        let kana = text.chars().filter(|c| ('\u{3041}'..='\u{30FA}').contains(c)).count();
        if units >= 2 && cost <= 0.1 * units as f32 && kana * 5 >= units {
            let margin = 1.0 - cost / units as f32;
            return Some((encoding, text, replaced, Some(margin)));
        }
    }
    None
}

/// Cost of a decoding as Japanese: replacements, half-width katakana and characters outside
/// ASCII, JIS X 0208 rows 1–8 (symbols, kana) and level 1 kanji. Units: non-ASCII characters.
fn japanese_cost(text: &str, replaced: usize) -> (f32, usize) {
    let common = jis_common();
    let mut cost = 0.0;
    let mut units = 0;
    for c in text.chars().filter(|c| !c.is_ascii()) {
        units += 1;
        if c == '\u{FFFD}' {
            continue;
        }
        if common.binary_search(&c).is_err() {
            cost += 1.0;
        }
    }
    (cost + 5.0 * replaced as f32, units)
}

/// The characters of JIS X 0208 rows 1–8 and 16–47 (level 1 kanji), sorted.
fn jis_common() -> &'static [char] {
    static TABLE: OnceLock<Vec<char>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = Vec::new();
        for lead in (0xA1u8..=0xA8).chain(0xB0..=0xCF) {
            for trail in 0xA1u8..=0xFE {
                if let Some(s) = EUC_JP.decode_without_bom_handling_and_without_replacement(&[lead, trail]) {
                    table.extend(s.chars());
                }
            }
        }
        table.sort_unstable();
        table.dedup();
        table
    })
}

/// Cost of a decoding as Cyrillic text: upper-case Cyrillic letters (most letters of real text
/// are lower case) and non-ASCII characters that are neither Cyrillic letters nor common
/// punctuation. Units: non-ASCII characters.
fn cyrillic_cost(text: &str, replaced: usize) -> (f32, usize) {
    let mut cost = 0.0;
    let mut units = 0;
    for c in text.chars().filter(|c| !c.is_ascii()) {
        units += 1;
        if ('\u{400}'..='\u{4FF}').contains(&c) {
            if c.is_uppercase() {
                cost += 1.0;
            }
            let lower = c.to_lowercase().next().unwrap_or(c);
            if !('а'..='я').contains(&lower) && !"ёіїєґў".contains(lower) {
                cost += 1.0;
            }
        } else if !is_common_punctuation(c) {
            cost += 2.0;
        }
    }
    (cost + 5.0 * replaced as f32, units)
}

fn is_common_punctuation(c: char) -> bool {
    matches!(
        c,
        '\u{A0}'
            | '«'
            | '»'
            | '„'
            | '“'
            | '”'
            | '‘'
            | '’'
            | '‚'
            | '–'
            | '—'
            | '…'
            | '°'
            | '€'
            | '§'
            | '©'
            | '®'
            | '·'
            | '×'
            | '¿'
            | '¡'
            | '•'
            | '™'
            | '±'
            | '²'
            | '³'
            | '½'
            | '№'
    )
}

/// Lower-case non-ASCII letters of the Latin-script languages written in the Windows-1252,
/// Windows-1250 / ISO-8859-2, Windows-1254 and Windows-1257 family. The Western languages of
/// Windows-1252 form one set, so that text mixing them (French quotes in a German text) is not
/// penalized; the others, whose letters are what tells those pages apart, stand alone.
const LATIN_ALPHABETS: &[&str] = &[
    "àáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿœß", // Western: French, German, Spanish, Portuguese, Italian, …
    "ąćęłńóśźż",                         // Polish
    "áčďéěíňóřšťúůýž",                   // Czech
    "áäčďéíĺľňóôŕšťúýž",                 // Slovak
    "áéíóöőúüű",                         // Hungarian
    "čšžäöüß",                           // Slovenian (and German)
    "čćđšž",                             // Croatian, Bosnian
    "ăâîșțşţ",                           // Romanian
    "ëç",                                // Albanian
    "çğıöşüâî",                          // Turkish
    "ąčęėįšųūž",                         // Lithuanian
    "āčēģīķļņšūž",                       // Latvian
    "äõöüšž",                            // Estonian
];

/// Cost of a decoding as Latin-script European text: the fewest non-ASCII letters outside the
/// alphabet of one language (or the Western set) or, for half a letter more, of two languages
/// (a text may quote another language), plus non-ASCII symbols that are not common punctuation.
/// Units: non-ASCII characters.
fn latin_cost(text: &str, replaced: usize) -> (f32, usize) {
    const MIXING: f32 = 0.5;
    // How many letters have each set of alphabets containing them (a bit mask).
    let mut by_mask: Vec<(u32, usize)> = Vec::new();
    let mut symbols = 0usize;
    let mut units = 0;
    for c in text.chars().filter(|c| !c.is_ascii()) {
        units += 1;
        if c.is_alphabetic() {
            let mut lower = c.to_lowercase();
            let l = match (lower.next(), lower.next()) {
                (Some(l), None) => l,
                _ => c,
            };
            let mask = LATIN_ALPHABETS
                .iter()
                .enumerate()
                .filter(|(_, alphabet)| alphabet.contains(l))
                .fold(0u32, |mask, (i, _)| mask | 1 << i);
            match by_mask.iter_mut().find(|(m, _)| *m == mask) {
                Some((_, count)) => *count += 1,
                None => by_mask.push((mask, 1)),
            }
        } else if !is_common_punctuation(c) {
            symbols += 1;
        }
    }
    let outside = |languages: u32| -> f32 {
        by_mask.iter().filter(|(mask, _)| mask & languages == 0).map(|&(_, count)| count).sum::<usize>() as f32
    };
    let mut letters = f32::INFINITY;
    for a in 0..LATIN_ALPHABETS.len() {
        letters = letters.min(outside(1 << a));
        for b in a + 1..LATIN_ALPHABETS.len() {
            letters = letters.min(outside(1 << a | 1 << b) + MIXING);
        }
    }
    (letters + (2 * symbols + 5 * replaced) as f32, units)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jis_table_has_kana_and_level_one() {
        let t = jis_common();
        assert!(t.binary_search(&'あ').is_ok());
        assert!(t.binary_search(&'亜').is_ok());
        assert!(t.binary_search(&'ｱ').is_err());
    }

    #[test]
    fn utf8_truncated_at_end_stays_utf8() {
        let bytes = &"日本語".as_bytes()[..8];
        assert!(mostly_utf8(bytes).is_some());
        assert!(mostly_utf8(b"caf\xe9 cr\xe8me").is_none());
    }
}
