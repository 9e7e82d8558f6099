//! Rebuilding UTF-8 from re-encoded bytes with holes, and choosing among the candidates.
//!
//! For the code pages fixenc reverses, every byte a decoder can lose is a *continuation*
//! byte (0x80–0xBF): lead bytes are always defined. So the lead bytes that survive mark where
//! characters start, and a character whose lead is followed by too few continuation bytes
//! had the missing ones dropped. [`parse_run`] turns a run of re-encoded bytes into slots —
//! a character seen whole, or the list of characters the surviving bytes could have been —
//! and [`best_path`] chooses one character per slot by a Viterbi search under the bigram
//! model, with a backward pass that gives each choice its margin over the runner-up.

use crate::assigned_table::ASSIGNED;
use crate::model;
use crate::model::script::Script;
use std::cell::RefCell;
use std::collections::HashMap;

/// Byte values that may have been lost: the continuation bytes (0x80–0xBF) as a bit set
/// over `value - 0x80`, and the two-byte lead bytes (0xC0–0xDF) over `value - 0xC0`.
/// Windows-1253 leaves 0xD2 undefined, the lead of U+0480–U+04BF (Ukrainian ґ, the
/// Kazakh, Tatar and Bashkir letters ғ қ ң ү ұ һ): dropped, it leaves the continuation
/// byte alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub(crate) struct LostSet(pub(crate) u64, pub(crate) u32);

impl LostSet {
    pub(crate) fn from_bytes(bytes: &[u8]) -> LostSet {
        let (mut bits, mut leads) = (0u64, 0u32);
        for &b in bytes {
            match b {
                0x80..=0xBF => bits |= 1 << (b - 0x80),
                0xC0..=0xDF => leads |= 1 << (b - 0xC0),
                _ => {}
            }
        }
        LostSet(bits, leads)
    }

    /// The two-byte lead bytes that may have been lost.
    fn leads(self) -> impl Iterator<Item = u8> {
        (0u8..32).filter(move |i| self.1 & (1 << i) != 0).map(|i| 0xC0 + i)
    }

    fn values(self) -> impl Iterator<Item = u8> {
        (0u8..64).filter(move |i| self.0 & (1 << i) != 0).map(|i| 0x80 + i)
    }
}

/// One character the bytes of a slot could have been.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Candidate {
    pub(crate) ch: char,
    /// Bit i set when byte i of the character's UTF-8 was reconstructed.
    pub(crate) inserted_mask: u8,
    /// The character ends with a no-break space byte that had become the ASCII space
    /// after it (the slot that follows is then a [`Slot::Space`]).
    pub(crate) absorbs_space: bool,
    /// In a [`Slot::Space`]: the space was absorbed; stands for the character before it.
    pub(crate) epsilon: bool,
}

/// A character position in a run.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Slot {
    /// A character whose bytes all survived.
    Intact(char),
    /// A character with lost bytes: the candidates, in no particular order.
    Holes(Vec<Candidate>),
    /// A space that the character before may have absorbed as a lost NBSP byte: it is kept
    /// exactly when the chosen candidate before it does not absorb it.
    Space,
}

/// Number of continuation bytes a lead byte announces, or `None` for bytes that cannot
/// start a UTF-8 sequence of more than one byte.
#[inline]
pub(crate) fn continuation_count(lead: u8) -> Option<usize> {
    match lead {
        0xC2..=0xDF => Some(1),
        0xE0..=0xEF => Some(2),
        0xF0..=0xF4 => Some(3),
        _ => None,
    }
}

#[inline]
fn is_continuation(b: u8) -> bool {
    (0x80..=0xBF).contains(&b)
}

/// Decodes one complete UTF-8 character, rejecting overlongs and surrogates.
#[inline]
fn decode_one(bytes: &[u8]) -> Option<char> {
    std::str::from_utf8(bytes).ok().and_then(|s| {
        let mut it = s.chars();
        let c = it.next()?;
        it.next().is_none().then_some(c)
    })
}

/// Statistics of a parsed run, for the detector.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct RunShape {
    /// Characters that survived whole (all multi-byte: the run has no ASCII).
    pub(crate) intact: usize,
    /// Characters with lost bytes.
    pub(crate) damaged: usize,
    /// Bytes that must be inserted.
    pub(crate) inserted: usize,
}

/// Parses the re-encoded bytes of a run (all ≥ 0x80) into slots, assuming the bytes in
/// `lost` may have vanished. Returns `None` when no such loss explains the bytes: a byte
/// that cannot start a character where one must start, more continuation bytes than the
/// lead announces, or a hole no lost value fills.
pub(crate) fn parse_run(bytes: &[u8], lost: LostSet, nbsp_to_space: bool) -> Option<(Vec<Slot>, RunShape)> {
    parse_run_with(bytes, lost, nbsp_to_space, false, None)
}

/// [`parse_run`] with the candidates of each hole taken from `memo` where the same hole was
/// filled before (see [`FillMemo`]).
pub(crate) fn parse_run_remembering(
    bytes: &[u8],
    lost: LostSet,
    nbsp_to_space: bool,
    memo: &FillMemo,
) -> Option<(Vec<Slot>, RunShape)> {
    parse_run_with(bytes, lost, nbsp_to_space, false, Some(memo))
}

/// The candidates of holes already filled: [`fill_holes`] is a function of the surviving
/// bytes of the character, how many are missing, the lost values and whether C1 controls
/// count, and a text damaged one way shows the same few holes over and over (the kana of
/// lead E3 83 that lost their last byte). Kept for one detection, so it holds at most the
/// holes of one text.
#[derive(Default)]
pub(crate) struct FillMemo(RefCell<HashMap<FillKey, Vec<Candidate>>>);

/// A hole by what [`fill_holes`] reads: the surviving bytes (at most four, zero-padded, and
/// their count), the missing count, the lost values and `keep_c1`.
type FillKey = ([u8; 4], u8, u8, u64, bool);

fn fill_holes_remembering(
    seq: &[u8],
    missing: usize,
    lost: LostSet,
    keep_c1: bool,
    memo: Option<&FillMemo>,
) -> Vec<Candidate> {
    let Some(memo) = memo.filter(|_| seq.len() <= 4) else {
        return fill_holes(seq, missing, lost, keep_c1);
    };
    let mut bytes = [0u8; 4];
    bytes[..seq.len()].copy_from_slice(seq);
    let key = (bytes, seq.len() as u8, missing as u8, lost.0, keep_c1);
    if let Some(hit) = memo.0.borrow().get(&key) {
        return hit.clone();
    }
    let filled = fill_holes(seq, missing, lost, keep_c1);
    memo.0.borrow_mut().insert(key, filled.clone());
    filled
}

