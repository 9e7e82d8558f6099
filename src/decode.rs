//! Decoding bytes in an unknown (possibly legacy) encoding to UTF-8 before repair.
//!
//! Only the first MiB is looked at (see [`sniff`]), so that a stream decodes in bounded memory
//! exactly like the whole input. Order of evidence: a byte order mark decides; valid UTF-8 is UTF-8 unless it is 7-bit
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

use crate::{Error, Explanation};

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

/// What the first bytes of an input say about its encoding.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sniffed {
    pub(crate) encoding: &'static Encoding,
    pub(crate) confidence: f32,
    /// Length of the byte order mark to skip (0 when there is none).
    pub(crate) bom_len: usize,
}

/// Looks an encoding label up (WHATWG labels: `"sjis"`, `"latin1"`, `"utf-16le"`, …).
pub(crate) fn encoding_for_label(label: &str) -> Result<&'static Encoding, Error> {
    match Encoding::for_label_no_replacement(label.trim().as_bytes()) {
        Some(encoding) => Ok(encoding),
        None => Err(Error::UnknownEncoding { label: label.to_string() }),
    }
}

/// The encoding the caller forced; a byte order mark of that encoding itself is still removed.
pub(crate) fn sniff_forced(window: &[u8], encoding: &'static Encoding) -> Sniffed {
    let bom_len = match Encoding::for_bom(window) {
        Some((bom_encoding, len)) if bom_encoding == encoding => len,
        _ => 0,
    };
    Sniffed { encoding, confidence: 1.0, bom_len }
}

/// Detects the encoding from the first bytes of the input (`window`, all of it when
/// `at_end`). Only a window is looked at so that a stream can be decoded in bounded memory
/// with the same result as the whole input: bytes past the window that are not valid in the
/// chosen encoding become U+FFFD.
pub(crate) fn sniff(window: &[u8], at_end: bool) -> Sniffed {
    if let Some((encoding, bom_len)) = Encoding::for_bom(window) {
        return Sniffed { encoding, confidence: 1.0, bom_len };
    }
    // A window that ends inside a character is still valid UTF-8 so far; the character is
    // completed by the bytes that follow.
    let (valid_up_to, cut_short) = match std::str::from_utf8(window) {
        Ok(_) => (window.len(), false),
        Err(e) if !at_end && e.error_len().is_none() => (e.valid_up_to(), true),
        Err(e) => (e.valid_up_to(), false),
    };
    if valid_up_to == window.len() || cut_short {
        let valid = &window[..valid_up_to];
        if has_jis_double_byte_escape(valid) && decode_counting(ISO_2022_JP, valid).1 == 0 {
            return Sniffed { encoding: ISO_2022_JP, confidence: 1.0, bom_len: 0 };
        }
        return Sniffed { encoding: UTF_8, confidence: 1.0, bom_len: 0 };
    }
    let whole_characters = if at_end { window } else { trim_incomplete_utf8_end(window) };
    if let Some(confidence) = mostly_utf8(whole_characters) {
        return Sniffed { encoding: UTF_8, confidence, bom_len: 0 };
    }
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Allow);
    detector.feed(window, at_end);
    let guess = detector.guess(None, Utf8Detection::Deny);
    let (encoding, text, replaced, margin) = refine(guess, window);
    let non_ascii = text.chars().filter(|c| !c.is_ascii()).count();
    let evidence = non_ascii as f32 / (non_ascii as f32 + 4.0);
    let clean = if non_ascii == 0 { 1.0 } else { 1.0 - (replaced as f32 / non_ascii as f32).min(1.0) };
    let decisiveness = match margin {
        // No family check ran: chardetng's guess alone.
        None => 0.8,
        Some(m) => 0.5 + 0.5 * (m * 5.0).min(1.0),
    };
    let confidence = (evidence * clean * decisiveness * if replaced > 0 { 0.5 } else { 1.0 }).clamp(0.0, 1.0);
    Sniffed { encoding, confidence, bom_len: 0 }
}

/// `bytes` without a UTF-8 sequence cut off at its end (a window boundary, not an error).
fn trim_incomplete_utf8_end(bytes: &[u8]) -> &[u8] {
    // A sequence is at most 4 bytes: look back at most 3 for the lead of the last one.
    for back in 1..=bytes.len().min(3) {
        let b = bytes[bytes.len() - back];
        if b < 0x80 {
            return bytes;
        }
        if b >= 0xC0 {
            let needed = match b {
                0xC0..=0xDF => 2,
                0xE0..=0xEF => 3,
                _ => 4,
            };
            return if needed > back { &bytes[..bytes.len() - back] } else { bytes };
        }
    }
    bytes
}

/// Decodes a stream chunk by chunk, counting the malformed sequences turned into U+FFFD.
/// encoding_rs decoders keep the state between chunks, so the text is the same however the
/// input is split.
pub(crate) struct StreamDecoder {
    decoder: encoding_rs::Decoder,
    /// Malformed sequences replaced so far.
    pub(crate) replaced: usize,
}

impl std::fmt::Debug for StreamDecoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StreamDecoder")
            .field("encoding", &self.decoder.encoding().name())
            .field("replaced", &self.replaced)
            .finish()
    }
}

impl StreamDecoder {
    pub(crate) fn new(encoding: &'static Encoding) -> StreamDecoder {
        StreamDecoder { decoder: encoding.new_decoder_without_bom_handling(), replaced: 0 }
    }

    /// Appends the decoding of `input` to `out`; `last` flushes a sequence left incomplete.
    pub(crate) fn decode(&mut self, mut input: &[u8], out: &mut String, last: bool) {
        loop {
            let need = self.decoder.max_utf8_buffer_length_without_replacement(input.len());
            out.reserve(need.unwrap_or(input.len().saturating_mul(3)).max(16));
            let (result, read) = self.decoder.decode_to_string_without_replacement(input, out, last);
            input = &input[read..];
            match result {
                DecoderResult::InputEmpty => break,
                DecoderResult::OutputFull => {}
                DecoderResult::Malformed(_, _) => {
                    self.replaced += 1;
                    out.push('\u{FFFD}');
                }
            }
        }
    }
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
    let mut decoder = StreamDecoder::new(encoding);
    let mut out = String::new();
    decoder.decode(bytes, &mut out, true);
    (out, decoder.replaced)
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

    #[test]
    fn trims_only_an_incomplete_last_character() {
        let text = "aé日😀".as_bytes();
        assert_eq!(trim_incomplete_utf8_end(text), text);
        for cut in [text.len() - 1, text.len() - 2, text.len() - 3] {
            assert_eq!(trim_incomplete_utf8_end(&text[..cut]), &text[..text.len() - 4]);
        }
        assert_eq!(trim_incomplete_utf8_end(&text[..2]), b"a");
        assert_eq!(trim_incomplete_utf8_end(b"caf\xe9"), b"caf");
        assert_eq!(trim_incomplete_utf8_end(b"\x80\x80\x80\x80"), b"\x80\x80\x80\x80");
    }
}
