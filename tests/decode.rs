//! `fix_bytes`: legacy-encoded input decoded to UTF-8, then repaired.
//!
//! The documents are built from sentences written for this test, encoded with encoding_rs.
//! A decoding counts as exact when the text comes back unchanged and the reported encoding is
//! in the expected family (equivalents accepted: GBK and gb18030; ISO-8859-2 and
//! windows-1250; KOI8-R and KOI8-U) and decodes the bytes to the same text.

use encoding_rs::Encoding;

const JA: &[&str] = &[
    "今日は朝から雨が降っていたので、駅まで傘を差して歩きました。",
    "新しい図書館は午前九時に開き、午後八時に閉まります。",
    "この料理には醤油と砂糖を少しずつ加えるのがこつです。",
    "会議の資料は昨日のうちに全員へメールで送っておきました。",
    "子供たちは公園で野球をしたり、ブランコに乗ったりして遊んでいる。",
    "来月の旅行では京都の古いお寺をいくつか回る予定です。",
    "駅前の本屋さんで、前から読みたかった小説をやっと見つけた。",
    "山の上から見る夕日は、言葉にできないほど美しかった。",
    "新しいソフトウェアの使い方を覚えるのに一週間かかりました。",
    "祖母は毎朝早く起きて、庭の花に水をやっています。",
    "電車が遅れたため、授業の始まりに間に合わなかった。",
    "このカメラは小さくて軽いので、旅行に持って行くのに便利です。",
    "私たちは週末に友達の家で映画を見ることにした。",
    "冬になると、北の地方では雪がたくさん積もります。",
    "「ありがとう」と言われて、彼女は少し照れたように笑った。",
    "経済の専門家は、来年の景気が緩やかに回復すると予想している。",
];

const ZH_HANS: &[&str] = &[
    "今天早上天气很好，我们决定去公园散步。",
    "这家饭馆的饺子非常好吃，价格也不贵。",
    "他每天坐地铁上班，路上大约需要四十分钟。",
    "图书馆里有很多学生在安静地复习功课。",
    "我们计划明年夏天去西安参观历史博物馆。",
    "妈妈在厨房里做饭，爸爸在客厅里看报纸。",
    "这个城市的交通越来越方便了，新的地铁线路已经开通。",
    "老师说，学习语言最重要的是每天坚持练习。",
    "冬天的北京很冷，但是空气比较干燥。",
    "请问去火车站应该怎么走？",
    "经过三年的努力，这座大桥终于建成了。",
    "孩子们在操场上踢足球，玩得非常开心。",
];

const ZH_HANT: &[&str] = &[
    "今天早上天氣很好，我們決定去公園散步。",
    "這家餐廳的牛肉麵非常好吃，價格也不貴。",
    "他每天搭捷運上班，路上大約需要四十分鐘。",
    "圖書館裡有很多學生在安靜地複習功課。",
    "我們計劃明年夏天去台南參觀古老的廟宇。",
    "媽媽在廚房裡做飯，爸爸在客廳裡看報紙。",
    "這個城市的交通越來越方便了，新的鐵路已經開通。",
    "老師說，學習語言最重要的是每天堅持練習。",
    "颱風過後，街道上到處都是被吹斷的樹枝。",
    "請問去火車站應該怎麼走？",
    "經過三年的努力，這座大橋終於建成了。",
    "孩子們在操場上踢足球，玩得非常開心。",
];

const KO: &[&str] = &[
    "오늘 아침에는 비가 와서 우산을 쓰고 학교에 갔습니다.",
    "새로 생긴 도서관은 오전 아홉 시에 문을 엽니다.",
    "이 음식은 간장과 설탕을 조금씩 넣는 것이 비결이에요.",
    "회의 자료는 어제 모든 사람에게 이메일로 보냈습니다.",
    "아이들은 공원에서 축구를 하면서 즐겁게 놀고 있다.",
    "다음 달에는 가족과 함께 제주도로 여행을 갈 예정입니다.",
    "서점에서 오랫동안 읽고 싶었던 소설을 드디어 찾았다.",
    "산 위에서 본 저녁노을은 정말 아름다웠어요.",
    "할머니께서는 매일 아침 일찍 일어나 정원에 물을 주십니다.",
    "지하철이 늦게 와서 수업에 조금 늦었습니다.",
    "겨울이 되면 강원도에는 눈이 많이 내립니다.",
    "경제 전문가들은 내년 경기가 천천히 회복될 것으로 본다.",
];

