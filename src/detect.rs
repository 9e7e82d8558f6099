//! Detection: which misreading, if any, explains the text, and which runs of it.
//!
//! A *hypothesis* is a code page and a loss form. Under a hypothesis each run of non-ASCII
//! characters is re-encoded and parsed as UTF-8 with holes ([`parse_run`]); a run that parses
//! is repaired only if the repaired characters are more plausible under the model than the
//! characters as they stand, by more than a fixed prior against calling anything mojibake.
//! Clean accented text, Turkish, Cyrillic, CJK and symbols fail to parse, or parse into
//! something implausible, and are left alone. The hypothesis with the largest total gain
//! wins; ties go to the more common page (the order of [`CodePage::ALL`]).

use crate::explain::{Guess, Layer, SpanRepair};
use crate::model;
use crate::model::script::{Script, ALL_SCRIPTS, SCRIPT_COUNT};
use crate::nested::nested_path;
use crate::reconstruct::{
    best_path, parse_run, parse_run_keeping_c1, parse_run_remembering, parse_run_replaced, FillMemo, LostSet, Path,
    RunShape,
};
use crate::reverse::{encode, encode_with};
use crate::{scan, CodePage, Loss, Options, Reconstruct};
use std::cell::{OnceCell, RefCell};
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::rc::Rc;
use std::sync::OnceLock;

/// Prior against calling a run mojibake, in nats: a repair must make the text this much more
/// plausible. Charged per space-separated piece of a run, so that joining runs across
/// spaces (the NBSP loss form) buys no discount.
const RUN_PRIOR: f32 = 4.0;
/// Prior against a repair bringing a script into a document that shows it nowhere else
/// (`é` NBSP `»` in French re-encodes to the valid UTF-8 of 頻): paid once per new script,
/// so a Japanese document misread whole pays it a few times against gains in the hundreds,
/// and a lone false pair cannot pay it at all.
const NEW_SCRIPT_PRIOR: f32 = 6.0;
/// Once a hypothesis has gained this much on a document, the document is known to be
/// misread that way, and a run that parses is mojibake unless it reads better as it is:
/// then the run prior drops to [`CONFIRMED_RUN_PRIOR`]. (`à` misread through Windows-1251
/// is `Г` NBSP, which alone looks no worse than `à`; in a French text misread through 1251
/// it is surely mojibake.)
const CONFIRMED_SCORE: f32 = 20.0;
const CONFIRMED_RUN_PRIOR: f32 = 1.0;
/// Latin letters the rest of a document must hold for a repair that removes another script
/// from it to count as removing an island.
const ISLAND_CONTEXT_LETTERS: usize = 8;
/// Prior cost of each byte the repair has to invent.
const INSERTED_BYTE_COST: f32 = 1.5;
/// A lossy hypothesis may invent bytes only in a text that also shows this many characters
/// that survived whole under the same page: holes alone are no evidence of mojibake (but
/// for a text every character of which lost a byte, see [`MIN_WHOLLY_DAMAGED`]).
const MIN_INTACT_EVIDENCE: usize = 1;
/// Prior cost of each loss form, per document.
const LOSSY_PRIOR: f32 = 2.0;
const SOFT_HYPHEN_PRIOR: f32 = 1.0;
const NBSP_PRIOR: f32 = 2.0;
/// Prior cost of each page, in nats: how rarely it is the one that misread UTF-8. Windows
/// pages are what misreads text on the desktop and in databases; the ISO-8859 pages mostly
/// where a Windows page was meant, so a tie between Windows-1250 and ISO-8859-2 (both read
/// `Ăś` as valid UTF-8: Ü or ö) goes to Windows-1250; the DOS and Mac pages are rarest.
fn page_prior(page: CodePage) -> f32 {
    match page {
        CodePage::Windows1252 => 0.0,
        CodePage::Latin1 => 1.0,
        CodePage::Windows1254 | CodePage::Windows1250 | CodePage::Windows1251 => 2.0,
        CodePage::Iso8859_15 | CodePage::Windows1253 => 3.0,
        CodePage::Windows1257 | CodePage::MacRoman => 3.5,
        CodePage::Iso8859_2 | CodePage::Cp437 => 4.0,
        CodePage::Cp850 => 4.5,
        // Never asked: the double-byte pages have their own priors in `cjk`.
        _ => 4.5,
    }
}
/// Evidence for a loss set is the absence of its byte values: with `n` continuation bytes in
/// the re-encoded text, the chance that a given value never shows is about exp(−n/64). Each
/// absent lost value earns min(n/64, this cap) nats. It counts only where the hypothesis
/// fills holes at all.
const ABSENCE_EVIDENCE_CAP: f32 = 6.0;
/// A value that does show, though the hypothesis says it was dropped, all but refutes it
/// (C1 controls in a text said to have lost its C1 controls).
const SEEN_LOST_VALUE_COST: f32 = 20.0;

/// A maximal run of non-ASCII characters with the characters around it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Run {
    pub(crate) range: Range<usize>,
    pub(crate) left: char,
    pub(crate) right: char,
    /// How many space-separated pieces the run joins (1 unless joined across spaces).
    pub(crate) pieces: usize,
}

/// The maximal runs of non-ASCII characters in `text`. UTF-8 multi-byte sequences consist of
/// bytes ≥ 0x80 only, and every page fixenc reverses maps ASCII to ASCII, so a misread
/// character never straddles an ASCII character: runs can be repaired independently.
///
/// With `join_spaces` (the no-break-space loss form) a single space after a run belongs to
/// it, and runs separated by one space are one run: that space may have been a 0xA0 byte
/// inside a character.
pub(crate) fn non_ascii_runs(text: &str, join_spaces: bool) -> Vec<Run> {
    runs_where(text, |c| !c.is_ascii(), join_spaces, |_| false)
}

#[derive(Debug, Clone)]
struct Hypothesis {
    page: CodePage,
    loss: Loss,
    lost: LostSet,
    prior: f32,
    /// Prior against each run being mojibake under this hypothesis.
    run_prior: f32,
}

/// A run that a hypothesis would repair.
#[derive(Debug, Clone)]
struct Candidate {
    run: usize,
    /// The repair, shared with the memo that weighed it (no copy per hypothesis).
    repair: Rc<Weighed>,
    shape: RunShape,
    gain: f32,
    /// The original's text, when the run was read as the middle of two misreadings.
    nested_inner: Option<String>,
    /// For a plain reading (not the middle of two): the run's cost as it stands less its
    /// repair's once the layers under it are undone, which is [`crate::cjk`]'s
    /// `layer_gain` term for the span, the same numbers subtracted the same way (see
    /// [`SingleLayer`]).
    term: Option<f32>,
}

/// A run's repair as weighed: its path, its cost once the layers under it are undone
/// ([`unwrapped_cost`]), and the classes of its characters, bit by [`Script`] discriminant
/// (what [`script_change`] asks of it for every set of candidates it weighs). The memos
/// keep it behind an `Rc`: every hypothesis that asks gets the same one, without copying
/// the text or counting its classes again.
#[derive(Debug)]
struct Weighed {
    path: Path,
    repaired: f32,
    classes: u32,
}

impl Weighed {
    fn new(path: Path, repaired: f32) -> Rc<Weighed> {
        let classes = class_bits(&path.text);
        Rc::new(Weighed { path, repaired, classes })
    }
}

/// The classes of the characters of `s`, bit by [`Script`] discriminant.
fn class_bits(s: &str) -> u32 {
    s.chars().fold(0, |bits, ch| bits | 1 << Script::of(ch) as u32)
}

/// The single-byte layer and, per span, its `layer_gain` term where the detector has it.
pub(crate) struct SingleLayer {
    pub(crate) layer: Layer,
    pub(crate) terms: Vec<Option<f32>>,
    /// Undone by transcoding every run of the page ([`transcode_runs`]): the model did not
    /// weigh the runs past the sample, and no double-byte reading can explain hundreds of
    /// runs that all re-encode to UTF-8 (`terms` is empty).
    pub(crate) transcoded: bool,
    /// The text with this layer undone, when the transcoding built it on the way (then
    /// `layer.spans` is empty unless the caller asked for them).
    pub(crate) repaired: Option<String>,
}

/// The loss forms worth trying for `page`, lossless first.
fn loss_forms(page: CodePage) -> Vec<Loss> {
    let mut forms = vec![Loss::NONE];
    // Only pages that decode 0xAD as the soft hyphen lose it to soft-hyphen stripping
    // (CP437 and CP850 have ¡ there, MacRoman ≠).
    let has_shy = page.decode_byte(0xAD) == '\u{AD}';
    if has_shy {
        forms.push(Loss { soft_hyphen_stripped: true, ..Loss::NONE });
    }
    let mut dropping = Vec::new();
    if !page.undefined_bytes().is_empty() {
        dropping.push(Loss { undefined_dropped: true, ..Loss::NONE });
        // A replacing decoder (Python's errors="replace") leaves U+FFFD where the bytes were;
        // tried only on text that holds one (see `best_layer`), and alone: such a decoder
        // neither strips soft hyphens nor turns NBSP into spaces.
        forms.push(Loss { undecodable: Some('\u{FFFD}'), ..Loss::NONE });
    }
    if page.has_c1_controls() {
        dropping.push(Loss { c1_stripped: true, ..Loss::NONE });
    }
    for form in dropping {
        forms.push(form);
        if has_shy {
            forms.push(Loss { soft_hyphen_stripped: true, ..form });
        }
    }
    if page.decode_byte(0xA0) == '\u{A0}' {
        let with_nbsp: Vec<Loss> = forms.iter().map(|&f| Loss { nbsp_to_space: true, ..f }).collect();
        forms.extend(with_nbsp);
    }
    forms
}

fn loss_prior(loss: Loss) -> f32 {
    let mut p = 0.0;
    if loss.undefined_dropped || loss.c1_stripped || loss.undecodable.is_some() {
        p += LOSSY_PRIOR;
    }
    if loss.soft_hyphen_stripped {
        p += SOFT_HYPHEN_PRIOR;
    }
    if loss.nbsp_to_space {
        p += NBSP_PRIOR;
    }
    p
}

/// How many suspicious runs are enough to choose a hypothesis. Choosing costs a Viterbi
/// pass per hypothesis (up to a few dozen); applying the winner costs one. Sampling keeps a
/// large document's cost at about one pass, and a few hundred runs decide any real text.
const SAMPLE_RUNS: usize = 400;

/// Finds the best layer to undo in `text`, if any hypothesis gains anything. `mask` is
/// [`scan::whole_character_pages`] of the text under the options' pages (the caller has it):
/// only pages under which some character survived whole can gain anything.
///
/// Without `keep_spans` (the caller wants the text, not the explanation) a layer
/// transcoded whole lists no spans: it hands over the repaired text instead.
pub(crate) fn best_layer(text: &str, options: &Options, mask: u32, keep_spans: bool) -> Option<SingleLayer> {
    #[cfg(test)]
    let may_transcode = tests::MAY_TRANSCODE.with(|m| m.get());
    #[cfg(not(test))]
    let may_transcode = true;
    let layer = best_layer_with(text, options, mask, may_transcode, keep_spans);
    #[cfg(test)]
    if layer.as_ref().is_some_and(|l| l.transcoded) {
        tests::TRANSCODED.with(|n| n.set(n.get() + 1));
    }
    layer
}

