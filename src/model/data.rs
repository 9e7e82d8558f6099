//! Lookups over the generated character tables in `src/model/data/*.bin`.
//!
//! The `.bin` files are GENERATED — do not edit them. Regenerate with
//!
//! ```text
//! python3 tools/gen_model.py
//! ```
//!
//! (packages and sources in that script's docstring; `tools/eval_model.py` measures them).
//!
//! Costs are −ln P in nats. `unigram_cost` is −ln P(c | class of c); `bigram_cost` is
//! −ln P(c | prev, class of c) for the CJK classes (Han, Hiragana, Katakana, CjkPunct), a
//! Dirichlet-smoothed, pruned, Katz-renormalised bigram estimated from mecab-ipadic (with
//! jieba's Chinese word list mixed into Han at low weight). For the other covered classes
//! (Latin, Cyrillic, Greek, Hebrew, Arabic, Indic, Thai, Hangul, Emoji) only a unigram
//! exists and `bigram_cost` returns it.
//!
//! Layout (little-endian), N = number of unigram entries:
//! - `uni_cp.bin` u32[N]: sorted code points with an explicit cost; an entry's index is its id.
//! - `uni_cost.bin` u16[N]: unigram cost × 256.
//! - `class_floor.bin` u16[SCRIPT_COUNT]: cost × 256 of a class member without an entry;
//!   0xFFFF where the class is not covered.
//! - `bi_row.bin` u32[N + 3]: CSR row starts; row `N` is "after an ASCII digit", row `N + 1`
//!   is "after a non-CJK character / at a start".
//! - `bi_next.bin` u16[E]: target ids, ascending within a row; `bi_cost.bin` u8[E]: cost × 8.
//! - `bi_backoff.bin` i8[(N + 2) × 4]: per row and target class (Han, Hiragana, Katakana,
//!   CjkPunct) the cost × 16 added to the unigram cost of a target the row does not list.
//! - `shift_row.bin` u16[R]: ids of the characters whose next character's class is known
//!   better than their class says, ascending; `shift_cost.bin` i8[R × 5]: per such character
//!   and next class (Han, Hiragana, Katakana, CjkPunct, anything else) the cost × 16 added to
//!   the class transition (see [`class_shift`]).
//!
//! A bigram lookup is a binary search within the row of `prev`, narrowed in a long row by an
//! index built at first use ([`RowIndex`]).

use super::script::{Script, SCRIPT_COUNT};
use super::{u16_at, u32_at};
use std::sync::OnceLock;

const UNI_CP: &[u8] = include_bytes!("data/uni_cp.bin");
const UNI_COST: &[u8] = include_bytes!("data/uni_cost.bin");
const CLASS_FLOOR: &[u8] = include_bytes!("data/class_floor.bin");
const BI_ROW: &[u8] = include_bytes!("data/bi_row.bin");
const BI_NEXT: &[u8] = include_bytes!("data/bi_next.bin");
const BI_COST: &[u8] = include_bytes!("data/bi_cost.bin");
const BI_BACKOFF: &[u8] = include_bytes!("data/bi_backoff.bin");
const SHIFT_ROW: &[u8] = include_bytes!("data/shift_row.bin");
const SHIFT_COST: &[u8] = include_bytes!("data/shift_cost.bin");

/// Number of unigram entries (ids `0..N`).
const N: usize = UNI_CP.len() / 4;
/// Row of "after an ASCII digit".
const DIGIT_ROW: usize = N;
/// Row of "after anything that is not a CJK character" (Latin, space, start of text, …).
const OTHER_ROW: usize = N + 1;

// Compile-time consistency of the generated files.
const _: () = {
    assert!(UNI_CP.len() == N * 4);
    assert!(UNI_COST.len() == N * 2);
    assert!(CLASS_FLOOR.len() == SCRIPT_COUNT * 2);
    assert!(BI_ROW.len() == (N + 3) * 4);
    assert!(BI_NEXT.len() == BI_COST.len() * 2);
    assert!(BI_BACKOFF.len() == (N + 2) * 4);
    assert!(N < u16::MAX as usize);
    assert!(SHIFT_COST.len() == SHIFT_ROW.len() / 2 * 5);
};

/// Direct index for the BMP: code point → id + 1 (0 = no entry). 128 KiB, built once.
fn bmp_index() -> &'static [u16] {
    static INDEX: OnceLock<Box<[u16]>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut v = vec![0u16; 0x10000].into_boxed_slice();
        for i in 0..N {
            let cp = u32_at(UNI_CP, i);
            if cp >= 0x10000 {
                break;
            }
            v[cp as usize] = (i + 1) as u16;
        }
        v
    })
}

