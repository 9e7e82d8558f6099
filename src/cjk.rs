//! Mojibake through the double-byte CJK code pages, in both directions.
//!
//! Two misreadings live here, beside the single-byte engine rather than inside it:
//!
//! 1. **UTF-8 read as a double-byte page** (`縺薙ｓ縺ｫ縺｡縺ｯ` is こんにちは read as Shift_JIS,
//!    `鍙傛暟` is 参数 read as GBK). The decoder paired the UTF-8 bytes two by two across
//!    character boundaries, so a misread character is not one byte of the original: the
//!    single-byte tables, screen and parser do not apply. Reversing is re-encoding each
//!    character through the page (a table built from encoding_rs's *decoder*, so that every
//!    byte pair a character can come from is tried — CP932 has duplicates, and JIS-style
//!    decoders map a few pairs to other code points) and reading the bytes as UTF-8.
//! 2. **Double-byte text read as a single-byte page** (`‚±‚ñ‚É‚¿‚Í` is こんにちは in
//!    Shift_JIS read as Windows-1252). Reversing is re-encoding through the single-byte page
//!    and decoding strictly through the double-byte one; no UTF-8 is involved.
//!
//! # Loss
//!
//! A decoder that rejects a byte sequence emits U+FFFD for it (or `?` once something
//! re-encoded the text, or nothing). Which sequences it rejects is the decoder's business, so
//! it is asked rather than tabulated: [`Codec`] records, from encoding_rs itself, which lone
//! bytes are rejected, which lead bytes are rejected before which ASCII byte (the decoder then
//! gives the ASCII byte back), which lead–trail pairs are rejected together, and which third
//! bytes are rejected with a pair that starts a longer sequence (EUC-JP's 0x8F and a JIS X
//! 0212 row: any non-ASCII byte that does not complete it). A U+FFFD is then a hole of one to
//! three bytes drawn from those sets, and [`beam_search`] fills the holes of a run so that
//! the bytes form UTF-8, choosing among the fillings by the character model (`model::cost`,
//! a bigram; a guess of a script the document does not show pays extra, see
//! [`guess_families`]); the word lattice of [`best_path`] then chooses each guessed
//! character again among every filling of its hole. Shift_JIS and GBK reject little (mostly
//! the lead byte left alone before ASCII, or an unassigned pair), so one hole is one
//! character with a known prefix; EUC-JP, Big5 and EUC-KR reject most continuation bytes,
//! and large parts of the text become holes whose filling the model can only guess.
//!
//! `锟斤拷` and `占쏙옙` are U+FFFD U+FFFD in UTF-8 read as GBK and EUC-KR: the replacement
//! happened *before* the misreading, and nothing can restore it. A repair that decodes to
//! U+FFFD is refused, so such runs are left as they are.
//!
//! # Mappings
//!
//! encoding_rs reads Shift_JIS and EUC-JP the CP932 way (WHATWG): 0x8160 is U+FF5E `～`,
//! 0x8161 `∥`, 0x817C `－`, 0x8191–0x8192 `￠￣`, 0x81CA `￢`, 0x815C `―`. JIS X 0208 decoders
//! (Java's and iconv's `Shift_JIS`, `EUC-JP`) read the same bytes as `〜 ‖ − ¢ £ ¬ —`. When
//! reversing UTF-8 read as Shift_JIS or EUC-JP both spellings are accepted, so mojibake made
//! by either decoder is undone. When decoding Shift_JIS or EUC-JP *bytes* (the second
//! misreading) the output is the CP932 spelling, which is what Windows and every browser
//! produce for those bytes. NEC row 13 (`①`, `Ⅰ`, `㈱`) and the IBM extensions are in
//! encoding_rs's tables and come through both directions.
//!
//! No encoding_rs *encoder* is on the path for Shift_JIS (so its `fast-kanji-encode`
//! feature would change nothing here): re-encoding is a lookup in the table learnt from the
//! decoder, which also knows every duplicate spelling. Only GB18030's four-byte characters
//! go through the encoder.
//!
//! # Cost
//!
//! Clean text pays for a screen only ([`screen_utf8`], [`screen_bytes_misread`]): the
//! characters a double-byte page makes of a UTF-8 lead byte followed by a continuation byte
//! are derived from the decoders at first use, and a text without any of them is not looked
//! at further. Legitimate text holding such characters (縺 is a real, rare kanji) goes to the
//! detector, which repairs only what becomes far more plausible.

use crate::detect::{next_non_ascii, SingleLayer};
use crate::explain::{Guess, Layer, SpanRepair};
use crate::model;
use crate::model::script::Script;
use crate::reconstruct::{best_path, could_be_text, Candidate as SlotCandidate, Path, Slot};
use crate::scan::Screen;
use crate::{CodePage, Error, Loss, Options, Reconstruct};
use encoding_rs::Encoding;
use std::collections::HashMap;
use std::sync::OnceLock;

/// Prior against calling a run mojibake, in nats (as the single-byte detector's).
const RUN_PRIOR: f32 = 4.0;
/// Once a hypothesis has gained this much on a document, the document is known to be
/// misread that way, and the run prior drops to [`CONFIRMED_RUN_PRIOR`]: a two-character run
/// in a long misread document is mojibake too.
const CONFIRMED_SCORE: f32 = 20.0;
const CONFIRMED_RUN_PRIOR: f32 = 1.0;
/// Prior cost of each hole filled. Holes are where the text says bytes were lost, so this
/// only keeps a repair that fills holes from winning on holes alone.
const HOLE_COST: f32 = 0.5;
/// Characters decoded whole (no guessed byte, not ASCII) a document must show before holes
/// are filled in it: holes alone are no evidence of any misreading.
const MIN_INTACT: usize = 2;
/// Characters seen whole a run must repair to, in a document not yet known to be misread.
const MIN_RUN_INTACT: usize = 2;
/// States kept per token in the beam search. The holes of Shift_JIS and GBK offer at most a
/// few dozen fillings; EUC-JP, Big5 and EUC-KR offer hundreds, and the beam bounds the work.
const BEAM: usize = 96;
/// Runs scored when choosing a hypothesis; the winner is then applied to every run.
const SAMPLE_RUNS: usize = 300;
/// The character a hole stands for when judging the text as it is: 〓 (GETA MARK), which
/// Japanese text uses for exactly this. U+FFFD itself costs like a control character, and a
/// repair would gain that much from any filling at all.
const HOLE_STAND_IN: char = '\u{3013}';

/// Prior cost of each double-byte page, in nats: Shift_JIS and GBK mojibake are by far the
/// most common in the wild; EUC-JP and Big5 rarer.
fn page_prior(page: CodePage) -> f32 {
    match page {
        CodePage::ShiftJis => 0.0,
        CodePage::Gbk => 0.5,
        CodePage::EucKr => 1.0,
        CodePage::Big5 => 1.0,
        _ => 1.5,
    }
}

/// Prior cost of each single-byte page as the one that misread double-byte text.
fn outer_prior(page: CodePage) -> Option<f32> {
    Some(match page {
        CodePage::Windows1252 => 1.0,
        CodePage::Latin1 => 1.5,
        CodePage::Cp437 | CodePage::Cp850 => 3.0,
        _ => return None,
    })
}

/// The single-byte pages tried as misreaders of double-byte text, in order of prior.
const OUTER_PAGES: [CodePage; 4] = [CodePage::Windows1252, CodePage::Latin1, CodePage::Cp850, CodePage::Cp437];

fn encoding_of(page: CodePage) -> &'static Encoding {
    match page {
        CodePage::ShiftJis => encoding_rs::SHIFT_JIS,
        CodePage::EucJp => encoding_rs::EUC_JP,
        // GB18030's decoder is GBK's (WHATWG defines them as one); its encoder reaches the
        // four-byte characters too.
        CodePage::Gbk => encoding_rs::GB18030,
        CodePage::Big5 => encoding_rs::BIG5,
        CodePage::EucKr => encoding_rs::EUC_KR,
        _ => encoding_rs::WINDOWS_1252,
    }
}

fn db_index(page: CodePage) -> Option<usize> {
    CodePage::DOUBLE_BYTE.iter().position(|&p| p == page)
}

/// Up to four bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Seq {
    b: [u8; 4],
    len: u8,
}

impl Seq {
    fn new(bytes: &[u8]) -> Seq {
        let mut b = [0u8; 4];
        b[..bytes.len()].copy_from_slice(bytes);
        Seq { b, len: bytes.len() as u8 }
    }
    fn bytes(&self) -> &[u8] {
        &self.b[..usize::from(self.len)]
    }
}

/// What a double-byte decoder does, learned from encoding_rs by decoding every byte and
/// byte pair once.
struct Codec {
    page: CodePage,
    encoding: &'static Encoding,
    /// What each byte 0x80–0xFF decodes to alone, if a character (half-width katakana).
    single: [Option<char>; 128],
    /// Every byte sequence each character decodes from.
    encode: HashMap<char, Vec<Seq>>,
    /// The first one- or two-byte sequence of each BMP character (`0x00XX` for one byte,
    /// `0xLLTT` for a pair, 0 for none): the screen's lookup, without hashing.
    first_bmp: Vec<u16>,
    /// Bytes that start a two-byte sequence.
    is_lead: [bool; 256],
    /// Non-lead bytes the decoder rejects alone.
    lone_invalid: [bool; 256],
    /// Per lead: the non-ASCII trail bytes rejected together with it (one U+FFFD for both),
    /// split into UTF-8 continuation bytes and UTF-8 lead bytes.
    bad_trails: Vec<(Vec<u8>, Vec<u8>)>,
    /// Per lead: the ASCII bytes before which it is rejected alone (bit set over 0–127).
    lead_then_ascii: Vec<u128>,
    /// Per pair `lead << 8 | trail` that starts a three-byte sequence (EUC-JP's 0x8F and a
    /// JIS X 0212 row): the non-ASCII third bytes rejected together with it, one U+FFFD for
    /// all three. Empty for every other pair and page.
    bad_thirds: Vec<Vec<u8>>,
    /// Pairs that decode to two code points (Big5's Ê̄ Ê̌ ê̄ ê̌: a letter and a combining
    /// mark), with their bytes.
    doubles: Vec<([char; 2], Seq)>,
    /// For [`Mode::ReplacedPerByte`] (Python's codecs): bytes replaced alone whatever
    /// follows them, and per byte the bytes after which it is replaced alone (a 256-bit set).
    per_byte_lone: [bool; 256],
    per_byte_before: Vec<[u64; 4]>,
}

/// Code points that JIS X 0208 decoders produce where encoding_rs (CP932) produces the
/// second: both are re-encoded to the same bytes.
const JIS_VARIANTS: [(char, char); 7] = [
    ('\u{301C}', '\u{FF5E}'), // WAVE DASH / FULLWIDTH TILDE
    ('\u{2016}', '\u{2225}'), // DOUBLE VERTICAL LINE / PARALLEL TO
    ('\u{2212}', '\u{FF0D}'), // MINUS SIGN / FULLWIDTH HYPHEN-MINUS
    ('\u{00A2}', '\u{FFE0}'), // CENT SIGN
    ('\u{00A3}', '\u{FFE1}'), // POUND SIGN
    ('\u{00AC}', '\u{FFE2}'), // NOT SIGN
    ('\u{2014}', '\u{2015}'), // EM DASH / HORIZONTAL BAR
];

