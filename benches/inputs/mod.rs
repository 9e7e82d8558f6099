//! Benchmark inputs, built from the paragraphs in `benches/data/` (written for these
//! benchmarks; no test corpus is read).
//!
//! Every input is made of whole units (a paragraph, or one repetition of an adversarial
//! pattern) repeated until the next unit would pass the target size, so that a corrupted
//! input is exactly the corruption of the clean text of the same units.

#![allow(dead_code)]

use fixenc::{CodePage, Loss};

pub const KIB: usize = 1024;
pub const MIB: usize = 1024 * 1024;

pub const ASCII: &str = include_str!("../data/ascii.txt");
pub const FRENCH: &str = include_str!("../data/french.txt");
pub const JAPANESE: &str = include_str!("../data/japanese.txt");
pub const MIXED_CJK: &str = include_str!("../data/mixed_cjk.txt");

fn paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n").map(|p| format!("{}\n\n", p.trim())).filter(|p| !p.trim().is_empty()).collect()
}

/// A clean text and the input made from it by `corrupt`, the input at most `target` bytes
/// long (and within one paragraph of it).
pub struct Case {
    /// The clean text (what a perfect repair returns).
    pub clean: String,
    /// What the function under test receives.
    pub input: String,
}

/// Repeats the paragraphs of `text`, corrupted by `corrupt`, until the corrupted text would
/// pass `target` bytes.
pub fn build(text: &str, target: usize, corrupt: impl Fn(&str) -> String) -> Case {
    let units: Vec<(String, String)> = paragraphs(text)
        .into_iter()
        .map(|p| {
            let c = corrupt(&p);
            (p, c)
        })
        .collect();
    let mut clean = String::with_capacity(target);
    let mut input = String::with_capacity(target);
    'outer: loop {
        for (p, c) in &units {
            if input.len() + c.len() > target {
                break 'outer;
            }
            clean.push_str(p);
            input.push_str(c);
        }
    }
    assert!(input.len() > target / 2, "target {target} too small for the paragraphs");
    Case { clean, input }
}

/// Repeats `unit` (clean form `clean_unit`) to at most `target` bytes of input.
pub fn repeat(unit: &str, clean_unit: &str, target: usize) -> Case {
    let n = target / unit.len();
    Case { clean: clean_unit.repeat(n), input: unit.repeat(n) }
}

pub fn identity(s: &str) -> String {
    s.to_owned()
}

/// UTF-8 misread through `page`, without loss: every byte maps to one character (undefined
/// bytes to the C1 control of the same value, as a sloppy decoder does).
pub fn misread(s: &str, page: CodePage) -> String {
    s.bytes().map(|b| page.decode_byte(b)).collect()
}

/// UTF-8 misread through `page` with the bytes of `loss` dropped first.
pub fn misread_lossy(s: &str, page: CodePage, loss: Loss) -> String {
    let lost = loss.lost_bytes(page);
    s.bytes().filter(|b| !lost.contains(b)).map(|b| page.decode_byte(b)).collect()
}

/// The loss form of the lossy Japanese input: the undefined bytes of the page were dropped
/// by a strict decoder and the soft hyphens (0xAD) stripped afterwards.
pub fn lossy_form() -> Loss {
    // `Loss` is `#[non_exhaustive]`: outside the crate it is built field by field.
    let mut loss = Loss::NONE;
    loss.undefined_dropped = true;
    loss.soft_hyphen_stripped = true;
    loss
}

pub fn latin_1252_x1(target: usize) -> Case {
    build(FRENCH, target, |s| misread(s, CodePage::Windows1252))
}

pub fn latin_1252_x2(target: usize) -> Case {
    build(FRENCH, target, |s| misread(&misread(s, CodePage::Windows1252), CodePage::Windows1252))
}

pub fn japanese_1252_lossless(target: usize) -> Case {
    build(JAPANESE, target, |s| misread(s, CodePage::Windows1252))
}

pub fn japanese_1254_lossy(target: usize) -> Case {
    build(JAPANESE, target, |s| misread_lossy(s, CodePage::Windows1254, lossy_form()))
}

/// The lossy Japanese input as one line with no space or line end anywhere: a single run
/// the length of the input.
pub fn japanese_1254_lossy_one_line(target: usize) -> Case {
    let case = build(JAPANESE, target, |s| misread_lossy(s, CodePage::Windows1254, lossy_form()));
    let strip = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    Case { clean: strip(&case.clean), input: strip(&case.input) }
}

/// `Ã` × N: a lead byte's character with no continuation anywhere; nothing to repair.
pub fn adv_a_tilde_upper(target: usize) -> Case {
    repeat("Ã", "Ã", target)
}

/// `ã` × N: the lead byte of every Japanese kana (0xE3) with no continuation; nothing to
/// repair, but every character may open a lossy three-byte sequence.
pub fn adv_a_tilde_lower(target: usize) -> Case {
    repeat("ã", "ã", target)
}

/// `Ã© a ` × N: one short mojibake run after another, separated by clean text.
pub fn adv_alternating(target: usize) -> Case {
    repeat("Ã© a ", "é a ", target)
}

/// The canonical decomposition (NFD) of `s`, for the NFC benchmarks.
pub fn nfd(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfd().collect()
}
