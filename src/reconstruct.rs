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

/// Byte values (0x80–0xBF) that may have been lost, as a bit set over `value - 0x80`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct LostSet(pub(crate) u64);

impl LostSet {
    pub(crate) fn from_bytes(bytes: &[u8]) -> LostSet {
        let mut bits = 0u64;
        for &b in bytes {
            if (0x80..=0xBF).contains(&b) {
                bits |= 1 << (b - 0x80);
            }
        }
        LostSet(bits)
    }

    pub(crate) fn is_empty(self) -> bool {
        self.0 == 0
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
}

/// A character position in a run.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Slot {
    /// A character whose bytes all survived.
    Intact(char),
    /// A character with lost bytes: the candidates, in no particular order.
    Holes(Vec<Candidate>),
}

/// Number of continuation bytes a lead byte announces, or `None` for bytes that cannot
/// start a UTF-8 sequence of more than one byte.
#[inline]
fn continuation_count(lead: u8) -> Option<usize> {
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
pub(crate) fn parse_run(bytes: &[u8], lost: LostSet) -> Option<(Vec<Slot>, RunShape)> {
    let mut slots = Vec::with_capacity(bytes.len() / 2 + 1);
    let mut shape = RunShape::default();
    let mut i = 0;
    while i < bytes.len() {
        let lead = bytes[i];
        let need = continuation_count(lead)?;
        let mut k = 0;
        while i + 1 + k < bytes.len() && is_continuation(bytes[i + 1 + k]) {
            k += 1;
        }
        if k > need {
            return None;
        }
        let seq = &bytes[i..i + 1 + k];
        if k == need {
            slots.push(Slot::Intact(decode_one(seq)?));
            shape.intact += 1;
        } else {
            if lost.is_empty() {
                return None;
            }
            let candidates = fill_holes(seq, need - k, lost);
            if candidates.is_empty() {
                return None;
            }
            shape.damaged += 1;
            shape.inserted += need - k;
            slots.push(Slot::Holes(candidates));
        }
        i += 1 + k;
    }
    Some((slots, shape))
}

/// Every character made by inserting `missing` bytes from `lost` among the continuation
/// bytes of `seq` (which starts with its lead).
fn fill_holes(seq: &[u8], missing: usize, lost: LostSet) -> Vec<Candidate> {
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
                if could_be_text(ch) && !out.iter().any(|x| x.ch == ch) {
                    out.push(Candidate { ch, inserted_mask: mask << 1 });
                }
            }
        }
    }
    out
}

/// A guess may only produce a character real text can hold: assigned, and not a control,
/// private-use or noncharacter code point.
fn could_be_text(c: char) -> bool {
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
    /// Index of the slot in the run.
    pub(crate) slot: usize,
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
    pub(crate) choices: Vec<SlotChoice>,
}