/// [`best_layer`], with the whole-text transcoding of a large document confirmed misread
/// without loss (see [`transcode_runs`]) allowed or not.
fn best_layer_with(
    text: &str,
    options: &Options,
    mask: u32,
    may_transcode: bool,
    keep_spans: bool,
) -> Option<SingleLayer> {
    if mask == 0 {
        return None;
    }
    // Counted only if some hypothesis gets as far as choosing runs: clean text never pays.
    let doc_scripts = DocScripts::default();
    let nested_memo = NestedMemo::default();
    // U+FFFD in the text: a replacing decoder may have misread it.
    let has_replacement = memchr::memmem::find(text.as_bytes(), "\u{FFFD}".as_bytes()).is_some();
    let mut best: Option<(f32, Hypothesis, Vec<Candidate>)> = None;
    // The runs of the page that won so far (split by ASCII, and joined across single spaces
    // for the NBSP loss form), kept for the final application.
    let mut best_runs: Vec<Run> = Vec::new();
    // And the memo of the costs of those runs: the final application asks for the same
    // costs of the sampled runs, which are a prefix of all the runs.
    let mut best_memo: Option<Rc<CostMemo<'_>>> = None;
    // And the indices of the runs its sample scored.
    let mut best_sample: Vec<usize> = Vec::new();
    // Every page's runs (up to the last one its sample needs: the rest are found only if the
    // page wins, so clean text that merely parses here and there is not split in full), in
    // one pass for all the pages.
    let mut split_by_page = sampled_runs_of_pages(text, mask);
    for (rank, &page) in CodePage::ALL.iter().enumerate() {
        if mask & (1 << rank) == 0 {
            continue;
        }
        let (split, split_sample) = std::mem::take(&mut split_by_page[rank]);
        // The runs joined across spaces serve the NBSP forms only, which come last and are
        // skipped when every sampled run parsed without them: split when first asked for.
        let joined: OnceCell<(Vec<Run>, Vec<usize>)> = OnceCell::new();
        let joined_memo: OnceCell<Rc<CostMemo<'_>>> = OnceCell::new();
        let (replaced, replaced_sample) =
            if has_replacement { sampled_page_runs(text, page, false, true) } else { (Vec::new(), Vec::new()) };
        let split_memo = Rc::new(CostMemo::new(split.len(), &nested_memo));
        let replaced_memo = Rc::new(CostMemo::new(replaced.len(), &nested_memo));
        // Runs of the sample that no loss form without NBSP could parse: only they can make
        // the NBSP form worth trying.
        let mut unparsed_without_nbsp = usize::MAX;
        for loss in loss_forms(page) {
            if !loss.is_lossless() && options.reconstruct == Reconstruct::Never {
                continue;
            }
            if loss.nbsp_to_space && unparsed_without_nbsp == 0 {
                continue;
            }
            if loss.undecodable.is_some() && !has_replacement {
                continue;
            }
            let hyp = Hypothesis {
                page,
                loss,
                lost: LostSet::from_bytes(&loss.lost_bytes(page)),
                prior: page_prior(page) + loss_prior(loss),
                run_prior: RUN_PRIOR,
            };
            let (runs, sample, memo) = if loss.nbsp_to_space {
                let (runs, sample) = joined.get_or_init(|| sampled_page_runs(text, page, true, false));
                (runs, sample, joined_memo.get_or_init(|| Rc::new(CostMemo::new(runs.len(), &nested_memo))))
            } else if loss.undecodable.is_some() {
                (&replaced, &replaced_sample, &replaced_memo)
            } else {
                (&split, &split_sample, &split_memo)
            };
            let scored = score_hypothesis(text, runs, sample, &hyp, options, &doc_scripts, memo);
            if !loss.nbsp_to_space && loss.undecodable.is_none() {
                unparsed_without_nbsp = unparsed_without_nbsp.min(scored.unparsed);
            }
            let Some((mut score, mut chosen)) = scored.result else {
                continue;
            };
            if score >= CONFIRMED_SCORE {
                // Compare confirmed hypotheses as they would be applied: one that also
                // explains the short runs a rival leaves (`ÄÆ`, which only Windows-1257
                // reads as į) should win on them.
                let confirmed = Hypothesis { run_prior: CONFIRMED_RUN_PRIOR, ..hyp.clone() };
                if let Some((s, c)) =
                    score_hypothesis(text, runs, sample, &confirmed, options, &doc_scripts, memo).result
                {
                    (score, chosen) = (s, c);
                }
            }
            if best.as_ref().is_none_or(|(s, _, _)| score > *s) {
                best = Some((score, hyp, chosen));
                best_runs = runs.clone();
                best_memo = Some(Rc::clone(memo));
                best_sample = sample.clone();
            }
        }
    }
    let (score, hyp, mut chosen) = best?;
    let run_prior = if score >= CONFIRMED_SCORE { CONFIRMED_RUN_PRIOR } else { RUN_PRIOR };
    let hyp = Hypothesis { run_prior, ..hyp };
    // A large document whose sample was repaired whole, every run, without loss: the
    // misreading is plain; transcode the rest rather than weigh it run by run.
    let plain = hyp.loss == Loss::NONE
        && run_prior == CONFIRMED_RUN_PRIOR
        && chosen.len() == best_sample.len()
        && chosen.iter().all(|c| c.nested_inner.is_none() && c.shape.damaged == 0 && c.shape.inserted == 0);
    // Only where the page has runs past the sampled ones (`!sampled_all` below: a lossless
    // hypothesis's runs are the plain split, of which the sampled runs are a prefix that
    // ends before a character of no run).
    let sampled_end = best_runs.last().map_or(0, |r| r.range.end);
    if may_transcode && plain && has_run_from(text, hyp.page, sampled_end) {
        if let Some((repaired, spans)) = transcode_whole(text, hyp.page, keep_spans) {
            let layer = Layer { code_page: hyp.page, source: None, loss: hyp.loss, spans };
            return Some(SingleLayer { layer, terms: Vec::new(), transcoded: true, repaired: Some(repaired) });
        }
    }
    // The sampled runs are a prefix of all the runs, so the indices in `chosen` stay valid.
    let runs = &page_runs(text, hyp.page, hyp.loss.nbsp_to_space, hyp.loss.undecodable.is_some());
    debug_assert!(runs.starts_with(&best_runs));
    let sampled_all = runs.len() == best_runs.len()
        && runs.iter().filter(|r| scan::suspicious_pages(&text[r.range.clone()], &[hyp.page]) != 0).count()
            <= SAMPLE_RUNS;
    if !sampled_all || run_prior != RUN_PRIOR {
        // Apply the winner to every run, including those the sample left out.
        let all: Vec<usize> = (0..runs.len()).collect();
        // The winner's memo holds the costs of the sampled runs by index (valid: they are a
        // prefix of `runs`, and a run's costs do not depend on the hypothesis's priors).
        let memo = best_memo.unwrap_or_else(|| Rc::new(CostMemo::new(0, &nested_memo)));
        memo.grow(runs.len());
        chosen =
            score_hypothesis(text, runs, &all, &hyp, options, &doc_scripts, &memo).result.map_or(chosen, |(_, c)| c);
    }
    let terms = chosen.iter().map(|c| c.term).collect();
    let spans = chosen
        .into_iter()
        .map(|c| {
            let run = &runs[c.run];
            let original = text[run.range.clone()].to_string();
            let guesses = guesses_of(&c.repair.path, options.min_margin);
            let repaired = Rc::try_unwrap(c.repair).map_or_else(|shared| shared.path.text.clone(), |w| w.path.text);
            SpanRepair { range: run.range.clone(), original, repaired, guesses }
        })
        .collect();
    Some(SingleLayer {
        layer: Layer { code_page: hyp.page, source: None, loss: hyp.loss, spans },
        terms,
        transcoded: false,
        repaired: None,
    })
}

/// `text` with every run of `page` ([`page_runs`], not joined across spaces) re-encoded and
/// read as UTF-8, if each run's bytes are UTF-8 and read as text (no control character,
/// noncharacter or private-use character); and, with `keep_spans`, the span of each run
/// (without, none).
///
/// Used for a document of more than [`SAMPLE_RUNS`] suspicious runs whose sample a lossless
/// hypothesis repaired whole, every run: weighing the rest one by one is what made repair
/// cost hundreds of instructions per byte. Each run standing on its own as UTF-8 is what
/// makes this safe: a clean accented word (`café`, `Straße`) re-encodes to a lone high byte
/// that is not UTF-8, so a document that mixes clean text with the mojibake fails here and
/// is weighed run by run as before; a run that is not text once read (C1 controls) does too.
/// Against chance, hundreds of runs re-encode to UTF-8 only if they were UTF-8.
///
/// The runs are found as they are transcoded, in one pass (the maximal stretches of
/// characters [`in_page_run`] holds for, as [`page_runs`] splits them), without a list of
/// them; the text is built as [`crate::reverse::apply_layer`] would build it from the spans
/// (the text between the runs, then each run's repair): no run costs an allocation unless
/// its span is kept.
fn transcode_whole(text: &str, page: CodePage, keep_spans: bool) -> Option<(String, Vec<SpanRepair>)> {
    let in_run = in_page_run(page);
    let encode = page.encoder();
    let mut out = String::with_capacity(text.len());
    let mut spans = Vec::new();
    let mut bytes = Vec::new();
    let text_bytes = text.as_bytes();
    // Copied to `out` up to here.
    let mut pos = 0;
    let mut i = 0;
    while i < text_bytes.len() {
        if text_bytes[i].is_ascii() {
            i = next_non_ascii(text_bytes, i);
            continue;
        }
        let c = text[i..].chars().next().unwrap_or(model::START);
        if !in_run(c) {
            i += c.len_utf8();
            continue;
        }
        // A run from `start`: its characters re-encoded until ASCII or one of no run.
        let start = i;
        bytes.clear();
        while let Some(c) = text[i..].chars().next().filter(|&c| in_run(c)) {
            bytes.push(encode(c)?);
            i += c.len_utf8();
        }
        let repaired = std::str::from_utf8(&bytes).ok()?;
        if !repaired.chars().all(is_plain_text) {
            return None;
        }
        out.push_str(&text[pos..start]);
        out.push_str(repaired);
        if keep_spans {
            spans.push(SpanRepair {
                range: start..i,
                original: text[start..i].to_string(),
                repaired: repaired.to_string(),
                guesses: Vec::new(),
            });
        }
        pos = i;
    }
    out.push_str(&text[pos..]);
    Some((out, spans))
}

/// Whether some run of `page` ([`page_runs`], not joined across spaces) lies in `text` from
/// byte `from` on (`from` is at a character boundary).
fn has_run_from(text: &str, page: CodePage, from: usize) -> bool {
    let in_run = in_page_run(page);
    text[from..].chars().any(|c| !c.is_ascii() && in_run(c))
}

/// Whether `c` is what text holds (not a control but tab and line breaks, not a
/// noncharacter, not private use).
fn is_plain_text(c: char) -> bool {
    let u = u32::from(c);
    let control = c.is_control() && !matches!(c, '\t' | '\n' | '\r');
    let unassignable = matches!(u, 0xE000..=0xF8FF | 0xFDD0..=0xFDEF | 0xF0000..) || u & 0xFFFE == 0xFFFE;
    !control && !unassignable
}

/// The maximal runs of non-ASCII characters that `page` encodes, with the characters around
/// them. A misread character is made of characters of the page only, so a mojibake word
/// inside clean Japanese (`本ç¤¾ã‚’ç½®く`) or Russian (`сказал â€œдаâ€`) is its own run.
/// Latin-1, Latin Extended and typographic characters never split a run even where the
/// page lacks them (C1 controls under Windows-1252, `ž` under Windows-1254): they are what
/// the *other* pages leave, and a run holding one is not this page's mojibake as a whole,
/// rather than pieces that happen to parse.
///
/// With `join_spaces` (the no-break-space loss form) a single space after a run belongs to
/// it, and runs separated by one space are one run.
fn is_latin_mojibake_alphabet(c: char) -> bool {
    matches!(c as u32, 0x80..=0x24F | 0x2B0..=0x2FF | 0x2000..=0x206F | 0x20A0..=0x20CF | 0x2100..=0x214F)
}

fn page_runs(text: &str, page: CodePage, join_spaces: bool, with_replacement: bool) -> Vec<Run> {
    let in_page = in_page_run(page);
    runs_where(text, |c| in_page(c) || (with_replacement && c == '\u{FFFD}'), join_spaces, |_| false)
}

