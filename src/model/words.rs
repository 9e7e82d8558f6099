//! Whole words of the alphabets written outside ASCII (Cyrillic, Greek, Arabic, Hebrew,
//! Devanagari, Bengali; Georgian and Armenian in a table of their own), from the tables of
//! `tools/gen_words.py`.
//!
//! The tables in `words/` are generated — do not edit them; regenerate with
//! `python3 tools/gen_words.py`. They are a hashed set of stems and endings: a word is
//! listed when it is a listed stem followed by a listed ending (the forms of a stem share
//! one entry). Stored are 16-bit fingerprints of the keys' 64-bit FNV-1a hashes, in buckets
//! (see the generator's docstring for the layout): a key outside the set is taken for one in
//! it about once in 4,000 lookups.

const OFFSETS: &[u8] = include_bytes!("words/offsets.bin");
const FPS: &[u8] = include_bytes!("words/fps.bin");

/// Georgian and Armenian words, in a set of their own (the same layout): added to the set
/// above, they would have moved every other word's fingerprint to another bucket.
const CAUCASIAN_OFFSETS: &[u8] = include_bytes!("words/caucasian_offsets.bin");
const CAUCASIAN_FPS: &[u8] = include_bytes!("words/caucasian_fps.bin");

/// The common words of the prose of the languages added to Cyrillic's pool (Serbian,
/// Macedonian, Bulgarian, Belarusian, Mongolian; see [`ADDED_COMMON_TAG`]), in a set of their
/// own for the same reason.
const ADDED_OFFSETS: &[u8] = include_bytes!("words/added_offsets.bin");
const ADDED_FPS: &[u8] = include_bytes!("words/added_fps.bin");

const _: () = {
    assert!(ADDED_OFFSETS.len().is_multiple_of(4) && ADDED_OFFSETS.len() >= 8);
    assert!(ADDED_FPS.len().is_multiple_of(2));
    assert!(OFFSETS.len().is_multiple_of(4) && OFFSETS.len() >= 8);
    assert!(FPS.len().is_multiple_of(2));
    assert!(CAUCASIAN_OFFSETS.len().is_multiple_of(4) && CAUCASIAN_OFFSETS.len() >= 8);
    assert!(CAUCASIAN_FPS.len().is_multiple_of(2));
};

const FNV_OFFSET: u64 = 0xCBF2_9CE4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01B3;

/// The hash of a word's key as it is built, character by character.
#[derive(Debug, Clone, Copy)]
pub(crate) struct WordHash(u64);

impl WordHash {
    pub(crate) fn new() -> WordHash {
        WordHash(FNV_OFFSET)
    }

    /// The hash with `c` appended, lower-cased as the generator's keys are (final sigma as
    /// medial: letters are lower-cased one by one here, without their context).
    pub(crate) fn push(self, c: char) -> WordHash {
        let mut h = self.0;
        for l in c.to_lowercase() {
            let l = if l == 'ς' { 'σ' } else { l };
            let mut buf = [0u8; 4];
            for &b in l.encode_utf8(&mut buf).as_bytes() {
                h = (h ^ u64::from(b)).wrapping_mul(FNV_PRIME);
            }
        }
        WordHash(h)
    }

    /// The hash with the tag byte that ends a stem's or an ending's key.
    fn tagged(self, tag: u8) -> WordHash {
        WordHash((self.0 ^ u64::from(tag)).wrapping_mul(FNV_PRIME))
    }

    /// Whether the key hashed so far is in the set.
    fn is_in(self) -> bool {
        self.is_in_set(OFFSETS, FPS)
    }

    /// Whether the key hashed so far is in the set of `offsets` and `fps`.
    fn is_in_set(self, offsets: &[u8], fps: &[u8]) -> bool {
        let buckets = offsets.len() / 4 - 1;
        let bucket = ((self.0 >> 16) % buckets as u64) as usize;
        let fp = (self.0 & 0xFFFF) as u16;
        let (lo, hi) = (super::u32_at(offsets, bucket) as usize, super::u32_at(offsets, bucket + 1) as usize);
        (lo..hi).any(|i| super::u16_at(fps, i) == fp)
    }
}