/// The id of `c` in the unigram table.
#[inline]
fn id_of(c: char) -> Option<usize> {
    let u = c as u32;
    if u < 0x10000 {
        let v = bmp_index()[u as usize];
        return if v == 0 { None } else { Some(v as usize - 1) };
    }
    // Supplementary planes: binary search (few entries there).
    let (mut lo, mut hi) = (0usize, N);
    while lo < hi {
        let mid = (lo + hi) / 2;
        let m = u32_at(UNI_CP, mid);
        if m < u {
            lo = mid + 1;
        } else if m > u {
            hi = mid;
        } else {
            return Some(mid);
        }
    }
    None
}

#[inline]
fn floor(class: Script) -> Option<f32> {
    match u16_at(CLASS_FLOOR, class as usize) {
        0xFFFF => None,
        v => Some(v as f32 / 256.0),
    }
}

#[inline]
fn unigram_of(class: Script, id: Option<usize>) -> Option<f32> {
    let fl = floor(class)?;
    Some(match id {
        Some(i) => u16_at(UNI_COST, i) as f32 / 256.0,
        None => fl,
    })
}

/// −ln P(c | Script::of(c)): how common `c` is among characters of its class. None when the
/// tables do not cover `c`'s class (then the engine uses a structural default).
pub(crate) fn unigram_cost(c: char) -> Option<f32> {
    unigram_of(Script::of(c), id_of(c))
}

/// Smoothed −ln P(c | prev, Script::of(c)): the cost of `c` right after `prev`, within c's
/// class. A real bigram for `c` in Han, Hiragana, Katakana, CjkPunct; for the other covered
/// classes (alphabets, Hangul, emoji) the unigram. `prev` may be anything: an ASCII digit uses
/// the "after a number" row (年, 月, 円, 人, …), any other non-CJK character (Latin, space,
/// newline, start of text) the "after non-CJK" row; a CJK `prev` the tables do not list gives
/// the unigram. None when c's class is not covered.
pub(crate) fn bigram_cost(prev: char, c: char) -> Option<f32> {
    bigram_in_row(bigram_row(prev), c)
}

/// The bigram row of `prev`: its own for a CJK character the tables list (`None` for one
/// they do not: the unigram then), the "after a number" row for a digit, the "after
/// non-CJK" row for anything else.
fn bigram_row(prev: char) -> Option<Row> {
    let row = match Script::of(prev) {
        Script::Han | Script::Hiragana | Script::Katakana | Script::CjkPunct => id_of(prev)?,
        Script::Digit => DIGIT_ROW,
        _ => OTHER_ROW,
    };
    Some(Row::at(row))
}

/// [`bigram_cost`] of `c` in the row [`bigram_row`] gave.
#[inline]
fn bigram_in_row(row: Option<Row>, c: char) -> Option<f32> {
    let class = Script::of(c);
    let slot = match class {
        Script::Han => 0,
        Script::Hiragana => 1,
        Script::Katakana => 2,
        Script::CjkPunct => 3,
        _ => return unigram_cost(c),
    };
    let cid = id_of(c);
    let uni = unigram_of(class, cid)?;
    let Some(row) = row else {
        return Some(uni);
    };
    if let Some(at) = cid.and_then(|target| row.find(target as u16)) {
        return Some(BI_COST[at] as f32 / 8.0);
    }
    let backoff = BI_BACKOFF[row.row * 4 + slot] as i8 as f32 / 16.0;
    Some((backoff + uni).max(0.0))
}

/// A bigram row, located once for the many targets looked up in it (the search for lost
/// bytes prices every candidate of a slot after each candidate of the slot before): its
/// entries are `BI_NEXT[start..end]`, and a long row's [`RowIndex`] buckets narrow the
/// binary search for a target to the few entries with the same high bits of its id.
#[derive(Debug, Clone, Copy)]
struct Row {
    /// The row's number (its back-off is read by it).
    row: usize,
    /// The first of its entries in `BI_NEXT` and `BI_COST`.
    start: usize,
    /// One past its last entry.
    end: usize,
    /// Its bucket offsets (`RowIndex::offsets`), empty when the row has no index.
    offsets: &'static [u16],
    /// Target ids `>> shift` number its buckets.
    shift: u32,
}