impl Codec {
    fn build(page: CodePage) -> Codec {
        let encoding = encoding_of(page);
        let decode = |bytes: &[u8]| {
            let (s, errors) = encoding.decode_without_bom_handling(bytes);
            (s.into_owned(), errors)
        };
        let mut single = [None; 128];
        let mut encode: HashMap<char, Vec<Seq>> = HashMap::new();
        for b in 0x80u8..=0xFF {
            let (s, errors) = decode(&[b]);
            let mut chars = s.chars();
            if let (Some(c), None, false) = (chars.next(), chars.next(), errors) {
                single[usize::from(b - 0x80)] = Some(c);
                encode.entry(c).or_default().push(Seq::new(&[b]));
            }
        }
        let mut is_lead = [false; 256];
        let mut bad_trails = vec![(Vec::new(), Vec::new()); 256];
        let mut lead_then_ascii = vec![0u128; 256];
        let mut doubles = Vec::new();
        for l in 0x81u8..=0xFE {
            if single[usize::from(l - 0x80)].is_some() {
                continue;
            }
            for t in 0u8..=0xFF {
                let (s, errors) = decode(&[l, t]);
                let mut chars = s.chars();
                // A lead byte is one the decoder pairs with what follows, whether the pair
                // is a character or rejected as one (Shift_JIS rows 0x85–0x86 are empty, yet
                // their bytes still take the next byte with them).
                if t >= 0x80 && s.chars().count() == 1 {
                    is_lead[usize::from(l)] = true;
                }
                match (chars.next(), chars.next(), chars.next()) {
                    (Some(c), None, _) if !errors => {
                        encode.entry(c).or_default().push(Seq::new(&[l, t]));
                    }
                    (Some(a), Some(b), None) if !errors && !b.is_ascii() => {
                        doubles.push(([a, b], Seq::new(&[l, t])));
                    }
                    // Rejected together, unless the pair is the start of a longer
                    // sequence that the end of input cut short (EUC-JP 0x8F, GB18030).
                    (Some('\u{FFFD}'), None, _) if t >= 0x80 && decode(&[l, t, b' ']).0 == "\u{FFFD} " => {
                        if (0x80..=0xBF).contains(&t) {
                            bad_trails[usize::from(l)].0.push(t);
                        } else {
                            bad_trails[usize::from(l)].1.push(t);
                        }
                    }
                    (Some('\u{FFFD}'), Some(a), None) if t < 0x80 && a == char::from(t) => {
                        lead_then_ascii[usize::from(l)] |= 1 << t;
                    }
                    _ => {}
                }
            }
        }
        if page == CodePage::EucJp {
            // JIS X 0212, three bytes after 0x8F.
            for t in 0xA1u8..=0xFE {
                for u in 0xA1u8..=0xFE {
                    let (s, errors) = decode(&[0x8F, t, u]);
                    let mut chars = s.chars();
                    if let (Some(c), None, false) = (chars.next(), chars.next(), errors) {
                        encode.entry(c).or_default().push(Seq::new(&[0x8F, t, u]));
                    }
                }
            }
        }
        // Pairs rejected alone that a third byte can complete: the decoder took them as the
        // start of a longer sequence, and rejects the third byte with them when it does not
        // complete one (unless it is ASCII, which it gives back).
        let mut bad_thirds = vec![Vec::new(); 0x10000];
        for l in 0x80u8..=0xFF {
            for &t in bad_trails[usize::from(l)].0.iter().chain(&bad_trails[usize::from(l)].1) {
                // A decoder that rejects the pair as it stands has said so by now; one that
                // waits for more bytes takes it for the start of a longer sequence.
                let mut decoder = encoding.new_decoder_without_bom_handling();
                let mut out = String::with_capacity(16);
                let _ = decoder.decode_to_string(&[l, t], &mut out, false);
                if !out.is_empty() {
                    continue;
                }
                bad_thirds[usize::from(l) << 8 | usize::from(t)] =
                    (0x80u8..=0xFF).filter(|&u| decode(&[l, t, u, b' ']).0 == "\u{FFFD} ").collect();
            }
        }
        let mut lone_invalid = [false; 256];
        for b in 0x80u8..=0xFF {
            lone_invalid[usize::from(b)] = !is_lead[usize::from(b)] && decode(&[b]).0 == "\u{FFFD}";
        }
        for l in 0..256 {
            if !is_lead[l] {
                bad_trails[l] = (Vec::new(), Vec::new());
                lead_then_ascii[l] = 0;
            }
        }
        if page == CodePage::ShiftJis {
            // Python's (and Microsoft's) cp932 decodes the bytes Shift_JIS leaves undefined
            // to private-use characters rather than rejecting them; read those back as the
            // bytes they were.
            for (c, b) in [('\u{F8F0}', 0xA0), ('\u{F8F1}', 0xFD), ('\u{F8F2}', 0xFE), ('\u{F8F3}', 0xFF)] {
                encode.entry(c).or_default().push(Seq::new(&[b]));
            }
        }
        if matches!(page, CodePage::ShiftJis | CodePage::EucJp) {
            for (jis, cp932) in JIS_VARIANTS {
                if let Some(seqs) = encode.get(&cp932).cloned() {
                    encode.entry(jis).or_insert(seqs);
                }
            }
        }
        let mut first_bmp = vec![0u16; 0x10000];
        for (&c, seqs) in &encode {
            if let (Some(seq), true) = (seqs.first(), (c as u32) < 0x10000) {
                first_bmp[c as usize] = match *seq.bytes() {
                    [b] => u16::from(b),
                    [l, t] => u16::from(l) << 8 | u16::from(t),
                    _ => 0,
                };
            }
        }
        // Python's codecs: what the WHATWG decoder rejects, and what Python's base standards
        // lack besides (see `python_rejects`).
        let mut per_byte_lone = [false; 256];
        let mut per_byte_before = vec![[0u64; 4]; 256];
        for b in 0x80u8..=0xFF {
            let bi = usize::from(b);
            per_byte_lone[bi] = lone_invalid[bi] || python_rejects(page, encoding, b, None);
            for t in 0u8..=0xFF {
                let whatwg = is_lead[bi]
                    && if t < 0x80 {
                        lead_then_ascii[bi] & (1 << t) != 0
                    } else {
                        bad_trails[bi].0.contains(&t) || bad_trails[bi].1.contains(&t)
                    };
                if whatwg || python_rejects(page, encoding, b, Some(t)) {
                    per_byte_before[bi][usize::from(t / 64)] |= 1 << (t % 64);
                }
            }
        }
        Codec {
            page,
            encoding,
            single,
            encode,
            first_bmp,
            is_lead,
            lone_invalid,
            bad_trails,
            lead_then_ascii,
            bad_thirds,
            doubles,
            per_byte_lone,
            per_byte_before,
        }
    }

    /// The byte sequences `c` can have come from, if any.
    fn sequences(&self, c: char) -> Option<Vec<Seq>> {
        if let Some(v) = self.encode.get(&c) {
            return Some(v.clone());
        }
        if self.page == CodePage::Gbk && !c.is_ascii() && c != '\u{FFFD}' {
            // The four-byte GB18030 characters are not in the pair table.
            let mut buf = [0u8; 4];
            let (bytes, _, unmappable) = self.encoding.encode(c.encode_utf8(&mut buf));
            if !unmappable && bytes.len() == 4 {
                return Some(vec![Seq::new(&bytes)]);
            }
        }
        None
    }

    /// The first byte sequence `c` can have come from, without allocating.
    fn first_sequence(&self, c: char) -> Option<Seq> {
        if let Some(&v) = self.first_bmp.get(c as usize) {
            match v {
                0 => {}
                0x80..=0xFF => return Some(Seq::new(&[v as u8])),
                _ => return Some(Seq::new(&v.to_be_bytes())),
            }
        }
        match self.encode.get(&c) {
            Some(v) => v.first().copied(),
            None => self.sequences(c).and_then(|v| v.first().copied()),
        }
    }

    fn encodes(&self, c: char) -> bool {
        self.encode.contains_key(&c)
            || (self.page == CodePage::Gbk && !c.is_ascii() && c != '\u{FFFD}')
            || self.doubles.iter().any(|(d, _)| d[1] == c)
    }

    /// The pair of characters `a`, `b` decoded from one byte pair, if there is one.
    fn double(&self, a: char, b: char) -> Option<Seq> {
        self.doubles.iter().find(|(d, _)| *d == [a, b]).map(|&(_, seq)| seq)
    }
}

fn codec(page: CodePage) -> &'static Codec {
    static CODECS: [OnceLock<Codec>; 5] = [const { OnceLock::new() }; 5];
    let i = db_index(page).unwrap_or(0);
    CODECS[i].get_or_init(|| Codec::build(CodePage::DOUBLE_BYTE[i]))
}

/// [`CodePage::decode_byte`] for a double-byte page.
pub(crate) fn decode_single_byte(page: CodePage, byte: u8) -> char {
    codec(page).single[usize::from(byte & 0x7F)].filter(|_| byte >= 0x80).unwrap_or('\u{FFFD}')
}

/// [`CodePage::encode_char`] for a double-byte page (`c` ≥ 0x80).
pub(crate) fn encode_single_byte(page: CodePage, c: u32) -> Option<u8> {
    let single = &codec(page).single;
    (0u8..128).find(|&i| single[usize::from(i)].is_some_and(|s| s as u32 == c)).map(|i| i + 0x80)
}

/// Per 64 BMP characters (`u >> 6`: for a three-byte character, its lead and second byte):
/// the bits of [`screen_table`] of any of them. A character can add to the screen's pages
/// only what its row has, so where the row adds nothing the character is not looked up: in
/// clean CJK text, once the pages its characters can show are found, the screen reads this
/// 1 KiB table instead of the 64 KiB one.
pub(crate) fn screen_rows() -> &'static [u8; 0x400] {
    static TABLE: OnceLock<[u8; 0x400]> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut rows = [0u8; 0x400];
        for (u, &bits) in screen_table().iter().enumerate() {
            rows[u >> 6] |= bits;
        }
        rows
    })
}

/// Per BMP character: bit i when page i of [`CodePage::DOUBLE_BYTE`] decodes it from a
/// UTF-8 lead byte followed by a continuation byte — the characters UTF-8 read as that page
/// is made of, every other character or so.
pub(crate) fn screen_table() -> &'static [u8; 0x10000] {
    static TABLE: OnceLock<Box<[u8; 0x10000]>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = Box::new([0u8; 0x10000]);
        for (i, &page) in CodePage::DOUBLE_BYTE.iter().enumerate() {
            let encoding = encoding_of(page);
            for l in 0xC2u8..=0xF4 {
                for c in 0x80u8..=0xBF {
                    if let Some(s) = encoding.decode_without_bom_handling_and_without_replacement(&[l, c]) {
                        let mut chars = s.chars();
                        if let (Some(ch), None) = (chars.next(), chars.next()) {
                            if (ch as u32) < 0x10000 && !ch.is_ascii() {
                                t[ch as usize] |= 1 << i;
                            }
                        }
                    }
                }
            }
        }
        t
    })
}

/// The last eight characters, in [`screen_bytes_misread`]'s window.
pub(crate) const MISREAD_WINDOW_MASK: u32 = 0xFF;
/// High characters among the last eight that make a dense stretch.
pub(crate) const MISREAD_DENSE: u32 = 5;
/// High characters in a row that make a dense stretch.
pub(crate) const MISREAD_IN_A_ROW: u32 = 4;

/// The double-byte pages (bits over [`CodePage::DOUBLE_BYTE`]) that could have made some
/// character of `text` out of UTF-8. (The pipeline asks [`crate::scan::screen`]; this is its
/// definition.)
#[cfg(test)]
fn screen_utf8(text: &str) -> u8 {
    if text.is_ascii() {
        return 0;
    }
    let table = screen_table();
    let mut found = 0u8;
    for c in text.chars() {
        let u = c as u32;
        if (0x80..0x10000).contains(&u) {
            found |= table[u as usize];
            if found == 0x1F {
                break;
            }
        }
    }
    found
}

/// True when `text` has a dense stretch of characters that one of the outer pages decodes
/// from a high byte (Latin-1 letters and symbols, Windows punctuation, box drawing): four in
/// a row, or five of eight. Double-byte text read through such a page is made of them, since
/// every kanji, kana, hanzi or hangul has a high lead byte (and mostly a high trail); clean
/// Latin text, whose accented letters stand one or two in a word, and Cyrillic or Greek,
/// which these pages lack, rarely come close, and then only pay for the full check. (The
/// pipeline asks [`crate::scan::screen`]; this is its definition.)
#[cfg(test)]
fn screen_bytes_misread(text: &str) -> bool {
    let high = outer_high_table();
    let bytes = text.as_bytes();
    let (mut recent, mut in_a_row) = (0u32, 0u32);
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii() {
            recent = (recent << 1) & MISREAD_WINDOW_MASK;
            in_a_row = 0;
            i += 1;
            continue;
        }
        let c = text[i..].chars().next().unwrap_or('\0');
        i += c.len_utf8();
        let is_high = high.get(c as usize).copied().unwrap_or(false);
        recent = ((recent << 1) | u32::from(is_high)) & MISREAD_WINDOW_MASK;
        in_a_row = if is_high { in_a_row + 1 } else { 0 };
        if in_a_row >= MISREAD_IN_A_ROW || recent.count_ones() >= MISREAD_DENSE {
            return true;
        }
    }
    false
}

/// Whether some page of [`OUTER_PAGES`] decodes a high byte to the character, for every
/// character below U+2600 (all of those pages' characters are).
pub(crate) fn outer_high_table() -> &'static [bool] {
    static TABLE: OnceLock<Vec<bool>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = vec![false; 0x2600];
        for page in OUTER_PAGES {
            for b in 0x80..=0xFFu8 {
                if let Some(slot) = table.get_mut(page.decode_byte(b) as usize) {
                    *slot = true;
                }
            }
        }
        table
    })
}

/// How holes look in a hypothesis.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Mode {
    Lossless,
    /// Each rejected sequence became this character (the WHATWG decoders: a rejected pair
    /// is one replacement).
    Replaced(char),
    /// Each rejected *byte* became this character, and the byte after a rejected lead was
    /// decoded again on its own (Python's CJK codecs with `errors="replace"`).
    ReplacedPerByte(char),
    /// Rejected sequences vanished: holes go where the UTF-8 breaks.
    Dropped,
}

impl Mode {
    fn loss(self) -> Loss {
        match self {
            Mode::Lossless => Loss::NONE,
            Mode::Replaced(c) => Loss { undecodable: Some(c), ..Loss::NONE },
            Mode::ReplacedPerByte(c) => Loss { undecodable: Some(c), replaced_per_byte: true, ..Loss::NONE },
            Mode::Dropped => Loss { undefined_dropped: true, ..Loss::NONE },
        }
    }
    fn of(loss: Loss) -> Mode {
        match (loss.undecodable, loss.undefined_dropped) {
            (Some(c), _) if loss.replaced_per_byte => Mode::ReplacedPerByte(c),
            (Some(c), _) => Mode::Replaced(c),
            (None, true) => Mode::Dropped,
            _ => Mode::Lossless,
        }
    }
    /// Prior cost of the loss form, per document.
    fn prior(self) -> f32 {
        match self {
            Mode::Lossless => 0.0,
            Mode::Replaced('\u{FFFD}') => 1.0,
            // Python's codecs are a less common source of CJK mojibake than browsers and the
            // WHATWG decoders in other tools.
            Mode::ReplacedPerByte('\u{FFFD}') => 1.5,
            Mode::Replaced(_) | Mode::ReplacedPerByte(_) => 3.0,
            Mode::Dropped => 4.0,
        }
    }
}

/// A run of characters the hypothesis may repair, with its neighbours.
#[derive(Debug, Clone)]
struct Run {
    start: usize,
    end: usize,
    left: char,
    right: char,
    /// The byte after the run, for the decoder's view: `None` at the end of the text.
    next_byte: Option<u8>,
}

fn runs_where(text: &str, in_run: impl Fn(char) -> bool) -> Vec<Run> {
    let mut runs = Vec::new();
    let mut prev = model::START;
    let mut start: Option<usize> = None;
    let mut run_left = prev;
    for (i, c) in text.char_indices() {
        if in_run(c) {
            if start.is_none() {
                start = Some(i);
                run_left = prev;
            }
        } else if let Some(s) = start.take() {
            runs.push(Run { start: s, end: i, left: run_left, right: c, next_byte: Some(text.as_bytes()[i]) });
        }
        prev = c;
    }
    if let Some(s) = start {
        runs.push(Run { start: s, end: text.len(), left: run_left, right: model::START, next_byte: None });
    }
    runs
}

/// What the decoder saw after a hole: for a high byte, the byte itself where the next
/// character shows it (not after another hole).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Next {
    Ascii(u8),
    NonAscii(Option<u8>),
    End,
}

#[derive(Debug, Clone)]
enum Tok {
    /// A character seen, as the byte sequences it may have been decoded from.
    Known(Vec<Seq>),
    /// A rejected sequence; `literal` is the replacement character's own byte when it is
    /// ASCII (a `?` may also be a real question mark); `per_byte` when it is one byte (see
    /// [`Mode::ReplacedPerByte`]).
    Hole { next: Next, literal: Option<u8>, optional: bool, per_byte: bool },
}