/// Whether `c` belongs in a run of `page` (see [`page_runs`]): a table lookup per character,
/// since splitting runs is done for every page the screen lets through.
fn in_page_run(page: CodePage) -> impl Fn(char) -> bool {
    let rank = CodePage::ALL.iter().position(|&p| p == page);
    let table = run_page_table();
    move |c| match rank {
        Some(rank) => run_pages_in(table, c) & (1 << rank) != 0,
        None => in_page_run_slow(c, page),
    }
}

/// [`in_page_run`] by its definition.
fn in_page_run_slow(c: char, page: CodePage) -> bool {
    !c.is_ascii() && (page.encode_char(c).is_some() || is_latin_mojibake_alphabet(c))
}

/// Every character a page encodes to a high byte is below U+2600 but MacRoman's three.
const RUN_TABLE_LIMIT: u32 = 0x2600;

/// The pages (bits over [`CodePage::ALL`]) in whose runs each character below
/// [`RUN_TABLE_LIMIT`] belongs, built once.
fn run_page_table() -> &'static [u16] {
    static TABLE: OnceLock<Vec<u16>> = OnceLock::new();
    TABLE.get_or_init(|| {
        (0..RUN_TABLE_LIMIT)
            .map(|u| {
                let c = char::from_u32(u).unwrap_or('\0');
                (0..CodePage::ALL.len()).filter(|&i| in_page_run_slow(c, CodePage::ALL[i])).map(|i| 1u16 << i).sum()
            })
            .collect()
    })
}

/// The pages (bits over [`CodePage::ALL`]) in whose runs `c` belongs, read from `table`
/// ([`run_page_table`]).
#[inline]
fn run_pages_in(table: &[u16], c: char) -> u32 {
    match table.get(c as usize) {
        Some(&bits) => u32::from(bits),
        // Kana, Han, Hangul, emoji: in no page's run, but for MacRoman's three.
        None if matches!(c, '\u{F8FF}' | '\u{FB01}' | '\u{FB02}') => {
            (0..CodePage::ALL.len()).filter(|&i| in_page_run_slow(c, CodePage::ALL[i])).fold(0, |bits, i| bits | 1 << i)
        }
        None => 0,
    }
}

/// The runs of [`page_runs`] up to the [`SAMPLE_RUNS`]th suspicious one (all of them when
/// there are fewer), and the indices of the suspicious ones: the sample detection scores.
fn sampled_page_runs(text: &str, page: CodePage, join_spaces: bool, with_replacement: bool) -> (Vec<Run>, Vec<usize>) {
    let mut sample = Vec::new();
    let mut seen = 0;
    let in_page = in_page_run(page);
    let in_run = |c| in_page(c) || (with_replacement && c == '\u{FFFD}');
    let page_bit = CodePage::ALL.iter().position(|&p| p == page).map_or(0, |i| 1u32 << i);
    let runs = runs_where(text, in_run, join_spaces, |run| {
        let run_text = &text[run.range.clone()];
        // Under a replacing decoder the byte after a lead may be the one replaced: Georgian
        // through Windows-1250 is `á` U+FFFD `©` for every letter (E1 83 A9, 0x83 undefined),
        // so no lead is ever followed by a continuation and, without this, no run of such a
        // text would be scored at all.
        let lead_before_replacement = || {
            with_replacement
                && run_text
                    .chars()
                    .zip(run_text.chars().skip(1))
                    .any(|(c, next)| next == '\u{FFFD}' && scan::lead_and_continuation_pages(c).0 & page_bit != 0)
        };
        if scan::suspicious_pages(run_text, &[page]) != 0 || lead_before_replacement() {
            sample.push(seen);
        }
        seen += 1;
        sample.len() == SAMPLE_RUNS
    });
    (runs, sample)
}

/// [`sampled_page_runs`] (runs not joined across spaces, no U+FFFD in them) of every page in
/// `mask` (bits over [`CodePage::ALL`]), by rank, from one pass over the text.
///
/// Detection splits the text for every page the screen lets through (nine on Latin
/// mojibake), and on Japanese mojibake, whose runs are sentences, each page's split walks
/// half the document to its 400th suspicious run. Here each character is decoded and looked
/// up once for all the pages ([`run_page_table`], which [`in_page_run`] reads too), and
/// whether a run is suspicious is known when it ends, from the pairs of neighbouring
/// characters seen on the way ([`scan::lead_and_continuation_pages`]), instead of a scan of
/// the run per page. Why it is the same split: a page's runs are the maximal stretches of
/// characters with its bit, ASCII has no page's bit, `left` and `right` are the characters
/// just before and after a stretch, a run is suspicious under a page exactly when two
/// neighbouring characters in it are a lead and a continuation under that page, and a page
/// stops after its [`SAMPLE_RUNS`]th suspicious run as [`sampled_page_runs`] does; the pass
/// ends when every page has stopped. The unit test
/// `one_pass_split_agrees_with_splitting_page_by_page` checks it against
/// [`sampled_page_runs`].
fn sampled_runs_of_pages(text: &str, mask: u32) -> Vec<(Vec<Run>, Vec<usize>)> {
    const PAGES: usize = CodePage::ALL.len();
    let table = run_page_table();
    let mut split: Vec<(Vec<Run>, Vec<usize>)> = vec![(Vec::new(), Vec::new()); PAGES];
    let bytes = text.as_bytes();
    // Pages still splitting, pages with a run open, where and after what each began, and
    // the pages whose open run has shown a lead followed by a continuation (suspicious).
    let mut active = mask & ((1 << PAGES) - 1);
    let mut open = 0u32;
    let mut starts = [0usize; PAGES];
    let mut lefts = [model::START; PAGES];
    let mut pairs = 0u32;
    // The pages under which the character before is a lead.
    let mut prev_leads = 0u32;
    let mut prev = model::START;
    let mut i = 0;
    while i < bytes.len() && active != 0 {
        if bytes[i].is_ascii() {
            // ASCII ends every run; no run starts before the next non-ASCII byte.
            if open != 0 {
                close_runs(&mut split, &mut active, open, pairs, i, char::from(bytes[i]), &starts, &lefts);
                open = 0;
            }
            let next = next_non_ascii(bytes, i);
            prev = char::from(bytes[next - 1]);
            i = next;
            continue;
        }
        let c = text[i..].chars().next().unwrap_or(model::START);
        let pages = run_pages_in(table, c) & active;
        let (leads, continuations) = scan::lead_and_continuation_pages(c);
        // The runs `c` continues: it follows the character before in them.
        pairs |= open & pages & prev_leads & continuations;
        if pages != open {
            let closing = open & !pages;
            if closing != 0 {
                close_runs(&mut split, &mut active, closing, pairs, i, c, &starts, &lefts);
            }
            let opening = pages & !open;
            for k in bits(opening) {
                starts[k] = i;
                lefts[k] = prev;
            }
            pairs &= !opening;
            // A page that stopped at a run closed here has no bit in `pages` (`c` ended it).
            open = pages;
        }
        prev_leads = leads;
        prev = c;
        i += c.len_utf8();
    }
    if open != 0 {
        close_runs(&mut split, &mut active, open, pairs, i, model::START, &starts, &lefts);
    }
    split
}

/// For [`sampled_runs_of_pages`]: ends the open runs of the pages of `closing` at `end`,
/// before `right` (suspicious under the pages of `pairs`), and stops each page that reaches
/// its [`SAMPLE_RUNS`]th suspicious run.
#[allow(clippy::too_many_arguments)] // one caller; the state of its pass
fn close_runs(
    split: &mut [(Vec<Run>, Vec<usize>)],
    active: &mut u32,
    closing: u32,
    pairs: u32,
    end: usize,
    right: char,
    starts: &[usize],
    lefts: &[char],
) {
    for k in bits(closing) {
        let (runs, sample) = &mut split[k];
        if pairs & 1 << k != 0 {
            sample.push(runs.len());
        }
        runs.push(Run { range: starts[k]..end, left: lefts[k], right, pieces: 1 });
        if sample.len() == SAMPLE_RUNS {
            *active &= !(1 << k);
        }
    }
}

/// The indices of the set bits of `set`, lowest first.
fn bits(mut set: u32) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        let k = set.trailing_zeros() as usize;
        set &= set.wrapping_sub(1);
        (k < 32).then_some(k)
    })
}

/// The maximal runs of characters for which `in_run` holds (`in_run` must be false for ASCII),
/// with the characters around them; with `join_spaces`, as [`non_ascii_runs`] says.
///
/// `stop` sees each run as it is found; the search ends after the first run it returns
/// true for.
fn runs_where(
    text: &str,
    in_run: impl Fn(char) -> bool,
    join_spaces: bool,
    mut stop: impl FnMut(&Run) -> bool,
) -> Vec<Run> {
    let bytes = text.as_bytes();
    let char_at = |i: usize| text[i..].chars().next().unwrap_or(model::START);
    let mut runs = Vec::new();
    let mut prev = model::START;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii() {
            // No run holds ASCII (but a joining space): skip to the next non-ASCII byte.
            let next = next_non_ascii(bytes, i);
            prev = char::from(bytes[next - 1]);
            i = next;
            continue;
        }
        let c = char_at(i);
        if !in_run(c) {
            prev = c;
            i += c.len_utf8();
            continue;
        }
        let start = i;
        let mut end = i + c.len_utf8();
        let mut pieces = 1;
        loop {
            while end < bytes.len() {
                let d = char_at(end);
                if !in_run(d) {
                    break;
                }
                end += d.len_utf8();
            }
            if !(join_spaces && bytes.get(end) == Some(&b' ')) {
                break;
            }
            end += 1;
            if !(end < bytes.len() && in_run(char_at(end))) {
                break;
            }
            pieces += 1;
        }
        let right = if end < bytes.len() { char_at(end) } else { model::START };
        let run = Run { range: start..end, left: prev, right, pieces };
        let done = stop(&run);
        runs.push(run);
        if done {
            break;
        }
        prev = text[..end].chars().next_back().unwrap_or(model::START);
        i = end;
    }
    runs
}

/// What [`script_change`] needs of the document: its class counts (counted only once some
/// hypothesis gets as far as choosing runs: clean text never pays) and each long run's.
#[derive(Default)]
struct DocScripts {
    counts: OnceCell<ScriptCounts>,
    /// The class counts of each run longer than [`SHORT_RUN_BYTES`], by its range: every
    /// hypothesis weighs sets of the same runs (under each page and loss form, then
    /// confirmed), and a long run (a sentence of Japanese mojibake) is hundreds of
    /// characters. A short run is counted again, which costs less than a lookup.
    long_runs: RefCell<RunMap<(usize, usize), [usize; SCRIPT_COUNT]>>,
}

impl DocScripts {
    /// Calls `visit` with each class the characters of `run` fall in and how many do.
    fn of_run(&self, text: &str, run: &Run, mut visit: impl FnMut(usize, usize)) {
        let chars = text[run.range.clone()].chars();
        if run.range.len() <= SHORT_RUN_BYTES {
            chars.for_each(|ch| visit(Script::of(ch) as usize, 1));
            return;
        }
        let key = (run.range.start, run.range.end);
        let known = self.long_runs.borrow().get(&key).copied();
        let counts = known.unwrap_or_else(|| {
            let mut counts = [0usize; SCRIPT_COUNT];
            chars.for_each(|ch| counts[Script::of(ch) as usize] += 1);
            self.long_runs.borrow_mut().insert(key, counts);
            counts
        });
        for (k, &n) in counts.iter().enumerate().filter(|(_, &n)| n > 0) {
            visit(k, n);
        }
    }
}

/// The two-byte characters of UTF-8, U+0080–U+07FF.
const TWO_BYTE_CHARS: usize = 0x800 - 0x80;

/// How many characters of each class a text holds.
#[derive(Debug, Clone)]
struct ScriptCounts([usize; SCRIPT_COUNT]);