impl Row {
    fn at(row: usize) -> Row {
        let (start, end) = (u32_at(BI_ROW, row) as usize, u32_at(BI_ROW, row + 1) as usize);
        let (offsets, shift) = RowIndex::get().of(row);
        Row { row, start, end, offsets, shift }
    }

    /// The position in `BI_NEXT` of `target`'s entry in this row, if it has one. The
    /// entries with the same `target >> shift` are `offsets[b]..offsets[b + 1]` after
    /// `start` (ids ascend within a row), so that is where a binary search over the whole
    /// row would find it, too.
    #[inline]
    fn find(&self, target: u16) -> Option<usize> {
        let (mut lo, mut hi) = if self.offsets.is_empty() {
            (self.start, self.end)
        } else {
            let b = usize::from(target) >> self.shift;
            (self.start + usize::from(self.offsets[b]), self.start + usize::from(self.offsets[b + 1]))
        };
        while lo < hi {
            let mid = (lo + hi) / 2;
            let m = u16_at(BI_NEXT, mid);
            if m < target {
                lo = mid + 1;
            } else if m > target {
                hi = mid;
            } else {
                return Some(mid);
            }
        }
        None
    }
}

/// Rows shorter than this have no index: their binary search is a few steps.
const INDEXED_ROW: usize = 16;

/// An index of the long bigram rows, built once. A row of `len` entries is cut into at most
/// `len / 2` buckets of `1 << shift` consecutive target ids, and for each bucket `b` the
/// index holds how many of the row's entries have ids below bucket `b`'s: a lookup reads
/// two offsets and searches only between them (a couple of entries on average, rather than
/// up to 13 halvings of the longest rows). About 320 KiB: 200 KiB of offsets for the 1,835
/// rows of 16 entries or more, 5 bytes for each of the 24,488 rows.
struct RowIndex {
    /// Per row: where its offsets start in `offsets` (equal to the next row's when it has
    /// none).
    at: Box<[u32]>,
    /// Per row: its shift.
    shift: Box<[u8]>,
    /// For each indexed row, `(N >> shift) + 2` offsets from the row's first entry.
    offsets: Box<[u16]>,
}

impl RowIndex {
    fn get() -> &'static RowIndex {
        static INDEX: OnceLock<RowIndex> = OnceLock::new();
        INDEX.get_or_init(RowIndex::build)
    }

    fn build() -> RowIndex {
        let rows = N + 2;
        let mut at = Vec::with_capacity(rows + 1);
        let mut shift = Vec::with_capacity(rows);
        let mut offsets = Vec::new();
        for row in 0..rows {
            at.push(offsets.len() as u32);
            let (start, end) = (u32_at(BI_ROW, row) as usize, u32_at(BI_ROW, row + 1) as usize);
            let len = end - start;
            if len < INDEXED_ROW {
                shift.push(0);
                continue;
            }
            // The narrowest buckets with no more of them (`(N >> s) + 1`) than half the row's
            // entries.
            let s = (0..16).find(|&s| (N >> s) < len / 2).expect("N >> 15 is 0");
            let mut j = start;
            for b in 0..=(N >> s) + 1 {
                while j < end && usize::from(u16_at(BI_NEXT, j)) >> s < b {
                    j += 1;
                }
                offsets.push(u16::try_from(j - start).expect("a bigram row has fewer than 65,536 entries"));
            }
            shift.push(s as u8);
        }
        at.push(offsets.len() as u32);
        RowIndex { at: at.into(), shift: shift.into(), offsets: offsets.into() }
    }

    /// `row`'s offsets (empty: no index) and shift.
    fn of(&'static self, row: usize) -> (&'static [u16], u32) {
        let (lo, hi) = (self.at[row] as usize, self.at[row + 1] as usize);
        (&self.offsets[lo..hi], u32::from(self.shift[row]))
    }
}

/// What [`bigram_cost`] and [`class_shift`] read of `prev`, read once for many `c` (the
/// search for lost bytes prices every candidate of a slot after each of the slot before).
#[derive(Debug, Clone, Copy)]
pub(crate) struct PrevRow {
    /// The bigram row, or `None` for a CJK `prev` the tables do not list (the unigram).
    row: Option<Row>,
    /// `shift_index()` of `prev`'s id (0: none).
    shift: u16,
}

impl PrevRow {
    pub(crate) fn of(prev: char) -> PrevRow {
        PrevRow { row: bigram_row(prev), shift: shift_row(prev) }
    }
}