/// The tokens of a run under `mode`, or `None` if a character is not in the page.
fn tokenize(run_text: &str, run: &Run, codec: &Codec, mode: Mode) -> Option<Vec<Tok>> {
    let mut toks = Vec::with_capacity(run_text.len() / 2);
    let mut chars = run_text.chars().peekable();
    while let Some(c) = chars.next() {
        match mode {
            Mode::Replaced(r) | Mode::ReplacedPerByte(r) if c == r => toks.push(Tok::Hole {
                next: Next::End,
                literal: r.is_ascii().then_some(r as u8),
                optional: false,
                per_byte: matches!(mode, Mode::ReplacedPerByte(_)),
            }),
            _ => match chars.peek().and_then(|&n| codec.double(c, n)) {
                Some(seq) => {
                    chars.next();
                    toks.push(Tok::Known(vec![seq]));
                }
                None => toks.push(Tok::Known(codec.sequences(c)?)),
            },
        }
    }
    if mode == Mode::Dropped {
        toks = holes_at_breaks(toks);
    }
    // What follows each hole, as the decoder saw it.
    let after_run = match run.next_byte {
        Some(b) if b < 0x80 => Next::Ascii(b),
        Some(_) => Next::NonAscii(None),
        None => Next::End,
    };
    let n = toks.len();
    for i in 0..n {
        let next = match toks.get(i + 1) {
            None => after_run,
            Some(Tok::Known(seqs)) => match seqs.first().map(|s| s.b[0]) {
                Some(b) if b < 0x80 => Next::Ascii(b),
                b => Next::NonAscii(b),
            },
            Some(Tok::Hole { .. }) => Next::NonAscii(None),
        };
        if let Tok::Hole { next: slot, .. } = &mut toks[i] {
            *slot = next;
        }
    }
    Some(toks)
}

/// Inserts holes where the bytes of the known characters (their first spelling) stop being
/// UTF-8: a lead byte followed by too few continuation bytes, or continuation bytes with no
/// lead. A dropped sequence leaves no mark, but it leaves such a break — at the character
/// where it shows or at the one before (a dropped pair that ended one character and began
/// the next lets the first borrow a continuation byte of the second), so both places get an
/// optional hole.
fn holes_at_breaks(toks: Vec<Tok>) -> Vec<Tok> {
    let hole = Tok::Hole { next: Next::End, literal: None, optional: true, per_byte: false };
    let mut out: Vec<Tok> = Vec::with_capacity(toks.len() + 8);
    // The continuation bytes that may still be expected, as a set (bit `k`: `k` of them): a
    // character with several spellings (GBK's € is 0x80 and A2 E3) may continue the UTF-8
    // either way. A break that any spelling shows gets its (optional) holes: taking the first
    // spelling alone put a break where there was none and none where a byte had gone (`询。`
    // through GBK, read as `€€` and the lost last byte of 。, was left unread), and taking one
    // that fits hides the break a lost byte makes.
    let mut pending = 1u8;
    let mut prev_start: Option<usize> = None;
    for tok in toks {
        if let Tok::Known(seqs) = &tok {
            // Walk the token's bytes from each state; a conflict anywhere in them is a
            // break before it.
            let (mut next, mut broken) = (0u8, false);
            for from in (0u8..4).filter(|k| pending & (1 << k) != 0) {
                for seq in seqs {
                    let mut state = from;
                    for &b in seq.bytes() {
                        let is_cont = (0x80..=0xBF).contains(&b);
                        if (b >= 0x80 && (state > 0) != is_cont) || (b < 0x80 && state > 0) {
                            broken = true;
                        }
                        state = match b {
                            0x80..=0xBF => state.saturating_sub(1),
                            0xC2..=0xDF => 1,
                            0xE0..=0xEF => 2,
                            0xF0..=0xF4 => 3,
                            _ => 0,
                        };
                    }
                    next |= 1 << state;
                }
            }
            if broken {
                if let Some(p) = prev_start {
                    if p == 0 || !matches!(out[p - 1], Tok::Hole { .. }) {
                        out.insert(p, hole.clone());
                    }
                }
                out.push(hole.clone());
            }
            if next != 0 {
                pending = next;
            }
            prev_start = Some(out.len());
        }
        out.push(tok);
    }
    if pending != 1 {
        if let Some(p) = prev_start {
            if p == 0 || !matches!(out[p - 1], Tok::Hole { .. }) {
                out.insert(p, hole.clone());
            }
        }
        out.push(hole);
    }
    out
}

/// A partial reading of a run in the beam search.
#[derive(Debug, Clone, Copy)]
struct State {
    /// Bytes of the character being read.
    pend: [u8; 4],
    plen: u8,
    /// Which of `pend` were guessed.
    mask: u8,
    /// The hole of each byte of `pend` ([`NO_HOLE`] for a byte seen).
    holes: [u32; 4],
    last: char,
    cost: f32,
    /// Arena index of the last character emitted.
    node: u32,
    /// Characters emitted by the current token (character, guessed-byte mask, hole of each
    /// byte), not yet in the arena.
    fresh: [(char, u8, [u32; 4]); 4],
    nfresh: u8,
    /// The scripts a guessed character may be of at no extra cost (see [`guess_families`]).
    allowed: Families,
}

#[derive(Debug, Clone, Copy)]
struct Node {
    parent: u32,
    ch: char,
    mask: u8,
    /// The hole of each byte of the character's UTF-8 ([`NO_HOLE`] for a byte seen).
    holes: [u32; 4],
}

const NO_NODE: u32 = u32::MAX;
/// A byte seen, in [`State::holes`] and [`Node::holes`].
const NO_HOLE: u32 = u32::MAX;

fn utf8_len(lead: u8) -> u8 {
    match lead {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    }
}

/// Feeds `bytes` to a state, guessed ones as filling hole `hole`; false when they cannot
/// continue valid UTF-8 or make a character no text holds.
fn feed(st: &mut State, bytes: &[u8], hole: Option<u32>) -> bool {
    for &b in bytes {
        let bit = u8::from(hole.is_some());
        let h = hole.unwrap_or(NO_HOLE);
        if st.plen == 0 {
            if b < 0x80 {
                if !emit(st, char::from(b), bit, [h, NO_HOLE, NO_HOLE, NO_HOLE]) {
                    return false;
                }
            } else if (0xC2..=0xF4).contains(&b) {
                st.pend[0] = b;
                st.plen = 1;
                st.mask = bit;
                st.holes = [h, NO_HOLE, NO_HOLE, NO_HOLE];
            } else {
                return false;
            }
        } else {
            if !(0x80..=0xBF).contains(&b) {
                return false;
            }
            st.pend[usize::from(st.plen)] = b;
            st.holes[usize::from(st.plen)] = h;
            st.mask |= bit << st.plen;
            st.plen += 1;
            if st.plen == utf8_len(st.pend[0]) {
                let Ok(s) = std::str::from_utf8(&st.pend[..usize::from(st.plen)]) else {
                    return false;
                };
                let Some(c) = s.chars().next() else { return false };
                let (mask, holes) = (st.mask, st.holes);
                st.plen = 0;
                st.mask = 0;
                if !emit(st, c, mask, holes) {
                    return false;
                }
            }
        }
    }
    true
}

fn emit(st: &mut State, c: char, mask: u8, holes: [u32; 4]) -> bool {
    // U+FFFD decoded from bytes means the UTF-8 itself held a replacement character (锟斤拷):
    // nothing to restore. A guess must be a character real text can hold.
    if c == '\u{FFFD}' || (mask != 0 && !guessable(c)) || usize::from(st.nfresh) >= st.fresh.len() {
        return false;
    }
    if mask != 0 && !family_allowed(c, st.allowed) {
        st.cost += st.allowed.foreign_cost;
    }
    st.cost += model::cost(st.last, c);
    st.last = c;
    st.fresh[usize::from(st.nfresh)] = (c, mask, holes);
    st.nfresh += 1;
    true
}

/// A character a hole may be filled with: one real text holds, and not one of the rare
/// spaces (U+205F, U+3000, …), which the model prices like any space and which CJK
/// mojibake hardly ever hides.
fn guessable(c: char) -> bool {
    could_be_text(c) && !(c.is_whitespace() && c != ' ')
}

/// The best reading of a run.
#[derive(Debug, Clone)]
struct Reading {
    text: String,
    /// Model cost including the transition into the character after the run.
    cost: f32,
    guesses: Vec<Guess>,
    /// Non-ASCII characters decoded from seen bytes only.
    intact: usize,
    holes: usize,
}

/// Fills the holes of `toks` so that the bytes form UTF-8, choosing by the model: a beam
/// search over byte positions whose states are (partial character, last character).
fn beam_search(
    toks: &[Tok],
    codec: &Codec,
    (left, right): (char, char),
    min_margin: f32,
    allowed: Families,
) -> Option<Reading> {
    let start = State {
        pend: [0; 4],
        plen: 0,
        mask: 0,
        holes: [NO_HOLE; 4],
        last: left,
        cost: 0.0,
        node: NO_NODE,
        fresh: [('\0', 0, [NO_HOLE; 4]); 4],
        nfresh: 0,
        allowed,
    };
    let mut beam = vec![start];
    let mut arena: Vec<Node> = Vec::new();
    let mut next: Vec<State> = Vec::new();
    let mut holes = 0;
    for (ti, tok) in toks.iter().enumerate() {
        next.clear();
        for st in &beam {
            let mut base = *st;
            base.nfresh = 0;
            match tok {
                Tok::Known(seqs) => {
                    for seq in seqs {
                        let mut s = base;
                        if feed(&mut s, seq.bytes(), None) {
                            next.push(s);
                        }
                    }
                }
                Tok::Hole { next: after, literal, optional, per_byte } => {
                    if *optional {
                        next.push(base);
                    }
                    if let Some(l) = literal {
                        let mut s = base;
                        if feed(&mut s, &[*l], None) {
                            next.push(s);
                        }
                    }
                    fill_hole(&base, codec, *after, *per_byte, ti as u32, &mut next);
                }
            }
        }
        if matches!(tok, Tok::Hole { .. }) {
            holes += 1;
        }
        if next.is_empty() {
            return None;
        }
        prune(&mut next);
        beam.clear();
        for s in next.iter() {
            let mut s = *s;
            for k in 0..usize::from(s.nfresh) {
                let (ch, mask, holes) = s.fresh[k];
                arena.push(Node { parent: s.node, ch, mask, holes });
                s.node = (arena.len() - 1) as u32;
            }
            s.nfresh = 0;
            beam.push(s);
        }
    }
    let best = beam
        .iter()
        .filter(|s| s.plen == 0)
        .map(|s| (s.cost + model::cost(s.last, right), s))
        .min_by(|a, b| a.0.total_cmp(&b.0))?;
    let mut chars = Vec::new();
    let mut node = best.1.node;
    while node != NO_NODE {
        let n = arena[node as usize];
        chars.push(n);
        node = n.parent;
    }
    chars.reverse();
    // The beam chose how the holes split into characters, by the bigram alone. Let the
    // reconstructor choose each guessed character again among every filling of the same
    // holes, with the word lexicon and margins.
    let mut intact = 0;
    let light = holes as f32 <= LIGHT_LOSS * toks.len() as f32;
    let slots: Vec<Slot> = chars
        .iter()
        .enumerate()
        .map(|(i, n)| {
            if n.mask == 0 {
                if !n.ch.is_ascii() {
                    intact += 1;
                }
                return Slot::Intact(n.ch);
            }
            let chars = refills(&chars, i, toks, codec, allowed, light);
            Slot::Holes(
                chars
                    .into_iter()
                    .map(|ch| SlotCandidate { ch, inserted_mask: n.mask, absorbs_space: false, epsilon: false })
                    .collect(),
            )
        })
        .collect();
    let mut slots = slots;
    let mut path = best_path(&slots, left, right);
    for _ in 0..MAX_REVISIONS {
        let bad = invalid_split_pairs(&path, &chars, codec);
        if bad.is_empty() {
            break;
        }
        // The two sides of a split pair were chosen apart and make a pair the decoder
        // accepts. Keep one side as chosen and let the other choose again among what pairs
        // with it; or keep the beam's reading, which chose them together: whichever the
        // search scores best.
        let chosen: Vec<char> = path.text.chars().collect();
        let pinned = |slots: &mut Vec<Slot>, k: usize, ch: char| {
            slots[k] = Slot::Holes(vec![SlotCandidate {
                ch,
                inserted_mask: chars[k].mask,
                absorbs_space: false,
                epsilon: false,
            }]);
        };
        let mut beam_slots = slots.clone();
        for &i in &bad {
            for k in [i, i + 1] {
                pinned(&mut beam_slots, k, chars[k].ch);
            }
        }
        let mut best_slots = beam_slots;
        path = best_path(&best_slots, left, right);
        if chosen.len() == chars.len() {
            for keep_first in [true, false] {
                let mut trial = slots.clone();
                for &i in &bad {
                    let (kept, other) = if keep_first { (i, i + 1) } else { (i + 1, i) };
                    pinned(&mut trial, kept, chosen[kept]);
                    if let Slot::Holes(cands) = &mut trial[other] {
                        let at = split_positions(&chars[i], &chars[i + 1]);
                        cands.retain(|c| {
                            let (a, b) = if keep_first { (chosen[kept], c.ch) } else { (c.ch, chosen[kept]) };
                            at.is_some_and(|at| split_pair_ok(a, b, at, codec))
                        });
                        if cands.is_empty() {
                            pinned(&mut trial, other, chars[other].ch);
                            pinned(&mut trial, kept, chars[kept].ch);
                        }
                    }
                }
                let p = best_path(&trial, left, right);
                if p.score < path.score && invalid_split_pairs(&p, &chars, codec).is_empty() {
                    path = p;
                    best_slots = trial;
                }
            }
        }
        slots = best_slots;
    }
    if !invalid_split_pairs(&path, &chars, codec).is_empty() {
        return None;
    }
    let guesses = path
        .choices
        .iter()
        .map(|choice| {
            let ch = choice.chosen.ch;
            let mut buf = [0u8; 4];
            let bytes = ch.encode_utf8(&mut buf).as_bytes().to_vec();
            let reconstructed = (0..bytes.len()).filter(|i| choice.chosen.inserted_mask & (1 << i) != 0).collect();
            Guess {
                offset: choice.offset,
                chosen: ch,
                bytes,
                reconstructed,
                alternatives: choice.alternatives.clone(),
                low_confidence: choice.alternatives.first().is_some_and(|a| a.1 < min_margin),
            }
        })
        .collect();
    Some(Reading { text: path.text, cost: path.cost, guesses, intact, holes })
}

/// Candidates kept per refilled character (the reconstructor's search is quadratic in them).
const MAX_REFILLS: usize = 48;

