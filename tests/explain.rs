//! The explanation: the right code page and loss per layer, guesses reported for lossy
//! repairs, plans that replay on other text broken the same way and refuse text they cannot
//! explain; and the options that steer a repair.

mod common;

use common::*;
use fixenc::{fix_and_explain, fix_text_with, CodePage, Error, Normalization, Options, Reconstruct};

fn para(lang: &str, i: usize) -> String {
    paragraphs(&corpus(lang))[i].clone()
}

fn pages_of(ex: &fixenc::Explanation) -> Vec<CodePage> {
    ex.layers.iter().map(|l| l.code_page).collect()
}

/// Japanese with an emoji misread through 1254: the emoji's lead byte 0xF0 is `ğ` in 1254
/// (`ð` in 1252), and Ž/ž never occur. Only 1254 explains it.
#[test]
fn turkish_page_identified_by_g_breve() {
    let original = format!("{} 今日はいい天気ですね🙂 ありがとう🎉", para("ja", 0));
    let broken = Chain::single(Page::W1254, LossForm::NONE).apply(&original);
    assert!(broken.contains('ğ'));
    let (fixed, ex) = fix_and_explain(&broken, &Options::default());
    assert_eq!(fixed, original, "{}", first_difference(&original, &fixed));
    assert_eq!(pages_of(&ex), vec![CodePage::Windows1254], "{ex}");
    assert!(ex.layers[0].loss.is_lossless(), "{ex}");
}

/// Russian through 1254: 0xD0 is `Ğ` in 1254 and `Ð` in 1252.
#[test]
fn turkish_page_identified_for_cyrillic() {
    let original = para("ru", 0);
    let broken = Chain::single(Page::W1254, LossForm::NONE).apply(&original);
    assert!(broken.contains('Ğ'));
    let (fixed, ex) = fix_and_explain(&broken, &Options::default());
    assert_eq!(fixed, original);
    assert_eq!(pages_of(&ex), vec![CodePage::Windows1254], "{ex}");
}

/// Text misread through 1251 shows Cyrillic letters only 1251 has (`Ѓ`, `Ђ`, `Ñ•`…).
#[test]
fn cyrillic_page_identified() {
    for lang in ["ja", "de", "el"] {
        let original = para(lang, 1);
        let broken = Chain::single(Page::W1251, LossForm::NONE).apply(&original);
        let (fixed, ex) = fix_and_explain(&broken, &Options::default());
        assert_eq!(fixed, original, "{lang}: {}", first_difference(&original, &fixed));
        assert_eq!(pages_of(&ex), vec![CodePage::Windows1251], "{lang}: {ex}");
        assert!(!ex.layers[0].spans.is_empty());
    }
}

/// Polish through 1250 gives `Ĺ` (0xC5), which only 1250 (and ISO-8859-2 at another byte)
/// has; through 1252 it gives `Å`.
#[test]
fn central_european_page_identified() {
    let original = para("pl", 0);
    let broken = Chain::single(Page::W1250, LossForm::NONE).apply(&original);
    let (fixed, ex) = fix_and_explain(&broken, &Options::default());
    assert_eq!(fixed, original);
    assert_eq!(pages_of(&ex), vec![CodePage::Windows1250], "{ex}");
}

#[test]
fn two_layers_reported_outermost_first() {
    let original = para("fr", 1);
    let broken = Chain::repeated(Page::W1252, 2, LossForm::NONE).apply(&original);
    let (fixed, ex) = fix_and_explain(&broken, &Options::default());
    assert_eq!(fixed, original);
    assert_eq!(pages_of(&ex), vec![CodePage::Windows1252, CodePage::Windows1252], "{ex}");
    // Spans of the outer layer refer to the broken text.
    for span in &ex.layers[0].spans {
        assert_eq!(&broken[span.range.clone()], span.original, "{ex}");
    }
}

