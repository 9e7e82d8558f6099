//! Round trips: every corpus language × every code page × every corruption family is broken
//! by the independent oracle in `tests/common`, repaired with `fix_text`, and compared with
//! the original.
//!
//! * Lossless, 1 and 2 layers: every document must come back exactly (a product requirement).
//! * Lossless 3 layers and the lossy families: the character error rate (Levenshtein distance
//!   / chars) and the fraction of documents repaired exactly must be within
//!   `tests/lossy_thresholds.txt`, which is ratcheted as the engine improves.
//!
//! The measurement is done once per test binary (shared by the tests through a `OnceLock`)
//! and printed as a table: run with `cargo test --test roundtrip -- --nocapture`.
//!
//! Also here: span-by-span repair (a clean paragraph beside a broken one; a single broken
//! word in a clean sentence must be repaired without touching the rest, byte for byte).

mod common;

use common::*;
use std::collections::BTreeMap;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// One corruption family: how many layers, and the loss form of the outermost one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct Family {
    loss: LossForm,
    layers: usize,
}

impl Family {
    fn key(self) -> String {
        format!("{}/{}", self.loss.key(), self.layers)
    }
}

/// The families measured, in table order.
fn families() -> Vec<Family> {
    let mut f = vec![
        Family { loss: LossForm::NONE, layers: 1 },
        Family { loss: LossForm::NONE, layers: 2 },
        Family { loss: LossForm::NONE, layers: 3 },
    ];
    for loss in [
        LossForm::UNDEFINED,
        LossForm::C1,
        LossForm::SHY,
        LossForm::UNDEFINED_SHY,
        LossForm::C1_SHY,
        LossForm::REPLACED,
    ] {
        f.push(Family { loss, layers: 1 });
    }
    for loss in [LossForm::UNDEFINED, LossForm::C1] {
        f.push(Family { loss, layers: 2 });
    }
    f
}

/// A repair slower than this is reported as it happens.
/// Repairs slower than this are reported on stderr (not failed: see `case_timeout`).
const SLOW: Duration = Duration::from_secs(2);

struct Case {
    family: Family,
    lang: &'static str,
    page: Page,
    chain: Chain,
    original: String,
}

struct Outcome {
    family: Family,
    lang: &'static str,
    page: Page,
    chain: String,
    chars: usize,
    distance: usize,
    exact: bool,
    /// The corrupted input was already equal to the original (the chain changed nothing).
    untouched_input: bool,
    panicked: Option<String>,
    detail: String,
    elapsed: Duration,
}

/// `ROUNDTRIP_FAMILIES=undefined/1,c1/1` restricts the measurement (for quick runs while
/// developing; the threshold test then skips families it did not measure).
fn family_filter() -> Option<Vec<String>> {
    std::env::var("ROUNDTRIP_FAMILIES").ok().map(|v| v.split(',').map(|s| s.trim().to_string()).collect())
}

fn cases() -> Vec<Case> {
    let corpus = all_corpus();
    let filter = family_filter();
    let mut out = Vec::new();
    for family in families() {
        if filter.as_ref().is_some_and(|f| !f.contains(&family.key())) {
            continue;
        }
        for page in Page::ALL {
            if !family.loss.applies_to(page) {
                continue;
            }
            for (lang, text) in &corpus {
                out.push(Case {
                    family,
                    lang,
                    page,
                    chain: Chain::repeated(page, family.layers, family.loss),
                    original: text.clone(),
                });
            }
        }
    }
    out
}

/// How long one repair may take before the measurement gives up on it (the repair goes on
/// in a detached thread; the case counts as failed). `ROUNDTRIP_CASE_TIMEOUT=secs`. This is
/// a guard against hangs, not a speed test: speed is measured by the criterion benches.
fn case_timeout() -> Duration {
    let secs = std::env::var("ROUNDTRIP_CASE_TIMEOUT").ok().and_then(|v| v.parse().ok()).unwrap_or(120.0);
    Duration::from_secs_f64(secs)
}