/// The guessed bytes of `n` by hole, in byte order: (hole, first position, count). The
/// bytes of one hole in one character are contiguous.
fn hole_groups(n: &Node) -> Vec<(u32, usize, usize)> {
    let mut groups: Vec<(u32, usize, usize)> = Vec::with_capacity(2);
    for p in (0..n.ch.len_utf8()).filter(|&p| n.mask & (1 << p) != 0) {
        match groups.last_mut() {
            Some(g) if g.0 == n.holes[p] && g.1 + g.2 == p => g.2 += 1,
            _ => groups.push((n.holes[p], p, 1)),
        }
    }
    groups
}

/// Whether some guessed byte of `n` is of hole `h`.
fn holds(n: &Node, h: u32) -> bool {
    (0..n.ch.len_utf8()).any(|p| n.mask & (1 << p) != 0 && n.holes[p] == h)
}

/// Every character with the bytes of `chars[i]` except where they were guessed, where each
/// hole's bytes are any other filling of the hole: one rejected byte, pair or triple for a
/// hole inside the character; for one side of a pair split with a neighbour, any byte that
/// side of some rejected pair can be (the pair the two sides make is checked after the
/// search, see [`invalid_split_pairs`]), or, when the neighbour also holds another hole
/// (and so keeps its bytes, see below), a byte that makes a rejected pair with the
/// neighbour's. Bytes of a longer sequence split between characters stay as the beam chose
/// them. The byte of a split pair is where one U+FFFD of a WHATWG decoder stands for the end
/// of one character and the start of the next (`頃は` E9 A0 83 E3 81 AF through Shift_JIS:
/// 83 E3 and 81 AF are both rejected pairs).
fn refills(chars: &[Node], i: usize, toks: &[Tok], codec: &Codec, allowed: Families, light: bool) -> Vec<char> {
    let n = &chars[i];
    let mut buf = [0u8; 4];
    let bytes: Vec<u8> = n.ch.encode_utf8(&mut buf).as_bytes().to_vec();
    let groups = hole_groups(n);
    let per_byte = |h: u32| matches!(toks.get(h as usize), Some(Tok::Hole { per_byte: true, .. }));
    // A character with bytes of two rejected sequences, one of them a pair (`の` E3 81 AE
    // through Shift_JIS, when E3 ends a pair with the byte before it and 81 AE is rejected
    // whole): its bytes of the split pair stay as the beam chose them, and its neighbour
    // chooses among the bytes that pair with them; the hole inside it is filled again.
    let mixed = groups.len() > 1 && !groups.iter().all(|g| per_byte(g.0));
    if mixed && !light {
        // Where most characters are guesses, the few dozen fillings kept by their cost alone
        // are no better a choice than the beam's, which chose them together with their
        // guessed neighbours: kept as the beam chose it (see [`LIGHT_LOSS`]).
        return vec![n.ch];
    }
    let mut spellings: Vec<Vec<u8>> = vec![bytes.clone()];
    // Python's codecs reject each byte alone, and whether they reject a lead depends on the
    // byte after it: where that byte is the next hole's, the pair of fillings is checked.
    let mut per_byte_pairs: Vec<usize> = Vec::new();
    for (g, &(h, p, len)) in groups.iter().enumerate() {
        if let (true, Some(&(_, q, _))) = (per_byte(h), groups.get(g + 1)) {
            if q == p + len {
                per_byte_pairs.push(p + len - 1);
            }
        }
        let prev = i.checked_sub(1).map(|j| &chars[j]).filter(|m| holds(m, h));
        let next = chars.get(i + 1).filter(|m| holds(m, h));
        // The neighbour's byte of a split pair, where this side must pair with it.
        let partner = |m: &Node, last: bool| -> Option<u8> {
            let mut g = hole_groups(m).into_iter().filter(|g| g.0 == h);
            let (_, q, l) = if last { g.next_back() } else { g.next() }?;
            let mut mb = [0u8; 4];
            let eb = m.ch.encode_utf8(&mut mb).as_bytes();
            (l == 1).then(|| eb[q])
        };
        let values: Vec<Vec<u8>> = match (prev, next, len) {
            (None, None, _) => match toks.get(h as usize) {
                Some(Tok::Hole { next: after, per_byte, .. }) => fillings(codec, len, *after, *per_byte),
                _ => continue,
            },
            (Some(_), _, _) | (_, Some(_), _) if mixed => continue,
            (None, Some(m), 1) => {
                let t = if hole_groups(m).len() > 1 { partner(m, false) } else { None };
                (0x80u8..=0xFF)
                    .filter(|&l| {
                        let (conts, leads) = &codec.bad_trails[usize::from(l)];
                        match t {
                            Some(t) => conts.contains(&t) || leads.contains(&t),
                            None => !conts.is_empty() || !leads.is_empty(),
                        }
                    })
                    .map(|l| vec![l])
                    .collect()
            }
            (Some(m), None, 1) => {
                let l = if hole_groups(m).len() > 1 { partner(m, true) } else { None };
                let mut trail = [false; 256];
                for lead in 0x80..=0xFF {
                    if l.is_some_and(|l| usize::from(l) != lead) {
                        continue;
                    }
                    let (conts, leads) = &codec.bad_trails[lead];
                    for &t in conts.iter().chain(leads) {
                        trail[usize::from(t)] = true;
                    }
                }
                (0x80u8..=0xFF).filter(|&t| trail[usize::from(t)]).map(|t| vec![t]).collect()
            }
            _ => continue,
        };
        if spellings.len() * values.len() > MAX_SPELLINGS {
            continue;
        }
        spellings = spellings
            .iter()
            .flat_map(|b| {
                values.iter().map(move |v| {
                    let mut b = b.clone();
                    b[p..p + len].copy_from_slice(v);
                    b
                })
            })
            .collect();
    }
    let mut out = vec![n.ch];
    for b in &spellings {
        if per_byte_pairs.iter().any(|&p| !alone_ok(codec, b[p], Next::NonAscii(Some(b[p + 1])), true)) {
            continue;
        }
        if let Some(c) = std::str::from_utf8(b).ok().and_then(|s| s.chars().next()) {
            if c != '\u{FFFD}' && guessable(c) && family_allowed(c, allowed) && !out.contains(&c) {
                out.push(c);
            }
        }
    }
    if out.len() > MAX_REFILLS {
        let mut rest = out.split_off(1);
        rest.sort_by(|a, b| model::cost(model::START, *a).total_cmp(&model::cost(model::START, *b)));
        out.extend(rest.into_iter().take(MAX_REFILLS - 1));
    }
    out
}

/// Holes per token up to which a run's loss counts as light, and a character holding bytes
/// of two holes is chosen again (see [`refills`]). Measured, with the rest of that choice,
/// on the tuning text (tools/tune/ja.txt, ja2.txt and ja3.txt, each line of 20 characters
/// or more that UTF-8 read as Shift_JIS with U+FFFD damages: 107 lines): never 82.2% of
/// lines exact, CER 0.0051; 0.1 84.1%, 0.0045; 0.2 and 0.3 86.0%, 0.0040. Choosing again
/// always (EUC-KR and Big5 through U+FFFD lose far more than Shift_JIS: a character in two
/// or three, against a few in a hundred) took tests/cjk's CP949 U+FFFD from CER 0.154 to
/// 0.161 and Big5 from 0.458 to 0.460; 0.2 leaves both as they were.
const LIGHT_LOSS: f32 = 0.2;

/// Spellings of one guessed character tried at most in [`refills`] (a character that holds
/// a pair and one side of another has a few thousand).
const MAX_SPELLINGS: usize = 1 << 14;

/// Every filling of a hole of `len` bytes inside one character, before `after`.
fn fillings(codec: &Codec, len: usize, after: Next, per_byte: bool) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    match len {
        1 => {
            for v in 0x80u8..=0xFF {
                if alone_ok(codec, v, after, per_byte) {
                    out.push(vec![v]);
                }
            }
        }
        2 => {
            for l in 0x80u8..=0xFF {
                let (conts, leads) = &codec.bad_trails[usize::from(l)];
                for &t in conts.iter().chain(leads) {
                    out.push(vec![l, t]);
                }
            }
        }
        3 => {
            for l in 0x80u8..=0xFF {
                let (conts, leads) = &codec.bad_trails[usize::from(l)];
                for &t in conts.iter().chain(leads) {
                    for &u in &codec.bad_thirds[usize::from(l) << 8 | usize::from(t)] {
                        out.push(vec![l, t, u]);
                    }
                }
            }
        }
        _ => {}
    }
    out
}

/// Times the reconstructor is asked again after a split pair came out wrong.
const MAX_REVISIONS: usize = 4;

/// The indices of the characters that start a pair split between two characters in `path`
/// that the decoder would not have rejected (the two sides were chosen independently).
fn invalid_split_pairs(path: &Path, chars: &[Node], codec: &Codec) -> Vec<usize> {
    let out: Vec<char> = path.text.chars().collect();
    let mut bad = Vec::new();
    if out.len() != chars.len() {
        return (0..chars.len().saturating_sub(1)).collect();
    }
    for i in 0..chars.len().saturating_sub(1) {
        if let Some(at) = split_positions(&chars[i], &chars[i + 1]) {
            if !split_pair_ok(out[i], out[i + 1], at, codec) {
                bad.push(i);
            }
        }
    }
    bad
}

/// Where a rejected pair split one byte each between `a` and the character after it, `b`,
/// sits: `a`'s last guessed byte and `b`'s first, when they are of the same hole and the
/// only bytes of it on their side.
fn split_positions(a: &Node, b: &Node) -> Option<(usize, usize)> {
    let (la, lb) = (a.ch.len_utf8(), b.ch.len_utf8());
    let pa = (0..la).rev().find(|&k| a.mask & (1 << k) != 0)?;
    let pb = (0..lb).find(|&k| b.mask & (1 << k) != 0)?;
    let h = a.holes[pa];
    if h == NO_HOLE || b.holes[pb] != h {
        return None;
    }
    let alone_a = pa == 0 || a.mask & (1 << (pa - 1)) == 0 || a.holes[pa - 1] != h;
    let alone_b = pb + 1 >= lb || b.mask & (1 << (pb + 1)) == 0 || b.holes[pb + 1] != h;
    (alone_a && alone_b).then_some((pa, pb))
}

/// Whether `a` and `b` have at `(pa, pb)` (see [`split_positions`]) the two bytes of one
/// rejected pair.
fn split_pair_ok(a: char, b: char, (pa, pb): (usize, usize), codec: &Codec) -> bool {
    let (mut ba, mut bb) = ([0u8; 4], [0u8; 4]);
    let ea = a.encode_utf8(&mut ba).as_bytes();
    let eb = b.encode_utf8(&mut bb).as_bytes();
    let (Some(&l), Some(&t)) = (ea.get(pa), eb.get(pb)) else { return false };
    let (conts, leads) = &codec.bad_trails[usize::from(l)];
    conts.contains(&t) || leads.contains(&t)
}

/// Whether byte `b` alone can be a rejected sequence before `after`. A WHATWG decoder
/// rejects a lead byte alone only before ASCII or the end (before anything else it rejects
/// the pair); with `per_byte` (Python's codecs) a lead rejected before any byte is alone.
fn alone_ok(codec: &Codec, b: u8, after: Next, per_byte: bool) -> bool {
    let bi = usize::from(b);
    if per_byte {
        // Python's codec rejects a lead alone when it and the byte after it are not a pair
        // it maps, and decodes that byte again; where that byte is not known (after another
        // hole, at the end), any lead may have been.
        return codec.per_byte_lone[bi]
            || match after {
                Next::Ascii(t) | Next::NonAscii(Some(t)) => {
                    codec.per_byte_before[bi][usize::from(t / 64)] & (1 << (t % 64)) != 0
                }
                Next::NonAscii(None) | Next::End => codec.is_lead[bi],
            };
    }
    codec.lone_invalid[bi]
        || (codec.is_lead[bi]
            && match after {
                Next::Ascii(a) => codec.lead_then_ascii[bi] & (1 << a) != 0,
                Next::End => true,
                Next::NonAscii(_) => false,
            })
}

/// Bytes that Python's codec for `page` rejects before `next`, where the WHATWG
/// decoder this module models takes them: Python's codecs follow the base standards, the
/// WHATWG ones their vendors' extensions.
/// - `shift_jis` is JIS X 0208 alone: it rejects 0x80 (U+0080 in WHATWG) and the lead
///   bytes of the NEC and IBM rows (0x87, 0xED, 0xEE, 0xFA–0xFC).
/// - `gbk` rejects 0x80 (the euro sign in WHATWG) and 0xFF, and leaves the user-defined
///   areas unmapped, which WHATWG maps to private use: a pair decoding to private use.
/// - `big5` has no HKSCS: lead bytes 0x81–0xA0 and 0xFA–0xFE.
/// - `euc_kr` is KS X 1001 without the UHC extension: lead bytes 0x81–0xA0 and trail bytes
///   below 0xA1 (this over-generates for `cp949`, which has UHC; the extra candidates only
///   cost search).
fn python_rejects(page: CodePage, encoding: &'static Encoding, b: u8, next: Option<u8>) -> bool {
    match page {
        CodePage::ShiftJis => matches!(b, 0x80 | 0x87 | 0xED | 0xEE | 0xFA..=0xFC),
        CodePage::Gbk => {
            matches!(b, 0x80 | 0xFF)
                || next.is_some_and(|t| {
                    encoding
                        .decode_without_bom_handling_and_without_replacement(&[b, t])
                        .and_then(|s| s.chars().next())
                        .is_some_and(|c| ('\u{E000}'..='\u{F8FF}').contains(&c))
                })
        }
        CodePage::Big5 => matches!(b, 0x81..=0xA0 | 0xFA..=0xFE),
        CodePage::EucKr => matches!(b, 0x81..=0xA0) || (b >= 0xA1 && next.is_some_and(|t| t < 0xA1)),
        _ => false,
    }
}

/// Every filling of one hole from `st`: a lone rejected byte, a lead byte rejected before
/// the ASCII byte after it (or the end), or a lead–trail pair rejected together.
fn fill_hole(st: &State, codec: &Codec, after: Next, per_byte: bool, hole: u32, out: &mut Vec<State>) {
    let range = if st.plen > 0 { 0x80u8..=0xBF } else { 0xC2u8..=0xF4 };
    for b in range {
        let bi = usize::from(b);
        // One byte per replacement: no pairs.
        let lead = codec.is_lead[bi] && !per_byte;
        let alone = alone_ok(codec, b, after, per_byte);
        if !alone && !lead {
            continue;
        }
        let mut s1 = *st;
        if !feed(&mut s1, &[b], Some(hole)) {
            continue;
        }
        if alone {
            out.push(s1);
        }
        if lead {
            let (conts, leads) = &codec.bad_trails[bi];
            let trails = if s1.plen > 0 { conts } else { leads };
            for &t in trails {
                let mut s2 = s1;
                if feed(&mut s2, &[t], Some(hole)) {
                    let thirds = &codec.bad_thirds[bi << 8 | usize::from(t)];
                    for &u in thirds {
                        let mut s3 = s2;
                        if feed(&mut s3, &[u], Some(hole)) {
                            out.push(s3);
                        }
                    }
                    out.push(s2);
                }
            }
        }
    }
}

