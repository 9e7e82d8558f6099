//! fixenc repairs *mojibake* — text whose UTF-8 bytes were decoded through the wrong code
//! page, once or several times, often lossily — and normalizes text to NFC.
//!
//! ```
//! assert_eq!(fixenc::fix_text("BoyacÃ¡ is in Colombia"), "Boyacá is in Colombia");
//! assert_eq!(fixenc::fix_text("ã“ã‚“ã«ã¡ã¯ä¸–ç•Œ"), "こんにちは世界");
//! // Clean text in any language is returned as it was, without a copy.
//! assert!(matches!(fixenc::fix_text("Ağır çekim, naïve café"), std::borrow::Cow::Borrowed(_)));
//! ```
//!
//! # What it does
//!
//! The data path follows the module layout:
//!
//! 1. **scan** — a fast pass proves most text clean: mojibake of UTF-8 through a single-byte
//!    code page always shows a character the page maps from a UTF-8 lead byte next to one it
//!    maps from a continuation byte.
//! 2. **detect** — each plausible *hypothesis* (a code page and a loss form: which bytes were
//!    dropped on the way) is tried on the suspicious runs of the text; a run counts as
//!    mojibake only when its re-encoded bytes form UTF-8 (up to the lost bytes) and the
//!    repaired characters are far more plausible than the ones there now.
//! 3. **reverse** — re-encode the run through the code page and decode as UTF-8, layer after
//!    layer (`Ã¢â‚¬â„¢` → `â€™` → `’`), run by run: clean runs keep their bytes.
//! 4. **reconstruct** — bytes the code page could not represent were dropped; the holes are
//!    filled by a Viterbi search over the characters each hole could have been, under an
//!    embedded character model (see [`Options::reconstruct`]).
//! 5. **normalize** — NFC by default (NFKC on request; it folds the full-width punctuation
//!    Japanese uses on purpose).
//!
//! [`fix_and_explain`] returns what was done as an [`Explanation`], which converts to a
//! replayable [`Plan`].

#![forbid(unsafe_code)]
#![warn(missing_docs)]

// The README's Rust examples run as doctests, so that they stay true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeExamples;

use std::borrow::Cow;

#[rustfmt::skip]
mod assigned_table;
mod cjk;
mod codepage;
#[rustfmt::skip]
mod codepage_tables;
mod decode;
mod detect;
mod explain;
mod model;
mod nested;
mod normalize;
mod reconstruct;
mod reverse;
mod scan;
mod stream;

pub use codepage::CodePage;
pub use decode::Decoded;
pub use explain::{Explanation, Guess, Layer, Plan, PlanStep, SpanRepair};
pub use normalize::Normalization;
pub use stream::{BlockExplanation, Fixer, Summary};

/// Which byte losses a repair may assume happened between the UTF-8 bytes and the text.
///
/// Real-world mojibake is often lossy: a strict decoder drops the bytes its code page does not
/// define, a later pass strips C1 controls or soft hyphens, or turns no-break spaces into
/// spaces. Each flag names one of those forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct Loss {
    /// Bytes the code page leaves undefined were dropped.
    pub undefined_dropped: bool,
    /// Bytes 0x80–0x9F, decoded as C1 controls by an ISO-8859 page, were stripped later.
    pub c1_stripped: bool,
    /// Byte 0xAD, decoded as U+00AD SOFT HYPHEN, was stripped.
    pub soft_hyphen_stripped: bool,
    /// Byte 0xA0, decoded as U+00A0 NO-BREAK SPACE, became an ASCII space.
    pub nbsp_to_space: bool,
    /// Each byte sequence the decoder rejected became this character: U+FFFD from a
    /// replacing decoder (for a single-byte page, each byte it leaves undefined: Python's
    /// `errors="replace"` reads `こ` through Windows-1252 as `ã�“`), or, for a double-byte
    /// page, `?` from an encoder that replaced it later. Sequences dropped instead are
    /// `undefined_dropped`.
    pub undecodable: Option<char>,
    /// Double-byte pages, with `undecodable`: each rejected *byte* became that character and
    /// the byte after a rejected lead byte was decoded again on its own (Python's CJK codecs
    /// with `errors="replace"`), rather than one character per rejected pair (the WHATWG
    /// decoders: browsers, encoding_rs).
    pub replaced_per_byte: bool,
}