#[test]
fn span_ranges_point_into_the_input() {
    let clean = para("de", 0);
    let victim = para("ko", 1);
    let broken_part = Chain::single(Page::W1252, LossForm::NONE).apply(&victim);
    let input = format!("{clean}\n\n{broken_part}");
    let (fixed, ex) = fix_and_explain(&input, &Options::default());
    assert_eq!(fixed, format!("{clean}\n\n{victim}"));
    assert_eq!(ex.layers.len(), 1, "{ex}");
    let layer = &ex.layers[0];
    assert!(!layer.spans.is_empty());
    let mut last_end = 0;
    for span in &layer.spans {
        assert!(span.range.start >= clean.len(), "a span touches the clean paragraph: {:?}", span.range);
        assert!(span.range.start >= last_end, "spans overlap or are out of order");
        last_end = span.range.end;
        assert_eq!(&input[span.range.clone()], span.original);
        assert!(span.guesses.is_empty(), "a lossless repair guessed: {:?}", span.guesses);
    }
}

/// Japanese through 1254 with the undefined bytes dropped: the layer reports the loss, and
/// the rebuilt characters are listed as guesses. (The emoji makes 1254 certain: its lead
/// byte 0xF0 is `ğ`, which 1252 does not have.)
#[test]
fn lossy_repair_reports_loss_and_guesses() {
    let original = format!("{}🙂\n\n{}", para("ja", 0), para("ja", 1));
    let broken = Chain::single(Page::W1254, LossForm::UNDEFINED).apply(&original);
    let (fixed, ex) = fix_and_explain(&broken, &Options::default());
    assert_eq!(ex.layers.len(), 1, "{ex}");
    let layer = &ex.layers[0];
    assert_eq!(layer.code_page, CodePage::Windows1254, "{ex}");
    assert!(layer.loss.undefined_dropped, "{ex}");
    assert!(!layer.loss.c1_stripped, "{ex}");
    let guesses: Vec<_> = layer.spans.iter().flat_map(|s| s.guesses.iter()).collect();
    assert!(!guesses.is_empty(), "a lossy repair must list its guesses: {ex}");
    for g in &guesses {
        assert!(!g.reconstructed.is_empty(), "{g:?}");
        assert_eq!(g.chosen.to_string().as_bytes(), &g.bytes[..], "{g:?}");
        assert!(g.reconstructed.iter().all(|&i| i < g.bytes.len()), "{g:?}");
    }
    // Damage is local: the repair is close to the original.
    let d = char_distance(&original, &fixed);
    assert!(d * 20 < original.chars().count(), "{d} edits: {}", first_difference(&original, &fixed));
}

#[test]
fn c1_stripped_loss_reported() {
    let original = para("ru", 1);
    let broken = Chain::single(Page::Latin1, LossForm::C1).apply(&original);
    let (_, ex) = fix_and_explain(&broken, &Options::default());
    assert_eq!(ex.layers.len(), 1, "{ex}");
    assert!(ex.layers[0].loss.c1_stripped, "{ex}");
    assert!(matches!(ex.layers[0].code_page, CodePage::Latin1 | CodePage::Iso8859_15), "{ex}");
}

#[test]
fn lossless_repair_reports_no_loss() {
    let original = para("cs", 2);
    let broken = Chain::single(Page::W1252, LossForm::NONE).apply(&original);
    let (_, ex) = fix_and_explain(&broken, &Options::default());
    assert_eq!(ex.layers.len(), 1, "{ex}");
    assert!(ex.layers[0].loss.is_lossless(), "{ex}");
}

/// The plan learned on one text replays on another text broken the same way.
#[test]
fn plan_replays_on_other_text() {
    for (page, loss, layers) in [
        (Page::W1251, LossForm::NONE, 1),
        (Page::W1252, LossForm::NONE, 2),
        (Page::W1254, LossForm::NONE, 1),
        (Page::MacRoman, LossForm::NONE, 1),
    ] {
        let chain = Chain::repeated(page, layers, loss);
        let (_, ex) = fix_and_explain(&chain.apply(&para("ja", 2)), &Options::default());
        let plan = ex.plan();
        for lang in ["zh", "ru", "fr"] {
            let other = para(lang, 3);
            let broken = chain.apply(&other);
            let got = plan.apply(&broken);
            match got {
                Ok(s) => assert!(s == other, "{chain} on {lang}: {}", first_difference(&other, &s)),
                Err(e) => panic!("{chain} on {lang}: plan failed: {e}"),
            }
        }
    }
}

