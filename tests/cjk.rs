//! Mojibake through the double-byte CJK code pages, both directions, lossless and lossy.
//!
//! The texts are `tests/cjk/*.txt`, paragraphs of 100+ characters written for these tests
//! (Japanese, Simplified and Traditional Chinese, Korean; `ja2.txt` is a second Japanese set,
//! read through Shift_JIS only: it was written to widen the sample of that page's lossy
//! rows). The corruption is made here with encoding_rs and the test oracle's single-byte
//! tables, never with fixenc itself:
//!
//! - UTF-8 read as a double-byte page: `decode_without_bom_handling`, which turns what the
//!   decoder rejects into U+FFFD. The lossless cases are the longest prefix (100 characters
//!   or more) of each paragraph that the decoder takes without error, where there is one;
//!   the U+FFFD cases are the paragraphs it rejected bytes of, and, with U+FFFD replaced by
//!   `?` or removed, the `?` and dropped cases.
//! - Double-byte text read as a single-byte page: encoding_rs encodes, the oracle's page
//!   decodes each byte.
//!
//! `cargo test --release --test cjk -- --nocapture` prints the rates; the asserted floors are
//! what the engine reached when they were set (a ratchet: only ever tighten them).

mod common;

use common::{char_distance, Page};
use encoding_rs::Encoding;
use fixenc::{fix_and_explain, fix_text, fix_text_with, CodePage, Options};
use std::borrow::Cow;