impl Loss {
    /// No loss: the misreading can be reversed byte for byte.
    pub const NONE: Loss = Loss {
        undefined_dropped: false,
        c1_stripped: false,
        soft_hyphen_stripped: false,
        nbsp_to_space: false,
        undecodable: None,
        replaced_per_byte: false,
    };

    /// True when no byte was lost.
    pub fn is_lossless(&self) -> bool {
        *self == Loss::NONE
    }

    /// The byte values this loss form removes from text misread through `page` (or, with
    /// [`undecodable`](Loss::undecodable) on a single-byte page, replaces), ascending (a
    /// no-break space turned into a space is not removed, so it is not listed).
    pub fn lost_bytes(&self, page: CodePage) -> Vec<u8> {
        let mut lost = Vec::new();
        if self.undefined_dropped || (self.undecodable.is_some() && !page.is_double_byte()) {
            lost.extend_from_slice(page.undefined_bytes());
        }
        if self.c1_stripped {
            lost.extend(0x80..=0x9F);
        }
        if self.soft_hyphen_stripped {
            lost.push(0xAD);
        }
        lost.sort_unstable();
        lost.dedup();
        lost
    }
}

impl std::fmt::Display for Loss {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut parts = Vec::new();
        if self.undefined_dropped {
            parts.push("undefined bytes dropped");
        }
        if self.c1_stripped {
            parts.push("C1 controls stripped");
        }
        if self.soft_hyphen_stripped {
            parts.push("soft hyphens stripped");
        }
        if self.nbsp_to_space {
            parts.push("no-break spaces turned into spaces");
        }
        let replaced;
        if let Some(c) = self.undecodable {
            let each = if self.replaced_per_byte { ", one per byte" } else { "" };
            replaced = format!("undecodable bytes replaced by {c:?}{each}");
            parts.push(&replaced);
        }
        if parts.is_empty() {
            f.write_str("lossless")
        } else {
            f.write_str(&parts.join(", "))
        }
    }
}

/// How fixenc treats bytes that were lost on the way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Reconstruct {
    /// Fill every hole with the most plausible byte; low-confidence guesses are reported in
    /// the [`Explanation`] with their runner-up. The default.
    #[default]
    BestGuess,
    /// Fill holes only where the best guess wins by a clear margin; a run with any
    /// low-confidence guess is left as it was.
    ConfidentOnly,
    /// Never guess: only lossless mojibake is repaired.
    Never,
}

/// Options for [`fix_text_with`] and [`fix_and_explain`].
///
/// ```
/// use fixenc::{CodePage, Normalization, Options, Reconstruct};
/// let options = Options::default()
///     .normalization(Normalization::Nfkc)
///     .reconstruct(Reconstruct::Never)
///     .code_pages(&[CodePage::Windows1252]);
/// assert_eq!(fixenc::fix_text_with("ï¼¡ï¼¢ï¼£", &options), "ABC");
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Options {
    /// Unicode normalization applied to the result. Default: NFC.
    pub normalization: Normalization,
    /// Whether lost bytes may be guessed. Default: [`Reconstruct::BestGuess`].
    pub reconstruct: Reconstruct,
    /// The code pages that may have misread UTF-8. Default: [`CodePage::ALL`] followed by
    /// [`CodePage::DOUBLE_BYTE`]. A double-byte page listed here is tried both as the page
    /// that misread UTF-8 (`縺薙ｓ`) and as the encoding of bytes that a listed single-byte
    /// page misread (Shift_JIS read as Windows-1252, `‚±‚ñ`); leave them out to turn the CJK
    /// families off.
    pub code_pages: Vec<CodePage>,
    /// How many layers of mojibake to undo at most. Default: 8 (every layer shortens the
    /// text, so the search ends anyway; two and three layers occur in the wild).
    pub max_layers: usize,
    /// A guess whose path beats the runner-up by less than this many nats is reported as
    /// low-confidence. Default: 2.0.
    pub min_margin: f32,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            normalization: Normalization::Nfc,
            reconstruct: Reconstruct::BestGuess,
            code_pages: CodePage::ALL.iter().chain(&CodePage::DOUBLE_BYTE).copied().collect(),
            max_layers: 8,
            min_margin: 2.0,
        }
    }
}