/// Keeps the best state per (partial character, last character), then the best ones, at
/// most [`PER_SHAPE`] per partial character: states that split the bytes into characters
/// differently must survive beside each other, or a cheap but wrong split can crowd out the
/// only one the following bytes fit.
fn prune(states: &mut Vec<State>) {
    let shape = |s: &State| (u32::from_le_bytes(s.pend) & mask_of(s.plen), s.plen);
    let key = |s: &State| (shape(s), s.last);
    states.sort_unstable_by(|a, b| key(a).cmp(&key(b)).then(a.cost.total_cmp(&b.cost)));
    states.dedup_by(|later, first| key(later) == key(first));
    if states.len() <= BEAM {
        return;
    }
    // A partial character has no cost yet, so every way of splitting a hole ties: rank
    // partial characters by the cheapest character they can still become, or the beam
    // fills up with whichever splits sort first.
    let outlook = |s: &State| s.cost + pending_outlook(&s.pend[..usize::from(s.plen)]);
    states.sort_unstable_by(|a, b| outlook(a).total_cmp(&outlook(b)));
    let mut per_shape: HashMap<(u32, u8), usize> = HashMap::new();
    let mut kept = 0;
    // The best state of each partial length (none pending, one, two or three bytes pending)
    // survives even past the beam: the next bytes may fit only states of one length (a lead
    // byte needs a finished character before it), and fifty cheap-looking partial characters
    // of other lengths must not leave the search without one.
    let mut length_seen = [false; 4];
    states.retain(|s| {
        let n = per_shape.entry(shape(s)).or_default();
        let first_of_length = !std::mem::replace(&mut length_seen[usize::from(s.plen).min(3)], true);
        let keep = (kept < BEAM && *n < PER_SHAPE) || first_of_length;
        if keep {
            *n += 1;
            kept += 1;
        }
        keep
    });
}

/// The lowest cost (after a space, so without context) of any character real text can hold
/// whose UTF-8 starts with `pend`.
fn pending_outlook(pend: &[u8]) -> f32 {
    static TABLE: OnceLock<(Vec<f32>, Vec<f32>)> = OnceLock::new();
    let (one, two) = TABLE.get_or_init(|| {
        let mut one = vec![f32::INFINITY; 256];
        let mut two = vec![f32::INFINITY; 65536];
        for u in (0x80u32..0x30000).chain(0xE0000..0xE0080) {
            let Some(c) = char::from_u32(u) else { continue };
            if !could_be_text(c) {
                continue;
            }
            let cost = model::cost(' ', c);
            let mut buf = [0u8; 4];
            let b = c.encode_utf8(&mut buf).as_bytes();
            let i = usize::from(b[0]);
            one[i] = one[i].min(cost);
            let j = i << 8 | usize::from(b[1]);
            two[j] = two[j].min(cost);
        }
        (one, two)
    });
    match *pend {
        [] => 0.0,
        [a] => one[usize::from(a)],
        [a, b, ..] => two[usize::from(a) << 8 | usize::from(b)],
    }
}

/// States kept per partial character in [`prune`].
const PER_SHAPE: usize = 16;

fn mask_of(plen: u8) -> u32 {
    match plen {
        0 => 0,
        1 => 0xFF,
        2 => 0xFFFF,
        3 => 0xFF_FFFF,
        _ => u32::MAX,
    }
}

/// The repair of one run under a hypothesis, with its gain in nats before the run prior.
#[derive(Debug, Clone)]
struct Candidate {
    run: usize,
    repaired: String,
    guesses: Vec<Guess>,
    gain: f32,
    intact: usize,
    holes: usize,
}

/// Reads a run of UTF-8 misread as `codec`, if its bytes can be UTF-8 under `mode`.
fn read_run(text: &str, run: &Run, codec: &Codec, mode: Mode, min_margin: f32, allowed: Families) -> Option<Reading> {
    let run_text = &text[run.start..run.end];
    let toks = tokenize(run_text, run, codec, mode)?;
    let simple = toks.iter().all(|t| matches!(t, Tok::Known(s) if s.len() == 1));
    if simple {
        // Lossless and unambiguous: no search.
        let mut bytes = Vec::with_capacity(run_text.len());
        for t in &toks {
            if let Tok::Known(s) = t {
                bytes.extend_from_slice(s[0].bytes());
            }
        }
        let s = std::str::from_utf8(&bytes).ok()?;
        if s.contains('\u{FFFD}') {
            return None;
        }
        let intact = s.chars().filter(|c| !c.is_ascii()).count();
        return Some(Reading {
            text: s.to_string(),
            cost: model::cost_of_str(run.left, s, run.right),
            guesses: Vec::new(),
            intact,
            holes: 0,
        });
    }
    beam_search(&toks, codec, (run.left, run.right), min_margin, allowed)
}

/// The scripts (bits over [`Script`]) a guess may be of at no extra cost, and the extra
/// cost in nats of a guess of any other script.
#[derive(Debug, Clone, Copy)]
struct Families {
    scripts: u32,
    foreign_cost: f32,
}
const ALL_FAMILIES: Families = Families { scripts: u32::MAX, foreign_cost: 0.0 };
/// Characters a document must show whole before its scripts price the guesses.
const MIN_INTACT_FOR_FAMILIES: usize = 8;

fn bit(script: Script) -> u32 {
    1 << (script as u32)
}

fn family_allowed(c: char, allowed: Families) -> bool {
    allowed.scripts & bit(Script::of(c)) != 0
}

/// The scripts a hole of the document may be filled with at no extra cost: those of the
/// characters it shows whole (the UTF-8 sequences that the bytes between its holes hold),
/// and white space, digits and ASCII punctuation. Japanese writes its particles and
/// endings in kana, so a document of hanzi without one kana is Chinese and its holes are
/// hardly kana; a Korean document shows hangul, and hanja, CJK punctuation, combining
/// marks or math symbols in its holes are what the bigram likes, not what Korean holds.
/// Japanese and Chinese may have every kanji, or every comma, of a stretch damaged, so kana
/// bring Han, and kana or Han bring CJK punctuation. Until the document shows enough
/// characters whole, no script is preferred. A guess of another script costs what the rule
/// of succession gives the next character being of a script not seen in n: ln(n + 2).
fn guess_families(text: &str, runs: &[Run], codec: &Codec, mode: Mode) -> Families {
    if mode == Mode::Lossless {
        return ALL_FAMILIES;
    }
    let hole = hole_char(mode);
    let (mut shown, mut intact) = (0u32, 0usize);
    let mut scan = |bytes: &[u8]| {
        let mut i = 0;
        while i < bytes.len() {
            let n = match bytes[i] {
                0xC2..=0xDF => 2,
                0xE0..=0xEF => 3,
                0xF0..=0xF4 => 4,
                _ => {
                    i += 1;
                    continue;
                }
            };
            match bytes.get(i..i + n).and_then(|seq| std::str::from_utf8(seq).ok()).and_then(|s| s.chars().next()) {
                Some(c) => {
                    shown |= bit(Script::of(c));
                    intact += 1;
                    i += n;
                }
                None => i += 1,
            }
        }
    };
    let mut bytes = Vec::with_capacity(64);
    let runs = runs.iter().filter(|run| {
        let s = &text[run.start..run.end];
        !s.is_ascii() && !s.chars().all(|c| Some(c) == hole)
    });
    for run in runs.take(SAMPLE_RUNS) {
        let Some(toks) = tokenize(&text[run.start..run.end], run, codec, mode) else { continue };
        for tok in &toks {
            match tok {
                Tok::Known(seqs) => bytes.extend_from_slice(seqs.first().map_or(&[][..], |s| s.bytes())),
                Tok::Hole { .. } => {
                    scan(&bytes);
                    bytes.clear();
                }
            }
        }
        scan(&bytes);
        bytes.clear();
    }
    if intact < MIN_INTACT_FOR_FAMILIES {
        return ALL_FAMILIES;
    }
    let kana = bit(Script::Hiragana) | bit(Script::Katakana);
    let mut allowed = shown | bit(Script::Space) | bit(Script::Digit) | bit(Script::AsciiPunct);
    if shown & kana != 0 {
        allowed |= kana | bit(Script::Han);
    }
    if shown & (kana | bit(Script::Han)) != 0 {
        allowed |= bit(Script::CjkPunct);
    }
    Families { scripts: allowed, foreign_cost: (intact as f32 + 2.0).ln() }
}

/// UTF-8 of accented Latin, Greek or Cyrillic read as a double-byte page gives CJK
/// characters too (`café` as GBK is `caf茅`), but a pair of CJK characters also reads back as
/// such letters by chance (时小 is `ʱС` read as GBK). A repair to letters alone is taken when
/// it touches a word in ASCII letters or is long enough to be a word itself.
fn plausible_shape(repaired: &str, run: &Run) -> bool {
    let cjk = repaired.chars().any(|c| Script::of(c).is_cjk());
    cjk || run.left.is_ascii_alphabetic()
        || run.right.is_ascii_alphabetic()
        || repaired.chars().filter(|c| !c.is_ascii()).count() >= MIN_LETTERS_ALONE
}

/// Non-CJK characters a repair needs to stand without an ASCII letter beside it.
const MIN_LETTERS_ALONE: usize = 4;

fn hole_char(mode: Mode) -> Option<char> {
    match mode {
        Mode::Replaced(c) | Mode::ReplacedPerByte(c) => Some(c),
        _ => None,
    }
}

/// The cost of a run as it stands, with its holes as 〓.
fn keep_cost(text: &str, run: &Run, mode: Mode) -> f32 {
    let s = &text[run.start..run.end];
    match hole_char(mode) {
        Some(h) if h != '?' && s.contains(h) => {
            let replaced = s.replace(h, HOLE_STAND_IN.encode_utf8(&mut [0u8; 4]));
            model::cost_of_str(run.left, &replaced, run.right)
        }
        _ => model::cost_of_str(run.left, s, run.right),
    }
}

/// A scored hypothesis: its score, the layer, and whether every run was looked at.
struct Scored {
    score: f32,
    layer: Layer,
    /// The sum of the runs' gains, in the layer's span order. For a transcoding layer each
    /// run's gain is exactly [`layer_gain`]'s term for its span (the same model costs of the
    /// same strings in the same context, subtracted in the same order), so this is
    /// `layer_gain(text, &layer, false)`, bit for bit, without asking the model again.
    gains: f32,
}

/// Scores UTF-8 read as `page` with loss `mode` on the runs of `text`; `all` looks at every
/// run instead of a sample.
fn try_utf8_as(text: &str, page: CodePage, mode: Mode, all: bool, min_margin: f32) -> Option<Scored> {
    let codec = codec(page);
    let hole = hole_char(mode);
    let runs = runs_where(text, |c| (!c.is_ascii() && (Some(c) == hole || codec.encodes(c))) || Some(c) == hole);
    let allowed = guess_families(text, &runs, codec, mode);
    let mut cands = Vec::new();
    let mut looked = 0;
    for (i, run) in runs.iter().enumerate() {
        let s = &text[run.start..run.end];
        if s.is_ascii() || s.chars().all(|c| Some(c) == hole) {
            continue;
        }
        if !all && looked >= SAMPLE_RUNS {
            break;
        }
        looked += 1;
        let Some(reading) = read_run(text, run, codec, mode, min_margin, allowed) else { continue };
        if reading.text == s || !plausible_shape(&reading.text, run) {
            continue;
        }
        let gain = keep_cost(text, run, mode) - reading.cost - HOLE_COST * reading.holes as f32;
        cands.push(Candidate {
            run: i,
            repaired: reading.text,
            guesses: reading.guesses,
            gain,
            intact: reading.intact,
            holes: reading.holes,
        });
    }
    finish(text, &runs, cands, page, None, mode)
}

/// Chooses the runs a hypothesis repairs and builds its layer.
fn finish(
    text: &str,
    runs: &[Run],
    mut cands: Vec<Candidate>,
    page: CodePage,
    source: Option<CodePage>,
    mode: Mode,
) -> Option<Scored> {
    let prior = match source {
        None => page_prior(page) + mode.prior(),
        Some(s) => page_prior(s) + outer_prior(page).unwrap_or(4.0),
    };
    let raw: f32 = cands.iter().map(|c| c.gain - RUN_PRIOR).filter(|&g| g > 0.0).sum::<f32>() - prior;
    let confirmed = raw >= CONFIRMED_SCORE;
    let run_prior = if confirmed { CONFIRMED_RUN_PRIOR } else { RUN_PRIOR };
    // One misread character can be a legitimate one (`ÃÕ` reads as ラ through EUC-JP): until
    // the document is known to be misread, a run must give two characters seen whole.
    cands.retain(|c| c.gain - run_prior > 0.0 && (confirmed || c.intact >= MIN_RUN_INTACT));
    let intact: usize = cands.iter().map(|c| c.intact).sum();
    if cands.iter().any(|c| c.holes > 0) && intact < MIN_INTACT {
        // Holes alone are no evidence.
        cands.retain(|c| c.holes == 0);
    }
    let score = cands.iter().map(|c| c.gain - run_prior).sum::<f32>() - prior;
    if cands.is_empty() || score <= 0.0 {
        return None;
    }
    let gains = cands.iter().map(|c| c.gain).sum::<f32>();
    let spans = cands
        .into_iter()
        .map(|c| {
            let run = &runs[c.run];
            SpanRepair {
                range: run.start..run.end,
                original: text[run.start..run.end].to_string(),
                repaired: c.repaired,
                guesses: c.guesses,
            }
        })
        .collect();
    let loss = mode.loss();
    Some(Scored { score, layer: Layer { code_page: page, source, loss, spans }, gains })
}