const RU: &[&str] = &[
    "Сегодня утром шёл дождь, поэтому я взял с собой зонт.",
    "Новая библиотека открывается в девять часов утра.",
    "В этом супе главное - не пересолить и не переварить овощи.",
    "Вчера вечером мы с друзьями долго гуляли по набережной.",
    "Дети играют во дворе в футбол и громко смеются.",
    "В следующем месяце мы собираемся поехать к бабушке в деревню.",
    "Я наконец нашёл в книжном магазине роман, который давно хотел прочитать.",
    "Зимой в северных районах выпадает очень много снега.",
    "Поезд опоздал на двадцать минут, и я не успел на встречу.",
    "Учитель сказал, что язык нужно учить каждый день понемногу.",
    "Эксперты считают, что в будущем году экономика будет медленно расти.",
    "Бабушка каждое утро поливает цветы в саду.",
];

const PL_CS: &[&str] = &[
    "Wczoraj wieczorem poszliśmy z przyjaciółmi na długi spacer nad rzeką.",
    "Nowa biblioteka jest otwarta od dziewiątej rano do ósmej wieczorem.",
    "Dzieci bawią się na podwórku i głośno się śmieją.",
    "W przyszłym miesiącu chcemy pojechać w góry, żeby zobaczyć źródła Wisły.",
    "Babcia codziennie rano podlewa kwiaty w ogrodzie.",
    "Pociąg spóźnił się o dwadzieścia minut, więc nie zdążyłem na spotkanie.",
    "Zażółć gęślą jaźń to zdanie, które zawiera wszystkie polskie litery.",
    "Včera večer jsme se s přáteli dlouho procházeli po nábřeží.",
    "Nová knihovna je otevřená od devíti hodin ráno do osmi večer.",
    "Děti si hrají na dvoře a hlasitě se smějí.",
    "Příští měsíc chceme jet na hory a navštívit starý hrad.",
    "Babička každé ráno zalévá květiny na zahradě.",
    "Vlak měl zpoždění dvacet minut, takže jsem nestihl schůzku.",
    "Příliš žluťoučký kůň úpěl ďábelské ódy.",
];

const FR_DE: &[&str] = &[
    "Ce matin, il pleuvait tellement que nous avons pris un taxi jusqu’à la gare.",
    "La nouvelle bibliothèque ouvre à neuf heures et ferme à vingt heures.",
    "Les enfants jouent dans la cour et rient très fort.",
    "Le mois prochain, nous irons voir ma grand-mère à la campagne.",
    "« Où est passé mon cœur ? » demanda-t-il, un peu inquiet.",
    "Ce gâteau coûte 12 € ; c’est cher, mais il est délicieux.",
    "L’été dernier, nous avons visité un château près de Besançon.",
    "Gestern Abend sind wir mit Freunden lange am Fluss spazieren gegangen.",
    "Die neue Bibliothek öffnet um neun Uhr und schließt um zwanzig Uhr.",
    "Die Kinder spielen im Hof und lachen sehr laut.",
    "Nächsten Monat fahren wir zu meiner Großmutter aufs Land.",
    "Der Zug hatte zwanzig Minuten Verspätung, deshalb kam ich zu spät.",
    "Über die Brücke gehen täglich Tausende von Fußgängern.",
    "„Schöne Grüße“, sagte sie – und lächelte.",
];

/// A deterministic xorshift64* generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// A document of about `target` UTF-8 bytes from random sentences, in paragraphs.
fn document(sentences: &[&str], target: usize, rng: &mut Rng) -> String {
    let spaced = sentences[0].contains(' ');
    let mut doc = String::new();
    let mut in_paragraph = 0;
    while doc.len() < target {
        if in_paragraph > 0 && spaced {
            doc.push(' ');
        }
        doc.push_str(sentences[rng.below(sentences.len())]);
        in_paragraph += 1;
        if in_paragraph >= 3 + rng.below(4) {
            doc.push('\n');
            in_paragraph = 0;
        }
    }
    doc
}

struct Case {
    /// The label the test encodes with.
    label: &'static str,
    sentences: &'static [&'static str],
    /// Encoding names accepted for the result.
    family: &'static [&'static str],
    bom: bool,
}