/// A lossy plan replays too (the text need not be exact, but it must apply and be close).
#[test]
fn lossy_plan_replays() {
    let chain = Chain::single(Page::W1252, LossForm::UNDEFINED);
    let (_, ex) = fix_and_explain(&chain.apply(&para("ja", 0)), &Options::default());
    assert!(ex.layers.first().is_some_and(|l| l.loss.undefined_dropped), "{ex}");
    let other = para("ja", 3);
    let broken = chain.apply(&other);
    let got = ex.plan().apply(&broken).expect("lossy plan applies");
    let d = char_distance(&other, &got);
    assert!(d * 10 < other.chars().count(), "{d} edits: {}", first_difference(&other, &got));
}

/// Two layers with the outer one lossy: the explanation names both, the outer guesses are
/// the C1 controls the inner layer needs, and the plan replays on other text.
#[test]
fn lossy_outer_layer_of_two_is_read_through_the_inner_one() {
    let chain = Chain::repeated(Page::W1252, 2, LossForm::UNDEFINED);
    let original = para("ja", 1);
    let broken = chain.apply(&original);
    let (fixed, ex) = fix_and_explain(&broken, &Options::default());
    assert_eq!(pages_of(&ex), vec![CodePage::Windows1252, CodePage::Windows1252], "{ex}");
    assert!(ex.layers[0].loss.undefined_dropped && ex.layers[1].loss.is_lossless(), "{ex}");
    let guesses: Vec<char> = ex.layers[0].spans.iter().flat_map(|s| s.guesses.iter().map(|g| g.chosen)).collect();
    assert!(guesses.iter().any(|&c| ('\u{80}'..='\u{9F}').contains(&c)), "{ex}");
    assert_within_2_percent(&original, &fixed);
    let other = para("ja", 4);
    let broken_other = chain.apply(&other);
    let got = ex.plan().apply(&broken_other).expect("the plan applies");
    assert_within_2_percent(&other, &got);
}

/// Fewer than one character in 50 of `got` differs from `original`.
fn assert_within_2_percent(original: &str, got: &str) {
    let d = char_distance(original, got);
    assert!(d * 50 < original.chars().count(), "{d} edits: {}", first_difference(original, got));
}

/// A replacing decoder's U+FFFD (`ã�“` for こ through Windows-1252, as Python's
/// `errors="replace"` leaves it) is read as one lost byte in place, named in the
/// explanation, and replayed by the plan.
#[test]
fn replaced_undefined_bytes_are_filled_in_place() {
    let chain = Chain::single(Page::W1252, LossForm::REPLACED);
    let original = para("ja", 2);
    let broken = chain.apply(&original);
    assert!(broken.contains('\u{FFFD}'));
    let (fixed, ex) = fix_and_explain(&broken, &Options::default());
    assert_eq!(pages_of(&ex), vec![CodePage::Windows1252], "{ex}");
    assert_eq!(ex.layers[0].loss.undecodable, Some('\u{FFFD}'), "{ex}");
    assert_within_2_percent(&original, &fixed);
    let other = para("ru", 1);
    let broken_other = chain.apply(&other);
    let got = ex.plan().apply(&broken_other).expect("the plan applies");
    assert_within_2_percent(&other, &got);
}

/// A plan refuses text it cannot have produced.
#[test]
fn plan_rejects_text_outside_the_code_page() {
    let (_, ex) =
        fix_and_explain(&Chain::single(Page::W1252, LossForm::NONE).apply("naïve café résumé"), &Options::default());
    let plan = ex.plan();
    assert_eq!(plan.apply("rÃ©sumÃ©").unwrap(), "résumé");
    // Cyrillic is not in windows-1252.
    match plan.apply("ÐŸÑ€Ð¸ Привет") {
        Err(Error::NotEncodable { ch, page, .. }) => {
            assert_eq!(page, CodePage::Windows1252);
            assert_eq!(ch, 'П');
        }
        other => panic!("want NotEncodable, got {other:?}"),
    }
    // CJK text cannot come from misreading UTF-8 through any single-byte page.
    let (_, ex) = fix_and_explain(&Chain::single(Page::W1251, LossForm::NONE).apply("Grüße"), &Options::default());
    assert!(ex.plan().apply("日本語").is_err());
}