/// Runs of double-byte text read through `outer`: characters of the page at or above 0x40.
/// Every trail byte of the double-byte pages is ≥ 0x40, and every byte below (space, digits,
/// most ASCII punctuation) stands alone, so the runs split there without cutting a character.
/// ([`Misread::new`] finds the same runs in its own pass.)
#[cfg(test)]
fn transcode_runs(text: &str, outer: CodePage) -> Vec<Run> {
    runs_where(text, |c| c as u32 >= 0x40 && c != '\u{7F}' && outer.encode_char(c).is_some())
}

/// Decodes `bytes` strictly as `source`, if they hold at least one double-byte character.
fn decode_strict(bytes: &[u8], source: CodePage) -> Option<String> {
    let s = encoding_of(source).decode_without_bom_handling_and_without_replacement(bytes)?;
    // Only a character of two bytes or more is evidence: single high bytes (half-width
    // katakana in Shift_JIS, € in GBK) are what any Latin-1 letter becomes. Fewer non-ASCII
    // characters than high bytes means some character took two.
    let high = bytes.iter().filter(|&&b| b >= 0x80).count();
    let double = s.chars().filter(|c| !c.is_ascii()).count() < high;
    double.then(|| s.into_owned())
}

/// Whether the non-ASCII characters of `s` are what text in `source` is written with: kana,
/// Han and CJK punctuation for the Japanese pages, Han and punctuation for the Chinese ones,
/// Hangul (with Han and punctuation) for Korean. The pages also hold Greek, Cyrillic and box
/// drawing, which is what a run of Latin-1 symbols (`©®°±`) or CP437 frames decodes to.
fn in_family(s: &str, source: CodePage) -> bool {
    let (mut core, mut symbols, mut hangul) = (0usize, 0usize, false);
    for c in s.chars().filter(|c| !c.is_ascii()) {
        let script = Script::of(c);
        hangul |= script == Script::Hangul;
        let is_core = match source {
            CodePage::ShiftJis | CodePage::EucJp => {
                matches!(script, Script::Hiragana | Script::Katakana | Script::Han | Script::CjkPunct)
            }
            CodePage::EucKr => matches!(script, Script::Hangul | Script::Han | Script::CjkPunct),
            _ => matches!(script, Script::Han | Script::CjkPunct),
        };
        if is_core {
            core += 1;
        } else if matches!(script, Script::Other | Script::LatinSymbol) {
            // Circled digits, Roman numerals, arrows and marks (①, Ⅰ, ※, →) are in every
            // page and in real text, between the letters.
            symbols += 1;
        } else {
            return false;
        }
    }
    core > 2 * symbols && (source != CodePage::EucKr || hangul)
}

/// The runs of a text read through a single-byte page, with their bytes (empty for runs of
/// ASCII only): computed once per page, decoded once per double-byte page.
struct Misread {
    outer: CodePage,
    runs: Vec<Run>,
    bytes: Vec<Vec<u8>>,
    /// Whether the runs go to the end of the text (not cut at a limit).
    complete: bool,
}

impl Misread {
    /// The runs of [`transcode_runs`] with their bytes, in one pass that splits the runs and
    /// re-encodes their characters together (each character is decoded and looked up once;
    /// this runs for every outer page whenever the text is dense in high characters, which
    /// includes all single-byte mojibake). The tests compare it with [`Misread::by_definition`].
    fn new(text: &str, outer: CodePage) -> Misread {
        Misread::read(text, outer, usize::MAX).0
    }

    /// [`Misread::new`] up to the `limit`th run with bytes: the runs a sampled
    /// [`try_transcode`] looks at (it stops before the run after its [`SAMPLE_RUNS`]th), all
    /// of them when the text has no more; with the counts of [`utf8_shape`] over the whole
    /// text (high bytes, and those in sequences), read on past the last run kept without
    /// keeping more (see [`utf8_shape_from`]).
    fn read(text: &str, outer: CodePage, limit: usize) -> (Misread, (usize, usize)) {
        let text_bytes = text.as_bytes();
        let mut runs = Vec::new();
        let mut bytes = Vec::new();
        let (mut high, mut in_sequences) = (0usize, 0usize);
        // The run being read: where it starts, the character before it, its bytes, and
        // whether all its characters are ASCII (a run of ASCII letters keeps no bytes).
        let mut open: Option<(usize, char)> = None;
        let mut run_bytes: Vec<u8> = Vec::new();
        let mut run_ascii = true;
        // Keeps the run's bytes; gives their shape.
        let close = |bytes: &mut Vec<Vec<u8>>, run_bytes: &mut Vec<u8>, run_ascii: &mut bool| {
            let shape = if *run_ascii {
                bytes.push(Vec::new());
                (0, 0)
            } else {
                // A copy of exactly its size; the buffer keeps its capacity for the next run.
                bytes.push(run_bytes.clone());
                utf8_shape(run_bytes)
            };
            run_bytes.clear();
            *run_ascii = true;
            shape
        };
        let mut prev = model::START;
        let mut with_bytes = 0usize;
        let mut i = 0;
        while i < text_bytes.len() {
            // ASCII is most of any Latin text: no decoding, no table (every page maps it to
            // itself).
            let (c, len, byte) = match text_bytes[i] {
                b @ 0x00..=0x7F => (char::from(b), 1, (b >= 0x40 && b != 0x7F).then_some(b)),
                _ => {
                    let (c, len) = crate::normalize::decode_at(text_bytes, i);
                    (c, len, outer.encode_char(c))
                }
            };
            match byte {
                Some(b) => {
                    if open.is_none() {
                        open = Some((i, prev));
                    }
                    run_bytes.push(b);
                    run_ascii &= c.is_ascii();
                }
                None => {
                    if let Some((start, left)) = open.take() {
                        runs.push(Run { start, end: i, left, right: c, next_byte: Some(text_bytes[i]) });
                        if !run_ascii {
                            with_bytes += 1;
                        }
                        let (h, s) = close(&mut bytes, &mut run_bytes, &mut run_ascii);
                        (high, in_sequences) = (high + h, in_sequences + s);
                        if with_bytes == limit {
                            // The rest is only measured. The character at `i` ended the run,
                            // so no stretch of high bytes is open there.
                            let (h, s) = utf8_shape_from(text, outer, i);
                            let misread = Misread { outer, runs, bytes, complete: false };
                            return (misread, (high + h, in_sequences + s));
                        }
                    }
                }
            }
            prev = c;
            i += len;
        }
        if let Some((start, left)) = open {
            runs.push(Run { start, end: text.len(), left, right: model::START, next_byte: None });
            let (h, s) = close(&mut bytes, &mut run_bytes, &mut run_ascii);
            (high, in_sequences) = (high + h, in_sequences + s);
        }
        (Misread { outer, runs, bytes, complete: true }, (high, in_sequences))
    }

    /// What [`Misread::new`] computes, as first written: the runs, then each run's bytes.
    #[cfg(test)]
    fn by_definition(text: &str, outer: CodePage) -> Misread {
        let runs = transcode_runs(text, outer);
        let bytes: Vec<Vec<u8>> = runs
            .iter()
            .map(|run| {
                let s = &text[run.start..run.end];
                if s.is_ascii() {
                    Vec::new()
                } else {
                    s.chars().filter_map(|c| outer.encode_char(c)).collect()
                }
            })
            .collect();
        Misread { outer, runs, bytes, complete: true }
    }

    /// Whether the re-encoded runs, taken together, have the shape of UTF-8 (see
    /// [`utf8_shape`]): what [`Misread::read`] measures as it reads.
    #[cfg(test)]
    fn utf8_shaped(&self) -> bool {
        let (high, in_sequences) =
            self.bytes.iter().map(|b| utf8_shape(b)).fold((0, 0), |(h, s), (bh, bs)| (h + bh, s + bs));
        high > 0 && 2 * in_sequences >= high
    }
}

/// The counts of [`utf8_shape`] (high bytes, and those in well-formed sequences of three or
/// four) of the text from byte `from` on, read through `outer`, where no run is open: what
/// [`Misread::new`] adds up run by run, without keeping runs or bytes. [`utf8_shape`] of a
/// run is the sum of its terms over the run's stretches of high bytes: ASCII bytes (in runs,
/// the letters) are skipped and end every sequence (a well-formed sequence of three or four
/// bytes is all high bytes), as does a run's end; so each stretch is measured alone, in a
/// reused buffer.
fn utf8_shape_from(text: &str, outer: CodePage, from: usize) -> (usize, usize) {
    let bytes = text.as_bytes();
    let (mut high, mut in_sequences) = (0usize, 0usize);
    let mut stretch: Vec<u8> = Vec::new();
    let mut end_stretch = |stretch: &mut Vec<u8>| {
        if !stretch.is_empty() {
            let (h, s) = utf8_shape(stretch);
            high += h;
            in_sequences += s;
            stretch.clear();
        }
    };
    let mut i = from;
    while i < bytes.len() {
        if bytes[i].is_ascii() {
            end_stretch(&mut stretch);
            i = next_non_ascii(bytes, i);
            continue;
        }
        let (c, len) = crate::normalize::decode_at(bytes, i);
        match outer.encode_char(c) {
            // A character of the page at or above 0x80 continues the run and the stretch
            // (non-ASCII characters never encode below 0x80 on these pages, but a byte below
            // would end the stretch all the same).
            Some(b) if b >= 0x80 => stretch.push(b),
            _ => end_stretch(&mut stretch),
        }
        i += len;
    }
    end_stretch(&mut stretch);
    (high, in_sequences)
}

/// Whether counts of [`utf8_shape`] are those of UTF-8: half of the high bytes or more in
/// sequences.
fn is_utf8_shaped((high, in_sequences): (usize, usize)) -> bool {
    high > 0 && 2 * in_sequences >= high
}

/// Scores double-byte text in `source` read as the single-byte page of `misread`.
fn try_transcode(text: &str, misread: &Misread, source: CodePage, all: bool) -> Option<Scored> {
    let mut readings = Vec::new();
    let mut looked = 0;
    // A run's reading is a function of its bytes: short ones that recur (a word of French
    // mojibake) are decoded and judged once.
    let mut short: HashMap<&[u8], Option<String>> = HashMap::new();
    let read = |bytes: &[u8]| decode_strict(bytes, source).filter(|repaired| in_family(repaired, source));
    for (i, (run, bytes)) in misread.runs.iter().zip(&misread.bytes).enumerate() {
        if bytes.is_empty() {
            continue;
        }
        if !all && looked >= SAMPLE_RUNS {
            break;
        }
        looked += 1;
        let reading = if bytes.len() <= SHORT_SPAN_BYTES {
            short.entry(bytes).or_insert_with(|| read(bytes)).clone()
        } else {
            read(bytes)
        };
        if let Some(repaired) = reading {
            readings.push((i, run, repaired));
        }
    }
    // One double-byte character for everything (`ÃÃ ÃÃ` as 쳉 쳉) is as much one single-byte
    // pair repeated: the reading needs at least two different characters to stand on. Checked
    // before the model is asked, which is the expensive part.
    let mut seen = readings.iter().flat_map(|(_, _, r)| r.chars()).filter(|c| !c.is_ascii());
    let first = seen.next();
    if !seen.any(|c| Some(c) != first) {
        return None;
    }
    // A run's gain is a function of its text and the characters around it (its reading is
    // one of its text), so short runs that recur are priced once (see `layer_gain`).
    let mut memo: HashMap<(char, char, &str), f32> = HashMap::new();
    let cands = readings
        .into_iter()
        .map(|(i, run, repaired)| {
            let s = &text[run.start..run.end];
            let gain_of = || {
                let cost = model::cost_of_str(run.left, &repaired, run.right);
                model::cost_of_str(run.left, s, run.right) - cost
            };
            let gain = if s.len() <= SHORT_SPAN_BYTES {
                *memo.entry((run.left, run.right, s)).or_insert_with(gain_of)
            } else {
                gain_of()
            };
            let intact = repaired.chars().filter(|c| !c.is_ascii()).count();
            Candidate { run: i, repaired, guesses: Vec::new(), gain, intact, holes: 0 }
        })
        .collect();
    finish(text, &misread.runs, cands, misread.outer, Some(source), Mode::Lossless)
}

/// How many high bytes `bytes` has, and how many of them sit in well-formed UTF-8 sequences
/// of three or four bytes. UTF-8 keeps that shape (half of its high bytes or more) even when
/// a strict decoder dropped some of its bytes; the lead and trail bytes of the double-byte
/// pages make such sequences only by chance (Shift_JIS kana and first-level kanji lead with
/// 0x81–0x9F, which UTF-8 reads as continuation bytes; EUC and GBK trails rarely line up as
/// two continuations after a lead).
fn utf8_shape(bytes: &[u8]) -> (usize, usize) {
    let (mut high, mut in_sequences) = (0usize, 0usize);
    let mut i = 0;
    while i < bytes.len() {
        let len = match bytes[i] {
            0x00..=0x7F => {
                i += 1;
                continue;
            }
            0xE0..=0xEF => 3,
            0xF0..=0xF4 => 4,
            _ => 1,
        };
        let whole = len > 1 && bytes.get(i..i + len).is_some_and(|seq| std::str::from_utf8(seq).is_ok());
        let step = if whole { len } else { 1 };
        high += step;
        if whole {
            in_sequences += step;
        }
        i += step;
    }
    (high, in_sequences)
}

/// The longest span (in bytes, before and after repair) whose gain is remembered by content
/// in [`layer_gain`] and [`try_transcode`]: a few characters, the mojibake that recurs word
/// after word. Longer ones hardly ever recur in real text; remembering them would only
/// flatter a benchmark made of repeated paragraphs.
const SHORT_SPAN_BYTES: usize = 16;

/// How much more plausible a layer makes the text: the model cost of each span as it was
/// minus as repaired, in context. A single-byte layer is judged as the detector judges it,
/// with the lossless layers under it undone too: the middle of a two-layer misreading
/// (`Ã¢ÂœÂ…` → `â` and two C1 controls → ✅) looks worse than either end, and would lose to a
/// double-byte reading of the outer layer (`창혵혚`, the same bytes as EUC-KR).
///
/// A span's term depends on its two strings and the characters around it only, so the term
/// of a short span is remembered by those (`Ã©` → `é` between the same two letters recurs all
/// over a French text) and the model is asked once per distinct one; the sum is taken in
/// span order as before, so it is the same number.
///
/// `known` holds, by span, terms already computed (the detector's, for its own layer: see
/// [`crate::detect::SingleLayer`]); the others are computed.
fn layer_gain(text: &str, layer: &Layer, lookahead: bool, known: &[Option<f32>]) -> f32 {
    let mut memo: HashMap<(char, char, &str, &str), f32> = HashMap::new();
    layer
        .spans
        .iter()
        .enumerate()
        .map(|(k, span)| {
            let left = text[..span.range.start].chars().next_back().unwrap_or(model::START);
            let right = text[span.range.end..].chars().next().unwrap_or(model::START);
            let term = || {
                let repaired = if lookahead {
                    crate::detect::unwrapped_cost(&span.repaired, left, right, crate::detect::LOOKAHEAD_LAYERS)
                } else {
                    model::cost_of_str(left, &span.repaired, right)
                };
                model::cost_of_str(left, &span.original, right) - repaired
            };
            if let Some(&Some(known)) = known.get(k) {
                debug_assert_eq!(known.to_bits(), term().to_bits(), "{span:?}");
                return known;
            }
            if span.original.len() > SHORT_SPAN_BYTES || span.repaired.len() > SHORT_SPAN_BYTES {
                return term();
            }
            *memo.entry((left, right, span.original.as_str(), span.repaired.as_str())).or_insert_with(term)
        })
        .sum()
}

