//! The plausibility model: how likely a character is after the one before it.
//!
//! Costs are in nats (−ln P). The model factors as
//!
//! ```text
//! cost(prev, c) = class_transition(class(prev), class(c)) + within_class(prev, c)
//! ```
//!
//! The first factor is structural and hand-set below, each weight a named constant with its
//! reason; it is what tells `café` from `cafÃ©` and `サイボウズ` from `ã‚µã‚¤ãƒœã‚¦ã‚º`. The
//! second comes from the generated tables of [`data`] (a character bigram for CJK, unigrams
//! for the alphabets), with a structural fallback where the tables are silent. Both the
//! detector (is this run mojibake?) and the reconstructor (which character filled this hole?)
//! ask the same model, so a repair is made only when the repaired text is more plausible
//! than the text as it stands.

mod data;
mod letters;
mod lexicon;
pub(crate) mod script;
mod variants;
mod words;

use script::{Script, ALL_SCRIPTS, SCRIPT_COUNT};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;

/// Little-endian `u16` number `i` of a generated table.
#[inline]
fn u16_at(b: &[u8], i: usize) -> u16 {
    u16::from_le_bytes([b[2 * i], b[2 * i + 1]])
}

/// Little-endian `u32` number `i` of a generated table.
#[inline]
fn u32_at(b: &[u8], i: usize) -> u32 {
    u32::from_le_bytes([b[4 * i], b[4 * i + 1], b[4 * i + 2], b[4 * i + 3]])
}

/// The root of the word lexicon's trie.
pub(crate) const WORD_ROOT: u32 = lexicon::ROOT;

/// The trie node reached from `node` by `c`, if a lexicon word continues that way.
#[inline]
pub(crate) fn word_child(node: u32, c: char) -> Option<u32> {
    lexicon::child(node, c)
}

/// Weight of the word-segmentation cost against the character bigram in the search for
/// lost bytes: the bigram knows neighbours, the lexicon knows whole words. Measured on text
/// written for tuning (tools/tune/, Windows-1254 with undefined bytes and soft hyphens
/// dropped, 1,764 damaged characters): weight 0 (bigram alone) gets 84 wrong, 0.5 gets 49,
/// 1.0 gets 41, 1.5 to 3.0 get 42 to 44.
pub(crate) const SEGMENT_WEIGHT: f32 = 1.0;

/// Cost (in nats, before weighting) of a character that is not a one-character word: about
/// that of a rare word. Insensitive between 10 and 22 (±1 error on the tuning text).
const UNKNOWN_CHAR_COST: f32 = 14.0;

pub(crate) use lexicon::Language;
pub(crate) use words::{covers as words_cover, covers_caucasian as words_cover_caucasian, WordHash};

/// What a reading of a damaged word of an alphabet saves, in nats, when it spells a whole
/// word of the word lists ([`words`]). Bounded: a word the lists lack (a name, a rare
/// inflection) is still read by its letters when they are this much likelier than the
/// dictionary word's; it only decides between candidates the letters rate alike. Measured
/// on tests/corpus (undefined/1 CER, with the first table of 738k whole words): 2 nats
/// 0.01035, 4 nats 0.01005, 6 nats 0.01000, 9 nats 0.00998; flat from 4, the smallest bonus
/// that gains all but a few edits.
pub(crate) const DICTIONARY_WORD_BONUS: f32 = 4.0;

/// What a reading saves beyond [`DICTIONARY_WORD_BONUS`] when the word is one of the
/// model's own prose, in nats: the lists have no frequencies, and a damaged function word
/// (`я` or `с`, `этом` or `стом`) is often between two listed words. Measured on tests/corpus
/// (undefined/1 CER): 0.00961 without it, 0.00911 with 2 nats; no other value was tried.
const COMMON_WORD_BONUS: f32 = 2.0;

/// [`COMMON_WORD_BONUS`] for a word of the prose of Serbian, Macedonian, Bulgarian,
/// Belarusian or Mongolian, which share Cyrillic with Russian and Ukrainian: less than it, so
/// that a common word of theirs (`су`, `се`, `ја`) beats a reading the lists merely hold
/// (`ус`, `ше`, `ша`), but not a common Russian or Ukrainian word (`Он` against Belarusian
/// `Ён`). Measured (held-out undefined/1 wrong characters, all languages; tests/corpus
/// against the tables without these words): 1 nat 4,799 (from 4,922); 1.5 nats 4,746, every
/// tests/corpus family as good or better; 2 nats 4,707, but tests/corpus c1/1 4,593 -> 4,596
/// (Greek).
const ADDED_COMMON_WORD_BONUS: f32 = 1.5;

/// The bonus of a damaged word's reading spelled by `chars` (`prefixes[j]` the hash of
/// its first `j`), in nats: 0 for a word the lists do not know.
pub(crate) fn word_bonus(prefixes: &[WordHash], chars: &[char]) -> f32 {
    match words::known(prefixes, chars) {
        words::Known::Unknown => 0.0,
        words::Known::Listed => DICTIONARY_WORD_BONUS,
        words::Known::AddedCommon => DICTIONARY_WORD_BONUS + ADDED_COMMON_WORD_BONUS,
        words::Known::Common => DICTIONARY_WORD_BONUS + COMMON_WORD_BONUS,
    }
}

/// −ln P(word) of the lexicon word ending at `node`, if there is one.
#[inline]
pub(crate) fn word_cost(node: u32, language: Language) -> Option<f32> {
    lexicon::word_cost(node, language)
}

/// Weighted segmentation cost of `c` as a word of its own.
#[inline]
pub(crate) fn single_char_segment_cost(c: char, language: Language) -> f32 {
    SEGMENT_WEIGHT
        * lexicon::child(lexicon::ROOT, c).and_then(|n| lexicon::word_cost(n, language)).unwrap_or(UNKNOWN_CHAR_COST)
}