/// [`bigram_cost`] with `prev` read beforehand.
pub(crate) fn bigram_cost_after(prev: PrevRow, c: char) -> Option<f32> {
    bigram_in_row(prev.row, c)
}

/// [`class_shift`] with `prev` read beforehand.
pub(crate) fn class_shift_after(prev: PrevRow, next: Script) -> f32 {
    shift_in_row(prev.shift, next)
}

/// How much likelier (negative) or rarer (positive) the class of the next character is after
/// `prev` than after an average member of `prev`'s class, in nats: the particle の is
/// followed by punctuation far less often than は is, which the class transitions alone
/// cannot say. Zero where the tables know nothing of `prev`.
pub(crate) fn class_shift(prev: char, next: Script) -> f32 {
    shift_in_row(shift_row(prev), next)
}

/// `prev`'s class-shift row + 1, 0 for none.
fn shift_row(prev: char) -> u16 {
    id_of(prev).map_or(0, |id| shift_index()[id])
}

/// [`class_shift`] of `next` in the row [`shift_row`] gave.
#[inline]
fn shift_in_row(shift: u16, next: Script) -> f32 {
    let slot = match next {
        Script::Han => 0,
        Script::Hiragana => 1,
        Script::Katakana => 2,
        Script::CjkPunct => 3,
        _ => 4,
    };
    match shift {
        0 => 0.0,
        row => SHIFT_COST[(usize::from(row) - 1) * 5 + slot] as i8 as f32 / 16.0,
    }
}

