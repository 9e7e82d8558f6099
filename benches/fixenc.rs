//! Criterion benchmarks of `fix_text` against same-run baselines on the same bytes.
//!
//! ```text
//! cargo bench --bench fixenc                       # 1 MiB inputs (a few minutes on 2 cores)
//! FIXENC_BENCH_LARGE=1 cargo bench --bench fixenc  # adds 16 MiB inputs
//! cargo bench --bench fixenc -- --test             # only the assertions, each case once
//! ```
//!
//! Groups (`target/criterion/<group>/<function>/<input>`):
//!
//! * `clean` — clean ASCII, French, Japanese, mixed CJK + Latin: `fix_text` (must borrow)
//!   against `std::str::from_utf8` and `simdutf8::basic::from_utf8`.
//! * `repair` — French misread as Windows-1252 once and twice, Japanese misread as
//!   Windows-1252 (lossless) and as Windows-1254 with the undefined bytes and soft hyphens
//!   dropped (lossy): `fix_text` against encoding_rs re-encoding the mojibake to its page
//!   (both layers for the two-layer input, with the UTF-8 check between them) and
//!   `std::str::from_utf8`.
//! * `adversarial` — `Ã` × N, `ã` × N, `Ã© a ` × N: `fix_text` against from_utf8 and
//!   encoding_rs windows-1252 encoding.
//! * `nfc` — the French text in NFD: `fix_text` against unicode-normalization and
//!   icu_normalizer composing to NFC.
//! * `scaling` — `fix_text` on the adversarial inputs and the lossy Japanese (also as one line
//!   without spaces or line ends, a single run) at 64, 128 and
//!   256 KiB, to see whether 4× the input costs at most 5× the time.
//!
//! Each benchmark checks its result once before it is timed (only when the command-line
//! filter selects it). Throughput is the byte length
//! of the input the timed function receives.
//!
//! The lossy Japanese input is 256 KiB, not 1 MiB: one `fix_text` call on 1 MiB of it took
//! 5.5 s when these benchmarks were written (see BENCHMARKS.md); with FIXENC_BENCH_LARGE=1
//! a 1 MiB case is added, but no 16 MiB one.

mod inputs;

use criterion::measurement::WallTime;
use criterion::{criterion_group, criterion_main, BenchmarkGroup, BenchmarkId, Criterion, SamplingMode, Throughput};
use encoding_rs::{Encoding, WINDOWS_1252, WINDOWS_1254};
use fixenc::{fix_text, CodePage};
use inputs::*;
use std::borrow::Cow;
use std::hint::black_box;
use std::time::Duration;

/// The size of the lossy Japanese input (see the module docs).
const LOSSY_SIZE: usize = 256 * KIB;
/// The sizes of the scaling group: N, 2N, 4N.
const SCALING_SIZES: [usize; 3] = [64 * KIB, 128 * KIB, 256 * KIB];
/// The largest share of characters a lossy repair may get wrong (the holes are guessed).
const LOSSY_MAX_ERROR_RATE: f64 = 0.05;

fn large() -> bool {
    std::env::var("FIXENC_BENCH_LARGE").is_ok_and(|v| v == "1")
}

/// The input sizes of the clean, repair, adversarial and NFC groups.
fn sizes() -> Vec<usize> {
    if large() {
        vec![MIB, 16 * MIB]
    } else {
        vec![MIB]
    }
}

fn size_label(size: usize) -> String {
    if size >= MIB && size.is_multiple_of(MIB) {
        format!("{}MiB", size / MIB)
    } else {
        format!("{}KiB", size / KIB)
    }
}

fn id(name: &str, size: usize) -> String {
    format!("{name}-{}", size_label(size))
}

fn group<'a>(c: &'a mut Criterion, name: &str, flat: bool) -> BenchmarkGroup<'a, WallTime> {
    let mut g = c.benchmark_group(name);
    if flat {
        // Slow cases: the same iteration count in every sample, so that 10 samples need
        // 10 iterations rather than the 55 of linear sampling.
        g.sampling_mode(SamplingMode::Flat);
    }
    g
}

fn assert_borrowed_unchanged(name: &str, input: &str) {
    let out = fix_text(input);
    assert!(matches!(out, Cow::Borrowed(_)), "{name}: fix_text copied clean text");
    assert!(out == input, "{name}: fix_text changed clean text");
}

fn assert_repaired(name: &str, case: &Case) {
    let out = fix_text(&case.input);
    if out != case.clean.as_str() {
        let at = out.chars().zip(case.clean.chars()).position(|(a, b)| a != b).unwrap_or(0);
        let got: String = out.chars().skip(at.saturating_sub(10)).take(30).collect();
        let want: String = case.clean.chars().skip(at.saturating_sub(10)).take(30).collect();
        panic!("{name}: fix_text did not restore the text; first difference at char {at}: {got:?} vs {want:?}");
    }
}