const CASES: &[Case] = &[
    Case { label: "Shift_JIS", sentences: JA, family: &["Shift_JIS"], bom: false },
    Case { label: "EUC-JP", sentences: JA, family: &["EUC-JP"], bom: false },
    Case { label: "ISO-2022-JP", sentences: JA, family: &["ISO-2022-JP"], bom: false },
    Case { label: "GBK", sentences: ZH_HANS, family: &["GBK", "gb18030"], bom: false },
    Case { label: "gb18030", sentences: ZH_HANS, family: &["GBK", "gb18030"], bom: false },
    Case { label: "Big5", sentences: ZH_HANT, family: &["Big5"], bom: false },
    Case { label: "EUC-KR", sentences: KO, family: &["EUC-KR"], bom: false },
    Case { label: "windows-1251", sentences: RU, family: &["windows-1251"], bom: false },
    Case { label: "KOI8-R", sentences: RU, family: &["KOI8-R", "KOI8-U"], bom: false },
    Case { label: "windows-1252", sentences: FR_DE, family: &["windows-1252"], bom: false },
    Case { label: "ISO-8859-2", sentences: PL_CS, family: &["ISO-8859-2", "windows-1250"], bom: false },
    Case { label: "windows-1250", sentences: PL_CS, family: &["windows-1250", "ISO-8859-2"], bom: false },
    Case { label: "UTF-16LE", sentences: JA, family: &["UTF-16LE"], bom: true },
    Case { label: "UTF-16BE", sentences: KO, family: &["UTF-16BE"], bom: true },
    Case { label: "UTF-8", sentences: RU, family: &["UTF-8"], bom: true },
    Case { label: "UTF-8", sentences: ZH_HANT, family: &["UTF-8"], bom: false },
];

/// Encodes `text`, with a byte order mark when asked. encoding_rs encodes UTF-16 as UTF-8, so
/// UTF-16 is done by hand.
fn encode(text: &str, label: &str, bom: bool) -> Vec<u8> {
    match label {
        "UTF-16LE" | "UTF-16BE" => {
            let le = label == "UTF-16LE";
            let mut out = Vec::new();
            for unit in std::iter::once(0xFEFF).take(usize::from(bom)).chain(text.encode_utf16()) {
                out.extend_from_slice(&if le { unit.to_le_bytes() } else { unit.to_be_bytes() });
            }
            out
        }
        _ => {
            let encoding = Encoding::for_label(label.as_bytes()).unwrap();
            let (bytes, _, unmappable) = encoding.encode(text);
            assert!(!unmappable, "test text not encodable in {label}: {text}");
            let mut out = if bom && label == "UTF-8" { vec![0xEF, 0xBB, 0xBF] } else { Vec::new() };
            out.extend_from_slice(&bytes);
            out
        }
    }
}

/// Whether the result is exact: same text, an encoding of the family that decodes the bytes to
/// the same text.
fn exact(bytes: &[u8], original: &str, case: &Case, decoded: &fixenc::Decoded) -> bool {
    // Pure ASCII is reported as UTF-8, which decodes it the same as any ASCII-compatible page.
    let ascii_as_utf8 = bytes.is_ascii() && decoded.encoding == "UTF-8";
    if decoded.text != original || !(case.family.contains(&decoded.encoding) || ascii_as_utf8) {
        return false;
    }
    let encoding = Encoding::for_label(decoded.encoding.as_bytes()).unwrap();
    encoding.decode(bytes).0 == original
}

/// chardetng alone (with encoding_rs's BOM sniffing, which `decode` does): does it decode the
/// bytes to the original text?
fn chardetng_exact(bytes: &[u8], original: &str) -> bool {
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Allow);
    detector.feed(bytes, true);
    let encoding = detector.guess(None, chardetng::Utf8Detection::Allow);
    encoding.decode(bytes).0 == original
}

/// The first line that differs, as "expected → got".
fn first_difference(expected: &str, got: &str) -> String {
    match expected.lines().zip(got.lines()).find(|(e, g)| e != g) {
        Some((e, g)) => format!("differs: {e:?} → {g:?}"),
        None => "differs in length".to_string(),
    }
}

#[derive(Default)]
struct Tally {
    docs: usize,
    exact: usize,
    chardetng: usize,
}

fn rate(n: usize, of: usize) -> f64 {
    if of == 0 {
        100.0
    } else {
        100.0 * n as f64 / of as f64
    }
}

