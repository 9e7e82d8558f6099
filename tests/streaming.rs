//! The streaming `Fixer` gives the same output as the whole-input functions, however the
//! input is split, for every kind of input: clean, mojibake, legacy encodings, byte order
//! marks, malformed bytes, and text of several blocks.

use fixenc::{fix_bytes_with, fix_text, CodePage, Fixer, Options};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};

/// Streams `input` through a fixer in the chunks that `cuts` (sorted offsets) marks.
fn stream(input: &[u8], cuts: &[usize], from: Option<&str>) -> (String, fixenc::Summary) {
    let options = Options::default();
    let mut fixer = match from {
        Some(label) => Fixer::with_encoding(&options, label).unwrap(),
        None => Fixer::new(&options),
    };
    fixer.keep_explanation(true);
    let mut out = String::new();
    let mut start = 0;
    for &cut in cuts.iter().chain(std::iter::once(&input.len())) {
        let cut = cut.clamp(start, input.len());
        fixer.feed(&input[start..cut], &mut out);
        start = cut;
    }
    let summary = fixer.finish(&mut out);
    (out, summary)
}

fn misread(text: &str, page: CodePage) -> String {
    text.bytes().map(|b| page.decode_byte(b)).collect()
}

/// Inputs of every kind, short enough to be one block.
fn small_inputs() -> Vec<(Vec<u8>, Option<&'static str>)> {
    let japanese = "今日は晴れて、公園を散歩しました。桜の花がとてもきれいでした。\n";
    let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(japanese);
    let (koi8, _, _) = encoding_rs::KOI8_R.encode("Съешь же ещё этих мягких французских булок.\n");
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend("naïve\n".encode_utf16().flat_map(|u| u.to_le_bytes()));
    vec![
        (b"".to_vec(), None),
        (b"plain ascii line\n".to_vec(), None),
        ("Le garçon a mangé une crêpe à la crème.\n".as_bytes().to_vec(), None),
        (misread("Le garçon a mangé une crêpe à la crème.\n", CodePage::Windows1252).into_bytes(), None),
        (misread(japanese, CodePage::Windows1252).into_bytes(), None),
        (format!("\u{feff}{}", misread("データ", CodePage::Windows1252)).into_bytes(), None),
        (sjis.into_owned(), None),
        (koi8.into_owned(), Some("koi8-r")),
        (utf16, None),
        (
            b"broken \xff utf-8 \xe3\x81 but mostly \xe3\x81\x82\xe3\x81\x84\xe3\x81\x86\xe3\x81\x88\xe3\x81\x8a fine"
                .to_vec(),
            None,
        ),
        (b"text cut inside a character \xe6\x97".to_vec(), None),
    ]
}

#[test]
fn whole_input_equals_any_fixed_split() {
    for (input, from) in small_inputs() {
        let whole = fix_bytes_with(&input, &Options::default(), from).unwrap();
        for step in 1..=5 {
            let cuts: Vec<usize> = (step..input.len()).step_by(step).collect();
            let (out, summary) = stream(&input, &cuts, from);
            assert_eq!(out, whole.text, "input {input:02X?} in chunks of {step}");
            assert_eq!(summary.encoding, whole.encoding);
            assert_eq!(summary.replaced, whole.replaced);
            assert_eq!(summary.had_bom, whole.had_bom);
            assert_eq!(summary.explanation, whole.explanation);
        }
    }
}

#[test]
fn changed_says_whether_the_bytes_differ() {
    for (input, from) in small_inputs() {
        let (out, summary) = stream(&input, &[], from);
        assert_eq!(summary.changed, out.as_bytes() != input.as_slice(), "{input:02X?} -> {out:?}");
    }
}

/// A text of several blocks, with mojibake on both sides of every block boundary and lines
/// of several languages, clean and broken.
fn multi_block_text() -> String {
    let lines = [
        "The committee met on Tuesday and approved the budget for next year.",
        "Le comité s'est réuni mardi et a approuvé le budget de l'année prochaine.",
        "委員会は火曜日に開かれ、来年度の予算を承認しました。",
        "Комитет собрался во вторник и утвердил бюджет на следующий год.",
    ];
    let mut text = String::new();
    let mut i = 0usize;
    while text.len() < 2 * (1 << 20) + 300_000 {
        let line = lines[i % lines.len()];
        // Every third line is mojibake, the others clean.
        if i.is_multiple_of(3) {
            text.push_str(&misread(line, CodePage::Windows1252));
        } else {
            text.push_str(line);
        }
        text.push('\n');
        i += 1;
    }
    text
}