/// The context a text starts in: as if after a newline.
pub(crate) const START: char = '\n';

/// Cost of `c` right after `prev`.
#[inline]
pub(crate) fn cost(prev: char, c: char) -> f32 {
    let (a, b) = (Script::of(prev), Script::of(c));
    if let Some(cost) = around_non_joiner(prev, c, a, b) {
        return cost;
    }
    sum_of_terms(prev, c, a, b, within_class(prev, c, b), || data::class_shift(prev, b))
}

/// The zero-width non-joiner (U+200C) between the letters of Arabic script: Persian writes it
/// inside words (`می‌شود`, `کتابخانه‌ی`) to end a run of joined letters, some two
/// characters in a hundred of its text. Priced as the end of a word ([`word_end`]) and
/// [`NON_JOINER_AFTER_LETTER`]; the letter after it as after a space. Elsewhere it is left
/// to the classes (Other: rare).
#[inline]
fn around_non_joiner(prev: char, c: char, a: Script, b: Script) -> Option<f32> {
    if c == NON_JOINER && a == Script::Arabic {
        return Some(word_end(prev, c, a, b) + NON_JOINER_AFTER_LETTER);
    }
    if prev == NON_JOINER && b == Script::Arabic {
        return Some(cost(' ', c));
    }
    None
}

const NON_JOINER: char = '\u{200C}';
/// What a non-joiner after a letter costs beyond the end of the word it makes, in nats: a
/// little more than a space (its transition from a letter is 1.5, a space's unigram 0.3), so
/// that where a lost byte may be either (`E2 80 8C`, `E2 80 81`), the non-joiner beats the
/// rare spaces of U+2000–U+200A.
const NON_JOINER_AFTER_LETTER: f32 = 2.5;

/// −ln P(the word ends after `prev`) when `c` (of class `b`) ends the word `prev` (of class
/// `a`) is the last letter of, for the scripts whose letter tables know it (Arabic and
/// Hebrew: ة, and Hebrew's final forms ך ם ן ף ץ, end words; ת and their plain forms כ מ נ
/// פ צ hardly ever do); 0 elsewhere. A letter or vowel mark after a letter does not end its
/// word; anything else does, the punctuation and digits of the script's own block too
/// (`،`, `؟`, `٣`, maqaf).
#[inline]
fn word_end(prev: char, c: char, a: Script, b: Script) -> f32 {
    let inside = b == Script::Combining || (b == a && (c.is_alphabetic() || is_vowel_mark(c)));
    if !matches!(a, Script::Arabic | Script::Hebrew) || inside {
        return 0.0;
    }
    if is_vowel_mark(prev) {
        // The letter under the mark is not known here: a word ends after a letter of these
        // scripts about once in five.
        return END_AFTER_MARK;
    }
    letters::end_cost(prev).unwrap_or(0.0)
}

/// See [`word_end`]: −ln(1/5), the end of a word after a letter on average.
const END_AFTER_MARK: f32 = 1.6;

/// The terms of [`cost`] around the cost within `c`'s class, which [`cost`] and
/// [`cost_after`] find each their own way; `shift` is [`data::class_shift`] of `prev`,
/// asked only after a CJK character.
#[inline]
fn sum_of_terms(prev: char, c: char, a: Script, b: Script, within: f32, shift: impl FnOnce() -> f32) -> f32 {
    let mut cost = transition(a, b) + within + block_switch(prev, c, a, b) + word_end(prev, c, a, b);
    if a.is_cjk() {
        cost += shift();
    }
    if c == '\n' && matches!(prev, '、' | '，') {
        // Chinese and Japanese lines (and texts: START is a newline) end with a full stop or
        // another sentence mark, hardly ever with a comma.
        cost += LINE_END_AFTER_COMMA;
    }
    if prev == '\n' {
        // Lines (and texts: START is a newline) begin with capitals far more often than the
        // class transition from white space in general says.
        match b {
            Script::LatinUpper => cost -= LINE_START_CASE,
            Script::LatinLower => cost += LINE_START_CASE,
            _ => {}
        }
    }
    cost
}

/// Cost of a letter of one script right after a letter of another where the coarse classes
/// lump the two scripts together (the Indic blocks, and Armenian, Georgian, Myanmar, Ethiopic
/// and the other scripts of [`Script::Other`]), in nats. Words do not switch scripts, but
/// the candidates for a lost byte do: `ა` (E1 83 90) through Windows-1252 loses its last
/// byte, and E1 83 plus a byte reads as Georgian while E1 plus a byte plus 83 reads as
/// Myanmar (`၃`). The tables know little of these scripts; their blocks say which one the
/// text is in.
const BLOCK_SWITCH: f32 = 6.0;

/// The script block of a letter or mark of the [`Script::Indic`] and [`Script::Other`]
/// classes, as the first code point of its block, or `None` for what is not a letter or
/// mark (symbols, digits of other scripts, punctuation), which may sit next to anything.
fn letter_block(c: char) -> Option<u32> {
    let u = c as u32;
    let block = match u {
        // The Indic blocks are 128 code points each, Devanagari to Sinhala.
        0x900..=0xDFF => u & !0x7F,
        0x1C90..=0x1CBF | 0x2D00..=0x2D2F => 0x10A0, // Georgian Mtavruli and Nuskhuri
        0x10A0..=0x10FF => 0x10A0,
        0x1000..=0x109F => 0x1000,                                     // Myanmar
        0x1200..=0x139F | 0x2D80..=0x2DDF | 0xAB00..=0xAB2F => 0x1200, // Ethiopic
        0x530..=0x58F | 0xFB13..=0xFB17 => 0x530,                      // Armenian
        _ => u & !0x7F,
    };
    (c.is_alphabetic() || is_mark(c)).then_some(block)
}

