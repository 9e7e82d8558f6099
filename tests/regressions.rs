//! Inputs that once failed, found by the fuzzers and property tests, kept so they stay fixed.
//! Each builds its mojibake from the original with the crate's own code page tables, so the
//! case says how the text was broken.

use fixenc::{fix_text, CodePage};

fn misread(text: &str, page: CodePage) -> String {
    text.bytes().map(|b| page.decode_byte(b)).collect()
}

fn assert_restored(original: &str, chain: &[CodePage]) {
    let mut broken = original.to_string();
    for &page in chain {
        broken = misread(&broken, page);
    }
    let fixed = fix_text(&broken);
    assert_eq!(fixed, original, "chain {chain:?}, broken {broken:?}");
    assert_eq!(fix_text(&fixed), fixed, "not idempotent");
}

#[test]
fn lithuanian_through_1257_then_cp437() {
    // ÄÆ is į only through Windows-1257; the rest of the text reads the same through 1252.
    // (fuzz/roundtrip, crash-0d8bd6fa)
    assert_restored("Labas rytas, šiandien važiuosime į Vilnių.", &[CodePage::Windows1257, CodePage::Cp437]);
}

#[test]
fn greek_question_mark_normalizes_into_ascii() {
    // U+037E kept the run from re-encoding; NFC turns it into ';' and the second call found
    // the mojibake the first had not (properties: idempotence).
    let once = fix_text("Ã€\u{37E}").into_owned();
    assert_eq!(fix_text(&once), once);
    assert_eq!(once, "À;");
}

#[test]
fn lone_a_grave_through_1251() {
    // à through 1251 is Г NBSP, which alone reads no worse than à; the Cyrillic island in a
    // French sentence is what gives it away.
    assert_restored("Pensez à prendre un parapluie !", &[CodePage::Windows1251]);
}

#[test]
fn polish_through_cp437_not_cp850() {
    assert_restored("Prezydent miasta podkreślił, że inwestycja kosztowała ponad 300 mln zł.", &[CodePage::Cp437]);
}

#[test]
fn arabic_through_iso_8859_15_twice() {
    assert_restored(
        "أعلنت وزارة التعليم يوم الأحد عن خطة جديدة، وتشمل الخطة إدخال مادة البرمجة.",
        &[CodePage::Iso8859_15, CodePage::Iso8859_15],
    );
}

#[test]
fn polish_twice_through_1252_keeps_its_page() {
    assert_restored(
        "W Krakowie otwarto w sobotę nową linię tramwajową, która łączy centrum miasta z osiedlami na południu. W Gdańsku i Gdyni porywy mogą osiągać nawet 90 km/h.",
        &[CodePage::Windows1252, CodePage::Windows1252],
    );
}

#[test]
fn german_through_1250_not_iso_8859_2() {
    assert_restored(
        "Übrigens: Das Straßenfest in der Altstadt findet trotz des schlechten Wetters statt.",
        &[CodePage::Windows1250],
    );
}

#[test]
fn dash_through_iso_8859_15_then_1251() {
    // The middle layer holds C1 controls (â U+0080 U+0094), which look worse than the
    // outer mojibake: a repair is judged by the text it leads to. (fuzz/roundtrip)
    assert_restored("Il a dit — bonjour — et il est parti.", &[CodePage::Iso8859_15, CodePage::Windows1251]);
}

#[test]
fn spanish_through_iso_8859_2_not_1250() {
    // Windows-1250 reads the same bytes as niùo; the letter bigrams know niño.
    assert_restored("El niño juega en el jardín con su mamá.", &[CodePage::Iso8859_2]);
}

#[test]
fn lossy_utf8_mojibake_is_not_read_as_double_byte_text() {
    // UTF-8 Japanese read as Windows-1252 with the undefined bytes dropped. With
    // reconstruction off it must stay as it is: its runs re-encode to bytes that a double-byte
    // page also decodes (`ä¿å` as Shift_JIS 菫蟄), but the text has the shape of UTF-8.
    let original = "チームのデータを保存しました。チームの会議は明日です。";
    let kept: Vec<u8> = original.bytes().filter(|b| ![0x81, 0x8D, 0x8F, 0x90, 0x9D].contains(b)).collect();
    let broken = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&kept).0.into_owned();
    let never = fixenc::Options::default().reconstruct(fixenc::Reconstruct::Never);
    assert_eq!(fixenc::fix_text_with(&broken, &never), broken);
    assert_eq!(fixenc::fix_text(&broken), original);
}

#[test]
fn one_latin_letter_repeated_is_not_double_byte_text() {
    // `Ã` is 0xC3 in Windows-1252, and GBK reads C3 C3 as 妹: a run of one character is no
    // evidence for that reading (found by the scaling benchmark's check).
    for unit in ["Ã", "ã", "ÃÃ ", "ÂÂ"] {
        let text = unit.repeat(200);
        assert!(matches!(fixenc::fix_text(&text), std::borrow::Cow::Borrowed(_)), "{unit:?}");
    }
}

#[test]
fn kazakh_through_1253_with_lead_bytes_dropped() {
    // Windows-1253 leaves 0xD2 undefined: the lead of ң ү қ ұ (U+0480–U+04BF) is dropped and
    // their continuation byte is left alone (`ң` is just `£`). Once the parse did not allow a
    // lost lead, the words stayed broken and later layers "repaired" the rest into kanji.
    let original = "Біз жаңа үй алдық, күн ұзақ болады.";
    let lost = CodePage::Windows1253.undefined_bytes();
    let broken: String =
        original.bytes().filter(|b| !lost.contains(b)).map(|b| CodePage::Windows1253.decode_byte(b)).collect();
    assert!(broken.contains('£') && !broken.contains('ң'), "{broken:?}");
    let fixed = fix_text(&broken);
    assert_eq!(fixed, original, "broken {broken:?}");
}