/// [`parse_run`] for a run that may be the middle of two misreadings (see [`crate::nested`]):
/// a hole may also be a C1 control, which text never holds but the middle text of UTF-8
/// misread twice does (the original's byte 0x81 is U+0081 through Windows-1252). Without
/// the no-break-space loss form, which that reading does not handle.
pub(crate) fn parse_run_keeping_c1(bytes: &[u8], lost: LostSet) -> Option<(Vec<Slot>, RunShape)> {
    parse_run_with(bytes, lost, false, true, None)
}

/// Stands, in a run's re-encoded bytes, for a byte that a replacing decoder turned into
/// U+FFFD (see [`parse_run_replaced`]). No run holds a NUL: runs are made of non-ASCII
/// characters and spaces.
pub(crate) const REPLACED_BYTE: u8 = 0x00;

/// [`parse_run`] for text whose decoder replaced each byte the page leaves undefined with
/// U+FFFD (Python's `errors="replace"`), re-encoded with [`REPLACED_BYTE`] for each U+FFFD:
/// nothing is missing, but each such byte is one of the values in `lost`. It must be a
/// continuation byte (every value the Windows pages leave undefined but 1253's and 1255's
/// few lead bytes is), which is what makes `ã�` (E3 and one of 81 8D 8F 90 9D) a kana
/// with a few candidates rather than a guess of where bytes went.
pub(crate) fn parse_run_replaced(bytes: &[u8], lost: LostSet) -> Option<(Vec<Slot>, RunShape)> {
    let mut slots = Vec::with_capacity(bytes.len() / 2 + 1);
    let mut shape = RunShape::default();
    let is_cont = |b: u8| is_continuation(b) || b == REPLACED_BYTE;
    let mut i = 0;
    while i < bytes.len() {
        let need = continuation_count(bytes[i])?;
        let mut k = 0;
        while i + 1 + k < bytes.len() && is_cont(bytes[i + 1 + k]) && k < need {
            k += 1;
        }
        if k < need {
            return None;
        }
        let seq = &bytes[i..=i + need];
        let replaced = seq.iter().filter(|&&b| b == REPLACED_BYTE).count();
        if replaced == 0 {
            slots.push(Slot::Intact(decode_one(seq)?));
            shape.intact += 1;
        } else {
            let candidates = fill_replaced(seq, lost);
            if candidates.is_empty() {
                return None;
            }
            shape.damaged += 1;
            shape.inserted += replaced;
            slots.push(Slot::Holes(candidates));
        }
        i += need + 1;
    }
    Some((slots, shape))
}

/// Every character made by putting a value of `lost` at each [`REPLACED_BYTE`] of `seq`.
fn fill_replaced(seq: &[u8], lost: LostSet) -> Vec<Candidate> {
    let values: Vec<u8> = lost.values().collect();
    let at: Vec<usize> = (0..seq.len()).filter(|&p| seq[p] == REPLACED_BYTE).collect();
    let mut out = Vec::new();
    let combos = values.len().pow(at.len() as u32);
    for combo in 0..combos {
        let mut buf = [0u8; 4];
        buf[..seq.len()].copy_from_slice(seq);
        let mut c = combo;
        for &p in &at {
            buf[p] = values[c % values.len()];
            c /= values.len();
        }
        if let Some(ch) = decode_one(&buf[..seq.len()]) {
            if could_be_text(ch) {
                let mask = at.iter().fold(0u8, |m, &p| m | (1 << p));
                out.push(Candidate { ch, inserted_mask: mask, absorbs_space: false, epsilon: false });
            }
        }
    }
    out
}

fn parse_run_with(
    bytes: &[u8],
    lost: LostSet,
    nbsp_to_space: bool,
    keep_c1: bool,
    memo: Option<&FillMemo>,
) -> Option<(Vec<Slot>, RunShape)> {
    if lost.0 == 0 && lost.1 == 0 && !nbsp_to_space {
        return parse_whole_run(bytes);
    }
    parse_run_slots(bytes, lost, nbsp_to_space, keep_c1, memo)
}

/// [`parse_run_with`], character by character.
fn parse_run_slots(
    bytes: &[u8],
    lost: LostSet,
    nbsp_to_space: bool,
    keep_c1: bool,
    memo: Option<&FillMemo>,
) -> Option<(Vec<Slot>, RunShape)> {
    let mut slots = Vec::with_capacity(bytes.len() / 2 + 1);
    let mut shape = RunShape::default();
    let mut i = 0;
    while i < bytes.len() {
        let lead = bytes[i];
        if lead == b' ' {
            // Only runs read under the NBSP-to-space loss hold spaces; one the character
            // before did not absorb is just a space.
            slots.push(Slot::Intact(' '));
            i += 1;
            continue;
        }
        if is_continuation(lead) && lost.1 != 0 {
            // A continuation byte where a character must start: its lead was lost.
            let candidates: Vec<Candidate> = lost
                .leads()
                .filter_map(|l| decode_one(&[l, lead]))
                .filter(|&ch| could_be_text(ch))
                .map(|ch| Candidate { ch, inserted_mask: 1, absorbs_space: false, epsilon: false })
                .collect();
            if candidates.is_empty() {
                return None;
            }
            slots.push(Slot::Holes(candidates));
            shape.damaged += 1;
            shape.inserted += 1;
            i += 1;
            continue;
        }
        let need = continuation_count(lead)?;
        let mut k = 0;
        while i + 1 + k < bytes.len() && is_continuation(bytes[i + 1 + k]) {
            k += 1;
        }
        if k > need {
            if lost.1 == 0 {
                return None;
            }
            // The bytes after this character's own start one whose lead was lost.
            k = need;
        }
        let seq = &bytes[i..i + 1 + k];
        if k == need {
            slots.push(Slot::Intact(decode_one(seq)?));
            shape.intact += 1;
            i += 1 + k;
            continue;
        }
        // A space right after an unfinished character may be a no-break space (0xA0) that
        // became an ASCII space; continuation bytes after it belong to the same character.
        let space_at = i + 1 + k;
        let maybe_nbsp = nbsp_to_space && bytes.get(space_at) == Some(&b' ');
        let mut k2 = 0;
        if maybe_nbsp {
            while space_at + 1 + k2 < bytes.len() && is_continuation(bytes[space_at + 1 + k2]) {
                k2 += 1;
            }
        }
        let mut candidates =
            if k2 == 0 { fill_holes_remembering(seq, need - k, lost, keep_c1, memo) } else { Vec::new() };
        let mut absorbs = false;
        let mut inserted = need - k;
        if maybe_nbsp && k + 1 + k2 <= need {
            let mut with_nbsp: Vec<u8> = seq.to_vec();
            with_nbsp.push(0xA0);
            with_nbsp.extend_from_slice(&bytes[space_at + 1..space_at + 1 + k2]);
            let missing = need - k - 1 - k2;
            inserted = inserted.min(missing);
            for mut c in fill_holes(&with_nbsp, missing, lost, keep_c1) {
                if !candidates.iter().any(|x| x.ch == c.ch) {
                    // The 0xA0 byte is a guess too: mark it with the inserted bytes.
                    let nbsp_pos = insert_position(c.inserted_mask, k + 1);
                    c.inserted_mask |= 1 << nbsp_pos;
                    c.absorbs_space = k2 == 0;
                    absorbs = true;
                    candidates.push(c);
                }
            }
        }
        if candidates.is_empty() {
            return None;
        }
        shape.damaged += 1;
        shape.inserted += inserted;
        slots.push(Slot::Holes(candidates));
        if absorbs && k2 == 0 {
            slots.push(Slot::Space);
            i = space_at + 1;
        } else if absorbs {
            i = space_at + 1 + k2;
        } else {
            i += 1 + k;
        }
    }
    Some((slots, shape))
}