/// Lossy input: the holes are guessed, so the check is on the share of wrong characters.
fn assert_lossy_repaired(name: &str, case: &Case) -> f64 {
    let out = fix_text(&case.input);
    let (got, want): (Vec<char>, Vec<char>) = (out.chars().collect(), case.clean.chars().collect());
    assert_eq!(got.len(), want.len(), "{name}: repaired text has a different length");
    let wrong = got.iter().zip(&want).filter(|(a, b)| a != b).count();
    let rate = wrong as f64 / want.len() as f64;
    eprintln!("{name}: {wrong} of {} characters wrong after repair ({:.2}%)", want.len(), rate * 100.0);
    assert!(rate <= LOSSY_MAX_ERROR_RATE, "{name}: {:.2}% of characters wrong", rate * 100.0);
    rate
}

fn encode(encoding: &'static Encoding, text: &str) -> Vec<u8> {
    let (bytes, used, had_errors) = encoding.encode(text);
    assert_eq!(used, encoding);
    assert!(!had_errors, "{} cannot encode the input", encoding.name());
    bytes.into_owned()
}

/// Times `routine` as `function`/`id` in `g`, running `check` first — once, and only when
/// the benchmark is selected by the command-line filter (so that profiling one benchmark
/// does not pay for the checks of all the others).
fn bench<R>(
    g: &mut BenchmarkGroup<'_, WallTime>,
    function: &str,
    id: &str,
    check: impl FnOnce(),
    mut routine: impl FnMut() -> R,
) {
    let mut check = Some(check);
    g.bench_function(BenchmarkId::new(function, id), |b| {
        if let Some(check) = check.take() {
            check();
        }
        b.iter(&mut routine)
    });
}

fn bench_from_utf8(g: &mut BenchmarkGroup<'_, WallTime>, id: &str, input: &str) {
    bench(
        g,
        "from_utf8",
        id,
        || assert!(std::str::from_utf8(input.as_bytes()).is_ok()),
        || std::str::from_utf8(black_box(input.as_bytes())).map(str::len),
    );
}

fn bench_clean(c: &mut Criterion) {
    let mut g = group(c, "clean", false);
    for size in sizes() {
        for (name, text) in [("ascii", ASCII), ("french", FRENCH), ("japanese", JAPANESE), ("mixed_cjk", MIXED_CJK)] {
            let case = build(text, size, identity);
            let input = case.input.as_str();
            let id = id(name, size);
            g.throughput(Throughput::Bytes(input.len() as u64));
            bench(
                &mut g,
                "fix_text",
                &id,
                || assert_borrowed_unchanged(&id, input),
                || fix_text(black_box(input)).len(),
            );
            bench_from_utf8(&mut g, &id, input);
            bench(
                &mut g,
                "simdutf8",
                &id,
                || assert!(simdutf8::basic::from_utf8(input.as_bytes()).is_ok()),
                || simdutf8::basic::from_utf8(black_box(input.as_bytes())).map(str::len),
            );
        }
    }
    g.finish();
}

/// A repair case and its encoding_rs baseline: the code page of each layer, outermost first.
struct RepairCase {
    name: &'static str,
    case: Case,
    layers: Vec<&'static Encoding>,
    lossy: bool,
    /// The nominal size, for the benchmark id.
    size: usize,
}

fn repair_cases(size: usize) -> Vec<RepairCase> {
    let mut cases = vec![
        RepairCase { name: "latin_1252_x1", case: latin_1252_x1(size), layers: vec![WINDOWS_1252], lossy: false, size },
        RepairCase {
            name: "latin_1252_x2",
            case: latin_1252_x2(size),
            layers: vec![WINDOWS_1252, WINDOWS_1252],
            lossy: false,
            size,
        },
        RepairCase {
            name: "japanese_1252",
            case: japanese_1252_lossless(size),
            layers: vec![WINDOWS_1252],
            lossy: false,
            size,
        },
    ];
    // The lossy input is LOSSY_SIZE with the 1 MiB inputs (plus 1 MiB with
    // FIXENC_BENCH_LARGE=1), never 16 MiB.
    let lossy_sizes: &[usize] = match (size == MIB, large()) {
        (true, false) => &[LOSSY_SIZE],
        (true, true) => &[LOSSY_SIZE, MIB],
        (false, _) => &[],
    };
    for &size in lossy_sizes {
        cases.push(RepairCase {
            name: "japanese_1254_lossy",
            case: japanese_1254_lossy(size),
            layers: vec![WINDOWS_1254],
            lossy: true,
            size,
        });
    }
    cases
}