impl ScriptCounts {
    fn of(text: &str) -> ScriptCounts {
        // ASCII bytes into a histogram first (no decoding, no class lookup per byte), then
        // the histogram into classes.
        let mut ascii = [0usize; 128];
        // Likewise the two-byte characters (U+0080–U+07FF, by code point less 0x80): the
        // Latin-1 and Latin Extended letters that single-byte mojibake is made of.
        let mut two_byte = vec![0usize; TWO_BYTE_CHARS];
        let mut counts = [0usize; SCRIPT_COUNT];
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b < 0x80 {
                ascii[usize::from(b)] += 1;
                i += 1;
                continue;
            }
            if let (0xC2..=0xDF, Some(&next)) = (b, bytes.get(i + 1)) {
                // A two-byte sequence of valid UTF-8: the lead's five bits, the
                // continuation's six.
                let u = usize::from(b & 0x1F) << 6 | usize::from(next & 0x3F);
                two_byte[u - 0x80] += 1;
                i += 2;
                continue;
            }
            let c = text[i..].chars().next().unwrap_or(' ');
            counts[Script::of(c) as usize] += 1;
            i += c.len_utf8();
        }
        for (b, n) in (0u8..).zip(ascii) {
            counts[Script::of(char::from(b)) as usize] += n;
        }
        for (u, &n) in (0x80u32..).zip(&two_byte).filter(|(_, &n)| n > 0) {
            counts[Script::of(char::from_u32(u).unwrap_or(' ')) as usize] += n;
        }
        ScriptCounts(counts)
    }
}

/// Classes that any document may hold without a repair having to justify them.
fn is_universal(s: Script) -> bool {
    matches!(
        s,
        Script::Space
            | Script::Digit
            | Script::AsciiPunct
            | Script::LatinUpper
            | Script::LatinLower
            | Script::LatinSymbol
            | Script::Combining
            | Script::Emoji
    )
}

/// What [`score_hypothesis`] learned of one run by parsing it: its re-encoded bytes'
/// evidence about the loss set, whether it failed to parse, and where its parse is.
#[derive(Debug, Clone, Copy)]
struct RunOutcome {
    seen_values: u64,
    continuation_bytes: usize,
    unparsed: bool,
    parsed: Option<usize>,
}

/// A run that parsed (as one misreading, or only as the middle of two: no slots), its bytes,
/// and once evaluated, its candidate (`Some(None)`: evaluated, nothing to repair).
struct ParsedRun {
    slots: ParsedSlots,
    shape: RunShape,
    bytes: Rc<[u8]>,
    candidate: Option<Option<Candidate>>,
}

/// A run's slots as [`score_hypothesis`] hands them to [`evaluate`].
enum ParsedSlots {
    Parsed(Vec<crate::reconstruct::Slot>),
    /// Every character whole, and the path of the run is in the memo by index already (see
    /// [`Encoded::whole`]): no need to parse again.
    KnownWhole,
    /// Parses only as the middle of two misreadings.
    NestedOnly,
}

impl ParsedSlots {
    fn as_arg(&self) -> RunSlots<'_> {
        match self {
            ParsedSlots::Parsed(slots) => RunSlots::Parsed(slots),
            ParsedSlots::KnownWhole => RunSlots::KnownWhole,
            ParsedSlots::NestedOnly => RunSlots::NestedOnly,
        }
    }
}

/// [`ParsedSlots`] borrowed.
#[derive(Clone, Copy)]
enum RunSlots<'a> {
    Parsed(&'a [crate::reconstruct::Slot]),
    KnownWhole,
    NestedOnly,
}

/// A run re-encoded through a page, what its bytes say about the loss set, and whether all
/// its characters are whole. The same under every loss form of the page (the bytes do not
/// depend on it, and a parse in which every UTF-8 sequence is complete never reaches the
/// lost values or the no-break-space rule: it is the same parse whatever they are), so the
/// page's memo keeps it by run index for all of them. The replacement form's bytes differ:
/// made for each use.
struct Encoded {
    /// None when the page cannot encode the run.
    bytes: Option<Rc<[u8]>>,
    seen_values: u64,
    continuation_bytes: usize,
    /// The shape of the run's parse when every character is whole.
    whole: Option<RunShape>,
}

impl Encoded {
    fn of(run_text: &str, page: CodePage, replaced: bool) -> Encoded {
        let Ok(bytes) = encode_with(run_text, page, replaced) else {
            return Encoded { bytes: None, seen_values: 0, continuation_bytes: 0, whole: None };
        };
        let (mut seen_values, mut continuation_bytes) = (0u64, 0usize);
        for &b in &bytes {
            if (0x80..=0xBF).contains(&b) {
                seen_values |= 1 << (b - 0x80);
                continuation_bytes += 1;
            }
        }
        // With no lost value no hole can be filled: the parse succeeds only when every
        // character is whole, and then it is the parse under any lost values. (Replaced
        // bytes parse their own way: not remembered.)
        let whole = if replaced { None } else { parse_run(&bytes, LostSet::default(), false).map(|(_, shape)| shape) };
        Encoded { bytes: Some(bytes.into()), seen_values, continuation_bytes, whole }
    }
}

struct Scored {
    /// The total gain and the runs repaired, if the hypothesis gains anything.
    result: Option<(f32, Vec<Candidate>)>,
    /// Runs that re-encoded through the page but did not parse as UTF-8 with this loss.
    unparsed: usize,
}

/// Evaluates `hyp` on the runs `ids`: the runs it would repair and its total gain.
fn score_hypothesis(
    text: &str,
    runs: &[Run],
    ids: &[usize],
    hyp: &Hypothesis,
    options: &Options,
    doc_scripts: &DocScripts,
    memo: &CostMemo<'_>,
) -> Scored {
    let mut chosen: Vec<Candidate> = Vec::new();
    let mut intact = 0;
    let mut any_damaged = false;
    let mut unparsed = 0;
    // Evidence about the loss set: which byte values the re-encoded runs show.
    let mut seen_values = 0u64;
    let mut continuation_bytes = 0usize;
    // Parse first, search later: parsing is cheap, the Viterbi search is not, and a text in
    // which no character survived whole under this hypothesis gets no repair at all (see
    // MIN_INTACT_EVIDENCE) — the common case for clean accented text that merely has a
    // lead-continuation pair somewhere.
    //
    // A short run that recurs (`Ã©` between the same two letters) is parsed and evaluated
    // once: what this does with a run (its bytes, their evidence, its parse, its candidate)
    // is a function of the run's text, the characters around it and its piece count under
    // the one hypothesis of this call (the memo's caches hold values of the same function),
    // so a repeat adds the same numbers in the same order. `parsed` holds (run, index into
    // `distinct`); a repeat points at its first occurrence's entry.
    let mut parsed: Vec<(usize, usize)> = Vec::new();
    let mut distinct: Vec<ParsedRun> = Vec::new();
    let mut repeats: RunMap<(ShortRun, usize), RunOutcome> = RunMap::default();
    let mut parsed_intact = 0;
    let replaced = hyp.loss.undecodable.is_some();
    for &i in ids {
        let run = &runs[i];
        let key = ShortRun::of(text, run).map(|k| (k, run.pieces));
        let outcome = match key.and_then(|k| repeats.get(&k)) {
            Some(&outcome) => outcome,
            None => {
                let mut outcome = RunOutcome { seen_values: 0, continuation_bytes: 0, unparsed: false, parsed: None };
                let encoded = if replaced {
                    Rc::new(Encoded::of(&text[run.range.clone()], hyp.page, true))
                } else {
                    memo.encoded(i, || Encoded::of(&text[run.range.clone()], hyp.page, false))
                };
                if let Some(bytes) = encoded.bytes.clone() {
                    outcome.seen_values = encoded.seen_values;
                    outcome.continuation_bytes = encoded.continuation_bytes;
                    // A whole run whose path the memo has by index needs no parse: its
                    // parse is the same under every loss form (see `Encoded`).
                    let known_whole = encoded.whole.filter(|_| memo.intact.borrow()[i].is_some());
                    let parsed_run = if let Some(shape) = known_whole {
                        Some((ParsedSlots::KnownWhole, shape))
                    } else {
                        let parsed = if replaced {
                            parse_run_replaced(&bytes, hyp.lost)
                        } else {
                            parse_run_remembering(&bytes, hyp.lost, hyp.loss.nbsp_to_space, &memo.nested.fills)
                        };
                        parsed.map(|(slots, shape)| (ParsedSlots::Parsed(slots), shape))
                    };
                    let slots_shape = match parsed_run {
                        Some(parsed) => Some(parsed),
                        None => {
                            outcome.unparsed = true;
                            // Not this page's misreading of text, but maybe of the middle of two.
                            may_be_nested(hyp)
                                .then(|| parse_run_keeping_c1(&bytes, hyp.lost))
                                .flatten()
                                .map(|(_, shape)| (ParsedSlots::NestedOnly, shape))
                        }
                    };
                    if let Some((slots, shape)) = slots_shape {
                        outcome.parsed = Some(distinct.len());
                        distinct.push(ParsedRun { slots, shape, bytes, candidate: None });
                    }
                }
                if let Some(k) = key {
                    repeats.insert(k, outcome);
                }
                outcome
            }
        };
        seen_values |= outcome.seen_values;
        continuation_bytes += outcome.continuation_bytes;
        unparsed += usize::from(outcome.unparsed);
        if let Some(d) = outcome.parsed {
            parsed_intact += distinct[d].shape.intact;
            parsed.push((i, d));
        }
    }
    // A document whose every character lost a byte (Georgian through Windows-1250: 0x83,
    // the second byte of every letter, is undefined) shows no character whole: it may still
    // be repaired, but only as a whole and only if the repair is one alphabet (see
    // `wholly_damaged` and the check after the runs are weighed).
    let wholly_damaged =
        parsed_intact < MIN_INTACT_EVIDENCE && wholly_damaged(text, runs, &parsed, &distinct, unparsed, hyp);
    if parsed_intact < MIN_INTACT_EVIDENCE && !wholly_damaged {
        return Scored { result: None, unparsed };
    }
    let mut nested_runs = 0usize;
    for &(i, d) in &parsed {
        let entry = &mut distinct[d];
        let candidate = match &entry.candidate {
            Some(first) => first.as_ref().map(|c| Candidate { run: i, ..c.clone() }),
            None => {
                let c = evaluate(text, &runs[i], i, entry.slots.as_arg(), &entry.bytes, entry.shape, hyp, memo, None);
                entry.candidate = Some(c.clone());
                c
            }
        };
        if let Some(c) = candidate {
            intact += c.shape.intact;
            any_damaged |= c.shape.damaged > 0;
            if c.nested_inner.is_some() {
                nested_runs += 1;
            }
            chosen.push(c);
        }
    }
    if nested_runs >= 2 {
        // A reading through two layers guesses the original's lead bytes, so its script:
        // `Ð` and a lost byte is the lead of Cyrillic (0xD0) or of Greek (0xCD, 0xCF), and a
        // short word on its own reads as either. A document is written in one script, so
        // runs read in another than most are read again preferring the majority's.
        let mut counts = [0usize; SCRIPT_COUNT];
        for c in &chosen {
            for ch in c.nested_inner.iter().flat_map(|t| t.chars()) {
                if let Some(s) = letter_script(ch) {
                    counts[s as usize] += 1;
                }
            }
        }
        let total: usize = counts.iter().sum();
        let (majority, n) = counts.iter().enumerate().max_by_key(|&(_, n)| *n).map_or((0, 0), |(k, n)| (k, *n));
        if 2 * n > total {
            let majority = ALL_SCRIPTS[majority];
            let lookup: HashMap<usize, usize> = parsed.iter().enumerate().map(|(k, p)| (p.0, k)).collect();
            for c in chosen.iter_mut() {
                let other = c
                    .nested_inner
                    .iter()
                    .flat_map(|t| t.chars())
                    .any(|ch| letter_script(ch).is_some_and(|s| s != majority));
                if !other {
                    continue;
                }
                let Some(&k) = lookup.get(&c.run) else { continue };
                let (i, d) = parsed[k];
                let ParsedRun { slots, shape, bytes, .. } = &distinct[d];
                if let Some(again) =
                    evaluate(text, &runs[i], i, slots.as_arg(), bytes, *shape, hyp, memo, Some(majority))
                {
                    *c = again;
                }
            }
        }
    }
    if wholly_damaged && !one_alphabet_throughout(&chosen, parsed.len()) {
        return Scored { result: None, unparsed };
    }
    if hyp.run_prior == CONFIRMED_RUN_PRIOR {
        take_whole_runs_of_majority(text, runs, &parsed, &distinct, hyp, memo, &mut chosen);
    }
    let mut evidence = 0.0;
    if any_damaged {
        if intact < MIN_INTACT_EVIDENCE && !wholly_damaged {
            // Holes alone are no evidence: keep only runs that survived whole.
            chosen.retain(|c| c.shape.damaged == 0);
        }
        if options.reconstruct == Reconstruct::ConfidentOnly {
            chosen.retain(|c| {
                c.repair.path.choices.iter().all(|ch| ch.alternatives.first().is_none_or(|a| a.1 >= options.min_margin))
            });
        }
        let per_value = (continuation_bytes as f32 / 64.0).min(ABSENCE_EVIDENCE_CAP);
        let mut absent = 0.0;
        for v in 0..64 {
            if hyp.lost.0 & (1 << v) != 0 {
                if seen_values & (1 << v) == 0 {
                    absent += per_value;
                } else {
                    evidence -= SEEN_LOST_VALUE_COST;
                }
            }
        }
        evidence += absent;
    }
    // Runs whose repair alone does not pay its prior may still belong: if taking them too
    // removes a script from the document, the whole is likelier. Try both sets.
    // Counted before it is copied: a document whose every run pays for itself (the common
    // case) takes `chosen` as it is.
    let confident_count = chosen.iter().filter(|c| c.gain > 0.0).count();
    let base = evidence - hyp.prior;
    let score_of = |set: &[Candidate]| -> f32 {
        set.iter().map(|c| c.gain).sum::<f32>() + base + script_change(text, runs, set, doc_scripts)
    };
    let (score, chosen) = if confident_count == chosen.len() {
        (score_of(&chosen), chosen)
    } else {
        let confident: Vec<Candidate> = chosen.iter().filter(|c| c.gain > 0.0).cloned().collect();
        if chosen.iter().map(|c| c.gain).sum::<f32>() + script_change_bound(text, runs, &chosen) < 0.0 {
            // Taking every run cannot beat taking the confident ones whatever the script
            // counts say: skip counting them (clean text with a few runs that parse ends here).
            (score_of(&confident), confident)
        } else {
            let (with_all, with_confident) = (score_of(&chosen), score_of(&confident));
            if with_all > with_confident {
                (with_all, chosen)
            } else {
                (with_confident, confident)
            }
        }
    };
    let result = (!chosen.is_empty() && score > 0.0).then_some((score, chosen));
    Scored { result, unparsed }
}

