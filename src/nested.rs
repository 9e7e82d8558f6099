//! Lost bytes under two layers: the outer layer's holes chosen by what they make of the inner one.
//!
//! UTF-8 misread twice (`ã` → `Ã£`) and then damaged on the way out (the outer layer's
//! undefined bytes dropped) leaves holes in the *middle* text, which is itself mojibake. The
//! model cannot choose among the middle's candidates: `Â` followed by a lost byte of 0x81,
//! 0x8D, 0x8F, 0x90 or 0x9D is one of five C1 controls, equally meaningless as text. What
//! decides is the inner layer: each middle character is one byte of the original UTF-8
//! (`U+0081` is 0x81 through Windows-1252), so a hole of the middle is a byte of the original
//! whose value is one of a few. Parsed that way, the original's bytes form UTF-8 characters
//! with a few candidates each, which the model judges as it judges any lost byte, and the
//! choice maps back to the middle character it implies.
//!
//! [`nested_path`] does that for one run and one inner page. It gives up (returns `None`)
//! where the original's bytes do not parse as UTF-8 under every choice of segmentation, which
//! is at the first position for the runs of a single misreading: their middle text is the
//! repaired text itself, not bytes of UTF-8.

use crate::detect::letter_script;
use crate::model;
use crate::model::script::Script;
use crate::reconstruct::{
    best_path, continuation_count, could_be_text, Candidate, Path, Slot, SlotChoice, MAX_CANDIDATES,
};
use crate::CodePage;

/// A reading of an outer run through an inner page.
#[derive(Debug, Clone)]
pub(crate) struct NestedPath {
    /// The middle text: the outer layer undone, with its holes filled.
    pub(crate) middle: Path,
    /// The inner text: the middle text re-encoded through the inner page, read as UTF-8.
    pub(crate) inner: Path,
}

/// More combinations than this for one character of the original means the middle's holes
/// are too wide to be the misreading of a code page (a lost byte has at most 17 values under
/// the Windows pages; two such holes in one character give 289).
const MAX_COMBINATIONS: usize = 4096;

/// One byte of the original: its possible values, each with the index of the middle
/// candidate it comes from (0 for a character that survived whole).
struct BytePosition {
    options: Vec<(u8, u16)>,
    /// The middle character had lost bytes: its value is a guess.
    guessed: bool,
}

/// One character of the original: the positions it covers and, per candidate, the option
/// index taken at each position.
struct InnerChar {
    start: usize,
    len: usize,
    combos: Vec<[u8; 4]>,
}

/// Reads the outer run `outer` (its slots parsed with C1 controls allowed as candidates)
/// through `inner_page`: see the module documentation. `left` and `right` are the
/// characters around the run, which are the same in all three texts (they are ASCII or the
/// ends of the text).
pub(crate) fn nested_path(
    outer: &[Slot],
    inner_page: CodePage,
    left: char,
    right: char,
    prefer: Option<Script>,
) -> Option<NestedPath> {
    if inner_page.is_double_byte() || outer.is_empty() {
        return None;
    }
    let positions = byte_positions(outer, inner_page)?;
    let mut best: Option<NestedPath> = None;
    for lens in cuts(&positions) {
        let Some((inner_slots, inner_chars)) = segment(&positions, &lens, prefer) else { continue };
        let inner = best_path(&inner_slots, left, right);
        if best.as_ref().is_some_and(|b| b.inner.cost <= inner.cost) {
            continue;
        }
        let Some(middle) = middle_path(outer, &positions, &inner_slots, &inner_chars, &inner, left, right) else {
            continue;
        };
        best = Some(NestedPath { middle, inner });
    }
    best
}

/// The byte of the original under each middle character.
fn byte_positions(outer: &[Slot], inner_page: CodePage) -> Option<Vec<BytePosition>> {
    let mut positions = Vec::with_capacity(outer.len());
    for slot in outer {
        let position = match slot {
            Slot::Intact(c) => BytePosition { options: vec![(inner_page.encode_char(*c)?, 0)], guessed: false },
            Slot::Holes(v) => {
                let options: Vec<(u8, u16)> = v
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| !c.absorbs_space && !c.epsilon)
                    .filter_map(|(k, c)| Some((inner_page.encode_char(c.ch)?, k as u16)))
                    .collect();
                if options.is_empty() {
                    return None;
                }
                BytePosition { options, guessed: true }
            }
            // The no-break-space loss form joins runs across spaces; not read through two
            // layers.
            Slot::Space => return None,
        };
        // Every character of a non-ASCII run is a byte ≥ 0x80 of the original.
        if position.options.iter().any(|&(b, _)| b < 0x80) {
            return None;
        }
        positions.push(position);
    }
    Some(positions)
}

/// The UTF-8 lengths (1 + continuation bytes) that a character starting at `p` may have.
fn lead_lengths(p: &BytePosition) -> u8 {
    p.options.iter().filter_map(|&(b, _)| continuation_count(b)).fold(0u8, |m, n| m | (1 << (n + 1)))
}

fn may_continue(p: &BytePosition) -> bool {
    p.options.iter().any(|&(b, _)| (0x80..=0xBF).contains(&b))
}