/// (loss form, page, language) triples that already timed out: later cases of the same
/// triple (more layers) are not run (they would pile up more runaway threads) and count as
/// failed.
type TimedOut = std::sync::Mutex<std::collections::HashSet<(String, Page, &'static str)>>;

fn run_case(case: &Case, timed_out: &TimedOut) -> Outcome {
    let broken = case.chain.apply(&case.original);
    let chars = case.original.chars().count();
    let key = (case.family.loss.key(), case.page, case.lang);
    let start = Instant::now();
    let result: Result<String, String> = if timed_out.lock().unwrap().contains(&key) {
        Err("skipped: the same loss form, page and language timed out with fewer layers".to_string())
    } else {
        let (tx, rx) = std::sync::mpsc::channel();
        let input = broken.clone();
        std::thread::spawn(move || {
            let _ = tx.send(catch(|| fixenc::fix_text(&input).into_owned()));
        });
        match rx.recv_timeout(case_timeout()) {
            Ok(r) => r,
            Err(_) => {
                timed_out.lock().unwrap().insert(key);
                Err(format!("timeout after {:.0}s", case_timeout().as_secs_f64()))
            }
        }
    };
    let elapsed = start.elapsed();
    if elapsed > SLOW {
        eprintln!(
            "slow: {:.1}s for {} chars [{} via {}] {}",
            elapsed.as_secs_f64(),
            broken.chars().count(),
            case.lang,
            case.page,
            case.chain
        );
    }
    let (got, panicked) = match result {
        Ok(s) => (s, None),
        Err(msg) => (broken.clone(), Some(msg)),
    };
    let exact = got == case.original && panicked.is_none();
    let distance = if exact { 0 } else { char_distance(&case.original, &got) };
    Outcome {
        family: case.family,
        lang: case.lang,
        page: case.page,
        chain: case.chain.to_string(),
        chars,
        distance,
        exact,
        untouched_input: broken == case.original,
        panicked,
        detail: if exact { String::new() } else { first_difference(&case.original, &got) },
        elapsed,
    }
}

/// All outcomes, computed once (on every core) and printed.
fn outcomes() -> &'static Vec<Outcome> {
    static OUT: OnceLock<Vec<Outcome>> = OnceLock::new();
    OUT.get_or_init(|| {
        let cases = cases();
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get()).max(1);
        let next = std::sync::atomic::AtomicUsize::new(0);
        let timed_out = TimedOut::default();
        let mut results: Vec<(usize, Outcome)> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads)
                .map(|_| {
                    s.spawn(|| {
                        let mut mine = Vec::new();
                        loop {
                            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                            let Some(case) = cases.get(i) else { break };
                            mine.push((i, run_case(case, &timed_out)));
                        }
                        mine
                    })
                })
                .collect();
            handles.into_iter().flat_map(|h| h.join().expect("worker")).collect()
        });
        results.sort_by_key(|(i, _)| *i);
        let outcomes: Vec<Outcome> = results.into_iter().map(|(_, o)| o).collect();
        print_tables(&outcomes);
        outcomes
    })
}

#[derive(Default, Clone, Copy)]
struct Rate {
    docs: usize,
    exact: usize,
    chars: usize,
    distance: usize,
    panics: usize,
    elapsed: Duration,
}

impl Rate {
    fn add(&mut self, o: &Outcome) {
        self.docs += 1;
        self.exact += usize::from(o.exact);
        self.chars += o.chars;
        self.distance += o.distance;
        self.panics += usize::from(o.panicked.is_some());
        self.elapsed += o.elapsed;
    }
    fn cer(&self) -> f64 {
        self.distance as f64 / self.chars.max(1) as f64
    }
    fn exact_fraction(&self) -> f64 {
        self.exact as f64 / self.docs.max(1) as f64
    }
}

fn rates_by_family(outcomes: &[Outcome]) -> BTreeMap<String, Rate> {
    let mut m: BTreeMap<String, Rate> = BTreeMap::new();
    for o in outcomes {
        m.entry(o.family.key()).or_default().add(o);
    }
    m
}