/// Damaged characters a document with no character whole must show before its holes are
/// weighed at all: a short clean text in a Central European language may well parse with
/// holes here and there (`áš` is E1 and 9A, a Georgian letter with its 0x83 lost), a page of
/// Georgian through Windows-1250 has hundreds.
const MIN_WHOLLY_DAMAGED: usize = 24;

/// Whether a text with no character whole under `hyp` may still be a misreading under it
/// that lost a byte of every character: the loss form drops or replaces bytes, every run
/// scored parsed, together they hold at least [`MIN_WHOLLY_DAMAGED`] damaged characters, and
/// they cover every non-ASCII character of the text they were taken from (clean Czech or
/// Polish has `ř`, `ł`, `ů`, which parse under no loss: one is enough to keep it as it is).
fn wholly_damaged(
    text: &str,
    runs: &[Run],
    parsed: &[(usize, usize)],
    distinct: &[ParsedRun],
    unparsed: usize,
    hyp: &Hypothesis,
) -> bool {
    if hyp.lost.0 == 0 || unparsed > 0 || parsed.is_empty() {
        return false;
    }
    let damaged: usize = parsed.iter().map(|&(_, d)| distinct[d].shape.damaged).sum();
    if damaged < MIN_WHOLLY_DAMAGED || parsed.iter().any(|&(_, d)| matches!(distinct[d].slots, ParsedSlots::NestedOnly))
    {
        return false;
    }
    let Some(seen) = runs.last().map(|r| r.range.end) else { return false };
    let non_ascii = |s: &str| s.chars().filter(|c| !c.is_ascii()).count();
    let covered: usize = parsed.iter().map(|&(i, _)| non_ascii(&text[runs[i].range.clone()])).sum();
    covered == non_ascii(&text[..seen])
}

/// The pages (bits over [`CodePage::ALL`]) of `options` under which every non-ASCII run of
/// `text` re-encodes and parses as UTF-8 with some of the page's undefined bytes lost (or,
/// in a text with U+FFFD, replaced), with at least [`MIN_WHOLLY_DAMAGED`] damaged characters
/// in all: where a text with no character whole may still be a misreading (see
/// [`wholly_damaged`]). The screen stops at the first run that does not parse, which in clean
/// text comes early (`ř`, `ł`, `à` followed by ASCII parse under no page's loss).
pub(crate) fn wholly_damaged_pages(text: &str, options: &Options) -> u32 {
    if options.reconstruct == Reconstruct::Never || text.is_ascii() {
        return 0;
    }
    let replaced = memchr::memmem::find(text.as_bytes(), "\u{FFFD}".as_bytes()).is_some();
    let candidates: Vec<(usize, CodePage)> = CodePage::ALL
        .iter()
        .copied()
        .enumerate()
        .filter(|&(_, page)| {
            options.code_pages.contains(&page) && !page.is_double_byte() && !page.undefined_bytes().is_empty()
        })
        .collect();
    // The damage of one run under `page`, or `None` where the run does not parse with holes.
    let damage = |run: &str, page: CodePage| {
        let lost = LostSet::from_bytes(page.undefined_bytes());
        let bytes = encode_with(run, page, replaced).ok()?;
        let parsed = if replaced { parse_run_replaced(&bytes, lost) } else { parse_run(&bytes, lost, false) };
        parsed.map(|(_, shape)| shape.damaged)
    };
    // Clean text fails on its first non-ASCII run under every page: test that run alone
    // before listing the runs of the whole text (this screen runs on every text).
    let Some(first_start) = text.bytes().position(|b| !b.is_ascii()) else { return 0 };
    let first_len = text[first_start..].find(|c: char| c.is_ascii()).unwrap_or(text.len() - first_start);
    let first = &text[first_start..first_start + first_len];
    if candidates.iter().all(|&(_, page)| damage(first, page).is_none()) {
        return 0;
    }
    let runs = non_ascii_runs(text, false);
    let mut pages = 0;
    for (rank, page) in candidates {
        let mut damaged = 0;
        let all_parse = runs.iter().all(|run| damage(&text[run.range.clone()], page).map(|d| damaged += d).is_some());
        if all_parse && damaged >= MIN_WHOLLY_DAMAGED {
            pages |= 1 << rank;
        }
    }
    pages
}

/// For a text with no character whole (see [`wholly_damaged`]): every one of the `parsed`
/// runs has a repair, three in four pay for themselves, and every non-ASCII character of the
/// repairs is a letter of one stretch of 64 code points (one lead byte and second byte of
/// UTF-8: Georgian is E1 83 throughout). Holes filled at random land in as many stretches
/// as there are lost values and leads (Myanmar, Georgian, Ethiopic for `á` through
/// Windows-1250; Han for `č`); a real text misread this way comes back in its own alphabet
/// throughout, and the model's gains say whether that alphabet reads as text.
fn one_alphabet_throughout(chosen: &[Candidate], parsed: usize) -> bool {
    // Short words may not pay their run prior alone (`და`, "and"); most must.
    let paying = chosen.iter().filter(|c| c.gain > 0.0).count();
    if chosen.len() != parsed || 4 * paying < 3 * parsed || chosen.iter().any(|c| c.nested_inner.is_some()) {
        return false;
    }
    let mut stretch = None;
    for ch in chosen.iter().flat_map(|c| c.repair.path.text.chars()).filter(|c| !c.is_ascii()) {
        let here = u32::from(ch) >> 6;
        if !ch.is_alphabetic() || stretch.is_some_and(|s| s != here) {
            return false;
        }
        stretch = Some(here);
    }
    stretch.is_some()
}

/// In a document confirmed as misread under `hyp`, a run that the misreading explains whole
/// (every character intact, nothing lost; where the majority is not Latin, also a run with
/// lost bytes, see `holes_allowed`) and whose repair is written in the class nearly
/// all repairs are written in is repaired even where the model prefers it as it stands. The
/// model sees a run between its neighbours, and a short run between spaces shows it no
/// context: `ΓΎΓΊ` reads as a Greek word, but in Icelandic text misread through
/// Windows-1253 it is `þú`, like every `Γ` pair around it; a lone Armenian `է` through
/// Windows-1251 is `Х§`, which the model, knowing Cyrillic better than Armenian, would keep.
/// Each character of such a repair in the majority class earns [`MAJORITY_CHAR_BONUS`].
fn take_whole_runs_of_majority(
    text: &str,
    runs: &[Run],
    parsed: &[(usize, usize)],
    distinct: &[ParsedRun],
    hyp: &Hypothesis,
    memo: &CostMemo<'_>,
    chosen: &mut Vec<Candidate>,
) {
    // The class of a letter, Latin of either case as one; `None` for what any text holds.
    let class = |ch: char| match Script::of(ch) {
        Script::LatinUpper | Script::LatinLower => Some(Script::LatinLower as usize),
        s if is_universal(s) || s == Script::Control => None,
        s => Some(s as usize),
    };
    let mut counts = [0usize; SCRIPT_COUNT];
    for c in chosen.iter() {
        for k in c.repair.path.text.chars().filter_map(class) {
            counts[k] += 1;
        }
    }
    let total: usize = counts.iter().sum();
    let Some((majority, &n)) = counts.iter().enumerate().max_by_key(|&(_, n)| *n) else { return };
    if n < MIN_MAJORITY_CHARS || 10 * n < 9 * total {
        return;
    }
    // Runs with lost bytes too where the majority is not Latin: a run of holes between
    // spaces shows the model hardly more than its lead bytes (`ΧΧ` for `תל` through
    // Windows-1253, whose continuation bytes 0x9C and 0xAA are both undefined; `ΩΩ` for
    // `في`), and clean text does not hide among Hebrew, Arabic or Cyrillic repairs the way a
    // legitimate `Ã` may sit in Portuguese next to a broken paragraph.
    let holes_allowed = majority != Script::LatinLower as usize;
    let allowed = |shape: &RunShape| holes_allowed || (shape.damaged == 0 && shape.inserted == 0);
    let bonus = |c: &Candidate| -> Option<f32> {
        let whole = allowed(&c.shape) && c.nested_inner.is_none();
        let foreign = c.repair.path.text.chars().any(|ch| class(ch).is_some_and(|k| k != majority));
        let in_majority = c.repair.path.text.chars().filter(|&ch| class(ch) == Some(majority)).count();
        (whole && !foreign && in_majority > 0).then_some(in_majority as f32 * MAJORITY_CHAR_BONUS)
    };
    // Runs already weighed whose repair does not pay for itself alone.
    for c in chosen.iter_mut().filter(|c| c.gain <= 0.0) {
        if let Some(b) = bonus(c) {
            c.gain += b;
        }
    }
    let taken: HashSet<usize> = chosen.iter().map(|c| c.run).collect();
    // Evaluated with a prior low enough that `evaluate` keeps every run; the real gain is
    // worked out below.
    let open = Hypothesis { run_prior: CONFIRMED_RUN_PRIOR - OPEN_PRIOR, ..hyp.clone() };
    let mut added = false;
    // A repeated run shares its first occurrence's entry, and its evaluation (see
    // `score_hypothesis`): a `KnownWhole` entry is valid for the first index only.
    let mut first_of: HashMap<usize, Option<Candidate>> = HashMap::new();
    for &(i, d) in parsed {
        let ParsedRun { slots, shape, bytes, .. } = &distinct[d];
        if taken.contains(&i) || !allowed(shape) || matches!(slots, ParsedSlots::NestedOnly) {
            continue;
        }
        let first = first_of.entry(d).or_insert_with(|| {
            let mut c = evaluate(text, &runs[i], i, slots.as_arg(), bytes, *shape, &open, memo, None)?;
            let b = bonus(&c)?;
            c.gain += b - OPEN_PRIOR * runs[i].pieces as f32;
            (c.gain > 0.0).then_some(c)
        });
        if let Some(c) = first {
            chosen.push(Candidate { run: i, ..c.clone() });
            added = true;
        }
    }
    if added {
        chosen.sort_by_key(|c| c.run);
    }
}