/// Cost of a letter after a letter of its own script in [`Script::Other`], where the
/// tables know neither: about one letter in 40, as in a small alphabet with no letter
/// favoured.
const SAME_BLOCK_LETTER: f32 = 3.7;

/// `c` moved to the same offset of the Devanagari block if it is in one of the blocks that
/// share Devanagari's layout (Bengali to Malayalam); Devanagari itself as it is; `None` for
/// everything else, Sinhala included (its layout is its own).
fn as_devanagari(c: char) -> Option<char> {
    let u = c as u32;
    match u {
        0x900..=0x97F => Some(c),
        0x980..=0xD7F => char::from_u32(0x900 | (u & 0x7F)),
        _ => None,
    }
}

/// The cost of the combining mark `c` after `prev`, within its class. Decomposed text (from
/// macOS file names, say) is real, and misread it is real mojibake (`eÌ` for e U+0301):
/// there the mark composes with the letter before it, and the pair is as likely as the
/// letter they compose, so the mark costs at least what that letter costs beyond its base
/// (`t` U+0323 is `ṭ`, a rare letter; `e` U+0301 is `é`, a common one). A mark on a letter
/// it has no composed form with is rare: the common diacritics still occur so (Russian
/// stress marks, `а́`; Yoruba `ẹ́`); the rest (U+030E double vertical line above, U+031A left
/// angle above, U+0338 long solidus overlay) are for phonetics and mathematics, almost
/// never in running text. Without these costs, wrong guesses in a lossy repair (Slovak
/// `stáť` through Windows-1257 as `stÌš`) read through one more layer as a letter and a
/// mark (`t` U+0328) looked cheaper than the right letters.
#[inline]
fn mark_cost(prev: char, c: char) -> f32 {
    let unigram = |x: char| data::unigram_cost(x).unwrap_or_else(|| default_unigram(x, Script::of(x)));
    let own = unigram(c);
    if !is_alphabet(Script::of(prev)) {
        return own;
    }
    if let Some(composed) = unicode_normalization::char::compose(prev, c) {
        return own.max(unigram(composed) - unigram(prev));
    }
    let rarity = if matches!(c as u32, 0x300..=0x308 | 0x30A..=0x30C | 0x323 | 0x327 | 0x328 | 0x331) {
        UNCOMPOSED_COMMON_MARK
    } else {
        UNCOMPOSED_RARE_MARK
    };
    own + rarity
}

/// See [`mark_cost`].
const UNCOMPOSED_COMMON_MARK: f32 = 2.0;
const UNCOMPOSED_RARE_MARK: f32 = 6.0;

/// Letters (and vowel signs) of the alphabets of [`Script::Other`] that living languages
/// write running text in: Armenian, Georgian (Mkhedruli and its Mtavruli capitals),
/// Myanmar, Ethiopic, Khmer, Tibetan.
fn is_alphabet_block(c: char) -> bool {
    matches!(c as u32, 0x531..=0x587 | 0x10A0..=0x10FF | 0x1C90..=0x1CBF | 0x1000..=0x109F | 0x1200..=0x139F
        | 0x1780..=0x17FF | 0xF00..=0xFFF)
        && (c.is_alphabetic() || is_mark(c))
}

/// Letters of the alphabets of [`Script::Other`] that the letter tables know: Georgian
/// (Mkhedruli, and its Mtavruli capitals looked up as their small letters) and Armenian,
/// from their word lists and our prose (tools/gen_letters.py).
fn has_letter_tables(c: char) -> bool {
    matches!(c as u32, 0x531..=0x556 | 0x561..=0x587 | 0x10D0..=0x10FF | 0x1C90..=0x1CBF)
}

/// The cost of a Georgian or Armenian letter from the letter tables: which letter follows
/// which inside a word, and which letters start words after anything else. The other
/// alphabets of the class have no statistics and keep [`SAME_BLOCK_LETTER`]: a Georgian
/// word whose letters lost a byte each (E1 83 xx through Windows-1250) reads as Myanmar
/// (E1 81 xx) or Ethiopic too, and only what the tables know of Georgian words tells them
/// apart, letter by letter, without a rule that favours the script. `None` for what the
/// tables do not know.
#[inline]
fn tabled_alphabet_cost(prev: char, c: char) -> Option<f32> {
    if !has_letter_tables(c) {
        return None;
    }
    let lower = to_lower(c);
    let inside = has_letter_tables(prev) && letter_block(prev) == letter_block(c);
    let mut cost = letters::cost(if inside { to_lower(prev) } else { ' ' }, lower)?;
    if !inside {
        // A word's first letter: the tables' word-start row says which letters start words,
        // but it pools every language of the word lists; kept near the class's flat prior,
        // so that a Georgian reading starts hardly more easily than one of the scripts the
        // tables do not know (see TABLED_WORD_START_MARGIN).
        cost = cost.max(default_unigram(c, Script::Other) - TABLED_WORD_START_MARGIN);
    }
    let case = if lower == c { 0.0 } else { TABLED_CAPITAL };
    let flip = if inside && prev.is_lowercase() && c.is_uppercase() { LOWER_TO_UPPER } else { 0.0 };
    Some(cost + case + flip)
}

/// How much cheaper than the flat prior of [`Script::Other`] a Georgian or Armenian letter
/// may start a word, in nats. Without a bound (the pooled word-start row, 5.4 to 7 nats for
/// the common Georgian letters) the Georgian candidates of a Vietnamese letter that lost a
/// byte win more often (tests/corpus c1/2: 11,017 -> 11,025 wrong characters, all in `vi`);
/// with none (8 nats, no cheaper than Ethiopic) the held-out Georgian through Windows-1257
/// twice reads as Ethiopic again (held-out undefined/2 CER 0.0166 -> 0.0198). One nat keeps
/// both: 11,017 and 0.0166.
const TABLED_WORD_START_MARGIN: f32 = 1.0;

