//! The corruption oracle: produces mojibake the way real software does, without any help
//! from the crate under test. UTF-8 bytes are decoded through a single-byte code page with
//! `encoding_rs` (Windows-125x, ISO-8859-2/15, macintosh), a hand-written true Latin-1
//! (byte → U+00xx, since `encoding_rs`'s "ISO-8859-1" label is really windows-1252), and
//! DOS tables generated from Python's `codecs` (see `dos_tables.rs`).
//!
//! Undefined bytes of the Windows pages are decoded "sloppily" to the C1 control of the same
//! value (as WHATWG's windows-1252 does for 0x81, 0x8D, …); the set of undefined bytes is
//! *derived* here from `encoding_rs` (a byte is undefined when `encoding_rs` decodes it to a
//! C1 control or cannot decode it at all), not taken from the crate.
//!
//! Lossy forms: bytes the page leaves undefined dropped (a strict decoder), C1 controls
//! U+0080–U+009F stripped afterwards, U+00AD soft hyphens stripped afterwards, and any
//! combination. A [`Chain`] of [`Step`]s describes a full corruption and prints itself, so a
//! failing test says exactly what produced the break.

#![allow(dead_code)]

use super::dos_tables::{CP437_HIGH, CP850_HIGH};
use std::fmt;
use std::sync::OnceLock;

/// A single-byte code page, as the oracle knows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Page {
    W1250,
    W1251,
    W1252,
    W1253,
    W1254,
    W1257,
    Latin1,
    Iso8859_2,
    Iso8859_15,
    MacRoman,
    Cp437,
    Cp850,
}

impl Page {
    pub const ALL: [Page; 12] = [
        Page::W1250,
        Page::W1251,
        Page::W1252,
        Page::W1253,
        Page::W1254,
        Page::W1257,
        Page::Latin1,
        Page::Iso8859_2,
        Page::Iso8859_15,
        Page::MacRoman,
        Page::Cp437,
        Page::Cp850,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Page::W1250 => "windows-1250",
            Page::W1251 => "windows-1251",
            Page::W1252 => "windows-1252",
            Page::W1253 => "windows-1253",
            Page::W1254 => "windows-1254",
            Page::W1257 => "windows-1257",
            Page::Latin1 => "iso-8859-1",
            Page::Iso8859_2 => "iso-8859-2",
            Page::Iso8859_15 => "iso-8859-15",
            Page::MacRoman => "macintosh",
            Page::Cp437 => "cp437",
            Page::Cp850 => "cp850",
        }
    }

    fn index(self) -> usize {
        Page::ALL.iter().position(|&p| p == self).unwrap()
    }

    /// True for the Windows pages, whose undefined bytes a strict decoder drops.
    pub fn is_windows(self) -> bool {
        matches!(self, Page::W1250 | Page::W1251 | Page::W1252 | Page::W1253 | Page::W1254 | Page::W1257)
    }

    /// True for the ISO-8859 pages, which decode 0x80–0x9F to C1 controls by definition.
    pub fn has_c1(self) -> bool {
        matches!(self, Page::Latin1 | Page::Iso8859_2 | Page::Iso8859_15)
    }

    /// True when byte 0xAD decodes to U+00AD SOFT HYPHEN.
    pub fn has_soft_hyphen_at_ad(self) -> bool {
        self.decode_byte(0xAD) == '\u{AD}'
    }

    /// Decodes one byte (sloppy: undefined bytes give the C1 control of the same value).
    pub fn decode_byte(self, b: u8) -> char {
        if b < 0x80 {
            return b as char;
        }
        tables()[self.index()].0[usize::from(b - 0x80)]
    }

    /// True when the page leaves `b` undefined.
    pub fn is_undefined(self, b: u8) -> bool {
        b >= 0x80 && tables()[self.index()].1[usize::from(b - 0x80)]
    }

    pub fn undefined_bytes(self) -> Vec<u8> {
        (0x80..=0xFFu8).filter(|&b| self.is_undefined(b)).collect()
    }
}

impl fmt::Display for Page {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

type Table = ([char; 128], [bool; 128]);

fn tables() -> &'static [Table; 12] {
    static T: OnceLock<[Table; 12]> = OnceLock::new();
    T.get_or_init(|| {
        let mut all = [(['\0'; 128], [false; 128]); 12];
        for (i, page) in Page::ALL.iter().enumerate() {
            all[i] = build_table(*page);
        }
        all
    })
}

fn build_table(page: Page) -> Table {
    let mut chars = ['\0'; 128];
    let mut undefined = [false; 128];
    let label: &[u8] = match page {
        Page::Latin1 => {
            for b in 0x80..=0xFFu8 {
                chars[usize::from(b - 0x80)] = char::from(b);
            }
            return (chars, undefined);
        }
        Page::Cp437 => return (CP437_HIGH, undefined),
        Page::Cp850 => return (CP850_HIGH, undefined),
        Page::W1250 => b"windows-1250",
        Page::W1251 => b"windows-1251",
        Page::W1252 => b"windows-1252",
        Page::W1253 => b"windows-1253",
        Page::W1254 => b"windows-1254",
        Page::W1257 => b"windows-1257",
        Page::Iso8859_2 => b"iso-8859-2",
        Page::Iso8859_15 => b"iso-8859-15",
        Page::MacRoman => b"macintosh",
    };
    let enc = encoding_rs::Encoding::for_label(label).expect("encoding_rs label");
    for b in 0x80..=0xFFu8 {
        let i = usize::from(b - 0x80);
        let byte = [b];
        let decoded = enc.decode_without_bom_handling_and_without_replacement(&byte);
        let c = decoded.as_deref().and_then(|s| {
            let mut it = s.chars();
            let c = it.next();
            assert!(it.next().is_none(), "{page}: byte {b:#04X} decodes to several chars");
            c
        });
        match c {
            // encoding_rs could not decode the byte at all: undefined.
            None => {
                chars[i] = char::from(b);
                undefined[i] = true;
            }
            // A Windows page that yields a C1 control leaves the byte undefined (sloppy).
            Some(c) if page.is_windows() && ('\u{80}'..='\u{9F}').contains(&c) => {
                assert_eq!(c as u32, u32::from(b), "{page}: sloppy byte {b:#04X}");
                chars[i] = c;
                undefined[i] = true;
            }
            Some(c) => chars[i] = c,
        }
    }
    (chars, undefined)
}

