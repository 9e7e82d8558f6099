//! The single-byte code pages that UTF-8 gets misread through.
//!
//! Every page here maps ASCII to itself, so only the high half (0x80–0xFF) needs a table.
//! Decoding is one array index; encoding is a binary search over 128 sorted pairs, which
//! beats a hash map at this size and needs no allocation. Bytes a page leaves undefined are
//! decoded "sloppily" to the C1 control of the same value (as WHATWG's windows-1252 does), so
//! text that went through such a decoder re-encodes losslessly; the same bytes form the
//! default loss set of the page, because a strict decoder drops them.

use crate::codepage_tables as t;
use std::fmt;

/// A code page that UTF-8 bytes may have been decoded through.
///
/// ```
/// use fixenc::CodePage;
/// assert_eq!(CodePage::Windows1254.name(), "Windows-1254");
/// assert_eq!(CodePage::Windows1252.decode_byte(0x80), '€');
/// assert_eq!(CodePage::Windows1252.encode_char('€'), Some(0x80));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum CodePage {
    /// Central European Windows code page.
    Windows1250,
    /// Cyrillic Windows code page.
    Windows1251,
    /// Western European Windows code page, the most common misreading of all.
    Windows1252,
    /// Greek Windows code page.
    Windows1253,
    /// Turkish Windows code page.
    Windows1254,
    /// Baltic Windows code page.
    Windows1257,
    /// ISO-8859-1, with 0x80–0x9F as C1 controls (a true Latin-1, not WHATWG's alias).
    Latin1,
    /// ISO-8859-2 (Latin-2).
    Iso8859_2,
    /// ISO-8859-15 (Latin-9).
    Iso8859_15,
    /// Classic Mac OS Roman.
    MacRoman,
    /// The original IBM PC code page.
    Cp437,
    /// DOS Western European.
    Cp850,
    /// Shift_JIS as Windows and the WHATWG Encoding Standard read it (CP932: NEC and IBM
    /// extensions, `～` for 0x8160). A double-byte page: see [`CodePage::DOUBLE_BYTE`].
    ShiftJis,
    /// EUC-JP (JIS X 0208 and 0212 in EUC form, as WHATWG reads it).
    EucJp,
    /// GBK, read by the GB18030 decoder (the two agree on every GBK byte pair).
    Gbk,
    /// Big5 with the HKSCS extensions (as WHATWG reads it).
    Big5,
    /// EUC-KR, read as its superset Windows-949 (UHC), as every browser does.
    EucKr,
}