/// What each character of a repair in the majority class earns in
/// [`take_whole_runs_of_majority`], in nats.
const MAJORITY_CHAR_BONUS: f32 = 5.0;
/// Repaired characters a document needs before its majority class says anything.
const MIN_MAJORITY_CHARS: usize = 20;
/// See [`take_whole_runs_of_majority`]: large enough for any run to pass `evaluate`.
const OPEN_PRIOR: f32 = 1000.0;

/// How many further layers a repair is followed before it is judged.
pub(crate) const LOOKAHEAD_LAYERS: usize = 2;
/// Cost of assuming one more lossless layer under a repair.
const LOOKAHEAD_LAYER_PRIOR: f32 = 2.0;

/// The cost of `text` as it would read once the lossless layers under it are undone too.
///
/// The middle of a two-layer misreading looks worse than either end (`ГўВЂВ”` through 1251
/// gives `â` and two C1 controls, which only through ISO-8859-15 gives `—`): judging a
/// repair by its immediate result would refuse the first step of a good repair.
pub(crate) fn unwrapped_cost(text: &str, left: char, right: char, layers: usize) -> f32 {
    unwrapped_cost_of(text, model::cost_of_str(left, text, right), left, right, layers)
}

/// [`unwrapped_cost`] when the cost of `text` itself is known.
fn unwrapped_cost_of(text: &str, cost: f32, left: char, right: char, layers: usize) -> f32 {
    let mut best = cost;
    if layers == 0 || text.is_ascii() {
        return best;
    }
    // Only a page under which a whole UTF-8 character survives can hide a layer (the
    // screen's definition); the others would fail `from_utf8` or add nothing.
    let mask = scan::whole_character_pages(text, &CodePage::ALL);
    for (rank, page) in CodePage::ALL.into_iter().enumerate() {
        if mask & (1 << rank) == 0 {
            continue;
        }
        let Ok(bytes) = encode(text, page) else { continue };
        let Ok(inner) = std::str::from_utf8(&bytes) else { continue };
        if inner.len() == text.len() {
            continue; // nothing but ASCII and single bytes: no layer here
        }
        let cost = unwrapped_cost(inner, left, right, layers - 1) + LOOKAHEAD_LAYER_PRIOR + page_prior(page);
        best = best.min(cost);
    }
    best
}

/// Scripts the repairs bring in that the rest of the document does not show cost a prior
/// each; scripts the repairs remove entirely (a lone `Г` in French text, which is `à`
/// misread through Windows-1251) earn it back: a document with fewer scripts is likelier.
fn script_change(text: &str, runs: &[Run], chosen: &[Candidate], doc_scripts: &DocScripts) -> f32 {
    if chosen.is_empty() {
        return 0.0;
    }
    let mut remaining = doc_scripts.counts.get_or_init(|| ScriptCounts::of(text)).0;
    let mut introduced = 0u32;
    let mut removed = [false; SCRIPT_COUNT];
    for c in chosen {
        doc_scripts.of_run(text, &runs[c.run], |k, n| {
            remaining[k] -= n;
            removed[k] = true;
        });
        introduced |= c.repair.classes;
    }
    let introduced: [bool; SCRIPT_COUNT] = std::array::from_fn(|k| introduced & 1 << k != 0);
    // Removing a script is evidence only where the rest is plainly written in another: a
    // two-letter Ukrainian text is not an island in anything.
    let latin = remaining[Script::LatinLower as usize] + remaining[Script::LatinUpper as usize];
    let island = latin >= ISLAND_CONTEXT_LETTERS;
    let mut change = 0.0;
    for k in (0..SCRIPT_COUNT).filter(|&k| !is_universal(ALL_SCRIPTS[k]) && remaining[k] == 0) {
        if introduced[k] && !removed[k] {
            change -= NEW_SCRIPT_PRIOR;
        } else if removed[k] && !introduced[k] && island {
            change += NEW_SCRIPT_PRIOR;
        }
    }
    change
}

/// The index of the first non-ASCII byte at or after `from` (the length if none), eight
/// bytes at a time.
pub(crate) fn next_non_ascii(bytes: &[u8], mut from: usize) -> usize {
    while let Some(chunk) = bytes.get(from..from + 8) {
        let word = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
        if word & 0x8080_8080_8080_8080 != 0 {
            break;
        }
        from += 8;
    }
    bytes[from..].iter().position(|b| !b.is_ascii()).map_or(bytes.len(), |off| from + off)
}

/// An upper bound of [`script_change`] that needs no document counts: the bonus if every
/// script the runs remove (and their repair does not bring) vanished from the document.
fn script_change_bound(text: &str, runs: &[Run], chosen: &[Candidate]) -> f32 {
    let mut introduced = [false; SCRIPT_COUNT];
    let mut removed = [false; SCRIPT_COUNT];
    for c in chosen {
        for ch in text[runs[c.run].range.clone()].chars() {
            removed[Script::of(ch) as usize] = true;
        }
        for (k, introduced) in introduced.iter_mut().enumerate() {
            *introduced |= c.repair.classes & 1 << k != 0;
        }
    }
    let gained = (0..SCRIPT_COUNT).filter(|&k| !is_universal(ALL_SCRIPTS[k]) && removed[k] && !introduced[k]).count();
    gained as f32 * NEW_SCRIPT_PRIOR
}

/// Scores one parsed run: the gain in plausibility from repairing it; runs that lose more
/// than a script change could win back are dropped. `slots` is the run parsed as one
/// misreading, if it parses so; `bytes` are its re-encoded bytes, for the reading as the
/// middle of two ([`nested_repair`]), which a run with holes also gets.
#[allow(clippy::too_many_arguments)] // one call site, and each argument is one fact
fn evaluate(
    text: &str,
    run: &Run,
    index: usize,
    slots: RunSlots<'_>,
    bytes: &[u8],
    shape: RunShape,
    hyp: &Hypothesis,
    memo: &CostMemo<'_>,
    prefer: Option<Script>,
) -> Option<Candidate> {
    let key = ShortRun::of(text, run);
    let keep = *memo.keep.borrow_mut()[index].get_or_insert_with(|| {
        let cached = key.and_then(|k| memo.short_keep.borrow().get(&k).copied());
        cached.unwrap_or_else(|| {
            let cost = || model::cost_of_str(run.left, &text[run.range.clone()], run.right);
            if let Some(k) = key {
                let keep = cost();
                memo.short_keep.borrow_mut().insert(k, keep);
                return keep;
            }
            let place = (run.range.start, run.range.end);
            let known = memo.nested.keep.borrow().get(&place).copied();
            known.unwrap_or_else(|| {
                let keep = cost();
                memo.nested.keep.borrow_mut().insert(place, keep);
                keep
            })
        })
    });
    let slots = match slots {
        RunSlots::Parsed(slots) => Some(slots),
        // Whole, with its path in the memo by index (score_hypothesis checked): as the
        // lookup below finds it.
        RunSlots::KnownWhole => {
            return finish_evaluate(memo.intact.borrow()[index].clone(), keep, run, index, shape, hyp)
        }
        RunSlots::NestedOnly => None,
    };
    let mut best = slots.map(|slots| {
        let intact = slots.iter().all(|s| matches!(s, crate::reconstruct::Slot::Intact(_)));
        let place = (run.range.start, run.range.end);
        let parse: WholeParse = (hyp.loss.nbsp_to_space, hyp.loss.undecodable.is_some());
        let cached = if intact {
            let by_index = memo.intact.borrow()[index].clone();
            by_index.or_else(|| match key {
                Some(k) => memo.short_intact.borrow().get(&k).cloned(),
                None => {
                    let whole = memo.nested.whole.borrow();
                    let read = whole.get(&place).and_then(|r| r.iter().find(|(b, p, _)| *p == parse && **b == *bytes));
                    let hit = read.map(|(_, _, weighed)| Rc::clone(weighed));
                    // Kept by index too: the page's other loss forms then skip the parse
                    // (`ParsedSlots::KnownWhole`), as after weighing it here.
                    if let Some(hit) = &hit {
                        memo.intact.borrow_mut()[index] = Some(Rc::clone(hit));
                    }
                    hit
                }
            })
        } else {
            None
        };
        match cached {
            Some(hit) => hit,
            None => {
                // A run with holes is searched once per reading of its bytes: the hypotheses
                // of a page that lose the same bytes, a confirmed hypothesis scored again and
                // the final pass over every run all ask for the same search.
                let damaged_key = (!intact).then(|| DamagedKey {
                    range: (run.range.start, run.range.end),
                    page: hyp.page,
                    lost: hyp.lost.0,
                    nbsp_to_space: hyp.loss.nbsp_to_space,
                    replaced: hyp.loss.undecodable.is_some(),
                });
                let cached = damaged_key.as_ref().and_then(|k| memo.nested.damaged.borrow().get(k).cloned());
                if let Some(hit) = cached {
                    hit
                } else {
                    let path = best_path(slots, run.left, run.right);
                    let repaired =
                        unwrapped_cost_of(&path.text, path.cost, run.left, run.right, LOOKAHEAD_LAYERS).min(path.cost);
                    let weighed = Weighed::new(path, repaired);
                    if intact {
                        memo.intact.borrow_mut()[index] = Some(Rc::clone(&weighed));
                        if let Some(k) = key {
                            memo.short_intact.borrow_mut().insert(k, Rc::clone(&weighed));
                        } else {
                            let read = (Rc::from(bytes), parse, Rc::clone(&weighed));
                            memo.nested.whole.borrow_mut().entry(place).or_default().push(read);
                        }
                    }
                    if let Some(k) = damaged_key {
                        memo.nested.damaged.borrow_mut().insert(k, Rc::clone(&weighed));
                    }
                    weighed
                }
            }
        }
    });
    let mut nested_inner = None;
    if shape.damaged > 0 && may_be_nested(hyp) {
        let key = (bytes.to_vec(), hyp.lost, run.left, run.right, prefer);
        let cached = memo.nested.nested.borrow().get(&key).cloned();
        let nested = cached.unwrap_or_else(|| {
            let nested = nested_repair(bytes, hyp.lost, run.left, run.right, prefer);
            memo.nested.nested.borrow_mut().insert(key, nested.clone());
            nested
        });
        if let Some((middle, cost, inner)) = nested {
            if best.as_ref().is_none_or(|b| cost < b.repaired) {
                best = Some(Weighed::new(middle, cost));
                nested_inner = Some(inner);
            }
        }
    }
    let repair = best?;
    let repaired = repair.repaired;
    let gain = keep - repaired - hyp.run_prior * run.pieces as f32 - shape.inserted as f32 * INSERTED_BYTE_COST;
    // `repaired` of a plain reading is `unwrapped_cost(path.text)`: `path.cost` is the model
    // cost of `path.text` between the run's neighbours (best_path's), and the minimum with
    // it changes nothing (unwrapped_cost_of starts from it).
    let term = nested_inner.is_none().then_some(keep - repaired);
    (gain > -NEW_SCRIPT_PRIOR).then_some(Candidate { run: index, repair, shape, gain, nested_inner, term })
}