/// The best layer to undo: the single-byte detector's (`single`) or a double-byte one,
/// whichever makes the text more plausible.
/// `screen` is [`crate::scan::screen`] of `text`.
pub(crate) fn best_layer(text: &str, options: &Options, single: Option<SingleLayer>, screen: &Screen) -> Option<Layer> {
    if single.as_ref().is_some_and(|s| s.transcoded) {
        // Hundreds of runs that each re-encode to UTF-8 through one page: UTF-8 misread
        // through it, which no double-byte reading beats.
        return single.map(|s| s.layer);
    }
    let Some(cjk) = best_cjk_layer(text, options, screen) else {
        return single.map(|s| s.layer);
    };
    // A transcoding layer knows its gain already (see `Scored::gains`); a UTF-8 reading's
    // run gains are not layer_gain's terms (holes, their stand-in), so it is asked.
    let cjk_gain = || match cjk.layer.source {
        Some(_) => {
            debug_assert_eq!(cjk.gains.to_bits(), layer_gain(text, &cjk.layer, false, &[]).to_bits());
            cjk.gains
        }
        None => layer_gain(text, &cjk.layer, false, &[]),
    };
    match single {
        Some(s) if layer_gain(text, &s.layer, true, &s.terms) >= cjk_gain() => Some(s.layer),
        _ => Some(cjk.layer),
    }
}

/// The hypotheses worth trying on `text`, as closures over (text, all runs?).
fn best_cjk_layer(text: &str, options: &Options, screen: &Screen) -> Option<Scored> {
    // Without a character some double-byte page makes of UTF-8 (`screen_utf8`) nor a dense
    // stretch for the transcodings (`screen_bytes_misread`), every hypothesis below is
    // skipped: answered from the screen, without reading the text again (ASCII has neither).
    if screen.cjk_pages == 0 && !screen.cjk_dense {
        return None;
    }
    // The double-byte pages the options allow, in order; not collected, since clean CJK
    // text comes this far, and should not allocate.
    let pages = || CodePage::DOUBLE_BYTE.into_iter().filter(|p| options.code_pages.contains(p));
    pages().next()?;
    // (score, page, source, mode)
    let mut best: Option<(f32, CodePage, Option<CodePage>, Mode)> = None;
    let mut consider = |scored: Option<Scored>, page, source, mode| {
        if let Some(s) = scored {
            if best.is_none_or(|b| s.score > b.0) {
                best = Some((s.score, page, source, mode));
            }
        }
    };
    let (screened, bytes_misread) = (screen.cjk_pages, screen.cjk_dense);
    let lossy = options.reconstruct == Reconstruct::BestGuess;
    for page in pages() {
        let bit = db_index(page).map_or(0, |i| 1u8 << i);
        if screened & bit == 0 {
            continue;
        }
        let (fraction, good) = utf8_fraction_quick(text, codec(page));
        if fraction < MIN_UTF8_FRACTION {
            continue;
        }
        let mut modes = vec![Mode::Lossless];
        if lossy && fraction >= MIN_UTF8_FRACTION_LOSSY && good >= MIN_GOOD_BYTES_LOSSY {
            if text.contains('\u{FFFD}') {
                modes.push(Mode::Replaced('\u{FFFD}'));
                modes.push(Mode::ReplacedPerByte('\u{FFFD}'));
            }
            if text.contains('?') {
                modes.push(Mode::Replaced('?'));
            }
            modes.push(Mode::Dropped);
        }
        for mode in modes {
            consider(try_utf8_as(text, page, mode, false, options.min_margin), page, None, mode);
        }
    }
    let mut misreads = Vec::new();
    let outers = || OUTER_PAGES.iter().copied().filter(|p| options.code_pages.contains(p));
    // Where the text re-encodes through some page to the shape of UTF-8, it is UTF-8 misread
    // (lossily, or it would have been repaired as such), not double-byte text: even a short
    // run of it decodes as hanzi through a double-byte page (`ä¿å` as 菫蟄). The runs are
    // read only as far as the sample goes (the winner's in full below), the shape of the
    // whole text measured in the same pass, page by page until one has it (then none is
    // kept: all of UTF-8 mojibake ends there).
    if bytes_misread {
        for outer in outers() {
            let (misread, shape) = Misread::read(text, outer, SAMPLE_RUNS);
            if is_utf8_shaped(shape) {
                misreads.clear();
                break;
            }
            misreads.push(misread);
        }
    }
    for misread in &misreads {
        let outer = misread.outer;
        for source in pages() {
            // The DOS pages are where Japanese PCs of the 1990s left Shift_JIS; for the
            // other pages they would only read box drawing as hangul and hanzi.
            if matches!(outer, CodePage::Cp437 | CodePage::Cp850) && source != CodePage::ShiftJis {
                continue;
            }
            consider(try_transcode(text, misread, source, false), outer, Some(source), Mode::Lossless);
        }
    }
    let (_, page, source, mode) = best?;
    // Apply the winner to every run, including those the sample left out.
    let scored = match source {
        None => try_utf8_as(text, page, mode, true, options.min_margin),
        Some(source) => misreads.iter().find(|m| m.outer == page).and_then(|m| {
            // The sample's reading when it went to the end of the text, else all of it.
            let full;
            let m = if m.complete {
                m
            } else {
                full = Misread::new(text, page);
                &full
            };
            try_transcode(text, m, source, true)
        }),
    };
    scored
}

/// The share of re-encoded high bytes (characters of the page, first spelling, up to
/// [`FRACTION_SAMPLE`] of them) that fall in well-formed UTF-8 sequences of three or four
/// bytes, and how many such bytes there are. UTF-8 of CJK text misread as the page gives
/// nearly 1, less where holes cut characters; clean Chinese, Japanese or Korean re-encoded
/// through the page gives such sequences by chance only, a few percent. (Two-byte sequences
/// are not counted: the EUC-style pages make them of any hanzi or hanja, a lead byte in
/// 0xC2–0xDF followed by a trail in 0xA1–0xBF; nor can the character screen tell these
/// pages' mojibake from clean text, since their decoders make ordinary hanzi and hanja of
/// lead–continuation pairs.)
fn utf8_fraction(text: &str, codec: &Codec) -> (f32, usize) {
    let mut counter = Utf8Counter::default();
    let mut seen = 0;
    for c in text.chars() {
        if c.is_ascii() || c == '\u{FFFD}' {
            counter.end_run();
            continue;
        }
        match codec.first_sequence(c) {
            Some(seq) => counter.push(seq.bytes()),
            None => counter.end_run(),
        }
        seen += 1;
        if seen >= FRACTION_SAMPLE {
            break;
        }
    }
    counter.end_run();
    if counter.high == 0 {
        (0.0, 0)
    } else {
        (counter.good as f32 / counter.high as f32, counter.good)
    }
}

/// [`utf8_fraction`]'s counts over runs of re-encoded bytes, kept in a fixed buffer: this
/// runs on clean CJK text, which should cost no allocation.
///
/// In a run, the bytes are read left to right: a lead of a three- or four-byte sequence that
/// starts well-formed UTF-8 is taken with its sequence, any other byte alone. What happens at
/// a byte depends on at most the three bytes after it, so when the buffer fills, the bytes
/// with three after them are read, and the last few carried over to the front: each is read
/// as it would have been in the whole run (`utf8_counts` in the tests is the whole-run
/// definition).
#[derive(Default)]
struct Utf8Counter {
    buf: [u8; 32],
    len: usize,
    /// High bytes seen, and bytes in well-formed three- and four-byte sequences.
    high: usize,
    good: usize,
}

impl Utf8Counter {
    fn push(&mut self, seq: &[u8]) {
        if self.len + seq.len() > self.buf.len() {
            let read = self.read(false);
            self.buf.copy_within(read..self.len, 0);
            self.len -= read;
        }
        self.high += seq.iter().filter(|&&b| b >= 0x80).count();
        self.buf[self.len..self.len + seq.len()].copy_from_slice(seq);
        self.len += seq.len();
    }

    /// Reads the rest of the run.
    fn end_run(&mut self) {
        self.read(true);
        self.len = 0;
    }

    /// Reads the buffer, all of it at the end of a run, else the bytes with three after
    /// them; returns where it stopped (at a byte it has not read).
    fn read(&mut self, end: bool) -> usize {
        let bytes = &self.buf[..self.len];
        let mut i = 0;
        while if end { i < bytes.len() } else { i + 4 <= bytes.len() } {
            let n = match bytes[i] {
                0xE0..=0xEF => 3,
                0xF0..=0xF4 => 4,
                _ => {
                    i += 1;
                    continue;
                }
            };
            if bytes.get(i..i + n).is_some_and(|seq| std::str::from_utf8(seq).is_ok()) {
                self.good += n;
                i += n;
            } else {
                i += 1;
            }
        }
        i
    }
}

/// [`utf8_fraction`], first on a short prefix: clean text is told apart within a few hundred
/// characters, and a long clean document should not pay for a long sample.
fn utf8_fraction_quick(text: &str, codec: &Codec) -> (f32, usize) {
    const PREFIX: usize = 1024;
    if text.len() > 4 * PREFIX {
        let mut end = PREFIX;
        while !text.is_char_boundary(end) {
            end += 1;
        }
        let (f, _) = utf8_fraction(&text[..end], codec);
        if f < MIN_UTF8_FRACTION / 2.0 {
            return (f, 0);
        }
    }
    utf8_fraction(text, codec)
}

/// Characters looked at by [`utf8_fraction`].
const FRACTION_SAMPLE: usize = 4000;
/// Below this share of UTF-8 the page is not tried at all; below the second, no loss form.
const MIN_UTF8_FRACTION: f32 = 0.25;
const MIN_UTF8_FRACTION_LOSSY: f32 = 0.4;
/// Bytes in well-formed UTF-8 a text must show before holes are looked for in it: a few
/// characters' worth, or a short clean text whose re-encoding happens to be half UTF-8 gets
/// its "holes" filled.
const MIN_GOOD_BYTES_LOSSY: usize = 12;

/// Undoes UTF-8 read as a double-byte `page` over the whole text, as a replayed plan does:
/// every run of the page's characters must read as UTF-8 under the loss.
pub(crate) fn undo_whole(text: &str, page: CodePage, loss: Loss) -> Result<String, Error> {
    let codec = codec(page);
    let mode = Mode::of(loss);
    let hole = hole_char(mode);
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for run in runs_where(text, |c| !c.is_ascii() || Some(c) == hole) {
        let s = &text[run.start..run.end];
        if let Some((off, ch)) = s.char_indices().find(|&(_, c)| Some(c) != hole && !codec.encodes(c)) {
            return Err(Error::NotEncodable { ch, offset: run.start + off, page });
        }
        out.push_str(&text[pos..run.start]);
        if s.chars().all(|c| Some(c) == hole) {
            out.push_str(s);
        } else {
            let reading = read_run(text, &run, codec, mode, f32::INFINITY, ALL_FAMILIES)
                .ok_or(Error::NotUtf8 { offset: run.start, page })?;
            out.push_str(&reading.text);
        }
        pos = run.end;
    }
    out.push_str(&text[pos..]);
    Ok(out)
}