/// A single-byte page's decode table, sorted encode table and undefined bytes.
type Tables = (&'static [u16; 128], &'static [(u16, u8); 128], &'static [u8]);

impl CodePage {
    /// Every single-byte code page fixenc knows, in order of prior likelihood.
    pub const ALL: [CodePage; 12] = [
        CodePage::Windows1252,
        CodePage::Latin1,
        CodePage::Windows1254,
        CodePage::Windows1250,
        CodePage::Windows1251,
        CodePage::Iso8859_15,
        CodePage::Iso8859_2,
        CodePage::Windows1253,
        CodePage::Windows1257,
        CodePage::MacRoman,
        CodePage::Cp437,
        CodePage::Cp850,
    ];

    /// The double-byte CJK code pages, in order of prior likelihood. They are not in
    /// [`CodePage::ALL`]: their characters are not one byte each, so the single-byte
    /// machinery (tables, screen, detector) does not apply; `src/cjk.rs` reverses them through
    /// encoding_rs. Only [`CodePage::decode_byte`] and [`CodePage::encode_char`] of their
    /// single-byte characters (ASCII, half-width katakana) are meaningful.
    pub const DOUBLE_BYTE: [CodePage; 5] =
        [CodePage::ShiftJis, CodePage::Gbk, CodePage::EucKr, CodePage::Big5, CodePage::EucJp];

    /// True for the double-byte pages of [`CodePage::DOUBLE_BYTE`].
    pub fn is_double_byte(self) -> bool {
        matches!(self, CodePage::ShiftJis | CodePage::EucJp | CodePage::Gbk | CodePage::Big5 | CodePage::EucKr)
    }

    /// The name people use for the code page.
    pub fn name(self) -> &'static str {
        match self {
            CodePage::Windows1250 => "Windows-1250",
            CodePage::Windows1251 => "Windows-1251",
            CodePage::Windows1252 => "Windows-1252",
            CodePage::Windows1253 => "Windows-1253",
            CodePage::Windows1254 => "Windows-1254",
            CodePage::Windows1257 => "Windows-1257",
            CodePage::Latin1 => "ISO-8859-1",
            CodePage::Iso8859_2 => "ISO-8859-2",
            CodePage::Iso8859_15 => "ISO-8859-15",
            CodePage::MacRoman => "MacRoman",
            CodePage::Cp437 => "CP437",
            CodePage::Cp850 => "CP850",
            CodePage::ShiftJis => "Shift_JIS",
            CodePage::EucJp => "EUC-JP",
            CodePage::Gbk => "GBK",
            CodePage::Big5 => "Big5",
            CodePage::EucKr => "EUC-KR",
        }
    }

    /// Looks a code page up by a common label (case-insensitive): `cp1252`, `windows-1252`,
    /// `latin1`, `iso-8859-2`, `macroman`, `cp437`, …
    ///
    /// ```
    /// use fixenc::CodePage;
    /// assert_eq!(CodePage::from_label("CP1254"), Some(CodePage::Windows1254));
    /// assert_eq!(CodePage::from_label("nonsense"), None);
    /// ```
    pub fn from_label(label: &str) -> Option<CodePage> {
        let l: String = label.chars().filter(|c| !matches!(c, '-' | '_' | ' ')).flat_map(char::to_lowercase).collect();
        Some(match l.as_str() {
            "windows1250" | "cp1250" => CodePage::Windows1250,
            "windows1251" | "cp1251" => CodePage::Windows1251,
            "windows1252" | "cp1252" => CodePage::Windows1252,
            "windows1253" | "cp1253" => CodePage::Windows1253,
            "windows1254" | "cp1254" => CodePage::Windows1254,
            "windows1257" | "cp1257" => CodePage::Windows1257,
            "latin1" | "iso88591" | "l1" => CodePage::Latin1,
            "iso88592" | "latin2" | "l2" => CodePage::Iso8859_2,
            "iso885915" | "latin9" | "l9" => CodePage::Iso8859_15,
            "macroman" | "macintosh" | "mac" => CodePage::MacRoman,
            "cp437" | "ibm437" | "437" => CodePage::Cp437,
            "cp850" | "ibm850" | "850" => CodePage::Cp850,
            "shiftjis" | "sjis" | "cp932" | "windows31j" | "mskanji" => CodePage::ShiftJis,
            "eucjp" => CodePage::EucJp,
            "gbk" | "gb2312" | "gb18030" | "cp936" => CodePage::Gbk,
            "big5" | "cp950" | "big5hkscs" => CodePage::Big5,
            "euckr" | "cp949" | "uhc" | "windows949" => CodePage::EucKr,
            _ => return None,
        })
    }

    fn tables(self) -> Option<Tables> {
        Some(match self {
            CodePage::Windows1250 => (&t::WINDOWS_1250_DECODE, &t::WINDOWS_1250_ENCODE, &t::WINDOWS_1250_UNDEFINED),
            CodePage::Windows1251 => (&t::WINDOWS_1251_DECODE, &t::WINDOWS_1251_ENCODE, &t::WINDOWS_1251_UNDEFINED),
            CodePage::Windows1252 => (&t::WINDOWS_1252_DECODE, &t::WINDOWS_1252_ENCODE, &t::WINDOWS_1252_UNDEFINED),
            CodePage::Windows1253 => (&t::WINDOWS_1253_DECODE, &t::WINDOWS_1253_ENCODE, &t::WINDOWS_1253_UNDEFINED),
            CodePage::Windows1254 => (&t::WINDOWS_1254_DECODE, &t::WINDOWS_1254_ENCODE, &t::WINDOWS_1254_UNDEFINED),
            CodePage::Windows1257 => (&t::WINDOWS_1257_DECODE, &t::WINDOWS_1257_ENCODE, &t::WINDOWS_1257_UNDEFINED),
            CodePage::Latin1 => (&t::LATIN_1_DECODE, &t::LATIN_1_ENCODE, &t::LATIN_1_UNDEFINED),
            CodePage::Iso8859_2 => (&t::ISO_8859_2_DECODE, &t::ISO_8859_2_ENCODE, &t::ISO_8859_2_UNDEFINED),
            CodePage::Iso8859_15 => (&t::ISO_8859_15_DECODE, &t::ISO_8859_15_ENCODE, &t::ISO_8859_15_UNDEFINED),
            CodePage::MacRoman => (&t::MAC_ROMAN_DECODE, &t::MAC_ROMAN_ENCODE, &t::MAC_ROMAN_UNDEFINED),
            CodePage::Cp437 => (&t::CP437_DECODE, &t::CP437_ENCODE, &t::CP437_UNDEFINED),
            CodePage::Cp850 => (&t::CP850_DECODE, &t::CP850_ENCODE, &t::CP850_UNDEFINED),
            CodePage::ShiftJis | CodePage::EucJp | CodePage::Gbk | CodePage::Big5 | CodePage::EucKr => return None,
        })
    }

    /// The character this code page decodes `byte` to (undefined bytes give the C1 control
    /// of the same value). For a double-byte page: the character of a byte that stands
    /// alone (ASCII, half-width katakana), U+FFFD for lead bytes and undefined ones.
    #[inline]
    pub fn decode_byte(self, byte: u8) -> char {
        if byte < 0x80 {
            return byte as char;
        }
        let Some(tables) = self.tables() else {
            return crate::cjk::decode_single_byte(self, byte);
        };
        let cp = tables.0[usize::from(byte - 0x80)];
        // Every table entry is a BMP scalar value (checked by the generator).
        char::from_u32(u32::from(cp)).unwrap_or('\u{FFFD}')
    }

    /// The byte this code page encodes `c` to, if it has one.
    #[inline]
    pub fn encode_char(self, c: char) -> Option<u8> {
        let c = u32::from(c);
        if c < 0x80 {
            return Some(c as u8);
        }
        if c > 0xFFFF {
            return None;
        }
        let Some((_, table, _)) = self.tables() else {
            return crate::cjk::encode_single_byte(self, c);
        };
        // Re-encoding runs for every character of every candidate run under every page: the
        // ranges almost all of them lie in take one lookup instead of a binary search.
        if let Some(slot) = fast_encode_slot(c) {
            let byte = fast_encode_tables()[self as usize][slot];
            return (byte != 0).then_some(byte);
        }
        table.binary_search_by_key(&(c as u16), |&(cp, _)| cp).ok().map(|i| table[i].1)
    }

    /// [`CodePage::encode_char`] with the page's tables looked up once: for the loops that
    /// re-encode whole runs (a lookup per character, where `encode_char` first finds the
    /// page's tables). The same function (tested exhaustively).
    #[inline]
    pub(crate) fn encoder(self) -> impl Fn(char) -> Option<u8> {
        let tables = self.tables().map(|(_, table, _)| (table, &fast_encode_tables()[self as usize]));
        move |c| {
            let u = u32::from(c);
            if u < 0x80 {
                return Some(u as u8);
            }
            let Some((table, fast)) = tables else { return self.encode_char(c) };
            if let Some(slot) = fast_encode_slot(u) {
                let byte = fast[slot];
                return (byte != 0).then_some(byte);
            }
            if u > 0xFFFF {
                return None;
            }
            table.binary_search_by_key(&(u as u16), |&(cp, _)| cp).ok().map(|i| table[i].1)
        }
    }

    /// The bytes this code page leaves undefined: a strict decoder drops them.
    /// For a double-byte page: none (what its decoder rejects depends on the byte pair; see
    /// [`Loss::undecodable`](crate::Loss::undecodable)).
    pub fn undefined_bytes(self) -> &'static [u8] {
        self.tables().map_or(&[], |t| t.2)
    }

    /// True when the page decodes 0x80–0x9F to C1 controls (the ISO-8859 family), so that a
    /// later pass that strips control characters loses those bytes.
    pub fn has_c1_controls(self) -> bool {
        matches!(self, CodePage::Latin1 | CodePage::Iso8859_2 | CodePage::Iso8859_15)
    }
}