impl Options {
    /// Sets the normalization form.
    pub fn normalization(mut self, normalization: Normalization) -> Options {
        self.normalization = normalization;
        self
    }
    /// Sets how lost bytes are treated.
    pub fn reconstruct(mut self, reconstruct: Reconstruct) -> Options {
        self.reconstruct = reconstruct;
        self
    }
    /// Sets the code pages to try.
    pub fn code_pages(mut self, pages: &[CodePage]) -> Options {
        self.code_pages = pages.to_vec();
        self
    }
    /// Sets the maximum number of layers undone.
    pub fn max_layers(mut self, layers: usize) -> Options {
        self.max_layers = layers;
        self
    }
}

/// Errors from operations that can fail (replaying a [`Plan`] on text it does not fit).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The text holds a character the plan's code page cannot encode, so it cannot be the
    /// result of misreading UTF-8 through that page.
    #[error("character {ch:?} at byte {offset} is not in {page}")]
    NotEncodable {
        /// The character.
        ch: char,
        /// Its byte offset in the text the step was applied to.
        offset: usize,
        /// The code page of the step.
        page: CodePage,
    },
    /// The re-encoded bytes are not UTF-8, and the plan's loss form cannot explain them.
    #[error("bytes at {offset} are not UTF-8 after re-encoding as {page} and cannot be reconstructed")]
    NotUtf8 {
        /// Byte offset of the first bad run in the text the step was applied to.
        offset: usize,
        /// The code page of the step.
        page: CodePage,
    },
    /// [`fix_bytes_with`] was asked to decode from an encoding label it does not know.
    #[error("unknown encoding label {label:?}")]
    UnknownEncoding {
        /// The label as given.
        label: String,
    },
}

/// Repairs `text` with the default [`Options`].
///
/// Returns [`Cow::Borrowed`] when nothing changed.
///
/// ```
/// assert_eq!(fixenc::fix_text("Ã¢â‚¬Å“quotedÃ¢â‚¬Â\u{9d}"), "\u{201c}quoted\u{201d}");
/// assert_eq!(fixenc::fix_text("ÐŸÑ€Ð¸Ð²ÐµÑ‚"), "Привет");
/// ```
pub fn fix_text(text: &str) -> Cow<'_, str> {
    // Built once: the default options hold a list of pages, and clean text should cost no
    // allocation.
    static DEFAULT: std::sync::OnceLock<Options> = std::sync::OnceLock::new();
    fix_text_with(text, DEFAULT.get_or_init(Options::default))
}

/// Repairs `text` with the given options. Returns [`Cow::Borrowed`] when nothing changed.
///
/// ```
/// use fixenc::{Normalization, Options};
/// let keep_form = Options::default().normalization(Normalization::None);
/// assert_eq!(fixenc::fix_text_with("cafe\u{301}", &keep_form), "cafe\u{301}");
/// assert_eq!(fixenc::fix_text("cafe\u{301}"), "café");
/// ```
pub fn fix_text_with<'a>(text: &'a str, options: &Options) -> Cow<'a, str> {
    repair(text, options, false).0
}

/// Repairs `text` and explains what was done.
///
/// ```
/// use fixenc::{fix_and_explain, CodePage, Options};
/// let (fixed, explanation) = fix_and_explain("naÃ¯ve cafÃ©", &Options::default());
/// assert_eq!(fixed, "naïve café");
/// assert_eq!(explanation.layers[0].code_page, CodePage::Windows1252);
/// // The explanation replays as a plan on other text broken the same way.
/// let plan = explanation.plan();
/// assert_eq!(plan.apply("rÃ©sumÃ©").unwrap(), "résumé");
/// ```
pub fn fix_and_explain<'a>(text: &'a str, options: &Options) -> (Cow<'a, str>, Explanation) {
    repair(text, options, true)
}

/// [`fix_and_explain`]; without `keep_spans` the explanation's layers may list no spans (see
/// [`explain_block`]), for callers that keep only the text.
fn repair<'a>(text: &'a str, options: &Options, keep_spans: bool) -> (Cow<'a, str>, Explanation) {
    if text.len() <= stream::BLOCK_BYTES {
        return explain_block(text, options, keep_spans);
    }
    // Long text is repaired block by block, exactly as `Fixer` does in bounded memory.
    // The copy starts at the first block that changed: a block that did not is returned
    // borrowed, so the blocks before it are `text` up to its start, and clean text is never
    // copied.
    let mut fixed: Option<String> = None;
    let mut explanations = Vec::new();
    let mut block_count = 0;
    for range in stream::blocks(text) {
        let (block_fixed, explanation) = explain_block(&text[range.clone()], options, keep_spans);
        block_count += 1;
        if explanation.changed() {
            fixed.get_or_insert_with(|| text[..range.start].to_owned()).push_str(&block_fixed);
            explanations.push(BlockExplanation { range, explanation });
        } else if let Some(fixed) = fixed.as_mut() {
            fixed.push_str(&block_fixed);
        }
    }
    let explanation = stream::merge_explanations(options, explanations, block_count);
    match fixed {
        Some(fixed) => (Cow::Owned(fixed), explanation),
        None => (Cow::Borrowed(text), explanation),
    }
}