/// [`parse_run_with`] when nothing can have been lost and no space can stand for a
/// no-break space: the run parses exactly when its bytes are UTF-8 made of spaces and
/// multi-byte characters, each a whole slot (what [`parse_run_slots`] does with such bytes: a
/// space is a slot that is not counted intact, ASCII other than a space starts no
/// character, a lead finds exactly its continuation bytes and `decode_one` accepts what
/// `from_utf8` accepts; and where the bytes are not UTF-8 it finds a byte that cannot
/// start a character, too many continuations, or a hole that no lost value fills). One
/// validation instead of a `from_utf8` per character: every page's re-encoding of every
/// sampled run is parsed this way first (see `detect::Encoded`).
fn parse_whole_run(bytes: &[u8]) -> Option<(Vec<Slot>, RunShape)> {
    let text = std::str::from_utf8(bytes).ok()?;
    if bytes.iter().any(|&b| b < 0x80 && b != b' ') {
        return None;
    }
    let slots: Vec<Slot> = text.chars().map(Slot::Intact).collect();
    let intact = slots.iter().filter(|s| !matches!(s, Slot::Intact(' '))).count();
    Some((slots, RunShape { intact, ..RunShape::default() }))
}

/// The byte index in the character of the `nth` byte (1-based, lead = 0) that was *not*
/// inserted, given the mask of inserted positions.
fn insert_position(inserted_mask: u8, nth: usize) -> usize {
    let mut seen = 0;
    for pos in 0..4 {
        if inserted_mask & (1 << pos) == 0 {
            if seen == nth {
                return pos;
            }
            seen += 1;
        }
    }
    3
}

/// Every character made by inserting `missing` bytes from `lost` among the continuation
/// bytes of `seq` (which starts with its lead); with `keep_c1`, C1 controls too.
fn fill_holes(seq: &[u8], missing: usize, lost: LostSet, keep_c1: bool) -> Vec<Candidate> {
    let total = seq.len() + missing; // bytes of the whole character
    let conts = total - 1;
    let lost_values: Vec<u8> = lost.values().collect();
    let mut out: Vec<Candidate> = Vec::new();
    // Positions 1..total; choose which `missing` of the `conts` continuation positions are
    // inserted (a bit mask over continuation positions).
    for mask in 0u8..(1 << conts) {
        if mask.count_ones() as usize != missing {
            continue;
        }
        let combos = lost_values.len().pow(missing as u32);
        for combo in 0..combos {
            let mut buf = [0u8; 4];
            buf[0] = seq[0];
            let mut seen = 1;
            let mut c = combo;
            for p in 0..conts {
                buf[p + 1] = if mask & (1 << p) != 0 {
                    let v = lost_values[c % lost_values.len()];
                    c /= lost_values.len();
                    v
                } else {
                    let v = seq[seen];
                    seen += 1;
                    v
                };
            }
            if let Some(ch) = decode_one(&buf[..total]) {
                if could_be_text(ch) || (keep_c1 && is_c1(ch)) {
                    out.push(Candidate { ch, inserted_mask: mask << 1, absorbs_space: false, epsilon: false });
                }
            }
        }
    }
    // The same character can come from different insertions (a lost value next to an equal
    // surviving one); keep one.
    out.sort_by_key(|c| c.ch);
    out.dedup_by_key(|c| c.ch);
    if out.len() > MAX_CANDIDATES {
        // Heavy loss (C1 controls stripped: 32 lost values) gives hundreds of candidates per
        // hole; the Viterbi search is quadratic in them, so keep the most plausible alone.
        // C1 controls, kept only for the inner layer to judge, stay first.
        let keys: Vec<(bool, f32)> = out.iter().map(|c| (!is_c1(c.ch), model::cost(model::START, c.ch))).collect();
        let mut order: Vec<usize> = (0..out.len()).collect();
        order.sort_by(|&a, &b| keys[a].0.cmp(&keys[b].0).then(keys[a].1.total_cmp(&keys[b].1)));
        out = order.iter().take(MAX_CANDIDATES).map(|&k| out[k]).collect();
    }
    out
}

/// Candidates kept per hole: enough for every lost value of the Windows pages (at most 17
/// for one missing byte), a beam for the heavier losses.
pub(crate) const MAX_CANDIDATES: usize = 48;

fn is_c1(c: char) -> bool {
    ('\u{80}'..='\u{9F}').contains(&c)
}

/// A guess may only produce a character real text can hold: assigned, and not a control,
/// private-use or noncharacter code point.
pub(crate) fn could_be_text(c: char) -> bool {
    // Hole filling asks this for every combination of lost bytes (a thousand per hole when
    // C1 controls were stripped): the answers for the BMP and the SMP (emoji) are a bitmap
    // built once (16 KiB, about 10 ms).
    static BITS: std::sync::OnceLock<Box<[u64; 2048]>> = std::sync::OnceLock::new();
    let u = c as usize;
    if u < 0x20000 {
        let bits = BITS.get_or_init(|| {
            let mut bits = Box::new([0u64; 2048]);
            for v in 0..0x20000u32 {
                if char::from_u32(v).is_some_and(could_be_text_slow) {
                    bits[v as usize / 64] |= 1 << (v % 64);
                }
            }
            bits
        });
        return bits[u / 64] & (1 << (u % 64)) != 0;
    }
    could_be_text_slow(c)
}