/// The baseline: re-encode each layer to its code page (checking the bytes are UTF-8
/// between layers), as a repair that already knew the answer would.
fn reencode(text: &str, layers: &[&'static Encoding]) -> usize {
    let (first, rest) = layers.split_first().expect("one layer at least");
    let (mut bytes, _, _) = first.encode(text);
    for encoding in rest {
        let inner = std::str::from_utf8(&bytes).expect("UTF-8 between layers");
        let (next, _, _) = encoding.encode(inner);
        bytes = Cow::Owned(next.into_owned());
    }
    bytes.len()
}

/// The baseline's own result is the UTF-8 of the clean text (less the lost bytes for the
/// lossy input).
fn check_reencode(id: &str, rc: &RepairCase) {
    let mut text = rc.case.input.clone();
    let mut bytes = Vec::new();
    for encoding in &rc.layers {
        bytes = encode(encoding, &text);
        text = String::from_utf8(bytes.clone()).unwrap_or_default();
    }
    let lost = if rc.lossy { lossy_form().lost_bytes(CodePage::Windows1254) } else { Vec::new() };
    let expected: Vec<u8> = rc.case.clean.bytes().filter(|b| !lost.contains(b)).collect();
    assert!(bytes == expected, "{id}: re-encoding does not give the UTF-8 bytes of the clean text");
}

fn bench_repair(c: &mut Criterion) {
    let mut g = group(c, "repair", true);
    for size in sizes() {
        for rc in repair_cases(size) {
            let input = rc.case.input.as_str();
            let id = id(rc.name, rc.size);
            g.throughput(Throughput::Bytes(input.len() as u64));
            let check_fix = || {
                if rc.lossy {
                    assert_lossy_repaired(&id, &rc.case);
                } else {
                    assert_repaired(&id, &rc.case);
                }
            };
            bench(&mut g, "fix_text", &id, check_fix, || fix_text(black_box(input)).len());
            bench(&mut g, "encoding_rs", &id, || check_reencode(&id, &rc), || reencode(black_box(input), &rc.layers));
            bench_from_utf8(&mut g, &id, input);
        }
    }
    g.finish();
}

fn adversarial_cases(size: usize) -> [(&'static str, Case); 3] {
    [("A_tilde", adv_a_tilde_upper(size)), ("a_tilde", adv_a_tilde_lower(size)), ("alternating", adv_alternating(size))]
}

/// `Ã` × N and `ã` × N hold nothing to repair; the alternating input is all repairable.
fn assert_adversarial(name: &str, case: &Case) {
    if case.clean == case.input {
        assert_borrowed_unchanged(name, &case.input);
    } else {
        assert_repaired(name, case);
    }
}

fn bench_adversarial(c: &mut Criterion) {
    let mut g = group(c, "adversarial", true);
    for size in sizes() {
        for (name, case) in adversarial_cases(size) {
            let input = case.input.as_str();
            let id = id(name, size);
            g.throughput(Throughput::Bytes(input.len() as u64));
            bench(&mut g, "fix_text", &id, || assert_adversarial(&id, &case), || fix_text(black_box(input)).len());
            bench(
                &mut g,
                "encoding_rs",
                &id,
                || assert_eq!(encode(WINDOWS_1252, input).len(), input.chars().count()),
                || reencode(black_box(input), &[WINDOWS_1252]),
            );
            bench_from_utf8(&mut g, &id, input);
        }
    }
    g.finish();
}

fn bench_nfc(c: &mut Criterion) {
    use unicode_normalization::UnicodeNormalization;
    let icu = icu_normalizer::ComposingNormalizerBorrowed::new_nfc();
    let mut g = group(c, "nfc", false);
    for size in sizes() {
        let case = build(FRENCH, size, nfd);
        let input = case.input.as_str();
        let clean = case.clean.as_str();
        let id = id("french_nfd", size);
        assert!(input != clean, "the NFD input must differ from the NFC text");
        g.throughput(Throughput::Bytes(input.len() as u64));
        bench(&mut g, "fix_text", &id, || assert_repaired(&id, &case), || fix_text(black_box(input)).len());
        bench(
            &mut g,
            "unicode_normalization",
            &id,
            || assert!(input.nfc().collect::<String>() == clean, "{id}: unicode-normalization"),
            || black_box(input).nfc().collect::<String>().len(),
        );
        bench(
            &mut g,
            "icu_normalizer",
            &id,
            || assert!(icu.normalize(input) == clean, "{id}: icu_normalizer"),
            || icu.normalize(black_box(input)).len(),
        );
    }
    g.finish();
}

fn bench_scaling(c: &mut Criterion) {
    let mut g = group(c, "scaling", true);
    for size in SCALING_SIZES {
        let mut cases: Vec<(&str, Case)> = adversarial_cases(size).into_iter().collect();
        cases.push(("japanese_1254_lossy", japanese_1254_lossy(size)));
        cases.push(("japanese_1254_lossy_one_line", japanese_1254_lossy_one_line(size)));
        for (name, case) in cases {
            let input = case.input.as_str();
            let id = id(name, size);
            let check = || {
                if name.starts_with("japanese_1254_lossy") {
                    assert_lossy_repaired(&id, &case);
                } else {
                    assert_adversarial(&id, &case);
                }
            };
            g.throughput(Throughput::Bytes(input.len() as u64));
            bench(&mut g, "fix_text", &id, check, || fix_text(black_box(input)).len());
        }
    }
    g.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(10)
        .measurement_time(Duration::from_secs(2))
        .warm_up_time(Duration::from_millis(500))
        // The plots cost more time than many of the benchmarks; the JSON estimates that
        // benches/report.py reads are written all the same.
        .without_plots()
}

criterion_group! {
    name = benches;
    config = config();
    targets = bench_clean, bench_repair, bench_adversarial, bench_nfc, bench_scaling
}
criterion_main!(benches);