/// Repairs one block of text (all of a text up to a block long) as one document.
///
/// Without `keep_spans` a layer that was transcoded whole (see `detect::transcode_runs`)
/// lists no spans: the text and every decision are the same, and a caller that drops the
/// explanation does not pay for a copy of each run.
pub(crate) fn explain_block<'a>(text: &'a str, options: &Options, keep_spans: bool) -> (Cow<'a, str>, Explanation) {
    let mut explanation = Explanation::unchanged(options);
    let (mut current, screen) = undo_layers(Cow::Borrowed(text), options, &mut explanation, keep_spans);
    let normalized = match screen {
        Some(screen) => normalize::normalize_screened(&current, options.normalization, screen.nfc_from),
        None => normalize::normalize(&current, options.normalization),
    };
    if let Cow::Owned(normalized) = normalized {
        explanation.normalization_changed = true;
        // Normalization can turn the character that kept a run from re-encoding into one
        // that does (U+037E GREEK QUESTION MARK becomes `;`): look once more, so that
        // repairing the result changes nothing.
        let before = explanation.layers.len();
        current = undo_layers(Cow::Owned(normalized), options, &mut explanation, keep_spans).0;
        if explanation.layers.len() > before {
            explanation.renormalized_from = Some(before);
            current = match normalize::normalize(&current, options.normalization) {
                Cow::Borrowed(_) => current,
                Cow::Owned(s) => Cow::Owned(s),
            };
        }
    }
    (current, explanation)
}

/// Decodes `bytes` from their detected encoding to UTF-8, then repairs the text with the
/// default [`Options`]. Never fails and never panics: malformed sequences become U+FFFD and are
/// counted in [`Decoded::replaced`].
///
/// A byte order mark decides the encoding; valid UTF-8 is UTF-8, unless it is ISO-2022-JP
/// (recognized by its escape sequences); other bytes are detected (chardetng, with extra checks
/// for Shift_JIS vs EUC-JP, the Cyrillic pages and the Latin pages of Western and Central Europe).
///
/// ```
/// // "日本語のテキスト" in Shift_JIS.
/// let sjis = b"\x93\xfa\x96\x7b\x8c\xea\x82\xcc\x83\x65\x83\x4c\x83\x58\x83\x67";
/// let decoded = fixenc::fix_bytes(sjis);
/// assert_eq!(decoded.text, "日本語のテキスト");
/// assert_eq!(decoded.encoding, "Shift_JIS");
///
/// // UTF-8 input is repaired like `fix_text` does.
/// let decoded = fixenc::fix_bytes("cafÃ©".as_bytes());
/// assert_eq!((decoded.text.as_str(), decoded.encoding, decoded.confidence), ("café", "UTF-8", 1.0));
///
/// // A UTF-16LE byte order mark decides, and is removed.
/// let decoded = fixenc::fix_bytes(b"\xff\xfeh\0i\0");
/// assert_eq!((decoded.text.as_str(), decoded.encoding, decoded.had_bom), ("hi", "UTF-16LE", true));
/// ```
pub fn fix_bytes(bytes: &[u8]) -> Decoded {
    decode_whole(Fixer::new(&Options::default()), bytes)
}

/// Like [`fix_bytes`], with options for the repair and optionally the input encoding forced by
/// its label (WHATWG labels, case-insensitive: `"sjis"`, `"euc-kr"`, `"latin1"`, `"utf-16le"`,
/// …). A byte order mark of the forced encoding is removed; any other is kept as text.
///
/// # Errors
///
/// [`Error::UnknownEncoding`] when `from` is not a known label (or names the WHATWG
/// "replacement" encoding, such as `"iso-2022-kr"`).
///
/// ```
/// use fixenc::Options;
/// // "Привет" in KOI8-R, which a guess could mistake for Windows-1251.
/// let decoded = fixenc::fix_bytes_with(b"\xf0\xd2\xc9\xd7\xc5\xd4", &Options::default(), Some("koi8-r"))?;
/// assert_eq!((decoded.text.as_str(), decoded.encoding), ("Привет", "KOI8-R"));
/// assert!(fixenc::fix_bytes_with(b"x", &Options::default(), Some("no-such-encoding")).is_err());
/// # Ok::<(), fixenc::Error>(())
/// ```
pub fn fix_bytes_with(bytes: &[u8], options: &Options, from: Option<&str>) -> Result<Decoded, Error> {
    let fixer = match from {
        Some(label) => Fixer::with_encoding(options, label)?,
        None => Fixer::new(options),
    };
    Ok(decode_whole(fixer, bytes))
}