/// The characters [`CodePage::encode_char`] finds by direct lookup: U+0080–U+04FF (Latin-1,
/// Latin Extended, Greek, Cyrillic) and U+2000–U+25FF (punctuation, €, ™, box drawing).
const FAST_LOW: std::ops::Range<u32> = 0x80..0x500;
const FAST_HIGH: std::ops::Range<u32> = 0x2000..0x2600;
const FAST_SLOTS: usize = (FAST_LOW.end - FAST_LOW.start + FAST_HIGH.end - FAST_HIGH.start) as usize;

fn fast_encode_slot(c: u32) -> Option<usize> {
    if FAST_LOW.contains(&c) {
        Some((c - FAST_LOW.start) as usize)
    } else if FAST_HIGH.contains(&c) {
        Some((c - FAST_HIGH.start) as usize + (FAST_LOW.end - FAST_LOW.start) as usize)
    } else {
        None
    }
}

/// Per single-byte page (indexed by its discriminant, which the single-byte pages hold
/// first), the byte of each character of the fast ranges, 0 where the page lacks it (no
/// non-ASCII character encodes to 0). Built from the generated encode tables.
fn fast_encode_tables() -> &'static [[u8; FAST_SLOTS]] {
    static TABLES: std::sync::OnceLock<Vec<[u8; FAST_SLOTS]>> = std::sync::OnceLock::new();
    TABLES.get_or_init(|| {
        let mut tables = vec![[0u8; FAST_SLOTS]; CodePage::ALL.len()];
        for page in CodePage::ALL {
            let Some((_, encode, _)) = page.tables() else { continue };
            for &(cp, byte) in encode.iter() {
                if let Some(slot) = fast_encode_slot(u32::from(cp)) {
                    tables[page as usize][slot] = byte;
                }
            }
        }
        tables
    })
}