/// What a capital costs beyond its small letter in [`tabled_alphabet_cost`], in nats:
/// Armenian capitalises sentences and names, about one letter in 30; Georgian's Mtavruli
/// are for headings written all in capitals.
const TABLED_CAPITAL: f32 = 2.5;

/// Nonspacing and spacing combining marks, for the blocks above (vowel signs and viramas).
fn is_mark(c: char) -> bool {
    let u = c as u32;
    // The dependent vowel signs, viramas and other marks of the Indic blocks sit at offsets
    // 0x00–0x03 and 0x3C–0x57, 0x62–0x63 of each 128-point block; elsewhere
    // `char::is_alphabetic` already covers the letters of these scripts and their vowel signs
    // (Other_Alphabetic), which is what matters here.
    matches!(u, 0x900..=0xDFF) && matches!(u & 0x7F, 0x00..=0x03 | 0x3C..=0x57 | 0x62..=0x63)
}

/// [`BLOCK_SWITCH`] where `prev` (of class `a`) and `c` (of class `b`) are letters of two
/// blocks of one coarse class, else nothing.
#[inline]
fn block_switch(prev: char, c: char, a: Script, b: Script) -> f32 {
    if a == b && matches!(b, Script::Indic | Script::Other) {
        if let (Some(x), Some(y)) = (letter_block(prev), letter_block(c)) {
            if x != y {
                return BLOCK_SWITCH;
            }
        }
    }
    0.0
}

/// A character as the one before others: what [`cost`] reads of `prev`, read once.
#[derive(Debug, Clone, Copy)]
pub(crate) struct After {
    prev: char,
    class: Script,
    row: data::PrevRow,
    /// `prev`'s simplified form and its row, for [`via_simplified`].
    simplified: char,
    simplified_row: data::PrevRow,
}

impl After {
    pub(crate) fn new(prev: char) -> After {
        let simplified = variants::simplified(prev);
        let row = data::PrevRow::of(prev);
        let simplified_row = if simplified == prev { row } else { data::PrevRow::of(simplified) };
        After { prev, class: Script::of(prev), row, simplified, simplified_row }
    }
}

/// [`via_simplified`] after a prepared `prev`: `bigram_cost(sp, sc)` is
/// `bigram_cost_after(PrevRow::of(sp), sc)`.
#[inline]
fn via_simplified_after(after: &After, c: char, cost: f32) -> f32 {
    let sc = variants::simplified(c);
    if after.simplified == after.prev && sc == c {
        return cost;
    }
    match data::bigram_cost_after(after.simplified_row, sc) {
        Some(alt) => cost.min(alt + TRADITIONAL_COST),
        None => cost,
    }
}

/// [`cost`]`(after.prev, c)`, the same sum of the same terms: only what depends on `prev`
/// alone is read beforehand (its class, its bigram row, its class-shift row).
pub(crate) fn cost_after(after: &After, c: char) -> f32 {
    let prev = after.prev;
    let (a, b) = (after.class, Script::of(c));
    if let Some(cost) = around_non_joiner(prev, c, a, b) {
        return cost;
    }
    let within = if b != Script::Hangul && b.is_cjk() {
        match data::bigram_cost_after(after.row, c) {
            Some(cost) if b == Script::Han => via_simplified_after(after, c, cost),
            Some(cost) => cost,
            None => within_class(prev, c, b),
        }
    } else {
        within_class(prev, c, b)
    };
    sum_of_terms(prev, c, a, b, within, || data::class_shift_after(after.row, b))
}

/// How much less likely a CJK comma is than a full stop at the end of a line, in nats.
const LINE_END_AFTER_COMMA: f32 = 3.0;

/// How much likelier a capital is than a small letter at the start of a line, in nats.
const LINE_START_CASE: f32 = 1.0;

/// Cost of a whole string after `prev` and before `next`.
pub(crate) fn cost_of_str(prev: char, s: &str, next: char) -> f32 {
    let alphabet = MojibakeAlphabet::get();
    let mut total = 0.0;
    let mut p = prev;
    for c in s.chars() {
        total += alphabet.cost(p, c);
        p = c;
    }
    total + alphabet.cost(p, next)
}

/// The characters single-byte mojibake is made of, U+0000–U+00FF and the 27 characters
/// above U+00FF that Windows-1252 decodes 0x80–0x9F to (`€ ‚ ƒ … ™ Œ Ÿ`), and the
/// [`cost`] of each pair of them, remembered ([`MojibakeAlphabet::cost`]).
struct MojibakeAlphabet {
    /// The index of each character below U+2123 (™ is the last) in the alphabet, or
    /// `u16::MAX`.
    index: Vec<u16>,
    /// How many characters the alphabet has.
    size: usize,
    /// The cost of each pair by index (`f32` bits, 0 until priced).
    costs: Vec<AtomicU32>,
}

