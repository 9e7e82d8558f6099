//! Letter bigram costs for the alphabets, from the tables of `tools/gen_letters.py`.
//!
//! The tables in `letters/` are generated — do not edit them; regenerate with
//! `python3 tools/gen_letters.py`. Keys are lower-case letters; the previous character is a
//! letter, or `' '` at the start of a word.

const PAIRS: &[u8] = include_bytes!("letters/pairs.bin");
const PAIR_COST: &[u8] = include_bytes!("letters/pair_cost.bin");
const UNI: &[u8] = include_bytes!("letters/uni.bin");
const UNI_COST: &[u8] = include_bytes!("letters/uni_cost.bin");

const _: () = {
    assert!(PAIRS.len() == PAIR_COST.len() * 8);
    assert!(UNI.len() == UNI_COST.len() * 4);
};

fn pair_key(i: usize) -> u64 {
    let b = &PAIRS[i * 8..i * 8 + 8];
    u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]])
}

fn uni_key(i: usize) -> u32 {
    super::u32_at(UNI, i)
}

/// Binary search over `n` sorted keys read by `key`.
fn find<K: Ord>(n: usize, key: impl Fn(usize) -> K, wanted: K) -> Option<usize> {
    let (mut lo, mut hi) = (0, n);
    while lo < hi {
        let mid = (lo + hi) / 2;
        match key(mid).cmp(&wanted) {
            std::cmp::Ordering::Less => lo = mid + 1,
            std::cmp::Ordering::Greater => hi = mid,
            std::cmp::Ordering::Equal => return Some(mid),
        }
    }
    None
}

fn stored(prev: char, next: u32) -> Option<f32> {
    let key = (u64::from(u32::from(prev)) << 32) | u64::from(next);
    find(PAIR_COST.len(), pair_key, key).map(|i| f32::from(PAIR_COST[i]) / 8.0)
}

/// −ln P(`c` | `prev`) for lower-case letters (`prev` may be `' '`: start of a word), backed
/// off to the letter's own frequency; `None` for a letter the word lists never show. Where
/// the tables know how often a word ends after `prev` (the right-to-left scripts), the
/// back-off also pays for the word going on.
pub(crate) fn cost(prev: char, c: char) -> Option<f32> {
    if let Some(cost) = stored(prev, u32::from(c)) {
        return Some(cost);
    }
    let backoff = find(UNI_COST.len(), uni_key, u32::from(c)).map(|i| f32::from(UNI_COST[i]) / 8.0)?;
    Some(backoff + stored(prev, CONT_KEY).unwrap_or(0.0))
}

/// −ln P(the word ends | `prev`), for the letters whose rows the generator counts word ends
/// in (Arabic, Persian, Urdu, Hebrew: Hebrew's final forms and Arabic's ة end words, their
/// plain forms hardly ever); `None` for the others.
pub(crate) fn end_cost(prev: char) -> Option<f32> {
    stored(prev, END_KEY)
}

/// The generator's keys of a row's word end and of its going on (`END_KEY`, `CONT_KEY`):
/// a space and U+0001, which no letter pair uses.
const END_KEY: u32 = 0x20;
const CONT_KEY: u32 = 0x01;

/// Whether the word lists show `c` at all.
pub(crate) fn knows(c: char) -> bool {
    find(UNI_COST.len(), uni_key, u32::from(c)).is_some()
}

/// How much likelier (negative) or less likely (positive) `c` is right after `prev` than in
/// general, in nats, within ±[`MAX_ADJUSTMENT`]: the context alone, to be added to a
/// unigram cost kept on its own scale. `None` when the word lists never show `c`.
pub(crate) fn context_adjustment(prev: char, c: char) -> Option<f32> {
    let uni = find(UNI_COST.len(), uni_key, u32::from(c)).map(|i| f32::from(UNI_COST[i]) / 8.0)?;
    // The stored back-off cost is −ln((1 − λ)·P(c)); −ln P(c) is that less −ln(1 − λ).
    let unconditional = uni - BACKOFF_NATS;
    Some((cost(prev, c)? - unconditional).clamp(-MAX_ADJUSTMENT, MAX_ADJUSTMENT))
}

/// −ln(1 − λ) for the generator's λ = 0.9: ln 10.
const BACKOFF_NATS: f32 = std::f32::consts::LN_10;
/// Word lists count word types, not running text: trust the context only this far.
const MAX_ADJUSTMENT: f32 = 3.0;

#[cfg(test)]
mod tests {
    use super::cost;

    #[test]
    fn context_separates_what_a_unigram_cannot() {
        let c = |a, b| cost(a, b).unwrap();
        assert!(c('a', 'ß') < c('a', 'ü'), "Straße");
        assert!(c('i', 'ñ') < c('i', 'ù'), "niño");
        assert!(c('e', 'r') < c('e', 'q'));
        assert!(cost('a', '日').is_none());
    }
}