fn print_tables(outcomes: &[Outcome]) {
    let by_family = rates_by_family(outcomes);
    eprintln!();
    eprintln!("=== fixenc round trip: {} documents ===", outcomes.len());
    eprintln!(
        "{:<18} {:>5} {:>6} {:>8} {:>8} {:>8} {:>7} {:>9}",
        "family", "docs", "exact", "exact%", "edits", "CER", "panics", "time"
    );
    for f in families() {
        let Some(r) = by_family.get(&f.key()) else {
            continue;
        };
        eprintln!(
            "{:<18} {:>5} {:>6} {:>7.1}% {:>8} {:>8.5} {:>7} {:>8.2}s",
            f.key(),
            r.docs,
            r.exact,
            100.0 * r.exact_fraction(),
            r.distance,
            r.cer(),
            r.panics,
            r.elapsed.as_secs_f64()
        );
    }
    // CER per family × code page.
    eprintln!();
    eprintln!("CER by family (rows) and code page (columns); '-' = not applicable");
    let mut header = format!("{:<16}", "family");
    for p in Page::ALL {
        header.push_str(&format!(" {:>8}", short(p)));
    }
    eprintln!("{header}");
    for f in families() {
        let mut line = format!("{:<16}", f.key());
        for p in Page::ALL {
            let mut r = Rate::default();
            outcomes.iter().filter(|o| o.family == f && o.page == p).for_each(|o| r.add(o));
            if r.docs == 0 {
                line.push_str(&format!(" {:>8}", "-"));
            } else {
                line.push_str(&format!(" {:>8.4}", r.cer()));
            }
        }
        eprintln!("{line}");
    }
    // CER per family × language.
    eprintln!();
    eprintln!("CER by family (rows) and language (columns)");
    let mut header = format!("{:<16}", "family");
    for &l in langs() {
        header.push_str(&format!(" {:>6}", l));
    }
    eprintln!("{header}");
    for f in families() {
        let mut line = format!("{:<16}", f.key());
        for &l in langs() {
            let mut r = Rate::default();
            outcomes.iter().filter(|o| o.family == f && o.lang == l).for_each(|o| r.add(o));
            line.push_str(&format!(" {:>6.3}", r.cer()));
        }
        eprintln!("{line}");
    }
    // Ratchet suggestions.
    let thresholds = read_thresholds();
    for (family, (max_cer, min_exact)) in &thresholds {
        if let Some(r) = by_family.get(family) {
            let cer = r.cer();
            let ex = r.exact_fraction();
            let passing = cer <= *max_cer && ex >= *min_exact;
            if passing && (cer < max_cer * 0.5 || ex > min_exact + 0.1) {
                eprintln!(
                    "ratchet hint: {family} measured CER {cer:.5} / exact {ex:.3} (threshold {max_cer} / {min_exact}); could be `{family} {:.4} {:.2}`",
                    (cer * 1.25).max(0.0001),
                    ((ex - 0.05) * 20.0).floor().max(0.0) / 20.0
                );
            } else if !passing {
                eprintln!(
                    "over budget: {family} measured CER {cer:.5} / exact {ex:.3} (threshold {max_cer} / {min_exact})"
                );
            }
        }
    }
    eprintln!();
}

fn short(p: Page) -> &'static str {
    match p {
        Page::W1250 => "1250",
        Page::W1251 => "1251",
        Page::W1252 => "1252",
        Page::W1253 => "1253",
        Page::W1254 => "1254",
        Page::W1257 => "1257",
        Page::Latin1 => "latin1",
        Page::Iso8859_2 => "8859-2",
        Page::Iso8859_15 => "8859-15",
        Page::MacRoman => "mac",
        Page::Cp437 => "cp437",
        Page::Cp850 => "cp850",
    }
}

/// `tests/lossy_thresholds.txt`: family → (max CER, min exact fraction).
fn read_thresholds() -> BTreeMap<String, (f64, f64)> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lossy_thresholds.txt");
    let text = std::fs::read_to_string(&path).expect("tests/lossy_thresholds.txt");
    let mut m = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap().trim();
        if line.is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(cols.len(), 3, "lossy_thresholds.txt line {}: want `family max_cer min_exact`", n + 1);
        let cer: f64 = cols[1].parse().unwrap_or_else(|_| panic!("line {}: bad max_cer", n + 1));
        let ex: f64 = cols[2].parse().unwrap_or_else(|_| panic!("line {}: bad min_exact", n + 1));
        assert!(m.insert(cols[0].to_string(), (cer, ex)).is_none(), "duplicate family {}", cols[0]);
    }
    m
}

