//! Property tests (proptest): idempotence, no U+FFFD introduced, clean ASCII borrowed,
//! Borrowed exactly when unchanged, and lossless round trips on random corpus samples.

mod common;

use common::*;
use fixenc::fix_text;
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::RngSeed;

// The seeds are fixed so that CI is deterministic: a case that fails fails every run, and
// exploring new inputs is the fuzz targets' job (fuzz/), whose findings land in
// tests/regressions.rs.
use std::borrow::Cow;
use std::sync::OnceLock;
use unicode_normalization::{is_nfc, UnicodeNormalization};

/// Sentences of the corpus, per language.
fn corpus_sentences() -> &'static Vec<(&'static str, Vec<String>)> {
    static S: OnceLock<Vec<(&'static str, Vec<String>)>> = OnceLock::new();
    S.get_or_init(|| all_corpus().into_iter().map(|(l, t)| (l, sentences(&t))).collect())
}

/// Characters that mojibake is made of, plus ordinary text, to make random strings that are
/// close to the interesting region rather than uniformly random.
fn mojibake_char() -> impl Strategy<Value = char> {
    prop_oneof![
        3 => prop::char::range(' ', '~'),
        3 => prop::char::range('\u{80}', '\u{FF}'),
        1 => prop::sample::select(vec!['€', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', 'Ž', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', 'ž', 'Ÿ', 'ğ', 'ı', 'ş', 'İ', 'Ğ', 'Ş']),
        1 => prop::char::range('\u{400}', '\u{45F}'),
        1 => prop::char::range('\u{370}', '\u{3CF}'),
        1 => prop::char::range('\u{2500}', '\u{257F}'),
        1 => prop::char::range('\u{3040}', '\u{30FF}'),
        1 => prop::char::range('\u{4E00}', '\u{9FFF}'),
        1 => any::<char>(),
    ]
}

fn mojibake_string() -> impl Strategy<Value = String> {
    prop::collection::vec(mojibake_char(), 0..60).prop_map(|v| v.into_iter().collect())
}

/// A realistic sample: 1–4 sentences of one language, misread through a random page,
/// 1–2 layers, with an optional loss form applicable to the page.
#[derive(Debug, Clone)]
struct Sample {
    lang: &'static str,
    original: String,
    chain: Chain,
}

fn sample(lossy: bool) -> impl Strategy<Value = Sample> {
    (0..langs().len(), prop::collection::vec(any::<Index>(), 1..4), 0..Page::ALL.len(), 1usize..=2, 0usize..6).prop_map(
        move |(li, picks, pi, layers, loss_i)| {
            let (lang, sents) = &corpus_sentences()[li];
            let original = picks.iter().map(|ix| ix.get(sents).as_str()).collect::<Vec<_>>().join(" ");
            let page = Page::ALL[pi];
            let losses = [
                LossForm::NONE,
                LossForm::UNDEFINED,
                LossForm::C1,
                LossForm::SHY,
                LossForm::UNDEFINED_SHY,
                LossForm::C1_SHY,
            ];
            let mut loss = if lossy { losses[loss_i] } else { LossForm::NONE };
            if !loss.applies_to(page) {
                loss = LossForm::NONE;
            }
            Sample { lang, original, chain: Chain::repeated(page, layers, loss) }
        },
    )
}

fn fix_owned(s: &str) -> String {
    fix_text(s).into_owned()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, rng_seed: RngSeed::Fixed(0x00f1_7e5c), ..ProptestConfig::default() })]

    #[test]
    fn idempotent_on_arbitrary_strings(s in any::<String>()) {
        let once = fix_owned(&s);
        let twice = fix_owned(&once);
        prop_assert_eq!(&twice, &once, "input {:?} (bytes {:02X?})", s, s.as_bytes());
    }

    #[test]
    fn idempotent_on_mojibake_like_strings(s in mojibake_string()) {
        let once = fix_owned(&s);
        let twice = fix_owned(&once);
        prop_assert_eq!(&twice, &once, "input {:?} (bytes {:02X?})", s, s.as_bytes());
    }

    #[test]
    fn no_replacement_char_introduced(s in mojibake_string()) {
        let out = fix_owned(&s);
        if !s.contains('\u{FFFD}') {
            prop_assert!(!out.contains('\u{FFFD}'), "{:?} → {:?}", s, out);
        }
    }

    #[test]
    fn clean_ascii_unchanged_and_borrowed(s in "[ -~\t\n]{0,200}") {
        let out = fix_text(&s);
        prop_assert!(matches!(out, Cow::Borrowed(_)), "{:?} was copied", s);
        prop_assert_eq!(out.as_ref(), s.as_str());
    }

    /// For NFC input, the output is Borrowed exactly when it equals the input.
    #[test]
    fn borrowed_iff_unchanged(s in prop_oneof![mojibake_string(), any::<String>()]) {
        let s: String = s.nfc().collect();
        prop_assume!(is_nfc(&s));
        let out = fix_text(&s);
        match &out {
            Cow::Borrowed(b) => prop_assert_eq!(*b, s.as_str()),
            Cow::Owned(o) => prop_assert_ne!(o.as_str(), s.as_str(), "unchanged output was copied"),
        }
    }

    /// Output of a repair is NFC (the default normalization).
    #[test]
    fn output_is_nfc(s in mojibake_string()) {
        let out = fix_owned(&s);
        prop_assert!(is_nfc(&out), "{:?} → {:?}", s, out);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 192, rng_seed: RngSeed::Fixed(0x00f1_7e5c), ..ProptestConfig::default() })]

    /// Realistic lossless mojibake of at least 20 chars with non-ASCII content comes back
    /// exactly (1 or 2 layers, any page).
    #[test]
    fn lossless_round_trip_on_corpus_samples(s in sample(false)) {
        prop_assume!(s.original.chars().count() >= 20 && has_non_ascii(&s.original));
        let broken = s.chain.apply(&s.original);
        let got = fix_owned(&broken);
        prop_assert!(got == s.original, "[{}] {}\n  original {:?}\n  {}", s.lang, s.chain, s.original, first_difference(&s.original, &got));
    }

    /// Repairing corrupted (possibly lossy) samples is idempotent, and introduces no U+FFFD.
    #[test]
    fn idempotent_on_corrupted_corpus_samples(s in sample(true)) {
        let broken = s.chain.apply(&s.original);
        let once = fix_owned(&broken);
        let twice = fix_owned(&once);
        prop_assert!(twice == once, "[{}] {}\n  once  {:?}\n  twice {:?}", s.lang, s.chain, once, twice);
        prop_assert!(!once.contains('\u{FFFD}'), "[{}] {} introduced U+FFFD: {:?}", s.lang, s.chain, once);
    }

    /// Clean samples (1–4 random sentences) are returned Borrowed and unchanged.
    #[test]
    fn clean_corpus_samples_borrowed(s in sample(false)) {
        let out = fix_text(&s.original);
        prop_assert!(matches!(out, Cow::Borrowed(_)) && out == s.original.as_str(), "[{}] {:?} → {:?}", s.lang, s.original, out);
    }
}