impl MojibakeAlphabet {
    fn get() -> &'static MojibakeAlphabet {
        static ALPHABET: OnceLock<MojibakeAlphabet> = OnceLock::new();
        ALPHABET.get_or_init(|| {
            let mut above_latin1: Vec<char> = (0x80..=0x9F)
                .map(|b| crate::CodePage::Windows1252.decode_byte(b))
                .filter(|&c| u32::from(c) > 0xFF)
                .collect();
            above_latin1.sort_unstable();
            let mut index: Vec<u16> = (0..0x2123).map(|u| if u < 0x100 { u } else { u16::MAX }).collect();
            for (k, &c) in above_latin1.iter().enumerate() {
                index[c as usize] = (0x100 + k) as u16;
            }
            let size = 0x100 + above_latin1.len();
            let costs = (0..size * size).map(|_| AtomicU32::new(0)).collect();
            MojibakeAlphabet { index, size, costs }
        })
    }

    /// [`cost`] of `c` after `prev`, remembered where both are in the alphabet.
    ///
    /// Detection prices every run as it stands (the keep cost), and a run of Japanese
    /// mojibake is a sentence of a few hundred of these characters whose pairs recur: a
    /// lookup instead of a few hundred instructions. Exact: [`cost`] is a function of the
    /// two characters alone (it reads only static tables), and the table holds the very
    /// `f32` it returned. Entries are filled as they are first asked for, by any thread (a
    /// race stores the same bits twice); 0 marks an entry not priced yet, so a pair whose
    /// cost is +0.0 is simply priced each time.
    #[inline]
    fn cost(&self, prev: char, c: char) -> f32 {
        let (Some(i), Some(j)) = (self.index_of(prev), self.index_of(c)) else {
            return cost(prev, c);
        };
        let entry = &self.costs[i * self.size + j];
        let bits = entry.load(Ordering::Relaxed);
        if bits != 0 {
            return f32::from_bits(bits);
        }
        let priced = cost(prev, c);
        entry.store(priced.to_bits(), Ordering::Relaxed);
        priced
    }

    /// The index of `c` in the alphabet, if it is in it.
    #[inline]
    fn index_of(&self, c: char) -> Option<usize> {
        let k = *self.index.get(c as usize)?;
        (k != u16::MAX).then_some(usize::from(k))
    }
}

// Always inlined: `cost` is the model's hot path, and `cost_after` calls it too.
#[inline(always)]
fn within_class(prev: char, c: char, class: Script) -> f32 {
    if class == Script::Combining {
        return mark_cost(prev, c);
    }
    if class == Script::Hangul {
        // The tables hold a unigram for Hangul only; the syllable pairs of Korean words come
        // from the letter tables, as a context adjustment inside words.
        let unigram = data::unigram_cost(c).unwrap_or_else(|| default_unigram(c, class));
        if Script::of(prev) == Script::Hangul {
            if let Some(adjustment) = letters::context_adjustment(prev, c) {
                return (unigram + adjustment).max(0.0);
            }
        }
        return unigram;
    }
    if class.is_cjk() {
        if let Some(cost) = data::bigram_cost(prev, c) {
            if class == Script::Han {
                return via_simplified(prev, c, cost);
            }
            return cost;
        }
    }
    if class == Script::Indic {
        // Devanagari itself (the common case) is out at the range check, before the search.
        if let Some(x) = as_devanagari(c).filter(|&x| x != c && !letters::knows(c)) {
            // Bengali to Malayalam share Devanagari's layout (ISCII's): the same offset in
            // each block is the same letter or sign (U+094D, U+09CD, U+0BCD are the
            // viramas). The tables know Devanagari from Hindi text; its letter statistics
            // stand in for the sister scripts they have no word list for (Gujarati, Gurmukhi,
            // Oriya, Telugu, Kannada, Malayalam; Bengali and Tamil have their own), where the
            // uniform prior cannot tell the virama, one of the commonest signs, from a rare
            // vowel sign.
            // Measured on our held-out Bengali and Tamil through Windows-1252 with undefined
            // bytes dropped: 103 and 418 wrong before, 38 and 262 with it; the folded
            // unigram alone (no context) gains nothing: the context is what says virama.
            return within_class(as_devanagari(prev).unwrap_or(prev), x, class);
        }
    }
    if class == Script::Other {
        if let Some(cost) = tabled_alphabet_cost(prev, c) {
            return cost;
        }
    }
    let unigram = data::unigram_cost(c).unwrap_or_else(|| default_unigram(c, class));
    if class == Script::Other && is_alphabet_block(c) && letter_block(prev) == letter_block(c) {
        // A letter after a letter of its own alphabet (Armenian, Georgian, Ethiopic, Myanmar,
        // Khmer, Tibetan): the unigram spreads the class over every script in it, but inside
        // a word the script is known, and the choice is among its few dozen letters. A small
        // letter before a capital is a case flip there as in Latin (Georgian `ა` or the
        // capital `Ⴡ` for a lost byte). Only these alphabets of living languages: runs of
        // Bopomofo, Canadian syllabics or runes are what double-byte mojibake candidates
        // spell, and must stay dear.
        let flip = if prev.is_lowercase() && c.is_uppercase() { LOWER_TO_UPPER } else { 0.0 };
        return unigram.min(SAME_BLOCK_LETTER) + flip;
    }
    if matches!(class, Script::Thai | Script::Arabic | Script::Hebrew | Script::Indic) {
        // CLDR's exemplars give these scripts a flat unigram, far from running text (ก, ม,
        // the tone mark ่ are everywhere in Thai; ي و ل in Arabic; י ו ה in Hebrew): the
        // letter tables, from the scripts' word lists (for Hebrew, text written for them),
        // know both the letter's frequency and which letter follows which. A word starts after anything that is not of the script.
        if is_vowel_mark(c) {
            // The word lists are unvocalised, and so is most Arabic and Hebrew text: CLDR
            // lists the harakat among the exemplars, but they are far rarer than letters.
            return VOWEL_MARK_COST;
        }
        if matches!(c, '\u{60C}' | '\u{61B}' | '\u{61F}' | '\u{6D4}') {
            // The comma, semicolon, question mark and (Urdu's) full stop of Arabic script: as
            // common after its words as ASCII punctuation is (CLDR has them among no
            // language's letters, so the tables price them as rare letters).
            return ARABIC_PUNCTUATION_COST;
        }
        // A letter after a mark is looked up as if it started a word.
        let context = if Script::of(prev) == class && !is_vowel_mark(prev) { prev } else { ' ' };
        if let Some(cost) = letters::cost(context, c) {
            return cost;
        }
    }
    if class == Script::Cyrillic {
        // As for Thai: the word lists know how common each letter is, CLDR's exemplars do
        // not (с, я and ю differ only in a byte Windows-1254 drops). The tables are lower
        // case; a capital costs what the unigram says capitals cost beyond their small letter.
        // Not for Greek: measured, it gains on one-layer Greek (1.8% -> 1.4% CER) but its
        // real-text letter frequencies lose a two-layer repair whose holes must be filled with
        // the Greek letters of Latin mojibake (Γ£, Γ§), which CLDR's flat prior fills better.
        // Inside words only: the tables' word-start row and unigram are shared by all the
        // languages of the word lists, which makes a Cyrillic word start some 3 nats dearer
        // than the unigram below says, and then `и` loses to its Greek mojibake `ΠΈ`.
        let lower = to_lower(c);
        if let Some(cost) = letters::cost(to_lower(prev), lower).filter(|_| Script::of(prev) == class) {
            let unigram = |x: char| data::unigram_cost(x).unwrap_or_else(|| default_unigram(x, class));
            let case = if lower == c { 0.0 } else { (unigram(c) - unigram(lower)).max(0.0) };
            return cost + case;
        }
    }
    if matches!(class, Script::LatinUpper | Script::LatinLower | Script::Cyrillic | Script::Greek | Script::Indic)
        && !c.is_ascii()
    {
        // Which letter follows which, for the accented and Cyrillic letters repairs choose
        // between (ß or ü after `a`): the letter's unigram, moved by how much likelier it is
        // in this context than in general. ASCII letters keep their unigram alone.
        // Inside words only: word lists say little about how running text starts words.
        let prev_class = Script::of(prev);
        if prev_class == class || (prev_class.is_latin_letter() && class.is_latin_letter()) {
            if let Some(adjustment) = letters::context_adjustment(to_lower(prev), to_lower(c)) {
                return (unigram + adjustment).max(0.0);
            }
        }
    }
    unigram
}