fn could_be_text_slow(c: char) -> bool {
    if Script::of(c) == Script::Control {
        return false;
    }
    let u = c as u32;
    ASSIGNED
        .binary_search_by(|&(lo, hi)| {
            if hi < u {
                std::cmp::Ordering::Less
            } else if lo > u {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// The chosen character of a damaged slot with its runner-ups.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SlotChoice {
    /// Byte offset of the chosen character in the repaired text.
    pub(crate) offset: usize,
    pub(crate) chosen: Candidate,
    /// Other candidates with the extra cost of the best path through each, best first.
    pub(crate) alternatives: Vec<(char, f32)>,
}

/// The best reading of a run.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Path {
    pub(crate) text: String,
    /// Model cost of the text, including the transition into `right`.
    pub(crate) cost: f32,
    /// The search's own score of the path: the model cost with the segmentation costs.
    pub(crate) score: f32,
    pub(crate) choices: Vec<SlotChoice>,
}

/// A dictionary word spelled by one candidate per slot over `start..=end`.
#[derive(Debug, Clone)]
struct WordEdge {
    start: usize,
    end: usize,
    /// Candidate index per slot of the word.
    picks: Vec<u16>,
    /// Model cost inside the word (transitions between its characters) minus its bonus.
    inner: f32,
}

/// Words longer than this are not looked for: the lexicon has few, and each slot of a long
/// word multiplies the search.
const MAX_WORD_CHARS: usize = 12;

/// Every lexicon word that the candidates spell near a damaged slot: the words that cover
/// one, which can change a choice, and the words of intact characters beside them (up to
/// [`MAX_WORD_CHARS`] away), which a reading that joins those characters into a word across
/// the damaged slot must compete with. Without them, `ビルド` next to a hole is three unknown
/// characters, and a short word made of its last letter and a guess (`ドマ`) wins over the
/// particle that follows the word (`ビルドの`). A depth-first walk of the trie from each slot,
/// branching over the candidates of damaged slots.
fn word_edges(cands: &[&[Candidate]], damaged: &[bool], language: model::Language) -> Vec<WordEdge> {
    let mut edges = Vec::new();
    let n = cands.len();
    let mut picks: Vec<u16> = Vec::with_capacity(MAX_WORD_CHARS);
    // Distance from each slot to the nearest damaged slot at or after it, and before it.
    let mut next_damaged = vec![usize::MAX; n + 1];
    for i in (0..n).rev() {
        next_damaged[i] = if damaged[i] { i } else { next_damaged[i + 1] };
    }
    let mut last_damaged: Option<usize> = None;
    for start in 0..n {
        if damaged[start] {
            last_damaged = Some(start);
        }
        let ahead = next_damaged[start] != usize::MAX && next_damaged[start] - start < MAX_WORD_CHARS;
        let behind = last_damaged.is_some_and(|d| start - d <= MAX_WORD_CHARS);
        if !ahead && !behind {
            continue;
        }
        let w = Walk { cands, start, language };
        walk(&w, start, model::WORD_ROOT, &mut picks, &mut edges);
    }
    edges
}

/// What stays fixed during one depth-first walk of the trie from a start slot.
struct Walk<'a> {
    cands: &'a [&'a [Candidate]],
    start: usize,
    language: model::Language,
}

fn walk(w: &Walk<'_>, slot: usize, node: u32, picks: &mut Vec<u16>, edges: &mut Vec<WordEdge>) {
    let cands = w.cands;
    if slot >= cands.len() || picks.len() >= MAX_WORD_CHARS {
        return;
    }
    for (k, c) in cands[slot].iter().enumerate() {
        if c.epsilon {
            // Words do not cross an absorbed space.
            continue;
        }
        let Some(child) = model::word_child(node, c.ch) else {
            continue;
        };
        picks.push(k as u16);
        if picks.len() >= 2 {
            if let Some(word_cost) = model::word_cost(child, w.language) {
                let mut inner = model::SEGMENT_WEIGHT * word_cost;
                for t in 1..picks.len() {
                    let a = cands[w.start + t - 1][picks[t - 1] as usize].ch;
                    let b = cands[w.start + t][picks[t] as usize].ch;
                    inner += model::cost(a, b);
                }
                edges.push(WordEdge { start: w.start, end: slot, picks: picks.clone(), inner });
            }
        }
        walk(w, slot + 1, child, picks, edges);
        picks.pop();
    }
}

/// Longest word, in characters, looked up whole in the word lists: longer ones are rare in
/// text, and each of their readings costs a lookup per letter.
const MAX_DICTIONARY_WORD_CHARS: usize = 24;

/// Readings of one damaged word looked up at most: a word with three holes of five
/// candidates each (Russian through Windows-1252: с э я ѐ ѝ for D1 and a lost byte) has 125;
/// past this the holes are many and the letters alone decide.
const MAX_WORD_READINGS: usize = 1024;

/// [`MAX_WORD_READINGS`] for Georgian and Armenian words. Windows-1253 drops the last byte of
/// eight Georgian letters, the commonest among them (ა ი ლ ნ ო), and each such hole has
/// those eight for candidates: a word of four or five holes (`სკოლაში`) has 4,096 or 32,768
/// readings, and their own word list is small and fast to ask.
const MAX_CAUCASIAN_WORD_READINGS: usize = 32_768;

/// A letter or combining mark outside ASCII: what the words of the word lists are made of.
/// ASCII is never part of a run, so a word with ASCII letters is never whole in one.
fn is_word_char(c: char) -> bool {
    let u = c as u32;
    !c.is_ascii()
        && (c.is_alphabetic()
            || matches!(u, 0x300..=0x36F | 0x591..=0x5C7 | 0x64B..=0x65F | 0x670 | 0xE31 | 0xE34..=0xE3A | 0xE47..=0xE4E)
            || (matches!(u, 0x900..=0xDFF) && matches!(u & 0x7F, 0x00..=0x03 | 0x3C..=0x57 | 0x62..=0x63)))
}

