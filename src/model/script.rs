//! Character classes the plausibility model works on.
//!
//! The classes are coarse on purpose: the model asks "is a Han character after a Latin letter
//! likely?" at this level, and "which Han character?" inside a class, with the tables of
//! `data.rs`. `tools/gen_model.py` mirrors `Script::of` exactly; change both together.

/// A coarse class of characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub(crate) enum Script {
    /// Space, tab, newline and the other White_Space characters (NBSP included).
    Space = 0,
    /// ASCII digits 0–9.
    Digit,
    /// ASCII punctuation and symbols.
    AsciiPunct,
    /// Latin letters, upper case (ASCII and accented, Latin-1 to Latin Extended Additional).
    LatinUpper,
    /// Latin letters, lower case.
    LatinLower,
    /// Punctuation and symbols of Latin-1 Supplement (U+00A1–U+00BF, ×, ÷), General
    /// Punctuation (U+2000–U+206F), currency and letterlike symbols and spacing modifier
    /// letters (U+02B0–U+02FF): the characters that single-byte mojibake is made of.
    LatinSymbol,
    /// Cyrillic letters (U+0400–U+052F).
    Cyrillic,
    /// Greek letters (U+0370–U+03FF, U+1F00–U+1FFF).
    Greek,
    /// Hebrew (U+0590–U+05FF).
    Hebrew,
    /// Arabic (U+0600–U+06FF, U+0750–U+077F, U+08A0–U+08FF, U+FB50–U+FDFF, U+FE70–U+FEFF).
    Arabic,
    /// Devanagari and the other Indic scripts (U+0900–U+0DFF).
    Indic,
    /// Thai and Lao (U+0E00–U+0EFF).
    Thai,
    /// Hangul syllables and jamo (U+AC00–U+D7AF, U+1100–U+11FF, U+3130–U+318F).
    Hangul,
    /// Hiragana (U+3040–U+309F).
    Hiragana,
    /// Katakana (U+30A0–U+30FF, U+31F0–U+31FF) and half-width katakana (U+FF65–U+FF9F).
    Katakana,
    /// Han ideographs (U+3400–U+4DBF, U+4E00–U+9FFF, U+F900–U+FAFF, U+20000–U+3FFFF) and
    /// 々 〆 〇.
    Han,
    /// CJK punctuation (U+3000–U+303F but 々〆〇), full-width forms (U+FF00–U+FF64,
    /// U+FFE0–U+FFEF), CJK compatibility and enclosed forms (U+3200–U+33FF).
    CjkPunct,
    /// Emoji and pictographs (U+1F000–U+1FAFF, U+2600–U+27BF, U+2B00–U+2BFF), and the
    /// variation selector U+FE0F and ZWJ U+200D that bind them.
    Emoji,
    /// Combining marks (U+0300–U+036F, U+1AB0–U+1AFF, U+1DC0–U+1DFF, U+20D0–U+20FF, U+FE20–U+FE2F).
    Combining,
    /// C0 controls other than tab/newline/CR, C1 controls, noncharacters, private use,
    /// specials (U+FFF0–U+FFFF) and lone code points no text should contain.
    Control,
    /// Everything else: other scripts, math, arrows, box drawing, …
    Other,
}

/// Every class, in discriminant order.
pub(crate) const ALL_SCRIPTS: [Script; SCRIPT_COUNT] = [
    Script::Space,
    Script::Digit,
    Script::AsciiPunct,
    Script::LatinUpper,
    Script::LatinLower,
    Script::LatinSymbol,
    Script::Cyrillic,
    Script::Greek,
    Script::Hebrew,
    Script::Arabic,
    Script::Indic,
    Script::Thai,
    Script::Hangul,
    Script::Hiragana,
    Script::Katakana,
    Script::Han,
    Script::CjkPunct,
    Script::Emoji,
    Script::Combining,
    Script::Control,
    Script::Other,
];

/// Classes of U+0000–U+FFFF, built once from [`Script::classify`] (64 KiB).
fn bmp_table() -> &'static [Script] {
    static TABLE: std::sync::OnceLock<Vec<Script>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| (0u32..0x10000).map(|u| char::from_u32(u).map_or(Script::Control, Script::classify)).collect())
}