/// The end of [`evaluate`] for a whole run whose path the memo had (the nested reading is
/// tried only for runs with holes, so there is none).
fn finish_evaluate(
    best: Option<Rc<Weighed>>,
    keep: f32,
    run: &Run,
    index: usize,
    shape: RunShape,
    hyp: &Hypothesis,
) -> Option<Candidate> {
    debug_assert_eq!(shape.damaged, 0);
    let repair = best?;
    let repaired = repair.repaired;
    let gain = keep - repaired - hyp.run_prior * run.pieces as f32 - shape.inserted as f32 * INSERTED_BYTE_COST;
    let term = Some(keep - repaired);
    (gain > -NEW_SCRIPT_PRIOR).then_some(Candidate { run: index, repair, shape, gain, nested_inner: None, term })
}

/// Whether runs under `hyp` are also read as the middle of two misreadings: when its lost
/// bytes include C1 values (the middle's controls lose theirs), and not under the
/// no-break-space form, whose joined runs [`crate::nested`] does not read.
fn may_be_nested(hyp: &Hypothesis) -> bool {
    may_be_nested_under(hyp.lost, hyp.loss)
}

fn may_be_nested_under(lost: LostSet, loss: Loss) -> bool {
    lost.0 & 0xFFFF_FFFF != 0 && !loss.nbsp_to_space && loss.undecodable.is_none()
}

/// The best reading of a run with holes as the middle text of UTF-8 misread twice, and what
/// it costs once the inner layers are undone: the run's bytes (re-encoded through the outer
/// page, `lost` bytes missing) read through each single-byte inner page.
/// The middle text's path, that cost, and the inner text. With `prefer`, guesses of the
/// original's characters keep to that script (see [`letter_script`]) where they can.
pub(crate) fn nested_repair(
    bytes: &[u8],
    lost: LostSet,
    left: char,
    right: char,
    prefer: Option<Script>,
) -> Option<NestedReading> {
    let (slots, shape) = parse_run_keeping_c1(bytes, lost)?;
    if shape.damaged == 0 {
        return None;
    }
    let mut best: Option<NestedReading> = None;
    for page in CodePage::ALL.into_iter().filter(|p| !p.is_double_byte()) {
        let Some(nested) = nested_path(&slots, page, left, right, prefer) else { continue };
        let inner = nested.inner;
        let cost = unwrapped_cost_of(&inner.text, inner.cost, left, right, LOOKAHEAD_LAYERS - 1)
            + LOOKAHEAD_LAYER_PRIOR
            + page_prior(page);
        if best.as_ref().is_none_or(|b| cost < b.1) {
            best = Some((nested.middle, cost, inner.text));
        }
    }
    best
}

/// The repair of one run as a replayed plan makes it, without a document around it: the
/// reading as one misreading or as the middle of two, whichever costs less once undone
/// (as [`evaluate`] chooses, less the document's majority script, which a plan replayed
/// run by run does not see).
pub(crate) fn repair_run_alone(bytes: &[u8], lost: LostSet, loss: Loss, left: char, right: char) -> Option<String> {
    let parsed = if loss.undecodable.is_some() {
        parse_run_replaced(bytes, lost)
    } else {
        parse_run(bytes, lost, loss.nbsp_to_space)
    };
    let plain = parsed.map(|(slots, shape)| {
        let path = best_path(&slots, left, right);
        let cost = unwrapped_cost_of(&path.text, path.cost, left, right, LOOKAHEAD_LAYERS).min(path.cost);
        (path.text, cost, shape.damaged > 0)
    });
    let nested_allowed = may_be_nested_under(lost, loss);
    let nested = if nested_allowed && plain.as_ref().is_none_or(|p| p.2) {
        nested_repair(bytes, lost, left, right, None)
    } else {
        None
    };
    match (plain, nested) {
        (Some(p), Some(n)) => Some(if n.1 < p.1 { n.0.text } else { p.0 }),
        (Some(p), None) => Some(p.0),
        (None, Some(n)) => Some(n.0.text),
        (None, None) => None,
    }
}

/// The script of a letter, Latin upper and lower case as one, for the majority rule of
/// readings through two layers; `None` for digits, punctuation, symbols and marks.
pub(crate) fn letter_script(c: char) -> Option<Script> {
    match Script::of(c) {
        Script::LatinUpper | Script::LatinLower => Some(Script::LatinLower),
        s if is_universal(s) || matches!(s, Script::CjkPunct | Script::Control | Script::Other) => None,
        s => Some(s),
    }
}

/// Costs that the hypotheses of one page share, per run: the run's own cost, and the repair
/// of a run that re-encodes with nothing lost, which is the same under every loss form of
/// the page (the bytes are the same, and so is their only path).
///
/// Short runs are also remembered by their content and context ([`ShortRun`]): both costs
/// are functions of the run's text and the characters around it (a path's offsets are
/// within the run), so a run that repeats elsewhere in the text (`Ã©` between the same two
/// letters, in every other word of a French text) gets the very same values without asking
/// the model again. Long runs are not: in real text they hardly ever repeat, and remembering
/// them would only flatter a benchmark made of repeated paragraphs.
struct CostMemo<'a> {
    keep: RefCell<Vec<Option<f32>>>,
    intact: RefCell<Vec<Option<Rc<Weighed>>>>,
    short_keep: RefCell<RunMap<ShortRun, f32>>,
    short_intact: RefCell<RunMap<ShortRun, Rc<Weighed>>>,
    /// Each run re-encoded through the page (not for the replacement form), by index.
    encoded: RefCell<Vec<Option<Rc<Encoded>>>>,
    nested: &'a NestedMemo,
}

impl CostMemo<'_> {
    /// Room for the runs up to `runs` (a longer list that starts with the runs it was made
    /// for).
    fn grow(&self, runs: usize) {
        let mut keep = self.keep.borrow_mut();
        if keep.len() < runs {
            keep.resize(runs, None);
        }
        let mut intact = self.intact.borrow_mut();
        if intact.len() < runs {
            intact.resize(runs, None);
        }
        let mut encoded = self.encoded.borrow_mut();
        if encoded.len() < runs {
            encoded.resize(runs, None);
        }
    }

    /// Run `index` re-encoded through the page, computed by `encode` the first time.
    fn encoded(&self, index: usize, encode: impl FnOnce() -> Encoded) -> Rc<Encoded> {
        if let Some(hit) = &self.encoded.borrow()[index] {
            return Rc::clone(hit);
        }
        let encoded = Rc::new(encode());
        self.encoded.borrow_mut()[index] = Some(Rc::clone(&encoded));
        encoded
    }

    fn new(runs: usize, nested: &NestedMemo) -> CostMemo<'_> {
        CostMemo {
            keep: RefCell::new(vec![None; runs]),
            intact: RefCell::new(vec![None; runs]),
            short_keep: RefCell::new(RunMap::default()),
            short_intact: RefCell::new(RunMap::default()),
            encoded: RefCell::new(vec![None; runs]),
            nested,
        }
    }
}

/// Readings through two layers, shared by every hypothesis of one text: the result is a
/// function of the run's re-encoded bytes, the lost values, its context and the preferred
/// script, and pages that agree on a run's bytes (Latin-1 and ISO-8859-15 on most of
/// Latin-1's letters) and loss forms that agree on the lost set (with and without soft
/// hyphens, when 0xAD is not among them) ask for the same one.
type NestedKey = (Vec<u8>, LostSet, char, char, Option<Script>);
/// A reading through two layers: the middle text's path, its cost once undone, the inner text.
type NestedReading = (Path, f32, String);
/// Shared by every hypothesis of one text (the pages, their loss forms, the confirmed
/// re-scoring and the final pass): what each asks again of the same runs.
#[derive(Default)]
struct NestedMemo {
    /// The readings through two layers (see [`NestedKey`]).
    nested: RefCell<RunMap<NestedKey, Option<NestedReading>>>,
    /// The search of each run with holes by its place and the reading of its bytes (see
    /// [`DamagedKey`]).
    damaged: RefCell<RunMap<DamagedKey, Rc<Weighed>>>,
    /// The candidates of each hole.
    fills: FillMemo,
    /// The model's cost of each run longer than [`SHORT_RUN_BYTES`] as it stands, by place:
    /// a function of its text and the characters around it, which its place gives (see
    /// [`DamagedKey`]) whatever the page. Each page's runs are its own list, so its memo
    /// by index cannot share them; a long run (a Japanese sentence misread) is hundreds of
    /// characters for the model.
    keep: RefCell<RunMap<(usize, usize), f32>>,
    /// The weighed path of each long run parsed whole, by place, with the bytes it was read
    /// from and how they were parsed (see [`WholeParse`]): a whole run's slots are its
    /// bytes' characters (no hole, so no lost value reaches them), so the path is a function
    /// of the bytes, the parse and the characters around the run. Pages that agree on a
    /// run's bytes (Windows-1252, Latin-1 and Windows-1254 on most of Japanese mojibake)
    /// share it. A few entries per place, one per distinct reading.
    whole: RefCell<RunMap<(usize, usize), Vec<WholeRead>>>,
}

/// A long run's bytes, how they were parsed (the no-break-space form, the replacement form:
/// kept apart though a whole parse should not depend on them) and its weighed path, for
/// [`NestedMemo::whole`].
type WholeRead = (Rc<[u8]>, WholeParse, Rc<Weighed>);
/// The parse flags of a [`WholeRead`]: `(nbsp_to_space, replaced)`.
type WholeParse = (bool, bool);

/// What a run's [`best_path`] and its cost once undone depend on: the run's text and the
/// characters around it (both given by its place in the text: a run's left and right are the
/// characters before and after its range under every page and loss form), and how its
/// characters become slots (the page's bytes for them, the lost values, and the parse: the
/// no-break-space form and the replacement form parse differently). Keyed by place, not by
/// content: a long run that merely recurs elsewhere is searched again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct DamagedKey {
    range: (usize, usize),
    page: CodePage,
    lost: u64,
    nbsp_to_space: bool,
    replaced: bool,
}

/// The longest run, in bytes, that [`CostMemo`] remembers by content: a few accented letters
/// or symbols, the mojibake of one or two characters.
const SHORT_RUN_BYTES: usize = 16;

/// The maps keyed by runs (the short-run memos, the nested and damaged readings): looked up
/// once per run and hypothesis, where std's SipHash was a tenth of a Latin repair's
/// instructions. foldhash is a few times cheaper and, seeded per process, still keeps
/// crafted text from choosing collisions. None of these maps is iterated, so the hasher
/// changes no result.
type RunMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// A short run by content: the characters around it, its length and its bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct ShortRun {
    left: char,
    right: char,
    len: u8,
    bytes: [u8; SHORT_RUN_BYTES],
}

impl ShortRun {
    fn of(text: &str, run: &Run) -> Option<ShortRun> {
        let s = text[run.range.clone()].as_bytes();
        let mut bytes = [0u8; SHORT_RUN_BYTES];
        bytes.get_mut(..s.len())?.copy_from_slice(s);
        Some(ShortRun { left: run.left, right: run.right, len: s.len() as u8, bytes })
    }
}