/// The cost of the Han character `c` after `prev`, or of their simplified forms plus
/// [`TRADITIONAL_COST`] where that is lower: the tables know Chinese from Simplified Chinese
/// words, and Traditional Chinese (這們會) would otherwise be priced as rare characters.
#[inline]
fn via_simplified(prev: char, c: char, cost: f32) -> f32 {
    let (sp, sc) = (variants::simplified(prev), variants::simplified(c));
    if sp == prev && sc == c {
        return cost;
    }
    match data::bigram_cost(sp, sc) {
        Some(alt) => cost.min(alt + TRADITIONAL_COST),
        None => cost,
    }
}

/// How much rarer a Traditional Chinese bigram is taken to be than its simplified spelling,
/// in nats: Traditional Chinese is the smaller share of Chinese text.
const TRADITIONAL_COST: f32 = 1.0;

/// Cost of the Arabic script's punctuation after a letter of it: that of ASCII punctuation
/// ([`default_unigram`]).
const ARABIC_PUNCTUATION_COST: f32 = 3.0;

/// Cost of an Arabic or Hebrew vowel mark (harakat, shadda, niqqud, the shin dot): rare in
/// the unvocalised text of the web and news, about one character in a thousand; letters
/// cost 2–5 nats.
const VOWEL_MARK_COST: f32 = 7.0;

/// The Arabic harakat and other marks written above or below letters (U+064B–U+065F, the
/// superscript alef U+0670), and the Hebrew points and cantillation marks (U+0591–U+05C7
/// less the punctuation among them: maqaf, paseq, sof pasuq, nun hafukha).
fn is_vowel_mark(c: char) -> bool {
    matches!(c, '\u{64B}'..='\u{65F}' | '\u{670}' | '\u{591}'..='\u{5C7}')
        && !matches!(c, '\u{5BE}' | '\u{5C0}' | '\u{5C3}' | '\u{5C6}')
}