/// How many classes there are.
pub(crate) const SCRIPT_COUNT: usize = Script::Other as usize + 1;

impl Script {
    /// The class of `c`: one table lookup for the Basic Multilingual Plane (the model asks
    /// this tens of millions of times per megabyte repaired), [`Script::classify`] above it.
    #[inline]
    pub(crate) fn of(c: char) -> Script {
        let u = c as usize;
        if u < 0x10000 {
            bmp_table()[u]
        } else {
            Script::classify(c)
        }
    }

    /// The class of `c`, by its ranges.
    fn classify(c: char) -> Script {
        let u = c as u32;
        match u {
            0x09 | 0x0A | 0x0D | 0x20 => Script::Space,
            0x00..=0x1F | 0x7F => Script::Control,
            0x30..=0x39 => Script::Digit,
            0x41..=0x5A => Script::LatinUpper,
            0x61..=0x7A => Script::LatinLower,
            0x21..=0x7E => Script::AsciiPunct,
            0x80..=0x9F => Script::Control,
            0xA0 => Script::Space,
            0xA1..=0xBF | 0xD7 | 0xF7 => Script::LatinSymbol,
            0xC0..=0x24F | 0x1E00..=0x1EFF => {
                if is_upper_latin(c) {
                    Script::LatinUpper
                } else {
                    Script::LatinLower
                }
            }
            0x250..=0x2AF => Script::LatinLower, // IPA
            0x2B0..=0x2FF => Script::LatinSymbol,
            0x300..=0x36F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F => Script::Combining,
            0x370..=0x3FF | 0x1F00..=0x1FFF => Script::Greek,
            0x400..=0x52F => Script::Cyrillic,
            0x590..=0x5FF => Script::Hebrew,
            0xFDD0..=0xFDEF => Script::Control,
            0x600..=0x6FF | 0x750..=0x77F | 0x8A0..=0x8FF | 0xFB50..=0xFDFF | 0xFE70..=0xFEFE => Script::Arabic,
            0x900..=0xDFF => Script::Indic,
            0xE00..=0xEFF => Script::Thai,
            0x1100..=0x11FF | 0x3130..=0x318F | 0xAC00..=0xD7AF => Script::Hangul,
            0x2000..=0x200A | 0x2028 | 0x2029 | 0x202F | 0x205F | 0x3000 => Script::Space,
            0x200D => Script::Emoji,
            0x200B | 0x200C | 0x200E | 0x200F | 0x2060..=0x206F | 0xFEFF => Script::Other,
            0x2010..=0x2027 | 0x2030..=0x205E | 0x20A0..=0x20CF | 0x2100..=0x214F | 0x2200..=0x22FF => {
                Script::LatinSymbol
            }
            0x3005..=0x3007 => Script::Han,
            0x3001..=0x303F | 0x3200..=0x33FF | 0xFF00..=0xFF64 | 0xFFE0..=0xFFEF => Script::CjkPunct,
            0x3040..=0x309F => Script::Hiragana,
            0x30A0..=0x30FF | 0x31F0..=0x31FF | 0xFF65..=0xFF9F => Script::Katakana,
            0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF => Script::Han,
            0xFE0F => Script::Emoji,
            0x1F000..=0x1FAFF | 0x2600..=0x27BF | 0x2B00..=0x2BFF => Script::Emoji,
            0xD800..=0xDFFF | 0xE000..=0xF8FF | 0xFFF0..=0xFFFF | 0xF0000.. => Script::Control,
            _ if u & 0xFFFE == 0xFFFE => Script::Control,
            _ => Script::Other,
        }
    }

    /// True for Latin letters of either case.
    pub(crate) fn is_latin_letter(self) -> bool {
        matches!(self, Script::LatinUpper | Script::LatinLower)
    }

    /// True for the classes of CJK writing, where words are not separated by spaces.
    pub(crate) fn is_cjk(self) -> bool {
        matches!(self, Script::Hiragana | Script::Katakana | Script::Han | Script::CjkPunct | Script::Hangul)
    }
}

/// Upper case among the precomposed Latin letters, without the full Unicode case tables:
/// `char::is_uppercase` is exact and cheap enough here.
fn is_upper_latin(c: char) -> bool {
    c.is_uppercase()
}