/// Every reading of a damaged whole word that the word lists hold, as an edge whose cost is
/// its letters' less [`model::DICTIONARY_WORD_BONUS`]. A whole word is a maximal span of
/// slots that may be letters, with a non-letter or the run's edge (and a non-letter beyond
/// it) on both sides: unlike the CJK lexicon, whose words sit anywhere in a run, an
/// alphabet's word must be the whole of what the spaces and punctuation around it leave.
fn dictionary_word_edges(
    cands: &[&[Candidate]],
    slots: &[Slot],
    seg: &[f32],
    at: &[usize],
    left: char,
    right: char,
) -> Vec<WordEdge> {
    let mut edges = Vec::new();
    let n = slots.len();
    let wordy = |i: usize| match &slots[i] {
        Slot::Intact(c) => is_word_char(*c),
        Slot::Holes(v) => v.iter().any(|c| is_word_char(c.ch)),
        Slot::Space => false,
    };
    // A letter of a script the lists do not cover (Latin, Thai, Hangul, kana...) makes the
    // word one they cannot hold: such a word is not looked up.
    let covered = |i: usize| match &slots[i] {
        Slot::Intact(c) => model::words_cover(*c),
        _ => true,
    };
    let mut start = 0;
    while start < n {
        if !wordy(start) {
            start += 1;
            continue;
        }
        let mut end = start;
        while end < n && wordy(end) {
            end += 1;
        }
        let span = start..end;
        start = end;
        // The word must be whole: nothing that may be a letter before or after it, and no
        // absorbed space (a Space slot) beside it, whose reading the word would depend on.
        let bounded_left =
            if span.start == 0 { !is_word_char(left) } else { !matches!(slots[span.start - 1], Slot::Space) };
        let bounded_right = if span.end == n { !is_word_char(right) } else { !matches!(slots[span.end], Slot::Space) };
        if !bounded_left || !bounded_right || span.len() > MAX_DICTIONARY_WORD_CHARS {
            continue;
        }
        if !span.clone().any(|i| matches!(slots[i], Slot::Holes(_))) || !span.clone().all(covered) {
            continue;
        }
        // A word is of one script. Georgian and Armenian have a word list of their own, and a
        // word's readings are those of the other scripts' lists or of theirs, each counted
        // against MAX_WORD_READINGS apart: their candidates (E1 83 xx for a Greek or
        // Vietnamese letter that lost a byte) must not multiply the readings of the others'
        // words. The word's intact letters, if any, say which it is.
        let intact_of = |caucasian: bool| {
            span.clone().any(|i| {
                matches!(slots[i], Slot::Intact(c) if is_word_char(c) && model::words_cover_caucasian(c) == caucasian)
            })
        };
        let (intact_caucasian, intact_other) = (intact_of(true), intact_of(false));
        for caucasian in [false, true] {
            if (caucasian && intact_other) || (!caucasian && intact_caucasian) {
                continue;
            }
            let mut options: Vec<Vec<u16>> = span
                .clone()
                .map(|i| {
                    (0..cands[i].len())
                        .filter(|&k| {
                            let ch = cands[i][k].ch;
                            is_word_char(ch) && model::words_cover(ch) && model::words_cover_caucasian(ch) == caucasian
                        })
                        .map(|k| k as u16)
                        .collect()
                })
                .collect();
            // A last hole that may be the punctuation after the word (the Arabic comma `،`, D8
            // 8C, is a letter's lead byte and a lost byte: through Windows-1253 also `ت`, D8
            // AA) is read either way: as a letter of a longer word, or as the mark after the
            // word the slots before it spell, which is then the word looked up. (Not for the
            // Georgian and Armenian list: the marks are Arabic script's.)
            let last = span.end - 1;
            let mut trailing = Vec::new();
            if !caucasian && span.len() > MIN_WORD_BEFORE_MARK && matches!(slots[last], Slot::Holes(_)) {
                trailing.extend(
                    (0..cands[last].len()).filter(|&k| is_mark_after_word(cands[last][k].ch)).map(|k| k as u16),
                );
                options[span.len() - 1].extend(&trailing);
            }
            let cap = if caucasian { MAX_CAUCASIAN_WORD_READINGS } else { MAX_WORD_READINGS };
            let readings =
                options.iter().try_fold(1usize, |acc, o| acc.checked_mul(o.len()).filter(|&r| (1..=cap).contains(&r)));
            if readings.is_none() {
                continue;
            }
            let word = Word { cands, seg, at, start: span.start, options: &options, trailing: &trailing };
            let mut picks = Vec::with_capacity(options.len());
            let mut prefixes = Vec::with_capacity(options.len() + 1);
            prefixes.push(model::WordHash::new());
            let mut chars = Vec::with_capacity(options.len());
            word.readings(&mut picks, &mut prefixes, &mut chars, &mut edges);
        }
    }
    edges
}

/// Letters a word needs before a lost mark after it is read as ending it (`،` after a
/// one-letter word is no reading worth a lookup: the prepositions of Arabic are written on
/// the next word).
const MIN_WORD_BEFORE_MARK: usize = 2;

/// Punctuation that follows a word without a space, as a hole's candidate
/// ([`dictionary_word_edges`]): the Arabic script's comma, semicolon, question mark and
/// (Urdu's) full stop, whose lead bytes (D8, DB) are those of letters.
fn is_mark_after_word(c: char) -> bool {
    matches!(c, '\u{60C}' | '\u{61B}' | '\u{61F}' | '\u{6D4}')
}

/// One whole word of [`dictionary_word_edges`]: its slots' letter candidates.
struct Word<'a> {
    cands: &'a [&'a [Candidate]],
    seg: &'a [f32],
    at: &'a [usize],
    /// The word's first slot.
    start: usize,
    /// Per slot of the word, its candidates that are letters (and for the last slot, the
    /// `trailing` ones).
    options: &'a [Vec<u16>],
    /// The candidates of the last slot that are punctuation after the word, not a letter.
    trailing: &'a [u16],
}

impl Word<'_> {
    /// Every reading that extends `picks` and spells a listed word, as an edge: a
    /// depth-first walk, so that readings share the hashes of their common prefix.
    /// `prefixes` holds the hash of each prefix of the reading so far, `chars` its letters.
    fn readings(
        &self,
        picks: &mut Vec<u16>,
        prefixes: &mut Vec<model::WordHash>,
        chars: &mut Vec<char>,
        edges: &mut Vec<WordEdge>,
    ) {
        let t = picks.len();
        if t == self.options.len() {
            let bonus = model::word_bonus(prefixes, chars);
            if bonus > 0.0 {
                edges.push(self.edge(picks, bonus));
            }
            return;
        }
        let i = self.start + t;
        let hash = prefixes[t];
        for &k in &self.options[t] {
            if t + 1 == self.options.len() && self.trailing.contains(&k) {
                // The word ended before this slot: it is what the letters so far spell.
                let bonus = model::word_bonus(prefixes, chars);
                if bonus > 0.0 {
                    picks.push(k);
                    edges.push(self.edge(picks, bonus));
                    picks.pop();
                }
                continue;
            }
            let c = self.cands[i][k as usize].ch;
            picks.push(k);
            prefixes.push(hash.push(c));
            chars.push(c);
            self.readings(picks, prefixes, chars, edges);
            picks.pop();
            prefixes.pop();
            chars.pop();
        }
    }

    /// The edge of a listed reading: its letters' costs less its bonus.
    fn edge(&self, picks: &[u16], bonus: f32) -> WordEdge {
        let mut inner = -bonus;
        for (t, &k) in picks.iter().enumerate() {
            let i = self.start + t;
            inner += self.seg[self.at[i] + k as usize];
            if t > 0 {
                inner += model::cost(self.cands[i - 1][picks[t - 1] as usize].ch, self.cands[i][k as usize].ch);
            }
        }
        WordEdge { start: self.start, end: self.start + picks.len() - 1, picks: picks.to_vec(), inner }
    }
}