/// The whole-input functions are the streaming ones fed a single chunk, so that both give
/// the same text by construction.
fn decode_whole(mut fixer: Fixer, bytes: &[u8]) -> Decoded {
    fixer.keep_explanation(true);
    let mut text = String::with_capacity(bytes.len() + bytes.len() / 8);
    fixer.feed(bytes, &mut text);
    let summary = fixer.finish(&mut text);
    Decoded {
        text,
        encoding: summary.encoding,
        confidence: summary.confidence,
        had_bom: summary.had_bom,
        replaced: summary.replaced,
        explanation: summary.explanation,
    }
}

/// Undoes layer after layer while a hypothesis gains, up to [`Options::max_layers`] in all.
/// Returns the result and, when it was screened (it was, unless the last layer allowed was
/// undone), its screen.
fn undo_layers<'a>(
    mut current: Cow<'a, str>,
    options: &Options,
    explanation: &mut Explanation,
    keep_spans: bool,
) -> (Cow<'a, str>, Option<scan::Screen>) {
    while explanation.layers.len() < options.max_layers {
        let screen = scan::screen(&current);
        // The pages under which some character survived whole: the only ones the detector
        // tries (none for most clean text, which then never reaches it).
        // (And the pages under which no character survived whole because every one lost
        // a byte: Georgian through Windows-1250, see `detect::wholly_damaged`.)
        let pages = screen.whole_character_pages(&options.code_pages) | detect::wholly_damaged_pages(&current, options);
        let mut single = if pages != 0 { detect::best_layer(&current, options, pages, keep_spans) } else { None };
        // A layer transcoded whole comes with its text (and is the layer chosen below).
        let transcoded = single.as_mut().and_then(|s| s.repaired.take());
        // The double-byte families are extra hypotheses, weighed against the single-byte one.
        let Some(layer) = cjk::best_layer(&current, options, single, &screen) else {
            return (current, Some(screen));
        };
        let repaired = transcoded.unwrap_or_else(|| reverse::apply_layer(&current, &layer));
        explanation.layers.push(layer);
        current = Cow::Owned(repaired);
    }
    (current, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_text_is_borrowed() {
        for s in ["", "ascii only", "café\u{a0}» fin", "Ağır çekim", "日本語のテキスト", "NÃO", "5 °C ± 0,5", "Привет"]
        {
            assert!(matches!(fix_text(s), Cow::Borrowed(_)), "{s:?} -> {:?}", fix_text(s));
        }
    }

    #[test]
    fn repairs_one_and_two_layers() {
        assert_eq!(fix_text("cafÃ©"), "café");
        assert_eq!(fix_text("PUERTO BOYACÁ, BoyacÃ¡"), "PUERTO BOYACÁ, Boyacá");
        assert_eq!(fix_text("Ã¢â‚¬â„¢"), "\u{2019}");
        let sloppy_1252: String = "こんにちは".bytes().map(|b| CodePage::Windows1252.decode_byte(b)).collect();
        assert_eq!(fix_text(&sloppy_1252), "こんにちは");
    }

    #[test]
    fn repairs_lossy_1254() {
        // UTF-8 Japanese read as Windows-1254 with its undefined bytes dropped: チ = E3 83 81.
        let broken: String = "チームのデータ"
            .bytes()
            .filter(|b| ![0x81, 0x8D, 0x8E, 0x8F, 0x90, 0x9D, 0x9E].contains(b))
            .map(|b| CodePage::Windows1254.decode_byte(b))
            .collect();
        let (fixed, explanation) = fix_and_explain(&broken, &Options::default());
        assert_eq!(explanation.layers.len(), 1, "{explanation}");
        assert!(!explanation.layers[0].spans[0].guesses.is_empty());
        assert_eq!(fixed, "チームのデータ", "{explanation}");
    }
}