fn failures_report(outcomes: &[&Outcome], limit: usize) -> String {
    let mut s = String::new();
    for o in outcomes.iter().take(limit) {
        s.push_str(&format!(
            "\n  [{} via {}] {}\n    {}{}{}",
            o.lang,
            o.page,
            o.chain,
            o.detail,
            if o.untouched_input { " (the chain did not change the text)" } else { "" },
            o.panicked.as_ref().map_or(String::new(), |m| format!(" PANIC: {m}"))
        ));
    }
    if outcomes.len() > limit {
        s.push_str(&format!("\n  … and {} more", outcomes.len() - limit));
    }
    s
}

fn assert_all_exact(layers: usize) {
    let outcomes = outcomes();
    let fam = Family { loss: LossForm::NONE, layers };
    let mine: Vec<&Outcome> = outcomes.iter().filter(|o| o.family == fam).collect();
    if family_filter().is_some_and(|f| !f.contains(&fam.key())) {
        eprintln!("{} not measured (ROUNDTRIP_FAMILIES)", fam.key());
        return;
    }
    assert_eq!(mine.len(), Page::ALL.len() * langs().len(), "every page × language is measured");
    let bad: Vec<&Outcome> = mine.iter().copied().filter(|o| !o.exact).collect();
    assert!(
        bad.is_empty(),
        "lossless {layers}-layer mojibake must always be repaired exactly; {} of {} documents were not:{}",
        bad.len(),
        mine.len(),
        failures_report(&bad, 25)
    );
}

#[test]
fn lossless_single_layer_is_exact() {
    assert_all_exact(1);
}

#[test]
fn lossless_double_layer_is_exact() {
    assert_all_exact(2);
}