#[derive(Debug, Clone, Copy)]
enum Back {
    /// From candidate `.0` of the previous slot, one character.
    Char(u32),
    /// Along word edge `.0`, entered from candidate `.1` of the slot before it (ignored at
    /// the start of the run).
    Word(u32, u32),
}

/// Intact Han characters a run needs before, without any kana, it is read as Chinese: a
/// run of one or two ideographs (a name, 東京) says nothing about its language.
const MIN_HAN_FOR_CHINESE: usize = 3;
/// Share of a run's characters that may be kana (damaged characters with a kana among their
/// candidates) from which it is read as Japanese even with no kana intact. Kana are about
/// half of Japanese text; in Chinese text only the damaged punctuation of lead E3 (。、「」,
/// when the loss hits their second byte) leaves kana among its candidates, a tenth or so.
const MAYBE_KANA_SHARE_FOR_JAPANESE: f32 = 0.25;

/// The language whose word costs price a run. Japanese writes its particles and endings in
/// kana, so a run of ideographs without a kana among its characters and the ones around it is
/// Chinese. When C1 controls are stripped, every kana loses a byte and hardly one survives
/// whole: then many damaged characters that may be kana say Japanese.
fn language_of(slots: &[Slot], left: char, right: char) -> model::Language {
    let is_kana = |c: char| matches!(Script::of(c), Script::Hiragana | Script::Katakana);
    if is_kana(left) || is_kana(right) {
        return model::Language::Japanese;
    }
    let (mut han, mut maybe_kana, mut chars) = (0usize, 0usize, 0usize);
    for slot in slots {
        match slot {
            Slot::Intact(c) if is_kana(*c) => return model::Language::Japanese,
            Slot::Intact(c) => {
                han += usize::from(Script::of(*c) == Script::Han);
                chars += usize::from(*c != ' ');
            }
            Slot::Holes(v) => {
                maybe_kana += usize::from(v.iter().any(|c| is_kana(c.ch)));
                chars += 1;
            }
            Slot::Space => {}
        }
    }
    if han >= MIN_HAN_FOR_CHINESE && (maybe_kana as f32) < MAYBE_KANA_SHARE_FOR_JAPANESE * chars as f32 {
        model::Language::Chinese
    } else {
        model::Language::Japanese
    }
}