fn to_lower(c: char) -> char {
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

/// Unigram costs for characters the tables do not cover: the size of the class and how
/// common its members are in text, coarsely.
fn default_unigram(c: char, class: Script) -> f32 {
    let u = c as u32;
    match class {
        Script::Space => {
            if c == ' ' || c == '\n' {
                0.3
            } else {
                // NBSP, ideographic space, thin spaces: legitimate but far rarer.
                2.5
            }
        }
        Script::Digit => 2.3,
        Script::AsciiPunct => 3.0,
        Script::LatinUpper | Script::LatinLower => match u {
            0..=0x7F => 3.3,
            0x80..=0xFF => 6.0,
            0x100..=0x17F => 7.0,
            _ => 8.5,
        },
        Script::LatinSymbol => match c {
            // Typographic punctuation that clean text uses all the time.
            '\u{2019}' | '\u{201C}' | '\u{201D}' | '\u{2013}' | '\u{2014}' | '\u{2026}' | '\u{2018}' | '•' | '€' => {
                2.5
            }
            '«' | '»' | '°' | '©' | '®' | '±' | '×' | '·' | '²' | '³' | '½' | '¼' | '§' | 'µ' | '¡' | '¿' | '™'
            | '£' | '¥' | '÷' | '¶' => 4.5,
            _ => 7.0,
        },
        Script::Cyrillic | Script::Greek | Script::Hebrew | Script::Arabic | Script::Thai | Script::Indic => 3.8,
        Script::Hangul => {
            if (0xAC00..=0xD7A3).contains(&u) {
                8.0
            } else {
                11.0
            }
        }
        Script::Hiragana => 3.5,
        Script::Katakana => 4.0,
        Script::Han => 8.0,
        Script::CjkPunct => 4.0,
        Script::Emoji => 7.0,
        Script::Combining => 4.0,
        Script::Control => 2.0,
        Script::Other => 8.0,
    }
}

// Class transition weights, in nats. The absolute level matters less than the contrasts:
// a letter followed by a letter of the same script is cheap; a letter run broken by a
// symbol, a case flip or a jump between scripts is what mojibake looks like.

/// Letters continue letters of the same script.
const SAME_SCRIPT_LETTER: f32 = 0.3;
/// An upper-case letter after a lower-case one (camelCase, `cafÃ©`) is rare inside words.
/// The class unigrams are per case, and the upper-case class is small, so its letters are
/// cheap within it: this transition has to carry the rarity of capitals in mid-word
/// (`podkreŽlił` must lose to `podkreślił`).
const LOWER_TO_UPPER: f32 = 5.0;
/// Upper after upper (acronyms, all-caps words) is common but less than lower after upper.
const UPPER_TO_UPPER: f32 = 1.2;
const UPPER_TO_LOWER: f32 = 0.6;
/// A letter of one alphabet straight after a letter of another: almost only in mojibake.
const SCRIPT_JUMP: f32 = 8.0;
/// A Latin-1/typographic symbol inside a word (`Ã©`, `â€`): the signature of Latin mojibake.
/// Moderate, because `’` inside English words is legitimate; the within-class unigram
/// separates `’` from `‚`.
const LETTER_TO_SYMBOL: f32 = 3.0;
const SYMBOL_TO_LETTER: f32 = 3.5;
/// Latin-1 symbols inside Cyrillic, Greek or CJK words (`в€’`, `Ð¸`) are rarer still: those
/// scripts have their own punctuation habits.
const OTHER_LETTER_TO_SYMBOL: f32 = 5.0;
const SYMBOL_TO_SYMBOL: f32 = 4.5;
/// Nothing legitimate puts a C1 control, a private-use or noncharacter in text.
const TO_CONTROL: f32 = 14.0;
/// Japanese and Chinese switch between kana, Han and CJK punctuation constantly.
const CJK_TO_CJK: f32 = 1.0;
/// Hangul mixed with kana inside a run is mojibake, not Korean or Japanese.
const HANGUL_KANA: f32 = 9.0;
/// Latin words inside Japanese text are common (`APIを`, `Neco チーム`).
const LATIN_CJK: f32 = 4.0;
/// An alphabet other than Latin straight against CJK: rare.
const ALPHABET_CJK: f32 = 7.0;
/// Around white space, digits and ASCII punctuation any script is at home.
const NEUTRAL: f32 = 1.5;
const EMOJI_IN: f32 = 4.0;
const EMOJI_OUT: f32 = 2.0;
/// Combining marks follow letters; after anything else they are debris.
const COMBINING_AFTER_LETTER: f32 = 3.0;
const COMBINING_ELSEWHERE: f32 = 9.0;
const TO_OTHER: f32 = 6.0;
const FROM_OTHER: f32 = 3.0;
const OTHER_TO_OTHER: f32 = 1.5;

fn transition(a: Script, b: Script) -> f32 {
    TRANSITIONS[a as usize][b as usize]
}

static TRANSITIONS: [[f32; SCRIPT_COUNT]; SCRIPT_COUNT] = build_transitions();

const fn build_transitions() -> [[f32; SCRIPT_COUNT]; SCRIPT_COUNT] {
    let mut t = [[0.0f32; SCRIPT_COUNT]; SCRIPT_COUNT];
    let mut i = 0;
    while i < SCRIPT_COUNT {
        let mut j = 0;
        while j < SCRIPT_COUNT {
            t[i][j] = transition_rule(ALL_SCRIPTS[i], ALL_SCRIPTS[j]);
            j += 1;
        }
        i += 1;
    }
    t
}

const fn is_alphabet(s: Script) -> bool {
    matches!(
        s,
        Script::LatinUpper
            | Script::LatinLower
            | Script::Cyrillic
            | Script::Greek
            | Script::Hebrew
            | Script::Arabic
            | Script::Indic
            | Script::Thai
    )
}

const fn is_latin(s: Script) -> bool {
    matches!(s, Script::LatinUpper | Script::LatinLower)
}

const fn is_cjk(s: Script) -> bool {
    matches!(s, Script::Hiragana | Script::Katakana | Script::Han | Script::CjkPunct | Script::Hangul)
}

const fn is_neutral(s: Script) -> bool {
    matches!(s, Script::Space | Script::Digit | Script::AsciiPunct)
}

const fn transition_rule(a: Script, b: Script) -> f32 {
    use Script::*;
    if matches!(b, Control) {
        return TO_CONTROL;
    }
    if matches!(a, Control) {
        return NEUTRAL;
    }
    if matches!(b, Combining) {
        return if is_alphabet(a) || is_cjk(a) { COMBINING_AFTER_LETTER } else { COMBINING_ELSEWHERE };
    }
    if matches!(a, Combining) {
        return if is_alphabet(b) { 1.0 } else { NEUTRAL };
    }
    if matches!(b, Other) {
        // Runs of arrows, box drawing, math: one such symbol makes the next likely.
        return if matches!(a, Other) { OTHER_TO_OTHER } else { TO_OTHER };
    }
    if matches!(a, Other) {
        return FROM_OTHER;
    }
    if matches!(b, Emoji) {
        return if matches!(a, Emoji) { 1.5 } else { EMOJI_IN };
    }
    if matches!(a, Emoji) {
        return EMOJI_OUT;
    }
    // Both are now letters, CJK, symbols or neutral.
    if is_neutral(a) && is_neutral(b) {
        return match (a, b) {
            (Digit, Digit) => 0.5,
            (Space, Space) => 2.0,
            (AsciiPunct, AsciiPunct) => 2.0,
            _ => NEUTRAL,
        };
    }
    if is_neutral(a) || is_neutral(b) {
        let other = if is_neutral(a) { b } else { a };
        return match other {
            LatinSymbol => 2.5,
            _ if is_cjk(other) => 2.0,
            _ => NEUTRAL,
        };
    }
    if matches!(a, LatinSymbol) && matches!(b, LatinSymbol) {
        return SYMBOL_TO_SYMBOL;
    }
    if matches!(b, LatinSymbol) {
        return if is_cjk(a) || !is_latin(a) { OTHER_LETTER_TO_SYMBOL } else { LETTER_TO_SYMBOL };
    }
    if matches!(a, LatinSymbol) {
        return if is_cjk(b) { 5.0 } else { SYMBOL_TO_LETTER };
    }
    if is_latin(a) && is_latin(b) {
        return match (a, b) {
            (LatinLower, LatinLower) => SAME_SCRIPT_LETTER,
            (LatinLower, LatinUpper) => LOWER_TO_UPPER,
            (LatinUpper, LatinUpper) => UPPER_TO_UPPER,
            _ => UPPER_TO_LOWER,
        };
    }
    if is_cjk(a) && is_cjk(b) {
        if (matches!(a, Hangul) && matches!(b, Hiragana | Katakana))
            || (matches!(b, Hangul) && matches!(a, Hiragana | Katakana))
        {
            return HANGUL_KANA;
        }
        if matches!(a, Hangul) && matches!(b, Hangul) {
            return SAME_SCRIPT_LETTER;
        }
        if matches!(a, Hangul) || matches!(b, Hangul) {
            return 3.0;
        }
        return CJK_TO_CJK;
    }
    if is_cjk(a) || is_cjk(b) {
        let other = if is_cjk(a) { b } else { a };
        return if is_latin(other) { LATIN_CJK } else { ALPHABET_CJK };
    }
    // Two alphabet letters.
    if a as u8 == b as u8 {
        return SAME_SCRIPT_LETTER;
    }
    SCRIPT_JUMP
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The remembered costs are the model's, bit for bit, asked for the first time and again,
    /// for every pair of the alphabet and for pairs with characters outside it.
    #[test]
    fn remembered_costs_are_the_models() {
        let alphabet = MojibakeAlphabet::get();
        let mut above_latin1: Vec<char> =
            (0x80..=0x9F).map(|b| crate::CodePage::Windows1252.decode_byte(b)).filter(|&c| c as u32 > 0xFF).collect();
        above_latin1.sort_unstable();
        let chars: Vec<char> = (0..=0xFFu8).map(char::from).chain(above_latin1).collect();
        assert_eq!((chars.len(), alphabet.size), (0x100 + 27, 0x100 + 27));
        for u in 0..0x11_0000 {
            let Some(c) = char::from_u32(u) else { continue };
            assert_eq!(alphabet.index_of(c), chars.iter().position(|&x| x == c), "{c:?}");
        }
        let outside = ['日', 'ア', 'Я', '😀', '\u{2015}', 'Ā', '\u{2123}'];
        for round in 0..2 {
            for &a in chars.iter().chain(&outside) {
                for &b in chars.iter().chain(&outside) {
                    assert_eq!(alphabet.cost(a, b).to_bits(), cost(a, b).to_bits(), "{a:?} {b:?} round {round}");
                }
            }
        }
    }

    /// The cost after a prepared predecessor is the cost, bit for bit, for characters of
    /// every class (CJK ones the tables list and do not, traditional Han, Hangul, letters,
    /// digits, the line starts and ends with their rules).
    #[test]
    fn cost_after_a_prepared_character_is_the_cost() {
        let mut chars: Vec<char> =
            "\n 、，。「」の本日語國這們ーアィ한국어aZé9Ãã©€\u{81}\u{AD}Жж☺😀\u{301}\u{328}\u{30E}مةفی،\u{200C}\u{64E}םאל".chars().collect();
        chars.extend(('\u{3040}'..='\u{30FF}').step_by(7));
        chars.extend(('\u{4E00}'..='\u{9FFF}').step_by(331));
        chars.extend(('\u{AC00}'..='\u{D7A3}').step_by(997));
        for &a in &chars {
            let after = After::new(a);
            for &b in &chars {
                assert_eq!(cost_after(&after, b).to_bits(), cost(a, b).to_bits(), "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn mojibake_costs_more_than_its_repair() {
        let pairs = [
            ("cafÃ©", "café"),
            ("ã‚µã‚¤ãƒœã‚¦ã‚º", "サイボウズ"),
            ("ÐŸÑ€Ð¸Ð²ÐµÑ‚", "Привет"),
            ("РџСЂРёРІРµС‚", "Привет"),
            ("â€™", "\u{2019}"),
        ];
        for (broken, fixed) in pairs {
            let b = cost_of_str(' ', broken, ' ');
            let f = cost_of_str(' ', fixed, ' ');
            assert!(f + 5.0 < b, "{broken}: {b} vs {fixed}: {f}");
        }
    }

    #[test]
    fn a_mark_costs_what_it_adds_to_its_letter() {
        // Composing: as dear as the letter made beyond its base; `é` is common, `ṭ` is not.
        assert!(cost('e', '\u{301}') + 1.0 < cost('t', '\u{323}'));
        // Not composing: dearer than composing, the rare marks dearest.
        assert!(cost('a', '\u{328}') < cost('t', '\u{328}'));
        assert!(cost('t', '\u{328}') < cost('t', '\u{30E}'));
        // Russian stress marks stay within reach of a letter.
        assert!(cost('о', '\u{301}') < cost('о', '\u{30E}'));
    }
}
