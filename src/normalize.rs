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

#[cfg(test)]
mod tests {
    use super::*;

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