/// Viterbi search over the slots, between the fixed characters `left` and `right`.
///
/// A path is one candidate per slot. Its score is the bigram model's cost plus a
/// segmentation cost: the text is cut into lexicon words (edges, priced by the word's
/// frequency) and single characters (priced as one-character words, or as unknown), as a
/// word-unigram model would, and the best cut counts. Words are only looked for where they
/// cover a damaged slot, the only place they can change a choice. A backward pass gives, for every candidate of every damaged slot, the
/// cost of the best path through it, hence each choice's margin over its runner-ups.
pub(crate) fn best_path(slots: &[Slot], left: char, right: char) -> Path {
    // Nothing lost, nothing to choose: the only path is the text itself. This is every run
    // of lossless mojibake, so it must not pay for the search.
    if slots.iter().all(|s| matches!(s, Slot::Intact(_))) {
        let text: String = slots.iter().map(|s| if let Slot::Intact(c) = s { *c } else { ' ' }).collect();
        let cost = model::cost_of_str(left, &text, right);
        return Path { text, cost, score: cost, choices: Vec::new() };
    }
    // The search's tables are flat, slot after slot (`at[i]..at[i + 1]` holds slot `i`'s
    // candidates): a few allocations per search rather than several per slot. The numbers
    // and the order they are combined in are those of the search as first written, row by
    // row.
    let mut flat: Vec<Candidate> = Vec::with_capacity(slots.len() + 16);
    let mut at: Vec<usize> = Vec::with_capacity(slots.len() + 1);
    for slot in slots {
        let start = flat.len();
        match slot {
            Slot::Intact(c) => flat.push(Candidate { ch: *c, inserted_mask: 0, absorbs_space: false, epsilon: false }),
            Slot::Holes(v) => flat.extend_from_slice(v),
            Slot::Space => {
                // The space itself, or one stand-in per candidate before it that absorbed it.
                flat.push(Candidate { ch: ' ', inserted_mask: 0, absorbs_space: false, epsilon: false });
                if let Some(&prev) = at.last() {
                    for k in prev..start {
                        let c = flat[k];
                        if c.absorbs_space {
                            flat.push(Candidate { ch: c.ch, inserted_mask: 0, absorbs_space: false, epsilon: true });
                        }
                    }
                }
            }
        }
        at.push(start);
    }
    let n = at.len();
    at.push(flat.len());
    if n == 0 {
        let cost = model::cost(left, right);
        return Path { text: String::new(), cost, score: cost, choices: Vec::new() };
    }
    let cands: Vec<&[Candidate]> = (0..n).map(|i| &flat[at[i]..at[i + 1]]).collect();
    let len = |i: usize| at[i + 1] - at[i];
    let damaged: Vec<bool> = slots.iter().map(|s| matches!(s, Slot::Holes(_))).collect();
    let language = language_of(slots, left, right);
    // Segmentation cost of each candidate standing alone (not inside a word edge).
    let seg: Vec<f32> =
        flat.iter().map(|c| if c.epsilon { 0.0 } else { model::single_char_segment_cost(c.ch, language) }).collect();
    let mut edges = Vec::new();
    if damaged.iter().any(|&d| d) {
        edges = word_edges(&cands, &damaged, language);
        edges.extend(dictionary_word_edges(&cands, slots, &seg, &at, left, right));
    }
    let mut ending_at: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut starting_at: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (e, edge) in edges.iter().enumerate() {
        ending_at[edge.end].push(e);
        starting_at[edge.start].push(e);
    }
    let ch = |i: usize, k: usize| cands[i][k].ch;
    // Cost of candidate `k` of slot `i` right after candidate `p` of slot `i - 1`. Into a
    // possibly absorbed space only the matching branch is open: the space if the candidate
    // before did not absorb it, its stand-in if it did.
    let trans = |i: usize, p: usize, k: usize| -> f32 {
        let (prev, cur) = (&cands[i - 1][p], &cands[i][k]);
        if matches!(slots[i], Slot::Space) {
            return match (prev.absorbs_space, cur.epsilon) {
                (true, true) if cur.ch == prev.ch => 0.0,
                (false, false) => model::cost(prev.ch, ' '),
                _ => f32::INFINITY,
            };
        }
        model::cost(prev.ch, cur.ch)
    };
    // Every transition between neighbouring slots, computed once: the forward pass asks for
    // each of them, and the backward pass and the word edges ask again (the model's cost is
    // most of the search). Slot `i`'s block holds slot `i - 1`'s candidates by slot `i`'s,
    // the same numbers `trans` gives.
    let mut table_at: Vec<usize> = Vec::with_capacity(n + 1);
    let mut table: Vec<f32> = Vec::new();
    for i in 0..n {
        table_at.push(table.len());
        if i == 0 {
            continue;
        }
        for p in 0..len(i - 1) {
            if matches!(slots[i], Slot::Space) {
                table.extend((0..len(i)).map(|k| trans(i, p, k)));
            } else {
                // `trans` outside a space is the model's cost after the candidate `p`,
                // which is read once for the whole row.
                let after = model::After::new(cands[i - 1][p].ch);
                table.extend(cands[i].iter().map(|c| model::cost_after(&after, c.ch)));
            }
        }
    }
    let trans = |i: usize, p: usize, k: usize| -> f32 { table[table_at[i] + p * len(i) + k] };
    // Cost of entering slot `start` with candidate `k` from the best state before it.
    let enter = |alpha: &[f32], start: usize, k: usize| -> (f32, u32) {
        if start == 0 {
            return (model::cost(left, ch(0, k)), 0);
        }
        let mut best = (f32::INFINITY, 0u32);
        for (p, a) in alpha[at[start - 1]..at[start]].iter().enumerate() {
            let v = a + trans(start, p, k);
            if v < best.0 {
                best = (v, p as u32);
            }
        }
        best
    };

    // Forward.
    let mut alpha: Vec<f32> = vec![0.0; flat.len()];
    let mut back: Vec<Back> = vec![Back::Char(0); flat.len()];
    for i in 0..n {
        for k in 0..len(i) {
            let (v, p) = enter(&alpha, i, k);
            alpha[at[i] + k] = v + seg[at[i] + k];
            back[at[i] + k] = Back::Char(p);
        }
        for &e in &ending_at[i] {
            let edge = &edges[e];
            let (v, p) = enter(&alpha, edge.start, edge.picks[0] as usize);
            let total = v + edge.inner;
            let last = at[i] + *edge.picks.last().unwrap_or(&0) as usize;
            if total < alpha[last] {
                alpha[last] = total;
                back[last] = Back::Word(e as u32, p);
            }
        }
    }

    // Backward: beta[at[i] + k] = best cost after candidate k of slot i, up to `right`.
    let needs_beta = damaged.iter().zip(&cands).any(|(&d, c)| d && c.len() > 1);
    let mut beta: Vec<f32> = vec![0.0; flat.len()];
    for k in 0..len(n - 1) {
        beta[at[n - 1] + k] = model::cost(ch(n - 1, k), right);
    }
    if needs_beta {
        for i in (0..n - 1).rev() {
            for p in 0..len(i) {
                beta[at[i] + p] = (0..len(i + 1))
                    .map(|k| trans(i + 1, p, k) + seg[at[i + 1] + k] + beta[at[i + 1] + k])
                    .fold(f32::INFINITY, f32::min);
            }
            for &e in &starting_at[i + 1] {
                let edge = &edges[e];
                let after = edge.inner + beta[at[edge.end] + *edge.picks.last().unwrap_or(&0) as usize];
                for p in 0..len(i) {
                    let cell = &mut beta[at[i] + p];
                    *cell = cell.min(trans(i + 1, p, edge.picks[0] as usize) + after);
                }
            }
        }
    }

    // Best end and back-trace.
    let (mut j, mut cost) = (0usize, f32::INFINITY);
    for k in 0..len(n - 1) {
        let v = alpha[at[n - 1] + k] + beta[at[n - 1] + k];
        if v < cost {
            cost = v;
            j = k;
        }
    }
    let mut picks = vec![0usize; n];
    let mut i = n as isize - 1;
    while i >= 0 {
        let slot = i as usize;
        picks[slot] = j;
        match back[at[slot] + j] {
            Back::Char(p) => {
                j = p as usize;
                i -= 1;
            }
            Back::Word(e, p) => {
                let edge = &edges[e as usize];
                for (t, &k) in edge.picks.iter().enumerate() {
                    picks[edge.start + t] = k as usize;
                }
                j = p as usize;
                i = edge.start as isize - 1;
            }
        }
    }

    // Through-costs of every candidate of the damaged slots, for margins (read only there).
    let mut through: Vec<f32> = vec![0.0; if needs_beta { flat.len() } else { 0 }];
    if needs_beta {
        for i in (0..n).filter(|&i| damaged[i]) {
            for k in at[i]..at[i + 1] {
                through[k] = alpha[k] + beta[k];
            }
        }
    }
    for edge in edges.iter().filter(|_| needs_beta) {
        let (v, _) = enter(&alpha, edge.start, edge.picks[0] as usize);
        let total = v + edge.inner + beta[at[edge.end] + *edge.picks.last().unwrap_or(&0) as usize];
        for (t, &k) in edge.picks.iter().enumerate() {
            let s = edge.start + t;
            if damaged[s] {
                let cell = &mut through[at[s] + k as usize];
                *cell = cell.min(total);
            }
        }
    }

    let mut text = String::with_capacity(n * 3);
    let mut choices = Vec::new();
    for (i, slot) in slots.iter().enumerate() {
        let chosen = cands[i][picks[i]];
        let offset = text.len();
        if !chosen.epsilon {
            text.push(chosen.ch);
        }
        if let Slot::Holes(v) = slot {
            let mut alternatives: Vec<(char, f32)> = v
                .iter()
                .enumerate()
                .filter(|&(k, _)| k != picks[i])
                .map(|(k, c)| (c.ch, (through[at[i] + k] - cost).max(0.0)))
                .collect();
            alternatives.sort_by(|a, b| a.1.total_cmp(&b.1));
            choices.push(SlotChoice { offset, chosen, alternatives });
        }
    }
    // The search score mixes in segmentation costs; callers compare the text's plain model
    // cost with other readings, so that is what the path reports.
    let score = cost;
    let cost = model::cost_of_str(left, &text, right);
    Path { text, cost, score, choices }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lost_1254() -> LostSet {
        LostSet::from_bytes(&[0x81, 0x8D, 0x8E, 0x8F, 0x90, 0x9D, 0x9E, 0xAD])
    }

    #[test]
    fn intact_bytes_parse_without_holes() {
        let (slots, shape) = parse_run("日本".as_bytes(), LostSet::default(), false).unwrap();
        assert_eq!(slots, vec![Slot::Intact('日'), Slot::Intact('本')]);
        assert_eq!(shape.intact, 2);
    }

    /// The whole-run parse gives what the parse character by character gives with nothing
    /// lost: on UTF-8 of every script, with spaces, and on bytes that are not UTF-8
    /// (truncated, overlong, surrogates, stray continuations, ASCII), whole and cut at
    /// every byte.
    #[test]
    fn whole_run_parse_agrees_with_the_parse_by_character() {
        let mut inputs: Vec<Vec<u8>> = vec![
            vec![],
            b" ".to_vec(),
            b"a".to_vec(),
            vec![0xC0, 0x80],
            vec![0xE0, 0x80, 0x80],
            vec![0xED, 0xA0, 0x80],
            vec![0xF4, 0x90, 0x80, 0x80],
            vec![0xF5, 0x80, 0x80, 0x80],
            vec![0xC3, 0xA9, 0xA9],
            vec![0x80],
            vec![0xC3, 0x20, 0xA9],
        ];
        for text in ["日本語 のテキスト", "café ñ Привет Ελλάδα 🎉👍 ﷺ", "\u{81}\u{9F}\u{FFFD}\u{10FFFF}", "Ã© ã‚"]
        {
            let bytes = text.as_bytes();
            for end in 0..=bytes.len() {
                for start in 0..end.min(4) {
                    inputs.push(bytes[start..end].to_vec());
                }
            }
        }
        for bytes in inputs {
            for keep_c1 in [false, true] {
                assert_eq!(
                    parse_whole_run(&bytes),
                    parse_run_slots(&bytes, LostSet::default(), false, keep_c1, None),
                    "{bytes:02X?}"
                );
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config {
            cases: 2000,
            rng_seed: proptest::test_runner::RngSeed::Fixed(0x7768_6F6C),
            ..Default::default()
        })]

        #[test]
        fn whole_run_parse_agrees_on_random_bytes(
            bytes in proptest::collection::vec(proptest::sample::select(vec![
                0x20u8, 0x41, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xA9, 0xBF, 0xC0, 0xC2, 0xC3, 0xDF, 0xE0, 0xE3,
                0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF,
            ]), 0..12),
        ) {
            proptest::prop_assert_eq!(
                parse_whole_run(&bytes),
                parse_run_slots(&bytes, LostSet::default(), false, false, None)
            );
        }
    }

    #[test]
    fn a_lost_third_byte_gives_the_katakana_that_share_the_rest() {
        // チ is E3 83 81; with 0x81 lost only E3 83 survives.
        let (slots, shape) = parse_run(&[0xE3, 0x83], lost_1254(), false).unwrap();
        assert_eq!(shape.damaged, 1);
        let Slot::Holes(c) = &slots[0] else { panic!() };
        let chars: Vec<char> = c.iter().map(|c| c.ch).collect();
        for k in ['チ', 'ネ', 'ノ', 'ハ', 'バ', 'ポ', 'マ', 'ロ'] {
            assert!(chars.contains(&k), "{k} missing from {chars:?}");
        }
    }

    #[test]
    fn unassigned_code_points_are_never_guessed() {
        // 、 is E3 80 81; with 0x81 lost, E3 81 80 would be U+3040, which is unassigned.
        let (slots, _) = parse_run(&[0xE3, 0x80], lost_1254(), false).unwrap();
        let Slot::Holes(c) = &slots[0] else { panic!() };
        assert!(c.iter().all(|c| c.ch != '\u{3040}'));
        assert!(c.iter().any(|c| c.ch == '、'));
    }

    #[test]
    fn unexplainable_bytes_are_rejected() {
        assert!(parse_run(&[0xE3, 0x83], LostSet::default(), false).is_none());
        assert!(parse_run(&[0x83, 0x83], lost_1254(), false).is_none());
        assert!(parse_run(&[0xC3, 0xA9, 0xA9], lost_1254(), false).is_none());
        assert!(parse_run(&[0xC0, 0x80], lost_1254(), false).is_none());
    }

    #[test]
    fn a_space_after_an_unfinished_character_may_be_its_nbsp_byte() {
        // ム is E3 83 A0: its last byte, read as NBSP, became a space.
        let bytes = [0xE3, 0x83, b' ', 0xE3, 0x81, 0xAE];
        let (slots, _) = parse_run(&bytes, LostSet::default(), true).unwrap();
        assert_eq!(slots.len(), 3);
        assert_eq!(best_path(&slots, ' ', ' ').text, "ムの");
        // A space after a finished character stays a space.
        let bytes = [0xE3, 0x83, 0xA0, b' ', 0xE3, 0x81, 0xAE];
        let (slots, _) = parse_run(&bytes, LostSet::default(), true).unwrap();
        assert_eq!(best_path(&slots, ' ', ' ').text, "ム の");
    }

    #[test]
    fn a_lost_lead_byte_is_a_hole_before_its_continuation() {
        // жаңа in UTF-8 with the lead 0xD2 of ң dropped (Windows-1253 leaves it undefined).
        let bytes = [0xD0, 0xB6, 0xD0, 0xB0, 0xA3, 0xD0, 0xB0];
        let lost = LostSet::from_bytes(&[0x81, 0xD2]);
        let (slots, shape) = parse_run(&bytes, lost, false).expect("parses with the lead lost");
        assert_eq!((shape.intact, shape.damaged, shape.inserted), (3, 1, 1));
        let Slot::Holes(candidates) = &slots[2] else { panic!("{slots:?}") };
        assert_eq!(candidates.iter().map(|c| c.ch).collect::<Vec<_>>(), ['ң']);
        // Without 0xD2 among the lost bytes, the same bytes do not parse.
        assert!(parse_run(&bytes, LostSet::from_bytes(&[0x81]), false).is_none());
    }

    #[test]
    fn the_lexicon_completes_a_word_of_damaged_characters() {
        // Every character of ください loses bytes to Windows-1254; the word is still found.
        let lost = lost_1254();
        let observed: Vec<u8> = "ください".bytes().filter(|&b| !lost_has(lost, b)).collect();
        let (slots, shape) = parse_run(&observed, lost, false).unwrap();
        assert_eq!(shape.damaged, 4);
        assert_eq!(best_path(&slots, '意', '。').text, "ください");
    }

    fn lost_has(lost: LostSet, b: u8) -> bool {
        (0x80..=0xBF).contains(&b) && lost.0 & (1 << (b - 0x80)) != 0
    }

    #[test]
    fn viterbi_prefers_the_common_word() {
        // データ with nothing lost must come out as it went in.
        let (slots, _) = parse_run("データ".as_bytes(), lost_1254(), false).unwrap();
        assert_eq!(best_path(&slots, ' ', ' ').text, "データ");
    }
}
