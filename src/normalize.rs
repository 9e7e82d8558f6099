//! Unicode normalization, the last step of the pipeline.
//!
//! NFC is the default because it never changes what a reader sees. NFKC is offered but not
//! the default: it folds the full-width punctuation and digits that Japanese text uses on
//! purpose (`！` → `!`, `１` → `1`).

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
        Normalization::Nfc if text.chars().all(nfc_stable) => return Cow::Borrowed(text),
        Normalization::Nfc => is_nfc_quick(text.chars()),
        Normalization::Nfkc => is_nfkc_quick(text.chars()),
    };
    if quick == IsNormalized::Yes {
        return Cow::Borrowed(text);
    }
    let normalized: String = match form {
        Normalization::Nfkc => text.nfkc().collect(),
        _ => text.nfc().collect(),
    };
    if normalized == text {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(normalized)
    }
}

/// Characters that are in NFC whatever surrounds them (NFC_Quick_Check = Yes, and no
/// character composes with them as a first character), found by range alone: below the
/// combining diacritics, and the bulk of kana, CJK punctuation, Han and Hangul syllables.
/// It lets clean Latin-1, Japanese, Chinese and Korean text skip the table lookups of the
/// full quick check. Checked against `is_nfc` by the tests below.
#[inline]
fn nfc_stable(c: char) -> bool {
    matches!(c as u32,
        0..=0x2FF
        | 0x2002..=0x206F // general punctuation: ’ “ ” – — … (U+2000/2001 decompose)
        | 0x20A0..=0x20CF // currency signs
        | 0x3000..=0x3098 // CJK punctuation, hiragana up to ゖ (U+3099/309A combine)
        | 0x309D..=0x30FF // hiragana iteration marks, katakana (ゝ ゞ ヽ ヾ are precomposed)
        | 0x4E00..=0x9FFF // CJK unified ideographs
        | 0xAC00..=0xD7A3 // precomposed Hangul syllables
        | 0xFF01..=0xFFEF) // half- and full-width forms: NFKC folds them, NFC does not
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_ranges_agree_with_the_full_check() {
        use unicode_normalization::is_nfc;
        for u in 0..0x11_0000u32 {
            let Some(c) = char::from_u32(u) else { continue };
            if !nfc_stable(c) {
                continue;
            }
            // Alone, after a letter, and before a combining mark it must not combine with.
            let alone = c.to_string();
            assert!(is_nfc(&alone), "{u:04X} alone");
            let after = format!("a{c}");
            assert!(is_nfc(&after), "{u:04X} after a letter");
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