/// Cuts of the run into UTF-8 characters tried at most: each costs a search.
const MAX_CUTS: usize = 8;

/// Ways to cut the whole run into UTF-8 characters, as the length of each character. A
/// middle hole can stand for bytes of different kinds (under Windows-1250, `Ä` and a lost
/// byte is `ă`, 0xE3, a three-byte lead, or `Đ`, 0xD0, a two-byte one), so there may be
/// several; up to [`MAX_CUTS`] are listed (the search judges them), and beyond that only
/// the one that takes the shortest character wherever there is a choice (a run of
/// two-byte letters keeps its cut; a three-byte lead misplaced among them would need
/// continuation bytes where leads stand).
fn cuts(positions: &[BytePosition]) -> Vec<Vec<usize>> {
    let m = positions.len();
    let mut conts_from = vec![0usize; m + 1]; // positions from i on that may continue
    for i in (0..m).rev() {
        conts_from[i] = if may_continue(&positions[i]) { conts_from[i + 1] + 1 } else { 0 };
    }
    // count[i]: cuts of positions i.. (saturating at MAX_CUTS + 1).
    let mut count = vec![0usize; m + 1];
    count[m] = 1;
    let fits = |i: usize, len: usize, count: &[usize]| {
        lead_lengths(&positions[i]) & (1 << len) != 0
            && i + len <= m
            && conts_from[i + 1] >= len - 1
            && count[i + len] > 0
    };
    for i in (0..m).rev() {
        count[i] =
            (2..=4).filter(|&len| fits(i, len, &count)).map(|len| count[i + len]).sum::<usize>().min(MAX_CUTS + 1);
    }
    if count[0] == 0 {
        return Vec::new();
    }
    if count[0] > MAX_CUTS {
        let mut lens = Vec::new();
        let mut i = 0;
        while i < m {
            let Some(len) = (2..=4).find(|&len| fits(i, len, &count)) else { return Vec::new() };
            lens.push(len);
            i += len;
        }
        return vec![lens];
    }
    let mut out = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    enumerate(0, m, &count, &fits, &mut stack, &mut out);
    out
}

fn enumerate(
    i: usize,
    m: usize,
    count: &[usize],
    fits: &dyn Fn(usize, usize, &[usize]) -> bool,
    stack: &mut Vec<usize>,
    out: &mut Vec<Vec<usize>>,
) {
    if i == m {
        out.push(stack.clone());
        return;
    }
    for len in (2..=4).filter(|&len| fits(i, len, count)) {
        stack.push(len);
        enumerate(i + len, m, count, fits, stack, out);
        stack.pop();
    }
}

/// Cuts the original's bytes into UTF-8 characters and lists each one's candidates.
fn segment(positions: &[BytePosition], lens: &[usize], prefer: Option<Script>) -> Option<(Vec<Slot>, Vec<InnerChar>)> {
    let mut slots = Vec::new();
    let mut chars = Vec::new();
    let mut i = 0;
    for &len in lens {
        let need = len - 1;
        let span = &positions[i..i + len];
        // Options per position: leads at the first, continuation bytes after it.
        let allowed: Vec<Vec<usize>> = span
            .iter()
            .enumerate()
            .map(|(t, p)| {
                (0..p.options.len())
                    .filter(|&k| {
                        let b = p.options[k].0;
                        if t == 0 {
                            continuation_count(b) == Some(need)
                        } else {
                            (0x80..=0xBF).contains(&b)
                        }
                    })
                    .collect()
            })
            .collect();
        let combinations = allowed.iter().try_fold(1usize, |acc, a| acc.checked_mul(a.len()))?;
        if combinations == 0 || combinations > MAX_COMBINATIONS {
            return None;
        }
        let guessed = span.iter().any(|p| p.guessed);
        let mut candidates = Vec::new();
        let mut combos = Vec::new();
        for mut c in 0..combinations {
            let mut pick = [0u8; 4];
            let mut bytes = [0u8; 4];
            for t in 0..len {
                let k = allowed[t][c % allowed[t].len()];
                c /= allowed[t].len();
                pick[t] = k as u8;
                bytes[t] = span[t].options[k].0;
            }
            let Some(ch) = std::str::from_utf8(&bytes[..len]).ok().and_then(|s| s.chars().next()) else {
                continue;
            };
            if !could_be_text(ch) {
                continue;
            }
            let mask = (0..len).filter(|&t| span[t].guessed).fold(0u8, |m, t| m | (1 << t));
            candidates.push(Candidate { ch, inserted_mask: mask, absorbs_space: false, epsilon: false });
            combos.push(pick);
        }
        if candidates.is_empty() {
            return None;
        }
        if let Some(script) = prefer {
            // Keep to the document's script where some candidate is in it.
            let keep = |c: &Candidate| letter_script(c.ch).is_none_or(|s| s == script);
            if candidates.iter().any(keep) && !candidates.iter().all(keep) {
                let kept: Vec<usize> = (0..candidates.len()).filter(|&k| keep(&candidates[k])).collect();
                candidates = kept.iter().map(|&k| candidates[k]).collect();
                combos = kept.iter().map(|&k| combos[k]).collect();
            }
        }
        if candidates.len() > MAX_CANDIDATES {
            // As for a single layer's holes (C1 controls stripped: 32 values per byte): the
            // search is quadratic in the candidates, so only the most plausible stay.
            let costs: Vec<f32> = candidates.iter().map(|c| model::cost(model::START, c.ch)).collect();
            let mut order: Vec<usize> = (0..candidates.len()).collect();
            order.sort_by(|&a, &b| costs[a].total_cmp(&costs[b]));
            order.truncate(MAX_CANDIDATES);
            order.sort_unstable();
            candidates = order.iter().map(|&k| candidates[k]).collect();
            combos = order.iter().map(|&k| combos[k]).collect();
        }
        slots.push(if guessed { Slot::Holes(candidates) } else { Slot::Intact(candidates[0].ch) });
        chars.push(InnerChar { start: i, len, combos });
        i += len;
    }
    Some((slots, chars))
}