fn paragraphs(name: &str) -> Vec<String> {
    let path = format!("{}/tests/cjk/{name}.txt", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {path}: {e}"));
    text.split("\n\n").map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect()
}

/// UTF-8 text decoded as `encoding`, with U+FFFD where the decoder rejected bytes; and
/// whether it rejected any.
fn utf8_read_as(text: &str, encoding: &'static Encoding) -> (String, bool) {
    let (s, errors) = encoding.decode_without_bom_handling(text.as_bytes());
    (s.into_owned(), errors)
}

/// `text` encoded in `encoding` and each byte decoded through the single-byte `page`.
fn bytes_read_as(text: &str, encoding: &'static Encoding, page: Page) -> String {
    let (bytes, _, unmappable) = encoding.encode(text);
    assert!(!unmappable, "test text not in {}", encoding.name());
    bytes.iter().map(|&b| page.decode_byte(b)).collect()
}

/// Exact documents and character error rate of `fix_text` over (clean, broken) pairs.
struct Rate {
    docs: usize,
    exact: usize,
    chars: usize,
    errors: usize,
    first_failure: Option<String>,
}

impl Rate {
    fn measure(cases: &[(String, String)]) -> Rate {
        let mut r = Rate { docs: 0, exact: 0, chars: 0, errors: 0, first_failure: None };
        for (clean, broken) in cases {
            let fixed = fix_text(broken);
            let d = char_distance(clean, &fixed);
            r.docs += 1;
            r.chars += clean.chars().count();
            r.errors += d;
            if std::env::var_os("FIXENC_CJK_VERBOSE").is_some() && d > 0 {
                let (_, ex) = fix_and_explain(broken, &Options::default());
                let layers: Vec<String> =
                    ex.layers.iter().map(|l| format!("{:?}/{} {} spans", l.code_page, l.loss, l.spans.len())).collect();
                println!("    distance {d} {layers:?}: {}", common::first_difference(clean, &fixed));
            }
            if d == 0 {
                r.exact += 1;
            } else if r.first_failure.is_none() {
                let (_, ex) = fix_and_explain(broken, &Options::default());
                r.first_failure = Some(format!(
                    "{}\n  expected {clean:?}\n  got      {fixed:?}\n  {ex}",
                    common::first_difference(clean, &fixed)
                ));
            }
        }
        r
    }
    fn exact_rate(&self) -> f64 {
        if self.docs == 0 {
            1.0
        } else {
            self.exact as f64 / self.docs as f64
        }
    }
    fn cer(&self) -> f64 {
        if self.chars == 0 {
            0.0
        } else {
            self.errors as f64 / self.chars as f64
        }
    }
    fn report(&self, label: &str) {
        println!("{label:<36} docs {:>3}  exact {:>6.1}%  CER {:.4}", self.docs, 100.0 * self.exact_rate(), self.cer());
        if let Some(f) = &self.first_failure {
            println!("    first failure: {f}");
        }
    }
}

/// The directions of UTF-8 read as a double-byte page: (label, texts, encoding).
fn utf8_directions() -> Vec<(&'static str, &'static str, &'static Encoding)> {
    vec![
        ("Japanese as Shift_JIS", "ja", encoding_rs::SHIFT_JIS),
        ("Simplified Chinese as GBK", "zh_hans", encoding_rs::GBK),
        ("Traditional Chinese as Big5", "zh_hant", encoding_rs::BIG5),
        ("Korean as CP949", "ko", encoding_rs::EUC_KR),
        ("Japanese as EUC-JP", "ja", encoding_rs::EUC_JP),
        ("Simplified Chinese as Shift_JIS", "zh_hans", encoding_rs::SHIFT_JIS),
        ("Japanese as GBK", "ja", encoding_rs::GBK),
        ("Japanese (set 2) as Shift_JIS", "ja2", encoding_rs::SHIFT_JIS),
    ]
}

#[derive(Clone, Copy, PartialEq)]
enum Lossy {
    Fffd,
    Question,
    Dropped,
    /// U+FFFD per rejected byte, the byte after a rejected lead decoded again: Python's
    /// codecs with `errors="replace"` (modelled for Shift_JIS and GBK).
    FffdPerByte,
}

/// UTF-8 `text` decoded as Python's codec for `encoding` does with `errors="replace"`
/// (modelled for Shift_JIS and GBK, from encoding_rs's pairs, which agree with the base
/// standards Python follows outside the vendor areas): a lead byte whose pair is not
/// mapped is replaced alone and the next byte decoded again. Python's `shift_jis` is JIS X
/// 0208 without the NEC and IBM rows and rejects 0x80; its `gbk` rejects 0x80 and 0xFF and
/// maps nothing to private use (the user-defined areas).
fn python_replace(text: &str, encoding: &'static Encoding) -> (String, bool) {
    let sjis = encoding == encoding_rs::SHIFT_JIS;
    assert!(sjis || encoding == encoding_rs::GBK, "Python's codec for {} is not modelled", encoding.name());
    let bytes = text.as_bytes();
    let (mut out, mut errors, mut i) = (String::new(), false, 0);
    while i < bytes.len() {
        let b = bytes[i];
        let lead = if sjis { matches!(b, 0x81..=0x9F | 0xE0..=0xFC) } else { matches!(b, 0x81..=0xFE) };
        let rejected_lead = sjis && matches!(b, 0x87 | 0xED | 0xEE | 0xFA..=0xFC);
        if lead && !rejected_lead && i + 1 < bytes.len() {
            if let Some(s) = encoding.decode_without_bom_handling_and_without_replacement(&bytes[i..i + 2]) {
                let mut chars = s.chars();
                if let (Some(c), None) = (chars.next(), chars.next()) {
                    if !('\u{E000}'..='\u{F8FF}').contains(&c) {
                        out.push(c);
                        i += 2;
                        continue;
                    }
                }
            }
        }
        match b {
            0x00..=0x7F => out.push(char::from(b)),
            0xA1..=0xDF if sjis => out.push(char::from_u32(0xFF61 + u32::from(b - 0xA1)).unwrap_or('\u{FFFD}')),
            _ => {
                out.push('\u{FFFD}');
                errors = true;
            }
        }
        i += 1;
    }
    (out, errors)
}

fn utf8_cases(name: &str, encoding: &'static Encoding, loss: Option<Lossy>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for p in paragraphs(name) {
        let (broken, errors) = utf8_read_as(&p, encoding);
        match loss {
            None => {
                // The longest prefix of 100 characters or more that the decoder takes whole.
                let ends: Vec<usize> = p.char_indices().map(|(i, _)| i).chain([p.len()]).skip(100).collect();
                if let Some(prefix) = ends.iter().rev().map(|&e| &p[..e]).find(|pre| !utf8_read_as(pre, encoding).1) {
                    out.push((prefix.to_string(), utf8_read_as(prefix, encoding).0));
                }
            }
            Some(Lossy::Fffd) if errors => out.push((p, broken)),
            Some(Lossy::Question) if errors => out.push((p, broken.replace('\u{FFFD}', "?"))),
            Some(Lossy::Dropped) if errors => out.push((p, broken.replace('\u{FFFD}', ""))),
            Some(Lossy::FffdPerByte) => {
                if let (broken, true) = python_replace(&p, encoding) {
                    out.push((p, broken));
                }
            }
            _ => {}
        }
    }
    out
}