#[test]
fn legacy_documents_round_trip() {
    const LONG_DOCS: usize = 200;
    const SHORT_DOCS: usize = 100;
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut failures = Vec::new();
    let mut table = Vec::new();
    for case in CASES {
        let (mut long, mut short) = (Tally::default(), Tally::default());
        for i in 0..LONG_DOCS + SHORT_DOCS {
            // Log-uniform sizes: 100 B – 1 KB for the short documents, 1 KB – 100 KB for the others.
            let (low, high) = if i < SHORT_DOCS { (100.0f64, 1000.0f64) } else { (1200.0, 100_000.0) };
            let u = rng.below(1 << 20) as f64 / (1 << 20) as f64;
            let target = (low * (high / low).powf(u)) as usize;
            let text = document(case.sentences, target, &mut rng);
            let bytes = encode(&text, case.label, case.bom);
            let decoded = fixenc::fix_bytes(&bytes);
            assert!((0.0..=1.0).contains(&decoded.confidence));
            assert_eq!(decoded.had_bom, case.bom, "{}", case.label);
            let ok = exact(&bytes, &text, case, &decoded);
            let tally = if bytes.len() >= 1024 { &mut long } else { &mut short };
            tally.docs += 1;
            tally.exact += usize::from(ok);
            tally.chardetng += usize::from(chardetng_exact(&bytes, &text));
            if !ok && failures.iter().filter(|f: &&String| f.starts_with(case.label)).count() < 3 {
                failures.push(format!(
                    "{} ({} bytes): got {} (confidence {:.2}), text {}",
                    case.label,
                    bytes.len(),
                    decoded.encoding,
                    decoded.confidence,
                    if decoded.text == text { "equal".to_string() } else { first_difference(&text, &decoded.text) }
                ));
            }
        }
        // Single sentences and their first halves: where chardetng has the least to go on.
        let mut tiny = Tally::default();
        for sentence in case.sentences {
            let half: String = sentence.chars().take(sentence.chars().count() / 2).collect();
            for text in [sentence.to_string(), half] {
                let bytes = encode(&text, case.label, case.bom);
                let decoded = fixenc::fix_bytes(&bytes);
                tiny.docs += 1;
                let ok = exact(&bytes, &text, case, &decoded);
                tiny.exact += usize::from(ok);
                if !ok {
                    eprintln!(
                        "  sentence failed: {} got {} ({:.2}): {text:?} → {:?}",
                        case.label, decoded.encoding, decoded.confidence, decoded.text
                    );
                }
                tiny.chardetng += usize::from(chardetng_exact(&bytes, &text));
            }
        }
        table.push((case, long, short, tiny));
    }
    let header = ["", "", "≥1KB", "", "", "100B-1KB", "", "", "sentences", "", ""];
    let columns = ["encoding", "BOM", "docs", "fixenc", "chardetng", "docs", "fixenc", "chardetng", "docs", "fixenc"];
    for row in [&header[..10], &columns[..]] {
        eprintln!(
            "{:<14} {:>3} | {:>5} {:>7} {:>9} | {:>5} {:>7} {:>9} | {:>5} {:>7} {:>9}",
            row[0],
            row[1],
            row[2],
            row[3],
            row[4],
            row[5],
            row[6],
            row[7],
            row[8],
            row[9],
            if row[0] == "encoding" { "chardetng" } else { "" }
        );
    }
    let mut below_target = Vec::new();
    for (case, long, short, tiny) in &table {
        eprintln!(
            "{:<14} {:>3} | {:>5} {:>6.1}% {:>8.1}% | {:>5} {:>6.1}% {:>8.1}% | {:>5} {:>6.1}% {:>8.1}%",
            case.label,
            if case.bom { "yes" } else { "no" },
            long.docs,
            rate(long.exact, long.docs),
            rate(long.chardetng, long.docs),
            short.docs,
            rate(short.exact, short.docs),
            rate(short.chardetng, short.docs),
            tiny.docs,
            rate(tiny.exact, tiny.docs),
            rate(tiny.chardetng, tiny.docs),
        );
        if rate(long.exact, long.docs) < 99.5 {
            below_target.push(case.label);
        }
    }
    for failure in &failures {
        eprintln!("  failed: {failure}");
    }
    assert!(below_target.is_empty(), "below 99.5 % on documents ≥ 1 KB: {below_target:?}");
}