/// The generator's tags: a whole word's key ends with byte 0; a stem's of the `i`th
/// language stored as stems and endings with `1 + 2i`, an ending's with `2 + 2i`.
const WORD_TAG: u8 = 0;
/// A word of the model's own prose (tools/text/corpus), a common one, is also stored with
/// this tag.
const COMMON_TAG: u8 = 255;
/// A word of the model's prose in a language that shares its script with those of
/// [`COMMON_TAG`] (Serbian, Macedonian, Bulgarian, Belarusian, Mongolian), stored with this
/// tag (the generator's `ADDED_CORPUS_LANGS`).
const ADDED_COMMON_TAG: u8 = 254;
/// The languages stored as stems and endings (the generator's `SPLIT_SOURCES`).
const SPLIT_LANGUAGES: u8 = 4;
/// The longest ending and the shortest stem, in letters (the generator's `MAX_ENDING` and
/// `MIN_STEM`).
const MAX_ENDING: usize = 4;
const MIN_STEM: usize = 3;

/// Whether the lists hold words of `c`'s script: Cyrillic, Greek, Hebrew, Arabic, Devanagari,
/// Bengali, Georgian, Armenian (letters, and the marks inside their words).
pub(crate) fn covers(c: char) -> bool {
    matches!(c as u32, 0x300..=0x36F | 0x370..=0x3FF | 0x400..=0x52F | 0x590..=0x5FF | 0x600..=0x6FF | 0x900..=0x9FF
        | 0x1F00..=0x1FFF)
        || covers_caucasian(c)
}

/// Georgian (Mkhedruli and Mtavruli) and Armenian, whose words the lists hold too.
pub(crate) fn covers_caucasian(c: char) -> bool {
    matches!(c as u32, 0x531..=0x587 | 0x10D0..=0x10FF | 0x1C90..=0x1CBF)
}

/// How well `chars` are known as a word: common (a word of the model's prose; see
/// [`Known::AddedCommon`]), listed (a
/// whole word, or a stem and an ending of one language), or not at all. `prefixes[j]` is the hash of the first `j` characters (so it has one more entry
/// than `chars`): the lattice builds the readings of a word letter by letter, and has them.
pub(crate) fn known(prefixes: &[WordHash], chars: &[char]) -> Known {
    let n = chars.len();
    if chars.first().is_some_and(|&c| covers_caucasian(c)) {
        // Their own set holds whole words only.
        let is_in = |tag| prefixes[n].tagged(tag).is_in_set(CAUCASIAN_OFFSETS, CAUCASIAN_FPS);
        return if is_in(COMMON_TAG) {
            Known::Common
        } else if is_in(WORD_TAG) {
            Known::Listed
        } else {
            Known::Unknown
        };
    }
    if prefixes[n].tagged(COMMON_TAG).is_in() {
        return Known::Common;
    }
    if prefixes[n].tagged(ADDED_COMMON_TAG).is_in_set(ADDED_OFFSETS, ADDED_FPS) {
        return Known::AddedCommon;
    }
    if prefixes[n].tagged(WORD_TAG).is_in() {
        return Known::Listed;
    }
    let split = (n.saturating_sub(MAX_ENDING).max(MIN_STEM)..n).any(|j| {
        // The ending is hashed only once a stem matches: most readings match none.
        let mut ending = None;
        (0..SPLIT_LANGUAGES).any(|i| {
            prefixes[j].tagged(1 + 2 * i).is_in()
                && ending.get_or_insert_with(|| hash_of(&chars[j..])).tagged(2 + 2 * i).is_in()
        })
    });
    let first = chars.first().copied();
    if split
        || (first.is_some_and(is_arabic) && arabic_with_affixes(chars))
        || (first.is_some_and(is_hebrew) && hebrew_with_prefix(chars))
    {
        Known::Listed
    } else {
        Known::Unknown
    }
}

/// The generator's tags of Ayaspell's stems, of the Arabic suffixes and of the proclitics
/// (`ARABIC_STEM_TAG`, `ARABIC_SUFFIX_TAG`, `ARABIC_PREFIX_TAG`).
const ARABIC_STEM_TAG: u8 = 9;
const ARABIC_SUFFIX_TAG: u8 = 10;
const ARABIC_PREFIX_TAG: u8 = 11;
/// The longest proclitic and suffix of the generator's lists, in letters.
const ARABIC_MAX_PREFIX: usize = 3;
const ARABIC_MAX_SUFFIX: usize = 3;