/// Which bytes/characters are lost when a page misreads the bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct LossForm {
    /// The page's undefined bytes are dropped (strict decoder).
    pub undefined: bool,
    /// C1 controls U+0080–U+009F are stripped from the decoded text.
    pub c1: bool,
    /// U+00AD SOFT HYPHEN is stripped from the decoded text.
    pub shy: bool,
    /// The page's undefined bytes become U+FFFD (a replacing decoder: Python's
    /// `errors="replace"`).
    pub replaced: bool,
}

impl LossForm {
    pub const NONE: LossForm = LossForm { undefined: false, c1: false, shy: false, replaced: false };
    pub const UNDEFINED: LossForm = LossForm { undefined: true, ..LossForm::NONE };
    pub const C1: LossForm = LossForm { c1: true, ..LossForm::NONE };
    pub const SHY: LossForm = LossForm { shy: true, ..LossForm::NONE };
    pub const UNDEFINED_SHY: LossForm = LossForm { undefined: true, shy: true, ..LossForm::NONE };
    pub const C1_SHY: LossForm = LossForm { c1: true, shy: true, ..LossForm::NONE };
    pub const REPLACED: LossForm = LossForm { replaced: true, ..LossForm::NONE };

    pub fn is_lossless(self) -> bool {
        self == LossForm::NONE
    }

    /// Whether this loss form is meaningful (and distinct) for `page`: undefined bytes only
    /// for the Windows pages (for the others the set is empty; for the Windows pages stripping
    /// C1 is the same thing), C1 stripping for the ISO-8859 pages, soft hyphens where 0xAD is
    /// U+00AD.
    pub fn applies_to(self, page: Page) -> bool {
        if (self.undefined || self.replaced) && page.undefined_bytes().is_empty() {
            return false;
        }
        if self.c1 && !page.has_c1() {
            return false;
        }
        if self.shy && !page.has_soft_hyphen_at_ad() {
            return false;
        }
        true
    }

    /// Short stable name, used as a family key in `lossy_thresholds.txt`.
    pub fn key(self) -> String {
        let mut parts = Vec::new();
        if self.undefined {
            parts.push("undefined");
        }
        if self.c1 {
            parts.push("c1");
        }
        if self.shy {
            parts.push("shy");
        }
        if self.replaced {
            parts.push("replaced");
        }
        if parts.is_empty() {
            "lossless".to_string()
        } else {
            parts.join("+")
        }
    }
}

impl fmt::Display for LossForm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if self.undefined {
            parts.push("undefined bytes dropped");
        }
        if self.c1 {
            parts.push("C1 controls stripped");
        }
        if self.shy {
            parts.push("soft hyphens stripped");
        }
        if self.replaced {
            parts.push("undefined bytes replaced by U+FFFD");
        }
        if parts.is_empty() {
            f.write_str("lossless")
        } else {
            f.write_str(&parts.join(", "))
        }
    }
}

/// Encodes `text` as UTF-8 and decodes the bytes through `page`, losing what `loss` says.
pub fn misread(text: &str, page: Page, loss: LossForm) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for &b in text.as_bytes() {
        if loss.undefined && page.is_undefined(b) {
            continue;
        }
        if loss.replaced && page.is_undefined(b) {
            out.push('\u{FFFD}');
            continue;
        }
        let c = page.decode_byte(b);
        if loss.c1 && ('\u{80}'..='\u{9F}').contains(&c) {
            continue;
        }
        if loss.shy && c == '\u{AD}' {
            continue;
        }
        out.push(c);
    }
    out
}

/// One misreading.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Step {
    pub page: Page,
    pub loss: LossForm,
}

/// A replayable corruption: UTF-8 text misread once per step, in order.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Chain {
    pub steps: Vec<Step>,
}

impl Chain {
    /// `layers` misreadings through `page`; only the last (outermost) one is lossy.
    pub fn repeated(page: Page, layers: usize, last_loss: LossForm) -> Chain {
        assert!(layers >= 1);
        let mut steps = vec![Step { page, loss: LossForm::NONE }; layers];
        steps[layers - 1].loss = last_loss;
        Chain { steps }
    }

    pub fn single(page: Page, loss: LossForm) -> Chain {
        Chain::repeated(page, 1, loss)
    }

    pub fn apply(&self, text: &str) -> String {
        let mut cur = text.to_string();
        for s in &self.steps {
            cur = misread(&cur, s.page, s.loss);
        }
        cur
    }

    pub fn is_lossless(&self) -> bool {
        self.steps.iter().all(|s| s.loss.is_lossless())
    }
}

impl fmt::Display for Chain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("encode UTF-8")?;
        for (i, s) in self.steps.iter().enumerate() {
            if i > 0 {
                f.write_str(", encode UTF-8")?;
            }
            write!(f, " → decode {} ({})", s.page, s.loss)?;
        }
        Ok(())
    }
}