#[test]
fn utf8_read_as_double_byte_lossless() {
    println!("UTF-8 read as a double-byte page, documents the decoder took without error:");
    let mut all = Vec::new();
    for (label, name, encoding) in utf8_directions() {
        let cases = utf8_cases(name, encoding, None);
        let r = Rate::measure(&cases);
        r.report(label);
        all.extend(cases);
    }
    let r = Rate::measure(&all);
    r.report("all lossless");
    assert!(r.docs >= 10, "too few lossless documents to measure: {}", r.docs);
    assert_eq!(r.exact, r.docs, "{}", r.first_failure.unwrap_or_default());
}

/// Floors for the lossy directions: (label, loss, min exact fraction, max CER).
const LOSSY_FLOORS: &[(&str, Lossy, f64, f64)] = &[
    ("Japanese as Shift_JIS", Lossy::Fffd, 0.33, 0.0079),
    ("Simplified Chinese as GBK", Lossy::Fffd, 1.0, 0.0001),
    // Big5 loosened 0.462 -> 0.465 in session 5: the new Japanese prose moved the shared
    // Han bigrams, +0.003 here (Big5 U+FFFD loses nearly half the characters); held-out
    // Japanese gained 11-13% from the same prose.
    ("Traditional Chinese as Big5", Lossy::Fffd, 0.0, 0.459),
    ("Korean as CP949", Lossy::Fffd, 0.0, 0.16),
    ("Japanese as EUC-JP", Lossy::Fffd, 0.0, 1.9),
    ("Japanese as Shift_JIS", Lossy::Question, 0.33, 0.0079),
    ("Simplified Chinese as GBK", Lossy::Question, 1.0, 0.0001),
    ("Japanese as Shift_JIS", Lossy::Dropped, 0.16, 0.0149),
    ("Japanese as Shift_JIS", Lossy::FffdPerByte, 0.91, 0.0015),
    ("Simplified Chinese as GBK", Lossy::FffdPerByte, 0.6, 0.0078),
    ("Simplified Chinese as GBK", Lossy::Dropped, 1.0, 0.0001),
    ("Japanese (set 2) as Shift_JIS", Lossy::Fffd, 0.25, 0.0147),
    ("Japanese (set 2) as Shift_JIS", Lossy::Question, 0.25, 0.0147),
    ("Japanese (set 2) as Shift_JIS", Lossy::Dropped, 0.125, 0.0242),
    ("Japanese (set 2) as Shift_JIS", Lossy::FffdPerByte, 0.625, 0.0046),
];

