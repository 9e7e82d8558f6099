//! Clean text must never change: every corpus file (whole, by paragraph, by line, by
//! sentence) — the tests' corpus and the held-out texts of `tools/text/eval` — and every line
//! of `tests/corpus/clean_tricky.txt` comes back byte-identical from `fix_text`, as
//! `Cow::Borrowed` (no copy).

mod common;

use common::*;
use fixenc::{fix_and_explain, fix_text, fix_text_with, Normalization, Options, Reconstruct};
use std::borrow::Cow;

/// Checks one clean string; returns a description of the problem, if any.
fn check(label: &str, text: &str) -> Option<String> {
    let out = match catch(|| fix_text(text)) {
        Ok(out) => out,
        Err(m) => return Some(format!("[{label}] PANIC {m} on {text:?}")),
    };
    if out != text {
        let shown: String = text.chars().take(80).collect();
        return Some(format!("[{label}] changed {shown:?}: {}", first_difference(text, &out)));
    }
    if !matches!(out, Cow::Borrowed(_)) {
        let shown: String = text.chars().take(80).collect();
        return Some(format!("[{label}] unchanged but returned Cow::Owned: {shown:?}"));
    }
    None
}

/// The test corpus and the held-out evaluation texts, as `(label, text)`.
fn clean_corpus() -> Vec<(String, String)> {
    let mut all: Vec<(String, String)> = all_corpus().into_iter().map(|(l, t)| (l.to_string(), t)).collect();
    all.extend(eval_corpus().into_iter().map(|(l, t)| (format!("eval/{l}"), t)));
    all
}

fn assert_none(problems: Vec<String>, total: usize) {
    assert!(
        problems.is_empty(),
        "{} of {total} clean texts were not returned as they were:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn corpus_files_unchanged() {
    let corpus = clean_corpus();
    let mut problems = Vec::new();
    for (lang, text) in &corpus {
        problems.extend(check(&format!("{lang}.txt"), text));
    }
    assert_none(problems, corpus.len());
}

#[test]
fn corpus_paragraphs_lines_and_sentences_unchanged() {
    let mut problems = Vec::new();
    let mut total = 0;
    for (lang, text) in clean_corpus() {
        for p in paragraphs(&text) {
            total += 1;
            problems.extend(check(&format!("{lang} paragraph"), &p));
        }
        for s in sentences(&text) {
            total += 1;
            problems.extend(check(&format!("{lang} sentence"), &s));
        }
    }
    assert!(total > 150, "corpus too small: {total}");
    assert_none(problems, total);
}

/// Short pieces: every word and every 2- and 5-char window of each corpus sentence. Short
/// strings are where a repairer has the least evidence and is most tempted to "fix".
#[test]
fn corpus_short_pieces_unchanged() {
    let mut problems = Vec::new();
    let mut total = 0;
    for (lang, text) in clean_corpus() {
        for w in text.split_whitespace() {
            total += 1;
            problems.extend(check(&format!("{lang} word"), w));
        }
        for s in sentences(&text) {
            let chars: Vec<char> = s.chars().collect();
            for n in [2usize, 5] {
                for win in chars.windows(n).step_by(n) {
                    let piece: String = win.iter().collect();
                    total += 1;
                    problems.extend(check(&format!("{lang} {n}-window"), &piece));
                }
            }
        }
    }
    assert_none(problems, total);
}

#[test]
fn clean_tricky_lines_unchanged() {
    let lines = clean_tricky();
    assert!(lines.len() >= 60, "clean_tricky.txt has {} lines", lines.len());
    let mut problems = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        problems.extend(check(&format!("clean_tricky line {}", i + 1), line));
    }
    assert_none(problems, lines.len());
}

#[test]
fn clean_tricky_whole_file_unchanged() {
    let path = corpus_dir().join("clean_tricky.txt");
    let text = std::fs::read_to_string(path).unwrap();
    assert_none(check("clean_tricky.txt", &text).into_iter().collect(), 1);
}

/// Clean tricky lines placed inside a clean sentence of each language, so the repairer sees
/// them in context.
#[test]
fn clean_tricky_lines_in_context_unchanged() {
    let lines = clean_tricky();
    let corpus = all_corpus();
    let mut problems = Vec::new();
    let mut total = 0;
    for (i, line) in lines.iter().enumerate() {
        let (lang, text) = &corpus[i % corpus.len()];
        let s = sentences(text);
        let ctx = &s[i % s.len()];
        let doc = format!("{ctx} {line} {ctx}");
        total += 1;
        problems.extend(check(&format!("clean_tricky line {} in {lang} context", i + 1), &doc));
    }
    assert_none(problems, total);
}

#[test]
fn empty_and_ascii_unchanged() {
    let mut problems = Vec::new();
    for s in ["", " ", "\n", "a", "Hello, world!", "C:\\Program Files\\x86", "\t\r\n", "~!@#$%^&*()_+{}|:\"<>?"] {
        problems.extend(check("ascii", s));
    }
    assert_none(problems, 8);
}

/// Clean text gives an empty explanation, with every option set.
#[test]
fn clean_text_has_empty_explanation() {
    let options = [
        Options::default(),
        Options::default().reconstruct(Reconstruct::Never),
        Options::default().reconstruct(Reconstruct::ConfidentOnly),
        Options::default().normalization(Normalization::None),
    ];
    let mut problems = Vec::new();
    for (lang, text) in all_corpus() {
        for o in &options {
            let (out, ex) = fix_and_explain(&text, o);
            if out != text || !ex.layers.is_empty() || ex.normalization_changed {
                problems.push(format!(
                    "{lang} with {o:?}: layers {:?}",
                    ex.layers.iter().map(|l| l.code_page).collect::<Vec<_>>()
                ));
            }
            if !matches!(fix_text_with(&text, o), Cow::Borrowed(_)) {
                problems.push(format!("{lang} with {o:?}: not Borrowed"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The corpus is NFC, so the tests above are about mojibake, not normalization.
#[test]
fn corpus_is_nfc() {
    use unicode_normalization::UnicodeNormalization;
    for (lang, text) in clean_corpus() {
        let nfc: String = text.nfc().collect();
        assert!(nfc == text, "{lang}.txt is not NFC");
    }
    for line in clean_tricky() {
        let nfc: String = line.nfc().collect();
        assert!(nfc == line, "clean_tricky line not NFC: {line:?}");
    }
}