#[test]
fn random_bytes_never_panic() {
    let mut rng = Rng(0x0123_4567_89AB_CDEF);
    let prefixes: [&[u8]; 6] = [b"", b"\xEF\xBB\xBF", b"\xFF\xFE", b"\xFE\xFF", b"\x1B$B", b"\x1B$(D"];
    for i in 0..3000 {
        let len = rng.below(400);
        let mut bytes = prefixes[i % prefixes.len()].to_vec();
        for _ in 0..len {
            let r = rng.next();
            // Alternate between uniform bytes, high bytes only and mostly-ASCII with escapes.
            let b = match i % 3 {
                0 => r as u8,
                1 => 0x80 | r as u8,
                _ if r.is_multiple_of(7) => [0x1B, b'$', b'(', b'B', b'@', 0x8E, 0xA4][(r >> 8) as usize % 7],
                _ => (r % 0x80) as u8,
            };
            bytes.push(b);
        }
        let decoded = fixenc::fix_bytes(&bytes);
        assert!((0.0..=1.0).contains(&decoded.confidence), "{bytes:?}");
        assert!(!decoded.encoding.is_empty());
        for label in ["shift_jis", "utf-16be", "iso-2022-jp", "utf-8"] {
            let forced = fixenc::fix_bytes_with(&bytes, &fixenc::Options::default(), Some(label)).unwrap();
            assert_eq!(forced.confidence, 1.0);
        }
    }
}

#[test]
fn replacements_are_counted() {
    // Shift_JIS with a lead byte cut off at the end and a lone trail-less lead inside.
    let mut bytes = encode("今日は雨が降っていたので、駅まで歩きました。", "Shift_JIS", false);
    bytes.push(0x82);
    let decoded = fixenc::fix_bytes(&bytes);
    assert_eq!(decoded.encoding, "Shift_JIS");
    assert_eq!(decoded.replaced, 1);
    assert!(decoded.text.ends_with("した。\u{FFFD}"), "{:?}", decoded.text);
    assert!(decoded.confidence < 1.0);
}

#[test]
fn utf8_mojibake_is_repaired_like_fix_text() {
    for broken in ["cafÃ©", "ã“ã‚“ã«ã¡ã¯ä¸–ç•Œ", "ÐŸÑ€Ð¸Ð²ÐµÑ‚", "Ã¢â‚¬Å“quotedÃ¢â‚¬Â\u{9d}", "plain ASCII", ""]
    {
        let decoded = fixenc::fix_bytes(broken.as_bytes());
        assert_eq!(decoded.text, fixenc::fix_text(broken), "{broken:?}");
        assert_eq!((decoded.encoding, decoded.confidence, decoded.had_bom, decoded.replaced), ("UTF-8", 1.0, false, 0));
    }
    assert_eq!(fixenc::fix_bytes("cafÃ©".as_bytes()).text, "café");
    // With a BOM too, and the explanation is the repair's.
    let decoded = fixenc::fix_bytes(b"\xEF\xBB\xBFcaf\xC3\x83\xC2\xA9");
    assert_eq!((decoded.text.as_str(), decoded.had_bom), ("café", true));
    assert_eq!(decoded.explanation.layers.len(), 1);
}

#[test]
fn mostly_utf8_stays_utf8() {
    // Cut off inside the last character.
    let text = "Привет, мир! Это текст в кодировке";
    let bytes = &text.as_bytes()[..text.len() - 1];
    let decoded = fixenc::fix_bytes(bytes);
    assert_eq!(decoded.encoding, "UTF-8");
    assert_eq!(decoded.replaced, 1);
    assert!(decoded.text.starts_with("Привет, мир!"));
    // One corrupted byte in a long text.
    let mut bytes = "日本語のテキストです。".repeat(20).into_bytes();
    // 0xFF over the second byte of a character: the truncated start, 0xFF and the orphan
    // continuation byte are three malformed sequences.
    bytes[31] = 0xFF;
    let decoded = fixenc::fix_bytes(&bytes);
    assert_eq!(decoded.encoding, "UTF-8");
    assert_eq!(decoded.replaced, 3);
    assert!(decoded.confidence > 0.5 && decoded.confidence < 1.0);
}