#[test]
fn families_within_thresholds() {
    let outcomes = outcomes();
    let thresholds = read_thresholds();
    let by_family = rates_by_family(outcomes);
    let mut problems = Vec::new();
    for f in families() {
        if f.loss.is_lossless() && f.layers <= 2 {
            continue; // asserted exactly above
        }
        let key = f.key();
        let Some(&(max_cer, min_exact)) = thresholds.get(&key) else {
            problems.push(format!("family {key} is measured but missing from lossy_thresholds.txt"));
            continue;
        };
        let Some(&r) = by_family.get(&key) else {
            assert!(family_filter().is_some(), "family {key} not measured");
            continue;
        };
        if r.cer() > max_cer || r.exact_fraction() < min_exact || r.panics > 0 {
            let bad: Vec<&Outcome> = outcomes.iter().filter(|o| o.family == f && !o.exact).collect();
            let mut worst = bad.clone();
            worst.sort_by(|a, b| {
                (b.distance as f64 / b.chars as f64).partial_cmp(&(a.distance as f64 / a.chars as f64)).unwrap()
            });
            problems.push(format!(
                "family {key}: CER {:.5} (max {max_cer}), exact {:.3} (min {min_exact}), panics {}; worst documents:{}",
                r.cer(),
                r.exact_fraction(),
                r.panics,
                failures_report(&worst, 6)
            ));
        }
    }
    for key in thresholds.keys() {
        if !families().iter().any(|f| &f.key() == key) {
            problems.push(format!("lossy_thresholds.txt names unknown family {key}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn thresholds_file_is_sane() {
    let t = read_thresholds();
    assert!(!t.is_empty());
    for (family, (cer, ex)) in &t {
        assert!((0.0..=1.0).contains(cer), "{family}: max_cer {cer} out of range");
        assert!((0.0..=1.0).contains(ex), "{family}: min_exact {ex} out of range");
    }
}

/// Every chain really corrupts every document (otherwise a round trip proves nothing).
#[test]
fn oracle_chains_change_every_document() {
    for (lang, text) in all_corpus() {
        for f in families() {
            for page in Page::ALL {
                if !f.loss.applies_to(page) {
                    continue;
                }
                let chain = Chain::repeated(page, f.layers, f.loss);
                assert_ne!(chain.apply(&text), text, "{lang}: {chain} left the text unchanged");
            }
        }
    }
}

/// The oracle itself, on known values (so a broken oracle cannot make the suite pass).
#[test]
fn oracle_known_values() {
    let c = |p, l, loss| Chain::repeated(p, l, loss);
    assert_eq!(c(Page::W1252, 1, LossForm::NONE).apply("’"), "â€™");
    assert_eq!(c(Page::W1252, 2, LossForm::NONE).apply("’"), "Ã¢â‚¬â„¢");
    assert_eq!(c(Page::W1252, 1, LossForm::NONE).apply("Boyacá"), "BoyacÃ¡");
    assert_eq!(c(Page::W1251, 1, LossForm::NONE).apply("Привет"), "РџСЂРёРІРµС‚");
    assert_eq!(c(Page::Latin1, 1, LossForm::NONE).apply("é"), "Ã©");
    assert_eq!(c(Page::Latin1, 1, LossForm::NONE).apply("“"), "â\u{80}\u{9c}");
    assert_eq!(c(Page::Latin1, 1, LossForm::C1).apply("“"), "â");
    assert_eq!(c(Page::W1252, 1, LossForm::NONE).apply("”"), "â€\u{9d}");
    assert_eq!(c(Page::W1252, 1, LossForm::UNDEFINED).apply("”"), "â€");
    assert_eq!(c(Page::W1252, 1, LossForm::SHY).apply("í"), "Ã");
    assert_eq!(c(Page::Cp437, 1, LossForm::NONE).apply("é"), "├⌐");
    assert_eq!(c(Page::MacRoman, 1, LossForm::NONE).apply("é"), "√©");
    assert_eq!(c(Page::W1254, 1, LossForm::NONE).apply("🙂"), "ğŸ™‚");
    assert_eq!(c(Page::W1254, 1, LossForm::UNDEFINED).apply("Ğ"), "Ä");
    assert_eq!(c(Page::W1252, 1, LossForm::UNDEFINED).apply("Ğ"), "Äž");
    assert_eq!(Page::W1252.undefined_bytes(), vec![0x81, 0x8D, 0x8F, 0x90, 0x9D]);
    assert_eq!(Page::W1254.undefined_bytes(), vec![0x81, 0x8D, 0x8E, 0x8F, 0x90, 0x9D, 0x9E]);
    assert_eq!(Page::W1251.undefined_bytes(), vec![0x98]);
    assert_eq!(Page::W1253.undefined_bytes().len(), 17);
    assert!(Page::Latin1.undefined_bytes().is_empty());
}

/// The crate's public code page tables agree with the oracle's. Both come from independent
/// sources (encoding_rs and hand tables here, Python's codecs there).
#[test]
fn crate_tables_agree_with_oracle() {
    // Cross-check with the crate's own idea of the undefined bytes: both come from
    // independent sources (encoding_rs here, Python's codecs there).
    for p in Page::ALL {
        assert_eq!(code_page(p).undefined_bytes(), &p.undefined_bytes()[..], "{p}");
        for b in 0x80..=0xFFu8 {
            assert_eq!(code_page(p).decode_byte(b), p.decode_byte(b), "{p} byte {b:#04X}");
        }
    }
}

// ---------------------------------------------------------------------------------------
// Span by span
// ---------------------------------------------------------------------------------------

fn fix(s: &str) -> String {
    catch(|| fixenc::fix_text(s).into_owned()).unwrap_or_else(|m| panic!("fix_text panicked on {s:?}: {m}"))
}

#[test]
fn single_broken_word_in_clean_sentence() {
    let cases: &[(&str, &str)] = &[
        ("PUERTO BOYACÁ, BoyacÃ¡", "PUERTO BOYACÁ, Boyacá"),
        ("El AÑO pasado fuimos a BogotÃ¡ y a Medellín.", "El AÑO pasado fuimos a Bogotá y a Medellín."),
        ("Straße in MÃ¼nchen, groß und schön", "Straße in München, groß und schön"),
        ("It costs 5 â‚¬ per café.", "It costs 5 € per café."),
        ("Ağır bir gün; yarın Ä°stanbul'a gidiyoruz.", "Ağır bir gün; yarın İstanbul'a gidiyoruz."),
        ("Привет, мир! Он сказал â€œдаâ€\u{9d}.", "Привет, мир! Он сказал “да”."),
        ("東京で会議、ã“ã‚“ã«ã¡ã¯と言った。", "東京で会議、こんにちはと言った。"),
    ];
    let mut bad = Vec::new();
    for (input, want) in cases {
        let got = fix(input);
        if got != *want {
            bad.push(format!("{input:?} → {got:?}, want {want:?}"));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// The first word with a non-ASCII letter (for CJK and Thai, a 3-char window) in every
/// paragraph is misread through windows-1252; the paragraph must come back byte for byte.
#[test]
fn one_word_broken_per_paragraph() {
    let mut bad = Vec::new();
    let mut total = 0;
    for (lang, text) in all_corpus() {
        for para in paragraphs(&text) {
            let (start, end) = if matches!(lang, "ja" | "zh" | "th") {
                let idx: Vec<usize> = para.char_indices().map(|(i, _)| i).chain([para.len()]).collect();
                let s = idx[4.min(idx.len() - 1)];
                let e = idx[7.min(idx.len() - 1)];
                (s, e)
            } else {
                let mut found = None;
                let mut pos = 0;
                for w in para.split(' ') {
                    if !w.is_ascii() && w.chars().count() >= 3 {
                        found = Some((pos, pos + w.len()));
                        break;
                    }
                    pos += w.len() + 1;
                }
                match found {
                    Some(x) => x,
                    None => continue,
                }
            };
            for page in [Page::W1252, Page::Latin1] {
                let broken =
                    format!("{}{}{}", &para[..start], misread(&para[start..end], page, LossForm::NONE), &para[end..]);
                total += 1;
                let got = fix(&broken);
                if got != para {
                    bad.push(format!(
                        "[{lang}, word {:?} via {page}] {}",
                        &para[start..end],
                        first_difference(&para, &got)
                    ));
                }
            }
        }
    }
    assert!(total > 100);
    assert!(bad.is_empty(), "{} of {total} failed:\n{}", bad.len(), bad.join("\n"));
}

/// A clean paragraph in one language beside a mojibake paragraph from another: only the
/// broken paragraph may change, and the result is exact.
#[test]
fn clean_paragraph_beside_broken_paragraph() {
    let corpus = all_corpus();
    let pages = [Page::W1252, Page::W1251, Page::Latin1, Page::MacRoman, Page::W1250, Page::Cp437, Page::W1254];
    let mut bad = Vec::new();
    let mut total = 0;
    for (i, (lang_a, text_a)) in corpus.iter().enumerate() {
        let (lang_b, text_b) = &corpus[(i + 5) % corpus.len()];
        let clean = paragraphs(text_a)[0].clone();
        let victim = paragraphs(text_b)[1].clone();
        for (k, layers) in [(i, 1), (i + 3, 2)] {
            let page = pages[k % pages.len()];
            let chain = Chain::repeated(page, layers, LossForm::NONE);
            let broken = chain.apply(&victim);
            for clean_first in [true, false] {
                total += 1;
                let (input, want) = if clean_first {
                    (format!("{clean}\n\n{broken}\n"), format!("{clean}\n\n{victim}\n"))
                } else {
                    (format!("{broken}\n\n{clean}\n"), format!("{victim}\n\n{clean}\n"))
                };
                let got = fix(&input);
                if got != want {
                    let clean_kept =
                        if clean_first { got.starts_with(&clean) } else { got.ends_with(&format!("{clean}\n")) };
                    bad.push(format!(
                        "[clean {lang_a} {} broken {lang_b} by {chain}] clean part {}; {}",
                        if clean_first { "before" } else { "after" },
                        if clean_kept { "kept" } else { "CHANGED" },
                        first_difference(&want, &got)
                    ));
                }
            }
        }
    }
    assert!(bad.is_empty(), "{} of {total} mixed documents failed:\n{}", bad.len(), bad.join("\n"));
}

/// Two different corruptions in one document (one paragraph through 1252, the next through
/// 1251, separated by a clean one): each span is repaired by its own page.
#[test]
fn differently_broken_paragraphs_in_one_document() {
    let ja = paragraphs(&corpus("ja"));
    let de = paragraphs(&corpus("de"));
    let ru = paragraphs(&corpus("ru"));
    let a = Chain::single(Page::W1252, LossForm::NONE).apply(&ja[0]);
    let b = Chain::single(Page::W1251, LossForm::NONE).apply(&de[1]);
    let input = format!("{a}\n\n{}\n\n{b}", ru[2]);
    let want = format!("{}\n\n{}\n\n{}", ja[0], ru[2], de[1]);
    let got = fix(&input);
    assert!(got == want, "{}", first_difference(&want, &got));
}