#[test]
fn clean_text_empty_plan_is_identity() {
    let text = para("th", 0);
    let (out, ex) = fix_and_explain(&text, &Options::default());
    assert_eq!(out, text);
    assert!(ex.layers.is_empty());
    assert!(!ex.changed());
    assert_eq!(ex.plan().apply(&text).unwrap(), text);
}

/// Restricting the code pages: text misread through 1251 is not "repaired" through 1252.
#[test]
fn code_pages_option_is_respected() {
    let original = para("de", 2);
    let broken = Chain::single(Page::W1251, LossForm::NONE).apply(&original);
    let only_1252 = Options::default().code_pages(&[CodePage::Windows1252]);
    assert_eq!(fix_text_with(&broken, &only_1252), broken);
    let only_1251 = Options::default().code_pages(&[CodePage::Windows1251]);
    assert_eq!(fix_text_with(&broken, &only_1251), original);
    let (_, ex) = fix_and_explain(&broken, &only_1252);
    assert!(ex.layers.is_empty());
}

/// `Reconstruct::Never` repairs lossless mojibake but guesses nothing.
#[test]
fn reconstruct_never_guesses_nothing() {
    let never = Options::default().reconstruct(Reconstruct::Never);
    let original = para("ja", 1);
    let lossless = Chain::single(Page::W1252, LossForm::NONE).apply(&original);
    assert_eq!(fix_text_with(&lossless, &never), original);
    let lossy = Chain::single(Page::W1252, LossForm::UNDEFINED).apply(&original);
    let (_, ex) = fix_and_explain(&lossy, &never);
    let guesses = ex.layers.iter().flat_map(|l| &l.spans).flat_map(|s| &s.guesses).count();
    assert_eq!(guesses, 0, "{ex}");
    assert!(ex.layers.iter().all(|l| l.loss.is_lossless()), "{ex}");
}

/// `Reconstruct::ConfidentOnly` leaves no low-confidence guess in place.
#[test]
fn confident_only_keeps_no_low_confidence_guess() {
    let opts = Options::default().reconstruct(Reconstruct::ConfidentOnly);
    let original = format!("{}\n\n{}", para("ja", 0), para("ja", 4));
    let lossy = Chain::single(Page::W1254, LossForm::UNDEFINED).apply(&original);
    let (_, ex) = fix_and_explain(&lossy, &opts);
    assert_eq!(ex.low_confidence_guesses().count(), 0, "{ex}");
}

#[test]
fn normalization_options() {
    let none = Options::default().normalization(Normalization::None);
    assert_eq!(fix_text_with("cafe\u{301}", &none), "cafe\u{301}");
    assert_eq!(fix_text_with("cafe\u{301}", &Options::default()), "café");
    let nfkc = Options::default().normalization(Normalization::Nfkc);
    assert_eq!(fix_text_with("ＡＢＣ１２３", &nfkc), "ABC123");
    // NFC keeps the full-width forms Japanese uses on purpose.
    assert_eq!(fix_text_with("ＡＢＣ１２３", &Options::default()), "ＡＢＣ１２３");
    // Mojibake of a decomposed text: repaired, then composed.
    let broken = Chain::single(Page::W1252, LossForm::NONE).apply("cafe\u{301} au lait, s'il vous plai\u{302}t");
    assert_eq!(fix_text_with(&broken, &Options::default()), "café au lait, s'il vous plaît");
}

#[test]
fn code_page_names_are_distinct() {
    let names: std::collections::BTreeSet<&str> = CodePage::ALL.iter().map(|c| c.name()).collect();
    assert_eq!(names.len(), CodePage::ALL.len());
    assert_eq!(CodePage::ALL.len(), 12);
}