/// Viterbi search over the slots, between the fixed characters `left` and `right`.
pub(crate) fn best_path(slots: &[Slot], left: char, right: char) -> Path {
    // Candidate characters per slot.
    let cands: Vec<Vec<Candidate>> = slots
        .iter()
        .map(|s| match s {
            Slot::Intact(c) => vec![Candidate { ch: *c, inserted_mask: 0 }],
            Slot::Holes(v) => v.clone(),
        })
        .collect();
    let n = cands.len();
    if n == 0 {
        return Path { text: String::new(), cost: model::cost(left, right), choices: Vec::new() };
    }
    // Forward: alpha[i][j] = best cost of slots 0..=i ending in candidate j; back pointers.
    let mut alpha: Vec<Vec<f32>> = Vec::with_capacity(n);
    let mut back: Vec<Vec<u32>> = Vec::with_capacity(n);
    alpha.push(cands[0].iter().map(|c| model::cost(left, c.ch)).collect());
    back.push(vec![0; cands[0].len()]);
    for i in 1..n {
        let prev = &alpha[i - 1];
        let mut row = Vec::with_capacity(cands[i].len());
        let mut brow = Vec::with_capacity(cands[i].len());
        for c in &cands[i] {
            let (mut best, mut arg) = (f32::INFINITY, 0u32);
            for (k, p) in cands[i - 1].iter().enumerate() {
                let v = prev[k] + model::cost(p.ch, c.ch);
                if v < best {
                    best = v;
                    arg = k as u32;
                }
            }
            row.push(best);
            brow.push(arg);
        }
        alpha.push(row);
        back.push(brow);
    }
    // Backward: beta[i][j] = best cost of everything after candidate j of slot i.
    let mut beta: Vec<Vec<f32>> = vec![Vec::new(); n];
    beta[n - 1] = cands[n - 1].iter().map(|c| model::cost(c.ch, right)).collect();
    let needs_beta = slots.iter().any(|s| matches!(s, Slot::Holes(v) if v.len() > 1));
    if needs_beta {
        for i in (0..n - 1).rev() {
            let next = &beta[i + 1];
            beta[i] = cands[i]
                .iter()
                .map(|c| {
                    cands[i + 1]
                        .iter()
                        .enumerate()
                        .map(|(k, d)| model::cost(c.ch, d.ch) + next[k])
                        .fold(f32::INFINITY, f32::min)
                })
                .collect();
        }
    }
    // Best end and back-trace.
    let (mut j, mut cost) = (0usize, f32::INFINITY);
    for (k, a) in alpha[n - 1].iter().enumerate() {
        let v = a + beta[n - 1][k];
        if v < cost {
            cost = v;
            j = k;
        }
    }
    let mut picks = vec![0usize; n];
    for i in (0..n).rev() {
        picks[i] = j;
        j = back[i][j] as usize;
    }
    let mut text = String::with_capacity(n * 3);
    let mut choices = Vec::new();
    for (i, slot) in slots.iter().enumerate() {
        let chosen = cands[i][picks[i]];
        text.push(chosen.ch);
        if let Slot::Holes(v) = slot {
            let mut alternatives: Vec<(char, f32)> = v
                .iter()
                .enumerate()
                .filter(|&(k, _)| k != picks[i])
                .map(|(k, c)| (c.ch, alpha[i][k] + beta[i][k] - cost))
                .collect();
            alternatives.sort_by(|a, b| a.1.total_cmp(&b.1));
            choices.push(SlotChoice { slot: i, chosen, alternatives });
        }
    }
    Path { text, cost, choices }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lost_1254() -> LostSet {
        LostSet::from_bytes(&[0x81, 0x8D, 0x8E, 0x8F, 0x90, 0x9D, 0x9E, 0xAD])
    }

    #[test]
    fn intact_bytes_parse_without_holes() {
        let (slots, shape) = parse_run("日本".as_bytes(), LostSet::default()).unwrap();
        assert_eq!(slots, vec![Slot::Intact('日'), Slot::Intact('本')]);
        assert_eq!(shape.intact, 2);
    }

    #[test]
    fn a_lost_third_byte_gives_the_katakana_that_share_the_rest() {
        // チ is E3 83 81; with 0x81 lost only E3 83 survives.
        let (slots, shape) = parse_run(&[0xE3, 0x83], lost_1254()).unwrap();
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
        let (slots, _) = parse_run(&[0xE3, 0x80], lost_1254()).unwrap();
        let Slot::Holes(c) = &slots[0] else { panic!() };
        assert!(c.iter().all(|c| c.ch != '\u{3040}'));
        assert!(c.iter().any(|c| c.ch == '、'));
    }

    #[test]
    fn unexplainable_bytes_are_rejected() {
        assert!(parse_run(&[0xE3, 0x83], LostSet::default()).is_none());
        assert!(parse_run(&[0x83, 0x83], lost_1254()).is_none());
        assert!(parse_run(&[0xC3, 0xA9, 0xA9], lost_1254()).is_none());
        assert!(parse_run(&[0xC0, 0x80], lost_1254()).is_none());
    }

    #[test]
    fn viterbi_prefers_the_common_word() {
        // データ with nothing lost must come out as it went in.
        let (slots, _) = parse_run("データ".as_bytes(), lost_1254()).unwrap();
        assert_eq!(best_path(&slots, ' ', ' ').text, "データ");
    }
}