#[test]
fn utf8_read_as_double_byte_lossy() {
    println!("UTF-8 read as a double-byte page, lossy (U+FFFD, `?`, dropped):");
    let mut failures = Vec::new();
    for &(label, loss, min_exact, max_cer) in LOSSY_FLOORS {
        let (_, name, encoding) =
            utf8_directions().into_iter().find(|d| d.0 == label).unwrap_or_else(|| panic!("no direction {label}"));
        let cases = utf8_cases(name, encoding, Some(loss));
        let r = Rate::measure(&cases);
        let form = match loss {
            Lossy::Fffd => "U+FFFD",
            Lossy::Question => "?",
            Lossy::Dropped => "dropped",
            Lossy::FffdPerByte => "U+FFFD per byte, Python",
        };
        r.report(&format!("{label} ({form})"));
        if r.exact_rate() < min_exact || r.cer() > max_cer {
            failures.push(format!(
                "{label} ({form}): exact {:.3} < {min_exact} or CER {:.4} > {max_cer}",
                r.exact_rate(),
                r.cer()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn double_byte_read_as_single_byte() {
    println!("Double-byte text read as a single-byte page:");
    let directions: [(&str, &str, &'static Encoding, Page); 8] = [
        ("Shift_JIS as Windows-1252", "ja", encoding_rs::SHIFT_JIS, Page::W1252),
        ("Shift_JIS as Latin-1", "ja", encoding_rs::SHIFT_JIS, Page::Latin1),
        ("Shift_JIS as CP850", "ja", encoding_rs::SHIFT_JIS, Page::Cp850),
        ("Shift_JIS as CP437", "ja", encoding_rs::SHIFT_JIS, Page::Cp437),
        ("EUC-JP as Latin-1", "ja", encoding_rs::EUC_JP, Page::Latin1),
        ("GBK as Windows-1252", "zh_hans", encoding_rs::GBK, Page::W1252),
        ("Big5 as Latin-1", "zh_hant", encoding_rs::BIG5, Page::Latin1),
        ("EUC-KR as Windows-1252", "ko", encoding_rs::EUC_KR, Page::W1252),
    ];
    let mut failures = Vec::new();
    for (label, name, encoding, page) in directions {
        let cases: Vec<(String, String)> =
            paragraphs(name).into_iter().map(|p| (p.clone(), bytes_read_as(&p, encoding, page))).collect();
        let r = Rate::measure(&cases);
        r.report(label);
        if r.exact != r.docs {
            failures.push(format!("{label}: {}", r.first_failure.unwrap_or_default()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_examples_of_the_issue() {
    assert_eq!(fix_text("縺薙ｓ縺ｫ縺｡縺ｯ"), "こんにちは");
    assert_eq!(fix_text("鍙傛暟"), "参数");
    assert_eq!(fix_text("‚±‚ñ‚É‚¿‚Í"), "こんにちは");
    assert_eq!(fix_text("¤³¤ó¤Ë¤Á¤Ï"), "こんにちは");
    assert_eq!(fix_text("¼Ò¸®¿¤"), "소리엘");
}

#[test]
fn replacement_characters_misread_stay() {
    // U+FFFD U+FFFD in UTF-8, read as GBK and as CP949: the loss happened before the
    // misreading, and nothing can bring the characters back.
    for s in ["锟斤拷", "占쏙옙", "锟斤拷锟斤拷", "文件名：锟斤拷.txt", "占쏙옙占쏙옙 파일"]
    {
        assert!(matches!(fix_text(s), Cow::Borrowed(_)), "{s} -> {}", fix_text(s));
    }
}

#[test]
fn explanation_names_the_chain_and_the_plan_replays() {
    let (fixed, ex) = fix_and_explain("縺薙ｓ縺ｫ縺｡縺ｯ", &Options::default());
    assert_eq!(fixed, "こんにちは");
    assert_eq!(ex.layers[0].code_page, CodePage::ShiftJis);
    assert_eq!(ex.layers[0].source, None);
    assert!(ex.to_string().contains("UTF-8 read as Shift_JIS"), "{ex}");
    let other = utf8_read_as("設定を保存しました", encoding_rs::SHIFT_JIS).0;
    assert_eq!(ex.plan().apply(&other).unwrap(), "設定を保存しました");

    let (fixed, ex) = fix_and_explain("‚±‚ñ‚É‚¿‚Í", &Options::default());
    assert_eq!(fixed, "こんにちは");
    assert_eq!(ex.layers[0].code_page, CodePage::Windows1252);
    assert_eq!(ex.layers[0].source, Some(CodePage::ShiftJis));
    assert!(ex.to_string().contains("Shift_JIS read as Windows-1252"), "{ex}");
    let other = bytes_read_as("保存しました", encoding_rs::SHIFT_JIS, Page::W1252);
    assert_eq!(ex.plan().apply(&other).unwrap(), "保存しました");
    // A plan does not fit text that is not broken its way.
    assert!(ex.plan().apply("日本語").is_err());
}

#[test]
fn lossy_explanation_reports_the_guesses() {
    // こんにちは、 then a space: the last byte of 、 is rejected before the ASCII space.
    let clean = "今日は本当にありがとうございました。 また明日";
    let (broken, errors) = utf8_read_as(clean, encoding_rs::SHIFT_JIS);
    assert!(errors && broken.contains('\u{FFFD}'), "{broken}");
    let (fixed, ex) = fix_and_explain(&broken, &Options::default());
    assert_eq!(fixed, clean, "{ex}");
    let layer = &ex.layers[0];
    assert_eq!(layer.loss.undecodable, Some('\u{FFFD}'));
    assert!(layer.spans.iter().any(|s| !s.guesses.is_empty()), "{ex}");
}

#[test]
fn cp932_and_jis_spellings_are_both_reversed() {
    // 、 is E3 80 81; the 0x81 pairs with the `a` after it into 0x8161, which CP932 (and
    // encoding_rs) decodes as U+2225 ∥ and a JIS X 0208 decoder as U+2016 ‖. Both readings
    // are undone.
    for clean in ["ログ、access", "設定、apache"] {
        let (cp932, errors) = utf8_read_as(clean, encoding_rs::SHIFT_JIS);
        assert!(!errors && cp932.contains('\u{2225}'), "{cp932}");
        assert_eq!(fix_text(&cp932), clean);
        let jis = cp932.replace('\u{2225}', "\u{2016}");
        assert_eq!(fix_text(&jis), clean, "{jis}");
    }
    // Shift_JIS bytes read as Windows-1252 decode to the CP932 spelling: 0x8160 is U+FF5E.
    let wave = bytes_read_as("十時～八時", encoding_rs::SHIFT_JIS, Page::W1252);
    assert_eq!(fix_text(&wave), "十時～八時");
}

#[test]
fn nec_and_ibm_extensions_survive() {
    for clean in ["①番の窓口で㈱山田商事の書類を受け取ってください", "第Ⅰ章と第Ⅱ章は読み終わりました"]
    {
        let (broken, errors) = utf8_read_as(clean, encoding_rs::SHIFT_JIS);
        let fixed = fix_text(&broken);
        if !errors {
            assert_eq!(fixed, clean, "{broken}");
        } else {
            assert!(char_distance(clean, &fixed) <= 1, "{broken} -> {fixed}");
        }
        let misread = bytes_read_as(clean, encoding_rs::SHIFT_JIS, Page::W1252);
        assert_eq!(fix_text(&misread), clean);
        // The clean text itself is left alone.
        assert!(matches!(fix_text(clean), Cow::Borrowed(_)));
    }
}

#[test]
fn clean_cjk_is_left_alone() {
    let mut texts: Vec<String> = ["ja", "ja2", "zh_hans", "zh_hant", "ko"].iter().flat_map(|n| paragraphs(n)).collect();
    texts.extend(
        [
            // Characters that UTF-8 read as Shift_JIS is made of, used for what they are.
            "縺は糸へんの漢字で、繧も同じく糸へんです。",
            "繝という字を辞書で調べた。",
            "ﾊﾝｶｸｶﾀｶﾅﾃﾞｽ。ｺﾝﾆﾁﾊ！",
            "全角の句読点、「かぎかっこ」、（括弧）と！？",
            "絵文字も大丈夫😀🎉、顔文字も(＾▽＾)",
            "鍙は珍しい字です",
            "参数设置完成，请重启。",
            "這是繁體中文的句子。",
            "한국어 문장입니다. 소리엘",
            "龘靐齉爩",
            "〜と～の違い",
            "①②③ ⅠⅡⅢ ㈱㈲",
        ]
        .map(String::from),
    );
    for t in &texts {
        let out = fix_text(t);
        assert_eq!(out, t.as_str());
        assert!(matches!(out, Cow::Borrowed(_)), "{t}");
    }
}

#[test]
fn clean_latin_is_not_read_as_double_byte() {
    for t in [
        "Élève modèle, très appliquée, elle a réussi son année.",
        "Grüße aus München! Die Straße ist gesperrt.",
        "Ça coûte 15 € — c'est donné.",
        "Año nuevo, señor; ¿qué tal?",
        "Ångström, Øresund, Æbleskiver",
        "naïve café, crème brûlée, façade",
        "ÀÉÎÕÜ àéîõü",
        "© 2024 ±5 °C ×2 ÷3 ¼ ½ ¾",
    ] {
        let out = fix_text(t);
        assert_eq!(out, t);
        assert!(matches!(out, Cow::Borrowed(_)), "{t}");
    }
}

#[test]
fn options_can_turn_the_double_byte_pages_off() {
    let single_only = Options::default().code_pages(&CodePage::ALL);
    assert_eq!(fix_text_with("縺薙ｓ縺ｫ縺｡縺ｯ", &single_only), "縺薙ｓ縺ｫ縺｡縺ｯ");
    let sjis_only = Options::default().code_pages(&[CodePage::ShiftJis]);
    assert_eq!(fix_text_with("縺薙ｓ縺ｫ縺｡縺ｯ", &sjis_only), "こんにちは");
    // Shift_JIS read as Windows-1252 needs both pages.
    assert_eq!(fix_text_with("‚±‚ñ‚É‚¿‚Í", &sjis_only), "‚±‚ñ‚É‚¿‚Í");
    let both = Options::default().code_pages(&[CodePage::ShiftJis, CodePage::Windows1252]);
    assert_eq!(fix_text_with("‚±‚ñ‚É‚¿‚Í", &both), "こんにちは");
    assert_eq!(CodePage::from_label("cp932"), Some(CodePage::ShiftJis));
    assert_eq!(CodePage::ShiftJis.name(), "Shift_JIS");
}

#[test]
fn two_single_byte_layers_are_not_read_as_double_byte() {
    // Found by the roundtrip fuzz target: UTF-8 read as Latin-1, then as Windows-1252. Its
    // outer layer re-encodes through Windows-1252 to bytes that EUC-KR reads as hangul.
    let clean = "The build passed ✅ and the release is out 🎉 at last.";
    let once: String = clean.bytes().map(|b| Page::Latin1.decode_byte(b)).collect();
    let twice: String = once.bytes().map(|b| Page::W1252.decode_byte(b)).collect();
    assert_eq!(fix_text(&twice), clean, "{twice}");
}

#[test]
fn no_panic_on_odd_input() {
    for s in [
        "\u{FFFD}",
        "\u{FFFD}\u{FFFD}\u{FFFD}縺",
        "縺",
        "?縺?",
        "縺\u{FFFD}?\u{FFFD}繧",
        "‚",
        "¤",
        "\u{80}\u{81}\u{8D}",
        "ｱ\u{FFFD}",
    ] {
        let _ = fix_and_explain(s, &Options::default());
    }
}