fn guesses_of(path: &Path, min_margin: f32) -> Vec<Guess> {
    let mut guesses = Vec::with_capacity(path.choices.len());
    for choice in &path.choices {
        let ch = choice.chosen.ch;
        let mut buf = [0u8; 4];
        let bytes = ch.encode_utf8(&mut buf).as_bytes().to_vec();
        let reconstructed = (0..bytes.len()).filter(|i| choice.chosen.inserted_mask & (1 << i) != 0).collect();
        let low_confidence = choice.alternatives.first().is_some_and(|a| a.1 < min_margin);
        guesses.push(Guess {
            offset: choice.offset,
            chosen: ch,
            bytes,
            reconstructed,
            alternatives: choice.alternatives.clone(),
            low_confidence,
        });
    }
    guesses
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    thread_local! {
        /// Whether [`best_layer`] may transcode a large document whole ([`transcode_runs`]):
        /// off in the test that checks it against weighing every run.
        pub(super) static MAY_TRANSCODE: Cell<bool> = const { Cell::new(true) };
        /// How many layers [`best_layer`] transcoded whole.
        pub(super) static TRANSCODED: Cell<usize> = const { Cell::new(0) };
    }

    /// The screen for texts with no character whole lets Windows-1250 through for clean
    /// Slovak made only of `á` and `áš` (so `tests/georgian.rs` keeping it as it is tests the
    /// checks after the screen), and stops at the first `ř` of Czech.
    #[test]
    fn wholly_damaged_screen() {
        let options = Options::default();
        let bit = 1 << CodePage::ALL.iter().position(|&p| p == CodePage::Windows1250).unwrap();
        let slovak = "Náš pán má rád váš sad, ale náš pán nemá rád váš dom; váš pán má rád náš sad a náš dom, \
                      tak pán Sás a pán Vrábel má rád náš sad a váš pán tak.";
        assert_ne!(wholly_damaged_pages(slovak, &options) & bit, 0);
        let czech = format!("{slovak} Při");
        assert_eq!(wholly_damaged_pages(&czech, &options) & bit, 0);
    }

    /// `fix_and_explain` weighing every run: its text, and its explanation as `Debug` and
    /// `Display` show it.
    fn fix_weighing_every_run(text: &str) -> (String, String) {
        MAY_TRANSCODE.with(|m| m.set(false));
        let fixed = explained(text);
        MAY_TRANSCODE.with(|m| m.set(true));
        fixed
    }

    fn explained(text: &str) -> (String, String) {
        let (fixed, explanation) = crate::fix_and_explain(text, &Options::default());
        (fixed.into_owned(), format!("{explanation:?}\n{explanation}"))
    }

    /// Texts of every language we have (the test corpus, the held-out texts, the benchmark
    /// paragraphs), each repeated to a document long enough for the sample to stop short.
    fn long_documents() -> Vec<(String, String)> {
        let root = env!("CARGO_MANIFEST_DIR");
        let mut docs = Vec::new();
        for dir in ["tests/corpus", "tools/text/eval", "benches/data"] {
            let mut paths: Vec<_> = std::fs::read_dir(format!("{root}/{dir}"))
                .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
                .unwrap_or_default();
            paths.sort();
            for path in paths.into_iter().filter(|p| p.extension().is_some_and(|e| e == "txt")) {
                let Ok(text) = std::fs::read_to_string(&path) else { continue };
                let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                // Enough repeats for more runs than the sample takes (a text in a script
                // whose words are long runs, as Japanese, stays too short: not transcoded).
                let runs = non_ascii_runs(&text, false).len().max(1);
                docs.push((format!("{dir}/{name}"), text.repeat((SAMPLE_RUNS / runs + 2).min(4))));
            }
        }
        docs
    }

    fn misread(text: &str, page: CodePage) -> String {
        text.bytes().map(|b| page.decode_byte(b)).collect()
    }

    /// The histograms of `ScriptCounts::of` count what a walk over the characters counts.
    #[test]
    fn script_counts_count_every_character() {
        for (name, text) in long_documents() {
            for page in [CodePage::Windows1252, CodePage::Windows1251, CodePage::MacRoman] {
                for input in [text.clone(), misread(&text, page), misread(&misread(&text, page), page)] {
                    let mut walked = [0usize; SCRIPT_COUNT];
                    for ch in input.chars() {
                        walked[Script::of(ch) as usize] += 1;
                    }
                    assert_eq!(ScriptCounts::of(&input).0, walked, "{name} through {page:?}");
                }
            }
        }
    }

    /// Transcoding a large document whole gives what weighing every run gives, on every
    /// language through every page, once and twice misread, and on documents that mix
    /// clean text with the mojibake (which must not be transcoded).
    #[test]
    fn transcoding_whole_agrees_with_weighing_every_run() {
        let docs = long_documents();
        assert!(docs.len() > 40, "too few texts: {}", docs.len());
        let mut transcoded = 0;
        let mut cases = 0;
        for (name, text) in &docs {
            let mut inputs: Vec<(String, String)> =
                CodePage::ALL.iter().map(|&p| (format!("{p:?}"), misread(text, p))).collect();
            for (outer, inner) in [
                (CodePage::Windows1252, CodePage::Windows1252),
                (CodePage::Windows1252, CodePage::Windows1251),
                (CodePage::Windows1250, CodePage::Windows1252),
            ] {
                inputs.push((format!("{inner:?} then {outer:?}"), misread(&misread(text, inner), outer)));
            }
            // Clean text around the mojibake: the first half as it was.
            let half = text.char_indices().nth(text.chars().count() / 2).map_or(0, |(i, _)| i);
            inputs.push((
                "half Windows1252".into(),
                format!("{}{}", &text[..half], misread(&text[half..], CodePage::Windows1252)),
            ));
            for (how, input) in inputs {
                let before = TRANSCODED.with(|n| n.get());
                // The text alone (no spans kept), then with its explanation.
                let fast = crate::fix_text(&input);
                transcoded += usize::from(TRANSCODED.with(|n| n.get()) > before);
                let explained_fast = explained(&input);
                let slow = fix_weighing_every_run(&input);
                assert!(fast == slow.0, "{name} misread as {how}: transcoding differs from weighing every run");
                assert!(explained_fast == slow, "{name} misread as {how}: the explanations differ");
                cases += 1;
            }
        }
        // The fast path must have been taken (most Latin and Cyrillic texts qualify).
        println!("transcoded whole: {transcoded} of {cases}");
        assert!(transcoded * 4 > cases, "transcoded {transcoded} of {cases}");
    }

    /// The runs a character at a time, as first written: the oracle for the byte-skipping
    /// version.
    fn naive_runs_where(
        text: &str,
        in_run: impl Fn(char) -> bool,
        join_spaces: bool,
        mut stop: impl FnMut(&Run) -> bool,
    ) -> Vec<Run> {
        let mut runs = Vec::new();
        let mut prev = model::START;
        let mut iter = text.char_indices().peekable();
        while let Some((i, c)) = iter.next() {
            if !in_run(c) {
                prev = c;
                continue;
            }
            let start = i;
            let mut end = i + c.len_utf8();
            let mut pieces = 1;
            loop {
                while let Some(&(j, d)) = iter.peek() {
                    if !in_run(d) {
                        break;
                    }
                    end = j + d.len_utf8();
                    iter.next();
                }
                if !(join_spaces && iter.peek().is_some_and(|&(_, d)| d == ' ')) {
                    break;
                }
                let (j, _) = iter.next().unwrap_or((end, ' '));
                end = j + 1;
                if !iter.peek().is_some_and(|&(_, d)| in_run(d)) {
                    break;
                }
                pieces += 1;
            }
            let right = iter.peek().map_or(model::START, |&(_, d)| d);
            let run = Run { range: start..end, left: prev, right, pieces };
            let done = stop(&run);
            runs.push(run);
            if done {
                break;
            }
            prev = text[..end].chars().next_back().unwrap_or(model::START);
        }
        runs
    }

    #[test]
    fn run_splitting_agrees_with_the_char_by_char_version() {
        let samples = [
            "",
            "ascii only",
            "cafÃ© au lait, naÃ¯ve  rÃ©sumÃ© ",
            "ãƒ‡ãƒ¼ã‚¿ ã‚’ ä¿å\u{AD}˜ 日本語 ÐŸÑ€Ð¸Ð²ÐµÑ‚",
            "Ã Ã  Ã\u{a0}x Ã",
            "é",
            " é ",
            "x Ã© ",
        ];
        for text in samples {
            for join in [false, true] {
                for page in CodePage::ALL {
                    let fast = runs_where(text, in_page_run(page), join, |_| false);
                    let naive = naive_runs_where(text, in_page_run(page), join, |_| false);
                    assert_eq!(fast, naive, "{page} join={join} {text:?}");
                }
                let fast = runs_where(text, |c| !c.is_ascii(), join, |_| false);
                assert_eq!(fast, naive_runs_where(text, |c| !c.is_ascii(), join, |_| false), "{text:?}");
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config {
            cases: 500,
            rng_seed: proptest::test_runner::RngSeed::Fixed(0x7275_6E73),
            ..Default::default()
        })]

        #[test]
        fn run_splitting_agrees_on_random_text(
            chars in proptest::collection::vec(proptest::sample::select(vec![
                'a', ' ', ' ', '\n', 'Ã', '©', 'ã', 'ƒ', '\u{a0}', '日', 'Ð', 'Ÿ', '\u{81}', 'ž', '€', '😀', '\u{F8FF}',
            ]), 0..40),
            join: bool,
        ) {
            let text: String = chars.into_iter().collect();
            for page in CodePage::ALL {
                let fast = runs_where(&text, in_page_run(page), join, |_| false);
                proptest::prop_assert_eq!(fast, naive_runs_where(&text, in_page_run(page), join, |_| false));
            }
            let split = sampled_runs_of_pages(&text, (1 << CodePage::ALL.len()) - 1);
            for (rank, page) in CodePage::ALL.into_iter().enumerate() {
                proptest::prop_assert_eq!(&split[rank], &sampled_page_runs(&text, page, false, false));
            }
        }
    }

    /// The one-pass split of every page gives what splitting page by page gives, under
    /// every mask: on every language clean, misread once and twice and half misread, and on
    /// short texts that mix the pages' characters.
    #[test]
    fn one_pass_split_agrees_with_splitting_page_by_page() {
        let all = (1u32 << CodePage::ALL.len()) - 1;
        let masks = [all, 0b1, 0b1010_0101_0110, all & !0b1, 1 << (CodePage::ALL.len() - 1)];
        let check = |name: &str, text: &str| {
            for mask in masks {
                let split = sampled_runs_of_pages(text, mask);
                for (rank, &page) in CodePage::ALL.iter().enumerate() {
                    let expected = if mask & 1 << rank != 0 {
                        sampled_page_runs(text, page, false, false)
                    } else {
                        Default::default()
                    };
                    assert!(split[rank] == expected, "{name}: {page:?} under mask {mask:#b}");
                }
            }
        };
        for (name, text) in long_documents() {
            let half = text.char_indices().nth(text.chars().count() / 2).map_or(0, |(i, _)| i);
            check(&name, &text);
            check(&name, &format!("{}{}", &text[..half], misread(&text[half..], CodePage::Windows1252)));
            for page in [CodePage::Windows1252, CodePage::Windows1251, CodePage::MacRoman, CodePage::Cp437] {
                check(&name, &misread(&text, page));
                check(&name, &misread(&misread(&text, page), CodePage::Windows1252));
            }
        }
        for text in ["", "é", "Ã©", "x Ã©", "Ã© ", "\u{F8FF}Ã©\u{FB01}", "ÐŸÑ€Ð¸ ãƒ‡ãƒ¼ã‚¿ 日本 ž€\u{81}"]
        {
            check(text, text);
        }
    }

    #[test]
    fn run_membership_table_agrees_with_its_definition() {
        for page in CodePage::ALL {
            let in_run = in_page_run(page);
            for c in (0..0x11_0000u32).filter_map(char::from_u32) {
                let expected = !c.is_ascii() && (page.encode_char(c).is_some() || is_latin_mojibake_alphabet(c));
                assert_eq!(in_run(c), expected, "{page} U+{:04X}", c as u32);
            }
        }
    }
}