/// Re-encodes the whole text through the single-byte `outer` and decodes it as `source`.
pub(crate) fn transcode_whole(text: &str, outer: CodePage, source: CodePage) -> Result<String, Error> {
    let mut bytes = Vec::with_capacity(text.len());
    for (offset, ch) in text.char_indices() {
        bytes.push(outer.encode_char(ch).ok_or(Error::NotEncodable { ch, offset, page: outer })?);
    }
    encoding_of(source)
        .decode_without_bom_handling_and_without_replacement(&bytes)
        .map(|s| s.into_owned())
        .ok_or(Error::NotUtf8 { offset: 0, page: source })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn misread(s: &str, page: CodePage) -> String {
        encoding_of(page).decode_without_bom_handling(s.as_bytes()).0.into_owned()
    }

    #[test]
    fn utf8_shape_tells_misread_utf8_from_double_byte_text() {
        let japanese = "チームのデータを保存しました。会議は明日です。";
        let lossy: Vec<u8> = japanese.bytes().filter(|b| ![0x81, 0x8D, 0x8F, 0x90, 0x9D].contains(b)).collect();
        let utf8_shaped = |bytes: &[u8]| {
            let (high, in_sequences) = utf8_shape(bytes);
            2 * in_sequences >= high
        };
        assert!(utf8_shaped(japanese.as_bytes()));
        assert!(utf8_shaped(&lossy));
        for (encoding, text) in [
            (encoding_rs::SHIFT_JIS, japanese),
            (encoding_rs::EUC_JP, japanese),
            (encoding_rs::GBK, "我们今天讨论了数据的保存方法和会议的安排。"),
            (encoding_rs::BIG5, "我們今天討論了資料的保存方法和會議的安排。"),
            (encoding_rs::EUC_KR, "오늘 회의에서 데이터 저장 방법을 논의했습니다."),
        ] {
            let (bytes, _, _) = encoding.encode(text);
            assert!(!utf8_shaped(&bytes), "{}", encoding.name());
        }
    }

    /// The one-pass reading through an outer page agrees with its definition, on clean text
    /// and on mojibake of every kind the corpus gives.
    #[test]
    fn misread_in_one_pass_agrees_with_its_definition() {
        let mut texts = vec![String::new(), "a".into(), "é".into(), "x\u{7F}y@Ã©".into()];
        for lang in ["ja", "zh", "ko", "fr", "ru", "el", "clean_tricky"] {
            let path = format!("{}/tests/corpus/{lang}.txt", env!("CARGO_MANIFEST_DIR"));
            let text = std::fs::read_to_string(path).unwrap_or_default();
            for page in OUTER_PAGES {
                texts.push(text.bytes().map(|b| page.decode_byte(b)).collect::<String>());
            }
            for page in CodePage::DOUBLE_BYTE {
                let (bytes, _, _) = encoding_of(page).encode(&text);
                texts.push(bytes.iter().map(|&b| CodePage::Windows1252.decode_byte(b)).collect());
                texts.push(bytes.iter().map(|&b| CodePage::Cp437.decode_byte(b)).collect());
            }
            texts.push(text);
        }
        let key = |m: &Misread| {
            let runs: Vec<_> = m.runs.iter().map(|r| (r.start, r.end, r.left, r.right, r.next_byte)).collect();
            (runs, m.bytes.clone(), m.utf8_shaped())
        };
        for text in &texts {
            for outer in OUTER_PAGES {
                for line in text.lines().chain([text.as_str()]) {
                    let (fast, slow) = (Misread::new(line, outer), Misread::by_definition(line, outer));
                    assert_eq!(key(&fast), key(&slow), "{outer} {line:?}");
                    for limit in [1, 2, 5, usize::MAX] {
                        let (sampled, shape) = Misread::read(line, outer, limit);
                        assert_eq!(is_utf8_shaped(shape), slow.utf8_shaped(), "{outer} {line:?}");
                        assert!(!sampled.complete || sampled.runs.len() == slow.runs.len());
                        let n = sampled.runs.len();
                        assert_eq!(
                            sampled.runs.iter().zip(&sampled.bytes).filter(|(_, b)| !b.is_empty()).count(),
                            slow.bytes.iter().take(n).filter(|b| !b.is_empty()).count()
                        );
                        assert_eq!(key(&sampled).0, key(&slow).0[..n]);
                        assert_eq!(sampled.bytes, slow.bytes[..n]);
                        let later = slow.bytes[n..].iter().filter(|b| !b.is_empty()).count();
                        let seen = sampled.bytes.iter().filter(|b| !b.is_empty()).count();
                        assert!(seen == limit || later == 0, "{outer} {line:?}");
                    }
                }
            }
        }
    }

    /// The fused pass gives what each screen gives alone: on the corpus, its misreadings
    /// through the outer pages and through the double-byte pages, line by line.
    /// [`Utf8Counter`]'s definition: (high bytes, bytes in well-formed three- and four-byte
    /// sequences) of one whole run, read left to right.
    fn utf8_counts(bytes: &[u8]) -> (usize, usize) {
        let high = bytes.iter().filter(|&&b| b >= 0x80).count();
        let (mut good, mut i) = (0, 0);
        while i < bytes.len() {
            let n = match bytes[i] {
                0xE0..=0xEF => 3,
                0xF0..=0xF4 => 4,
                _ => {
                    i += 1;
                    continue;
                }
            };
            if bytes.get(i..i + n).is_some_and(|seq| std::str::from_utf8(seq).is_ok()) {
                good += n;
                i += n;
            } else {
                i += 1;
            }
        }
        (high, good)
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config {
            cases: 3000,
            rng_seed: proptest::test_runner::RngSeed::Fixed(0x5554_4638),
            ..Default::default()
        })]

        /// Runs of sequences of one to four bytes, long enough to fill the buffer several
        /// times, dense in leads, continuations and well-formed UTF-8.
        #[test]
        fn the_fixed_buffer_counts_as_the_whole_run(
            runs in proptest::collection::vec(
                proptest::collection::vec(
                    proptest::collection::vec(proptest::sample::select(vec![
                        0x41u8, 0x82, 0xA0, 0xBF, 0xC3, 0xE3, 0xE6, 0xED, 0xEF, 0xF0, 0xF4, 0x90, 0x81, 0x9F,
                    ]), 1..5),
                    0..60,
                ),
                0..4,
            ),
        ) {
            let mut counter = Utf8Counter::default();
            let (mut high, mut good) = (0, 0);
            for run in &runs {
                for seq in run {
                    counter.push(seq);
                }
                counter.end_run();
                let (h, g) = utf8_counts(&run.concat());
                high += h;
                good += g;
            }
            proptest::prop_assert_eq!((counter.high, counter.good), (high, good));
        }
    }

    /// The CJK screens as the pipeline computes them, in the one pass of `scan::screen`.
    fn fused(text: &str) -> (u8, bool) {
        let screen = crate::scan::screen(text);
        (screen.cjk_pages, screen.cjk_dense)
    }

    #[test]
    fn fused_screens_agree_with_their_definitions() {
        let mut texts = Vec::new();
        for lang in ["ja", "zh", "ko", "fr", "ru", "el", "tr", "vi", "clean_tricky"] {
            let path = format!("{}/tests/corpus/{lang}.txt", env!("CARGO_MANIFEST_DIR"));
            let text = std::fs::read_to_string(path).unwrap_or_default();
            for page in OUTER_PAGES {
                texts.push(text.bytes().map(|b| page.decode_byte(b)).collect::<String>());
            }
            for page in CodePage::DOUBLE_BYTE {
                texts.push(misread(&text, page));
                let (bytes, _, _) = encoding_of(page).encode(&text);
                texts.push(bytes.iter().map(|&b| CodePage::Windows1252.decode_byte(b)).collect());
            }
            texts.push(text);
        }
        for text in &texts {
            for line in text.lines().chain([text.as_str()]) {
                assert_eq!(fused(line), (screen_utf8(line), screen_bytes_misread(line)), "{line:?}");
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config {
            cases: 2000,
            rng_seed: proptest::test_runner::RngSeed::Fixed(0x0043_4A4B),
            ..Default::default()
        })]

        #[test]
        fn fused_screens_agree_on_random_text(
            chars in proptest::collection::vec(proptest::sample::select(vec![
                'a', ' ', '.', 'é', '‚', '±', 'ñ', 'Ã', '©', '縺', '薙', 'ｓ', 'の', '日', '鍙', '😀', '═', '’',
            ]), 0..40),
        ) {
            let text: String = chars.into_iter().collect();
            proptest::prop_assert_eq!(fused(&text), (screen_utf8(&text), screen_bytes_misread(&text)));
        }
    }

    #[test]
    fn screens_are_derived_from_the_decoders() {
        let sjis = 1 << db_index(CodePage::ShiftJis).unwrap_or(0);
        assert_ne!(screen_utf8("縺薙ｓ縺ｫ縺｡縺ｯ") & sjis, 0);
        assert_eq!(screen_utf8("こんにちは、世界。") & sjis, 0);
        assert_eq!(screen_utf8("plain"), 0);
        assert!(screen_bytes_misread("‚±‚ñ"));
        // Double-byte text read as a single-byte page is dense in high-byte characters.
        for (encoding, text) in [
            (encoding_rs::SHIFT_JIS, "データを保存しました"),
            (encoding_rs::GBK, "数据已经保存"),
            (encoding_rs::BIG5, "資料已經儲存"),
            (encoding_rs::EUC_KR, "데이터를 저장했습니다"),
        ] {
            let bytes = encoding.encode(text).0;
            for page in OUTER_PAGES {
                let read: String = bytes.iter().map(|&b| page.decode_byte(b)).collect();
                assert!(screen_bytes_misread(&read), "{} as {page}: {read:?}", encoding.name());
            }
        }
        // Clean Latin text is not, even where its accents are thick (Icelandic can be:
        // `Þjóðhöfð` has five in eight, and pays for the full check).
        for clean in [
            "L’été à l’île, où la fête bat son plein, dès l’aube.",
            "A população ficou à espera da decisão, não é?",
            "Größenmaßstäbe für Übergänge, Fußgänger und Öfen.",
        ] {
            assert!(!screen_bytes_misread(clean), "{clean}");
        }
        assert!(!screen_bytes_misread("日本語"));
    }

    #[test]
    fn codec_tables_agree_with_encoding_rs() {
        let c = codec(CodePage::ShiftJis);
        assert_eq!(c.sequences('あ'), Some(vec![Seq::new(&[0x82, 0xA0])]));
        // Both spellings of the wave dash re-encode to 0x8160.
        assert_eq!(c.sequences('\u{301C}'), c.sequences('\u{FF5E}'));
        // NEC row 13 and the IBM extensions.
        assert!(c.encodes('①') && c.encodes('㈱') && c.encodes('Ⅰ'));
        assert!(c.is_lead[0x81] && !c.is_lead[0xA1]);
        assert_eq!(decode_single_byte(CodePage::ShiftJis, 0xB1), 'ｱ');
        assert_eq!(encode_single_byte(CodePage::ShiftJis, 'ｱ' as u32), Some(0xB1));
    }

    #[test]
    fn lossless_readings() {
        for (clean, page) in [
            ("こんにちは", CodePage::ShiftJis),
            ("参数", CodePage::Gbk),
            ("設定ファイルを読み込めません", CodePage::ShiftJis),
        ] {
            let broken = misread(clean, page);
            let scored = try_utf8_as(&broken, page, Mode::Lossless, true, 2.0).expect(clean);
            assert_eq!(crate::reverse::apply_layer(&broken, &scored.layer), clean);
        }
    }

    /// Whether the tokens of `broken` (every character of it, ASCII too) can stand for
    /// `clean`'s bytes, each hole for one sequence the decoder rejects as one U+FFFD.
    fn holes_cover(broken: &str, clean: &str, codec: &Codec) -> bool {
        let chars: Vec<char> = broken.chars().collect();
        let gold = clean.as_bytes();
        let mut reach = vec![false; gold.len() + 1];
        reach[0] = true;
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            let mut next_reach = vec![false; gold.len() + 1];
            let double = chars.get(i + 1).and_then(|&n| codec.double(c, n));
            let seqs: Vec<Seq> = match double {
                Some(seq) => vec![seq],
                None if c.is_ascii() => vec![Seq::new(&[c as u8])],
                None if c == '\u{FFFD}' => Vec::new(),
                None => codec.sequences(c).unwrap_or_default(),
            };
            let after = match chars.get(i + 1 + usize::from(double.is_some())) {
                None => Next::End,
                Some(&n) if n.is_ascii() => Next::Ascii(n as u8),
                Some(_) => Next::NonAscii(None),
            };
            for j in (0..=gold.len()).filter(|&j| reach[j]) {
                for seq in &seqs {
                    if gold[j..].starts_with(seq.bytes()) {
                        next_reach[j + seq.bytes().len()] = true;
                    }
                }
                if c != '\u{FFFD}' {
                    continue;
                }
                let Some(&l) = gold.get(j) else { continue };
                if alone_ok(codec, l, after, false) {
                    next_reach[j + 1] = true;
                }
                let Some(&t) = gold.get(j + 1) else { continue };
                let (conts, leads) = &codec.bad_trails[usize::from(l)];
                if conts.contains(&t) || leads.contains(&t) {
                    next_reach[j + 2] = true;
                    if gold
                        .get(j + 2)
                        .is_some_and(|u| codec.bad_thirds[usize::from(l) << 8 | usize::from(t)].contains(u))
                    {
                        next_reach[j + 3] = true;
                    }
                }
            }
            reach = next_reach;
            i += 1 + usize::from(double.is_some());
        }
        reach[gold.len()]
    }

    #[test]
    fn every_rejected_sequence_is_a_hole_filling() {
        let japanese = "週末は友達と一緒に山へ行って、きれいな景色を見ながらお弁当を食べました。\
                        帰りの電車はとても混んでいたので、ずっと立っていなければならなかった。";
        for (page, clean) in [
            (CodePage::ShiftJis, japanese),
            (CodePage::EucJp, japanese),
            (CodePage::Gbk, "我们下周要去旅行，听说那里的夜市很热闹，还有很多好吃的小吃。"),
            (CodePage::Big5, "我們下週要去旅行，聽說那裡的夜市很熱鬧，還有很多好吃的小吃。"),
            (CodePage::EucKr, "다음 주에 가족과 함께 여행을 가기로 했는데, 날씨가 좋았으면 좋겠다."),
        ] {
            let codec = codec(page);
            let broken = misread(clean, page);
            assert!(broken.contains('\u{FFFD}'), "{page:?}");
            assert!(holes_cover(&broken, clean, codec), "{page:?}: {broken}");
        }
        // EUC-JP rejects 0x8F, a JIS X 0212 row byte and a third byte as one sequence:
        // 0x8F is the last byte of く, and the bytes after it start a kanji.
        let c = codec(CodePage::EucJp);
        assert!(c.bad_thirds[0x8FE5].contains(&0x80));
        assert!(holes_cover(&misread("く間", CodePage::EucJp), "く間", c));
        // Big5 decodes 0x88A5 as ê and a combining caron.
        let c = codec(CodePage::Big5);
        assert_eq!(c.double('ê', '\u{30C}'), Some(Seq::new(&[0x88, 0xA5])));
    }

    #[test]
    fn guesses_prefer_the_scripts_the_document_shows() {
        let families = |clean: &str, page: CodePage| {
            let broken = misread(clean, page);
            let codec = codec(page);
            let runs = runs_where(&broken, |c| !c.is_ascii());
            guess_families(&broken, &runs, codec, Mode::Replaced('\u{FFFD}'))
        };
        let chinese = families(
            "我們下週要去旅行，聽說那裡的夜市很熱鬧，還有很多好吃的小吃。\
             朋友已經幫我們訂好了飯店，離車站只要走五分鐘，非常方便。",
            CodePage::Big5,
        );
        assert!(family_allowed('市', chinese) && family_allowed('，', chinese));
        assert!(!family_allowed('の', chinese) && !family_allowed('한', chinese));
        assert!(chinese.foreign_cost > 2.0);
        let korean = families("다음 주에 가족과 함께 여행을 가기로 했는데, 날씨가 좋았으면 좋겠다.", CodePage::EucKr);
        assert!(family_allowed('는', korean));
        assert!(!family_allowed('、', korean) && !family_allowed('同', korean) && !family_allowed('こ', korean));
        let japanese =
            families("週末は友達と一緒に山へ行って、きれいな景色を見ながらお弁当を食べました。", CodePage::ShiftJis);
        for c in ['は', 'テ', '山', '、'] {
            assert!(family_allowed(c, japanese), "{c}");
        }
    }

    #[test]
    fn unrecoverable_replacement_is_left_alone() {
        for (page, broken) in [(CodePage::Gbk, "锟斤拷"), (CodePage::EucKr, "占쏙옙")] {
            assert!(try_utf8_as(broken, page, Mode::Lossless, true, 2.0).is_none(), "{broken}");
        }
    }
}