/// Unigram id → shift row + 1 (0 = none): every CJK transition asks, so a direct index
/// (2 bytes per unigram entry, built once) rather than a search.
fn shift_index() -> &'static [u16] {
    static INDEX: OnceLock<Box<[u16]>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut v = vec![0u16; N].into_boxed_slice();
        for row in 0..SHIFT_ROW.len() / 2 {
            v[usize::from(u16_at(SHIFT_ROW, row))] = (row + 1) as u16;
        }
        v
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bi(p: char, c: char) -> f32 {
        bigram_cost(p, c).unwrap_or_else(|| panic!("no bigram for {p:?} {c:?}"))
    }
    fn uni(c: char) -> f32 {
        unigram_cost(c).unwrap_or_else(|| panic!("no unigram for {c:?}"))
    }

    #[test]
    fn tables_are_sorted() {
        for i in 1..N {
            assert!(u32_at(UNI_CP, i - 1) < u32_at(UNI_CP, i));
        }
        for r in 0..N + 2 {
            let (lo, hi) = (u32_at(BI_ROW, r) as usize, u32_at(BI_ROW, r + 1) as usize);
            assert!(lo <= hi && hi <= BI_COST.len());
            for j in lo + 1..hi {
                assert!(u16_at(BI_NEXT, j - 1) < u16_at(BI_NEXT, j));
            }
        }
        for i in 0..N {
            let c = char::from_u32(u32_at(UNI_CP, i)).unwrap();
            assert_eq!(id_of(c), Some(i));
        }
    }

    /// The binary search over the whole row that [`Row::find`] narrows.
    fn find_in_whole_row(row: usize, target: u16) -> Option<usize> {
        let (start, end) = (u32_at(BI_ROW, row) as usize, u32_at(BI_ROW, row + 1) as usize);
        (start..end).find(|&j| u16_at(BI_NEXT, j) == target)
    }

    #[test]
    fn indexed_rows_find_what_the_whole_row_holds() {
        let index = RowIndex::get();
        let mut indexed = 0;
        for r in 0..N + 2 {
            let row = Row::at(r);
            let len = row.end - row.start;
            assert_eq!(row.offsets.is_empty(), len < INDEXED_ROW, "row {r}");
            if row.offsets.is_empty() {
                continue;
            }
            indexed += 1;
            assert!(row.offsets.len() <= len / 2 + 1);
            assert_eq!(usize::from(*row.offsets.last().unwrap()), len);
            // Every entry is found where it is, and the ids either side of it (often
            // missing, and at bucket edges) where the whole row has them, or not at all.
            for j in row.start..row.end {
                let t = u16_at(BI_NEXT, j);
                assert_eq!(row.find(t), Some(j), "row {r} target {t}");
                for u in [t.wrapping_sub(1), t + 1] {
                    if usize::from(u) < N {
                        assert_eq!(row.find(u), find_in_whole_row(r, u), "row {r} target {u}");
                    }
                }
            }
        }
        assert!(indexed > 1000, "{indexed}");
        assert_eq!(index.at.len(), N + 3);
        // Every target of a few of the longest rows (and of short ones), present or not.
        let mut by_len: Vec<usize> = (0..N + 2).collect();
        by_len.sort_by_key(|&r| u32_at(BI_ROW, r + 1) - u32_at(BI_ROW, r));
        for &r in by_len.iter().rev().take(4).chain(&by_len[by_len.len() / 2..][..4]).chain([&DIGIT_ROW, &OTHER_ROW]) {
            let row = Row::at(r);
            for t in 0..N as u16 {
                assert_eq!(row.find(t), find_in_whole_row(r, t), "row {r} target {t}");
            }
        }
    }

    #[test]
    fn unigram_orders() {
        assert!(uni('の') < uni('ゑ'));
        assert!(uni('ー') < uni('ヂ'));
        assert!(uni('日') < uni('鬱'));
        assert!(uni('鬱') < uni('\u{20B9F}')); // 𠮟 (Ext B) vs JIS level 2
        assert!(uni('。') < uni('㏃'));
        assert!(uni('e') < uni('Ã'));
        assert!(uni('a') < uni('Å'));
        assert!(uni('s') < uni('Ð'));
        assert!(uni('n') < uni('ñ'));
        assert!(uni('E') < uni('Ñ'));
        assert!(uni('а') < uni('Ѣ'));
        assert!(uni('가') < uni('갂')); // KS X 1001 syllable vs one outside it
        assert!(uni('😀') < uni('\u{1F0A1}')); // an emoji vs a playing card
        assert_eq!(unigram_cost('1'), None);
        assert_eq!(unigram_cost('!'), None);
        assert_eq!(unigram_cost(' '), None);
    }

    #[test]
    fn bigram_orders() {
        assert!(bi('繋', 'ぐ').is_finite() && bi('繋', 'ぎ').is_finite());
        assert!(bi('ロ', 'ー') < bi('ヂ', 'ー'));
        assert!(bi('本', 'を') < bi('本', 'ゑ'));
        assert!(bi('し', 'た') < bi('し', 'ぢ'));
        assert!(bi('ー', 'ド') < bi('ー', 'ヅ'));
        assert!(bi('東', '京') < bi('東', '鬱'));
        // Context matters: after 東, 京 is far cheaper than its unigram.
        assert!(bi('東', '京') + 2.0 < uni('京'));
        // After a number, counters.
        assert!(bi('3', '年') < bi('3', '鬱'));
        assert!(bi('3', '年') < uni('年'));
        // After Latin or a space: a sensible, finite cost.
        assert!(bi('a', 'の').is_finite() && bi(' ', '日').is_finite());
        // Non-CJK targets: the unigram.
        assert_eq!(bigram_cost('x', 'e'), unigram_cost('e'));
        assert_eq!(bigram_cost('x', '!'), None);
    }

    #[test]
    fn all_costs_finite_and_non_negative() {
        let probe: Vec<char> = [
            0x41..0x7B,
            0xC0..0x250,
            0x370..0x530,
            0x590..0x700,
            0x900..0xF00,
            0x3000..0x3100,
            0x31F0..0x3400,
            0x4E00..0x4F00,
            0x7E00..0x7F00,
            0x9F00..0xA000,
            0xAC00..0xAD00,
            0xFF00..0xFFF0,
            0x1F300..0x1F400,
            0x20000..0x20100,
        ]
        .into_iter()
        .flatten()
        .filter_map(char::from_u32)
        .collect();
        let prevs = ['\n', ' ', 'a', '7', 'の', '日', 'ー', '。', '鬱', '\u{20B9F}', '가', 'ｱ'];
        for &c in &probe {
            if let Some(u) = unigram_cost(c) {
                assert!(u.is_finite() && u >= 0.0, "{c:?} {u}");
                for &p in &prevs {
                    let b = bigram_cost(p, c).expect("covered class must have a bigram cost");
                    assert!(b.is_finite() && b >= 0.0, "{p:?} {c:?} {b}");
                }
            } else {
                assert!(bigram_cost('の', c).is_none());
            }
        }
        for cls in [Script::Han, Script::Hiragana, Script::Katakana, Script::CjkPunct, Script::Hangul] {
            assert!(floor(cls).is_some(), "{cls:?} not covered");
        }
    }
}