#[test]
fn iso_2022_jp_is_recognized_by_its_escapes() {
    for text in ["日本語", "今日は朝から雨が降っていた。", "Mixed ASCII and 日本語 text"] {
        let bytes = encode(text, "ISO-2022-JP", false);
        assert!(bytes.is_ascii() && bytes.contains(&0x1B));
        let decoded = fixenc::fix_bytes(&bytes);
        assert_eq!((decoded.text.as_str(), decoded.encoding, decoded.confidence), (text, "ISO-2022-JP", 1.0));
    }
    // Escapes to single-byte sets only, or a double-byte escape followed by bytes ISO-2022-JP
    // rejects: plain UTF-8, escapes kept.
    for bytes in [&b"\x1B(Bplain\x1B(J text"[..], b"\x1B$B\x7F\x7F broken", b"ESC alone \x1B"] {
        let decoded = fixenc::fix_bytes(bytes);
        assert_eq!(decoded.encoding, "UTF-8", "{bytes:?}");
        assert_eq!(decoded.text.as_bytes(), bytes);
    }
}

#[test]
fn byte_order_marks_decide() {
    let text = "Grüße, 世界 — 안녕하세요";
    for (label, bom) in [("UTF-16LE", true), ("UTF-16BE", true), ("UTF-8", true)] {
        let bytes = encode(text, label, bom);
        let decoded = fixenc::fix_bytes(&bytes);
        assert_eq!(
            (decoded.text.as_str(), decoded.encoding, decoded.had_bom, decoded.confidence),
            (text, label, true, 1.0)
        );
    }
    // A BOM alone.
    let decoded = fixenc::fix_bytes(b"\xFF\xFE");
    assert_eq!((decoded.text.as_str(), decoded.encoding, decoded.had_bom), ("", "UTF-16LE", true));
}

#[test]
fn short_japanese_cyrillic_and_central_european() {
    let cases: &[(&str, &str)] = &[
        ("日本語", "EUC-JP"),
        ("カタカナ", "EUC-JP"),
        ("ひらがなとカタカナ", "Shift_JIS"),
        ("冬になると、北の地方では", "Shift_JIS"),
        ("Привет, мир", "KOI8-R"),
        ("Привет, мир", "windows-1251"),
        ("Съешь же ещё этих мягких французских булок", "KOI8-R"),
        ("Zażółć gęślą jaźń", "ISO-8859-2"),
        ("Zażółć gęślą jaźń", "windows-1250"),
        ("Příliš žluťoučký kůň", "ISO-8859-2"),
        ("Příliš žluťoučký kůň", "windows-1250"),
        ("Übermäßig schöne Grüße", "windows-1252"),
        ("Où est passé mon cœur ?", "windows-1252"),
    ];
    for &(text, label) in cases {
        let bytes = encode(text, label, false);
        let decoded = fixenc::fix_bytes(&bytes);
        let same = Encoding::for_label(decoded.encoding.as_bytes()).unwrap().decode(&bytes).0 == text;
        assert!(decoded.text == text && same, "{text} in {label}: got {} {:?}", decoded.encoding, decoded.text);
    }
}

#[test]
fn forced_encoding() {
    let options = fixenc::Options::default();
    let bytes = encode("Съешь же ещё этих мягких французских булок", "KOI8-R", false);
    let decoded = fixenc::fix_bytes_with(&bytes, &options, Some("cp1251")).unwrap();
    assert_eq!((decoded.encoding, decoded.confidence), ("windows-1251", 1.0));
    assert_ne!(decoded.text, "Съешь же ещё этих мягких французских булок");
    let decoded = fixenc::fix_bytes_with(&bytes, &options, Some(" KOI8-r ")).unwrap();
    assert_eq!(decoded.text, "Съешь же ещё этих мягких французских булок");
    // The forced encoding's own BOM is removed; another is not.
    let decoded = fixenc::fix_bytes_with(b"\xEF\xBB\xBFabc", &options, Some("utf8")).unwrap();
    assert_eq!((decoded.text.as_str(), decoded.had_bom), ("abc", true));
    let decoded = fixenc::fix_bytes_with(b"\xFF\xFEa\0", &options, Some("utf-8")).unwrap();
    assert_eq!((decoded.had_bom, decoded.replaced), (false, 2));
    for bad in ["no-such-encoding", "iso-2022-kr", ""] {
        let err = fixenc::fix_bytes_with(b"abc", &options, Some(bad)).unwrap_err();
        assert_eq!(err, fixenc::Error::UnknownEncoding { label: bad.to_string() });
    }
}