#[test]
fn several_blocks_stream_like_the_whole() {
    let text = multi_block_text();
    let whole = fix_text(&text);
    // Every line was repaired, on every side of the block boundaries.
    assert!(!whole.contains('Ã') && !whole.contains('ã'), "mojibake left");
    assert!(whole.contains("Le comité s'est réuni mardi") && whole.contains("委員会は火曜日"));
    let bytes = text.as_bytes();
    // Chunks of odd sizes, so that cuts fall inside characters and inside mojibake runs, and
    // one chunk larger than a block.
    for cuts in [(1..bytes.len()).step_by(65_537).collect::<Vec<_>>(), vec![3, 1_500_000], vec![]] {
        let (out, summary) = stream(bytes, &cuts, None);
        assert!(out == whole, "streamed output differs from fix_text with cuts {:?}", &cuts[..cuts.len().min(4)]);
        assert!(summary.changed);
        assert!(summary.explanation.blocks.len() >= 3, "{} blocks", summary.explanation.blocks.len());
        let first = &summary.explanation.blocks[0];
        assert_eq!(first.range.start, 0);
        assert!(first.explanation.layers[0].code_page == CodePage::Windows1252);
    }
    let decoded = fixenc::fix_bytes(bytes);
    assert!(decoded.text == whole);
}

#[test]
fn clean_multi_block_text_is_borrowed_and_unchanged() {
    let text = "Ein sauberer Satz mit Umlauten: Größe, Übermaß, schön. 日本語も少し。\n".repeat(40_000);
    assert!(text.len() > 2 << 20);
    assert!(matches!(fix_text(&text), std::borrow::Cow::Borrowed(_)));
    let (out, summary) = stream(text.as_bytes(), &[777_777], None);
    assert!(out == text);
    assert!(!summary.changed);
    assert!(!summary.explanation.changed());
}

fn sample_text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "plain words ",
        "café ",
        "cafÃ© ",
        "ãƒ‡ãƒ¼ã‚¿ ",
        "データ ",
        "ÐŸÑ€Ð¸Ð²ÐµÑ‚ ",
        "\n",
        "\r\n",
        "😀 ",
        "e\u{301} ",
    ]);
    prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(Config { cases: 64, rng_seed: RngSeed::Fixed(0x5EED_0004), ..Config::default() })]

    #[test]
    fn streaming_equals_whole(text in sample_text(), cuts in prop::collection::vec(0usize..400, 0..8)) {
        let mut cuts = cuts;
        cuts.sort_unstable();
        let whole = fixenc::fix_bytes(text.as_bytes());
        let (out, summary) = stream(text.as_bytes(), &cuts, None);
        prop_assert_eq!(&out, &whole.text);
        prop_assert_eq!(summary.explanation, whole.explanation);
    }

    /// Tiny blocks put block boundaries everywhere: inside mojibake runs, between a letter and
    /// its combining mark. Chunking must still not matter.
    #[test]
    fn small_blocks_do_not_depend_on_chunking(text in sample_text(), block in 1usize..40, extra in 0usize..20,
                                              cuts in prop::collection::vec(0usize..400, 0..8)) {
        let mut cuts = cuts;
        cuts.sort_unstable();
        let run = |cuts: &[usize]| {
            let mut fixer = Fixer::new(&Options::default());
            fixer.keep_explanation(true).block_sizes_for_testing(block, block + extra);
            let mut out = String::new();
            let mut start = 0;
            for &cut in cuts.iter().chain(std::iter::once(&text.len())) {
                let cut = cut.clamp(start, text.len());
                fixer.feed(&text.as_bytes()[start..cut], &mut out);
                start = cut;
            }
            let summary = fixer.finish(&mut out);
            (out, summary)
        };
        prop_assert_eq!(run(&cuts), run(&[]));
    }

    #[test]
    fn streaming_equals_whole_on_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..300),
                                           cuts in prop::collection::vec(0usize..300, 0..8)) {
        let mut cuts = cuts;
        cuts.sort_unstable();
        let whole = fixenc::fix_bytes(&bytes);
        let (out, summary) = stream(&bytes, &cuts, None);
        prop_assert_eq!(&out, &whole.text);
        prop_assert_eq!(summary.encoding, whole.encoding);
        prop_assert_eq!(summary.replaced, whole.replaced);
    }
}