fn is_arabic(c: char) -> bool {
    matches!(c as u32, 0x600..=0x6FF)
}

/// The generator's tags of the Hebrew stems (the words of our prose) and proclitics
/// (`HEBREW_STEM_TAG`, `HEBREW_PREFIX_TAG`), and its longest proclitic, in letters.
const HEBREW_STEM_TAG: u8 = 12;
const HEBREW_PREFIX_TAG: u8 = 13;
const HEBREW_MAX_PREFIX: usize = 3;

fn is_hebrew(c: char) -> bool {
    matches!(c as u32, 0x590..=0x5FF)
}

/// Whether `chars` are a Hebrew stem after one of the proclitics Hebrew writes on its words
/// (ו ה ב כ ל מ ש and their combinations, the generator's `HEBREW_PREFIXES`): `והאירועים` is
/// ו + ה + אירועים.
fn hebrew_with_prefix(chars: &[char]) -> bool {
    (1..=HEBREW_MAX_PREFIX.min(chars.len().saturating_sub(MIN_STEM))).any(|p| {
        hash_of(&chars[..p]).tagged(HEBREW_PREFIX_TAG).is_in() && hash_of(&chars[p..]).tagged(HEBREW_STEM_TAG).is_in()
    })
}

fn hash_of(chars: &[char]) -> WordHash {
    chars.iter().fold(WordHash::new(), |h, &c| h.push(c))
}

/// Whether `chars` are an Arabic stem, bare or with a proclitic, a suffix or both around it
/// (see the generator's `ARABIC_PREFIXES`): Arabic writes them on the word.
fn arabic_with_affixes(chars: &[char]) -> bool {
    let n = chars.len();
    for p in 0..=ARABIC_MAX_PREFIX.min(n.saturating_sub(MIN_STEM)) {
        if p > 0 && !hash_of(&chars[..p]).tagged(ARABIC_PREFIX_TAG).is_in() {
            continue;
        }
        let core = &chars[p..];
        for s in 0..=ARABIC_MAX_SUFFIX.min(core.len().saturating_sub(MIN_STEM)) {
            let (stem, suffix) = core.split_at(core.len() - s);
            if (s == 0 || hash_of(suffix).tagged(ARABIC_SUFFIX_TAG).is_in())
                && hash_of(stem).tagged(ARABIC_STEM_TAG).is_in()
            {
                return true;
            }
        }
    }
    false
}

/// What the word lists know of a word (see [`known`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Known {
    Unknown,
    Listed,
    /// A common word of a language added to a script's pool (see [`ADDED_COMMON_TAG`]).
    AddedCommon,
    Common,
}

#[cfg(test)]
mod tests {
    use super::WordHash;

    fn is_word(s: &str) -> bool {
        let chars: Vec<char> = s.chars().collect();
        let mut prefixes = vec![WordHash::new()];
        for &c in &chars {
            prefixes.push(prefixes[prefixes.len() - 1].push(c));
        }
        super::known(&prefixes, &chars) != super::Known::Unknown
    }

    #[test]
    fn words_are_in_and_their_misspellings_out() {
        for w in ["все", "Все", "это", "сейчас", "человек", "Οδός", "οδός", "рассказали", "исследования", "що"]
        {
            assert!(is_word(w), "{w}");
        }
        for w in ["والزوار", "يفعلون", "كانوا"] {
            assert!(is_word(w), "{w}");
        }
        for w in ["вэе", "эейчас", "чяловек", "яэя"] {
            assert!(!is_word(w), "{w}");
        }
        // Georgian and Armenian, from their own set.
        for w in ["სახლი", "ქალაქი", "ტელეფონი", "տուն", "Ընտանիքը"] {
            assert!(is_word(w), "{w}");
        }
        for w in ["სახნი", "ქანაქი", "տոււ"] {
            assert!(!is_word(w), "{w}");
        }
    }
}