impl fmt::Display for CodePage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_encoding_agrees_with_the_encode_tables() {
        for page in CodePage::ALL {
            assert!((page as usize) < CodePage::ALL.len(), "{page} is not among the first variants");
            let (_, table, _) = page.tables().unwrap();
            for c in (0x80..0x3000u32).filter_map(char::from_u32) {
                let searched = table.binary_search_by_key(&(c as u16), |&(cp, _)| cp).ok().map(|i| table[i].1);
                assert_eq!(page.encode_char(c), searched, "{page} U+{:04X}", c as u32);
            }
        }
    }

    #[test]
    fn encoder_is_encode_char() {
        for page in CodePage::ALL.into_iter().chain([CodePage::ShiftJis, CodePage::Gbk]) {
            let encoder = page.encoder();
            for c in (0..0x11000u32).chain(0xF0000..0xF0100).filter_map(char::from_u32) {
                assert_eq!(encoder(c), page.encode_char(c), "{page} U+{:04X}", c as u32);
            }
        }
    }

    #[test]
    fn every_byte_round_trips() {
        for cp in CodePage::ALL {
            for b in 0u8..=255 {
                let c = cp.decode_byte(b);
                assert_eq!(cp.encode_char(c), Some(b), "{cp} byte {b:#04X}");
            }
        }
    }

    #[test]
    fn known_mappings() {
        assert_eq!(CodePage::Windows1254.decode_byte(0xF0), 'ğ');
        assert_eq!(CodePage::Windows1252.decode_byte(0xF0), 'ð');
        assert_eq!(CodePage::Windows1251.decode_byte(0xC0), 'А');
        assert_eq!(CodePage::Cp437.decode_byte(0x82), 'é');
        assert_eq!(CodePage::MacRoman.decode_byte(0x8E), 'é');
        assert_eq!(CodePage::Latin1.decode_byte(0x80), '\u{80}');
        assert_eq!(CodePage::Windows1254.encode_char('Ž'), None);
        assert_eq!(CodePage::Windows1254.undefined_bytes(), &[0x81, 0x8D, 0x8E, 0x8F, 0x90, 0x9D, 0x9E]);
    }
}
