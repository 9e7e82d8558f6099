//! Lossless mojibake must come back: a sentence (or a few) is encoded as UTF-8 and decoded
//! byte by byte through a code page, once or twice, and `fix_text` must undo it.
//!
//! Always checked: no panic, NFC output, and repairing the output again changes nothing.
//! Checked when the text is long enough (≥ 20 characters), not pure ASCII, and the
//! misreading is unambiguous — no other page reads the same characters as different valid
//! UTF-8 at any layer (Lithuanian `ž` through ISO-8859-15 is `Åž`, which Windows-1252 reads as
//! `ş`: both are text, and no repair can know which was meant) — the original comes back.

#![no_main]

use fixenc::CodePage;
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;
use unicode_normalization::UnicodeNormalization;

/// Sentences written for this target, one or two per language the code pages serve, plus
/// scripts that only ever reach those pages as mojibake (CJK, emoji).
const SENTENCES: &[&str] = &[
    "The invoice is attached — please check it before Friday’s meeting.",
    "She said “thanks” and left… the café was already closed.",
    "Le château se trouve à côté de l’église, près du marché.",
    "Nous avons reçu votre lettre et nous répondrons très bientôt.",
    "Die Größe der Datei übersteigt das zulässige Maß.",
    "El niño comió una piña en la mañana del sábado.",
    "A informação está disponível no próximo relatório.",
    "Bugün hava çok güzel, dışarıda yürüyüş yapmak istiyorum.",
    "Öğrenciler sınavdan önce kütüphanede çalıştı.",
    "Zażółć gęślą jaźń, powiedział nauczyciel z uśmiechem.",
    "Příliš žluťoučký kůň úpěl ďábelské ódy.",
    "Mulțumesc pentru ajutor, ne vedem mâine dimineață.",
    "Привет! Я читаю интересную книгу о путешествиях.",
    "Мы встретимся завтра вечером возле старого моста.",
    "Καλημέρα, θα τα πούμε αύριο στη συνάντηση.",
    "Labas rytas, šiandien važiuosime į Vilnių.",
    "今日は天気がいいので、公園を散歩しました。",
    "新しいサーバーのログを確認してください。",
    "データベースのバックアップは毎晩取得されます。",
    "我们明天早上九点在会议室开会。",
    "오늘 저녁에 친구와 함께 영화를 봤어요.",
    "The build passed ✅ and the release is out 🎉 at last.",
    "Temperature: 21 °C, humidity ±5 %, price 12 € or £10.",
    "Plain ASCII text is left exactly as it is, of course.",
];

#[derive(Arbitrary, Debug)]
struct Input {
    /// Indices into `SENTENCES`; one to three are joined with a space.
    sentences: Vec<u8>,
    /// Index into `CodePage::ALL` of the first (inner) misreading.
    first: u8,
    /// Index into `CodePage::ALL` of a second misreading on top of the first, if any.
    second: Option<u8>,
}

/// Encodes `text` as UTF-8 and decodes each byte through `page`: lossless mojibake.
fn misread(text: &str, page: CodePage) -> String {
    text.bytes().map(|b| page.decode_byte(b)).collect()
}

/// True when some page other than `page` re-encodes `misread` into valid UTF-8 other than
/// `meant`: the text could have been that, too.
fn ambiguous(misread: &str, page: CodePage, meant: &str) -> bool {
    CodePage::ALL.iter().filter(|&&p| p != page).any(|&other| {
        let bytes: Option<Vec<u8>> = misread.chars().map(|c| other.encode_char(c)).collect();
        bytes.is_some_and(|b| std::str::from_utf8(&b).is_ok_and(|s| s != meant && !s.is_ascii()))
    })
}

fn page(index: u8) -> CodePage {
    CodePage::ALL[usize::from(index) % CodePage::ALL.len()]
}

fuzz_target!(|input: Input| {
    let picked: Vec<&str> =
        input.sentences.iter().take(3).map(|&i| SENTENCES[usize::from(i) % SENTENCES.len()]).collect();
    if picked.is_empty() {
        return;
    }
    let original: String = picked.join(" ").nfc().collect();

    let mut broken = misread(&original, page(input.first));
    let mut chain = vec![page(input.first)];
    let mut unambiguous = !ambiguous(&broken, page(input.first), &original);
    if let Some(second) = input.second {
        let inner = broken;
        broken = misread(&inner, page(second));
        chain.push(page(second));
        unambiguous &= !ambiguous(&broken, page(second), &inner);
    }

    let fixed = fixenc::fix_text(&broken);
    assert!(
        unicode_normalization::is_nfc(&fixed),
        "output is not NFC\nchain: {chain:?}\nbroken: {broken:?}\nfixed: {fixed:?}"
    );
    let again = fixenc::fix_text(&fixed);
    assert_eq!(again, fixed, "not idempotent\nchain: {chain:?}\nbroken: {broken:?}");

    if unambiguous && original.chars().count() >= 20 && !original.is_ascii() {
        assert_eq!(fixed, original, "original not restored\nchain: {chain:?}\nbroken: {broken:?}");
    }
});
