//! Shared helpers for the integration tests: the corpus, the corruption oracle (see
//! `oracle.rs`, which never calls into the crate), and error metrics.

#![allow(dead_code)]

pub mod dos_tables;
pub mod oracle;

#[allow(unused_imports)]
pub use oracle::{misread, Chain, LossForm, Page, Step};

use std::path::PathBuf;

/// The languages of `tests/corpus/LANG.txt`.
pub const LANGS: [&str; 17] =
    ["ja", "zh", "ko", "ru", "uk", "el", "tr", "fr", "de", "pt", "pl", "cs", "ar", "he", "vi", "th", "hi"];

/// `tests/corpus`, where the test texts are.
pub fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests").join("corpus")
}

/// The directory the measuring suites read their languages from: `tests/corpus`, or
/// `FIXENC_CORPUS_DIR` (relative to the crate) to take the same measurements on other text,
/// such as the held-out `tools/text/eval` (`FIXENC_CORPUS_DIR=tools/text/eval cargo test
/// --release --test roundtrip -- --nocapture`; its thresholds then do not apply).
pub fn measured_dir() -> PathBuf {
    match std::env::var("FIXENC_CORPUS_DIR") {
        Ok(dir) => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(dir),
        Err(_) => corpus_dir(),
    }
}

/// The languages measured: [`LANGS`], or every `LANG.txt` of `FIXENC_CORPUS_DIR`.
pub fn langs() -> &'static [&'static str] {
    static L: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    L.get_or_init(|| {
        if std::env::var_os("FIXENC_CORPUS_DIR").is_none() {
            return LANGS.to_vec();
        }
        text_files(&measured_dir())
            .into_iter()
            .map(|(lang, _)| &*Box::leak(lang.into_boxed_str()))
            .filter(|l| *l != "clean_tricky")
            .collect()
    })
}

/// The text of `{measured_dir}/{lang}.txt`.
pub fn corpus(lang: &str) -> String {
    let path = measured_dir().join(format!("{lang}.txt"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// Every `(lang, text)` measured.
pub fn all_corpus() -> Vec<(&'static str, String)> {
    langs().iter().map(|&l| (l, corpus(l))).collect()
}

/// Every `NAME.txt` of `dir` as `(NAME, text)`, sorted by name.
pub fn text_files(dir: &std::path::Path) -> Vec<(String, String)> {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()));
    let mut out: Vec<(String, String)> = entries
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .map(|p| {
            let name = p.file_stem().expect("file name").to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("reading {}: {e}", p.display()));
            (name, text)
        })
        .collect();
    out.sort();
    out
}

/// The held-out texts of `tools/text/eval` (languages the tests' corpus and the model's prose
/// do not cover): only checked for staying unchanged here, measured with `FIXENC_CORPUS_DIR`.
pub fn eval_corpus() -> Vec<(String, String)> {
    text_files(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tools/text/eval"))
}

/// The lines of `tests/corpus/clean_tricky.txt` (the final newline does not make a line).
pub fn clean_tricky() -> Vec<String> {
    let path = corpus_dir().join("clean_tricky.txt");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    text.lines().map(str::to_string).collect()
}

/// The non-empty paragraphs (blank-line separated) of a text.
pub fn paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()).map(str::to_string).collect()
}

/// Splits a text into sentences: after `.`, `!`, `?`, `。`, `！`, `？`, `।` followed by
/// whitespace or end, and at newlines. Thai has no sentence punctuation: its sentences end
/// at spaces between clauses, so Thai paragraphs are split at double spaces only — in
/// practice one sentence per line. The pieces are trimmed; none is empty.
pub fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let mut cur = String::new();
        let chars: Vec<char> = line.chars().collect();
        for (i, &c) in chars.iter().enumerate() {
            cur.push(c);
            let next_is_space_or_end = chars.get(i + 1).is_none_or(|n| n.is_whitespace());
            let terminal =
                matches!(c, '。' | '！' | '？' | '।') || (matches!(c, '.' | '!' | '?' | '؟') && next_is_space_or_end);
            if terminal {
                let s = cur.trim();
                if !s.is_empty() {
                    out.push(s.to_string());
                }
                cur.clear();
            }
        }
        let s = cur.trim();
        if !s.is_empty() {
            out.push(s.to_string());
        }
    }
    out
}

/// The crate's name for an oracle page.
pub fn code_page(p: Page) -> fixenc::CodePage {
    use fixenc::CodePage as C;
    match p {
        Page::W1250 => C::Windows1250,
        Page::W1251 => C::Windows1251,
        Page::W1252 => C::Windows1252,
        Page::W1253 => C::Windows1253,
        Page::W1254 => C::Windows1254,
        Page::W1257 => C::Windows1257,
        Page::Latin1 => C::Latin1,
        Page::Iso8859_2 => C::Iso8859_2,
        Page::Iso8859_15 => C::Iso8859_15,
        Page::MacRoman => C::MacRoman,
        Page::Cp437 => C::Cp437,
        Page::Cp850 => C::Cp850,
    }
}

/// Levenshtein distance in characters. Common prefix and suffix are stripped first, and
/// when both texts have the same number of lines the distance is summed line by line (the
/// corruptions here never touch newlines), which keeps it fast on whole documents.
pub fn char_distance(a: &str, b: &str) -> usize {
    if a == b {
        return 0;
    }
    let al: Vec<&str> = a.split('\n').collect();
    let bl: Vec<&str> = b.split('\n').collect();
    if al.len() == bl.len() && al.len() > 1 {
        return al.iter().zip(&bl).map(|(x, y)| levenshtein(x, y)).sum();
    }
    levenshtein(a, b)
}

/// Plain Levenshtein distance over chars (after stripping the common prefix and suffix).
pub fn levenshtein(a: &str, b: &str) -> usize {
    if a == b {
        return 0;
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let pre = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[pre..], &b[pre..]);
    let suf = a.iter().rev().zip(b.iter().rev()).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[..a.len() - suf], &b[..b.len() - suf]);
    if a.is_empty() {
        return b.len();
    }
    if b.is_empty() {
        return a.len();
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// A short description of where two strings first differ, for failure messages.
pub fn first_difference(expected: &str, got: &str) -> String {
    if expected == got {
        return "identical".to_string();
    }
    let e: Vec<char> = expected.chars().collect();
    let g: Vec<char> = got.chars().collect();
    let i = e.iter().zip(&g).take_while(|(x, y)| x == y).count();
    let from = i.saturating_sub(12);
    let show = |v: &[char]| -> String { v[from.min(v.len())..(i + 24).min(v.len())].iter().collect() };
    format!(
        "first difference at char {i} (expected {} chars, got {}): expected …{:?}… got …{:?}…",
        e.len(),
        g.len(),
        show(&e),
        show(&g)
    )
}

/// Runs `f`, turning a panic into `Err(message)`, so one crash in the engine does not hide
/// the rest of a measurement. The default panic message is not printed for panics caught
/// here (they are reported with the case that caused them).
pub fn catch<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    use std::cell::Cell;
    thread_local! { static QUIET: Cell<bool> = const { Cell::new(false) }; }
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                previous(info);
            }
        }));
    });
    QUIET.with(|q| q.set(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    QUIET.with(|q| q.set(false));
    result.map_err(|e| {
        if let Some(s) = e.downcast_ref::<&str>() {
            s.to_string()
        } else if let Some(s) = e.downcast_ref::<String>() {
            s.clone()
        } else {
            "panic".to_string()
        }
    })
}

/// True when `s` has a character outside ASCII.
pub fn has_non_ascii(s: &str) -> bool {
    !s.is_ascii()
}