/// The middle text that the chosen inner text implies, with a choice per middle hole whose
/// alternatives are the middle characters of the inner alternatives.
fn middle_path(
    outer: &[Slot],
    positions: &[BytePosition],
    inner_slots: &[Slot],
    inner_chars: &[InnerChar],
    inner: &Path,
    left: char,
    right: char,
) -> Option<Path> {
    let middle_char = |p: usize, k: usize| -> char {
        let idx = positions[p].options[k].1 as usize;
        match &outer[p] {
            Slot::Intact(c) => *c,
            Slot::Holes(v) => v[idx].ch,
            Slot::Space => ' ',
        }
    };
    let mut text = String::with_capacity(outer.len() * 2);
    let mut choices = Vec::new();
    let mut inner_choices = inner.choices.iter();
    for (slot, ic) in inner_slots.iter().zip(inner_chars) {
        let (chosen_index, alternatives): (usize, &[(char, f32)]) = match slot {
            Slot::Intact(_) => (0, &[]),
            Slot::Holes(cands) => {
                let choice = inner_choices.next()?;
                let k = cands.iter().position(|c| c.ch == choice.chosen.ch)?;
                (k, &choice.alternatives)
            }
            Slot::Space => return None,
        };
        let combo = ic.combos[chosen_index];
        for t in 0..ic.len {
            let p = ic.start + t;
            let offset = text.len();
            let ch = middle_char(p, combo[t] as usize);
            text.push(ch);
            let Slot::Holes(v) = &outer[p] else { continue };
            let chosen = v[positions[p].options[combo[t] as usize].1 as usize];
            let mut alts: Vec<(char, f32)> = Vec::new();
            if let Slot::Holes(cands) = slot {
                for &(alt, extra) in alternatives {
                    let Some(k) = cands.iter().position(|c| c.ch == alt) else { continue };
                    let m = middle_char(p, ic.combos[k][t] as usize);
                    if m != ch && !alts.iter().any(|a| a.0 == m) {
                        alts.push((m, extra));
                    }
                }
            }
            choices.push(SlotChoice { offset, chosen, alternatives: alts });
        }
    }
    let cost = model::cost_of_str(left, &text, right);
    Some(Path { text, cost, score: inner.score, choices })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reconstruct::{parse_run_keeping_c1, LostSet};

    /// UTF-8 read as Windows-1252 (its undefined bytes decoded as the C1 controls of the same
    /// value), twice, with the undefined bytes dropped on the outer reading.
    fn twice_with_loss(text: &str) -> Vec<u8> {
        let page = CodePage::Windows1252;
        let middle: String = text.bytes().map(|b| page.decode_byte(b)).collect();
        let lost = page.undefined_bytes();
        middle.bytes().filter(|b| !lost.contains(b)).collect()
    }

    #[test]
    fn the_inner_layer_chooses_the_outer_holes() {
        // Every hiragana of ありがとう is E3 81 xx or E3 82 xx: its 0x81 becomes U+0081 in
        // the middle, whose second UTF-8 byte 0x81 the outer reading drops.
        let original = "ありがとうございます";
        let bytes = twice_with_loss(original);
        let lost = LostSet::from_bytes(CodePage::Windows1252.undefined_bytes());
        let (slots, shape) = parse_run_keeping_c1(&bytes, lost).unwrap();
        assert!(shape.damaged > 0);
        let nested = nested_path(&slots, CodePage::Windows1252, '\n', '\n', None).unwrap();
        assert_eq!(nested.inner.text, original);
        let middle: String = original.bytes().map(|b| CodePage::Windows1252.decode_byte(b)).collect();
        assert_eq!(nested.middle.text, middle);
        assert_eq!(nested.middle.choices.len(), shape.damaged);
    }

    #[test]
    fn a_single_misreading_is_not_read_as_two() {
        // café misread once: the middle text would be "é", not bytes of UTF-8.
        let bytes = "é".as_bytes();
        let (slots, _) = parse_run_keeping_c1(bytes, LostSet::default()).unwrap();
        assert!(nested_path(&slots, CodePage::Windows1252, 'f', ' ', None).is_none());
    }
}
