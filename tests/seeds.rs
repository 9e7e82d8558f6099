//! Acceptance check on the user's seed documents.
//!
//! The seeds live outside the repository, in `../shared/seeds` beside the work tree; when
//! that directory is missing (a clone on its own), every test here says so and passes.
//! Nothing from the seeds is copied into the repository: they are read at test time only.
//!
//! - `000`, `002`, `003`, `004` are clean text: `fix_text` must return them byte for byte.
//! - `001` is `000` as lossy mojibake: the character Levenshtein distance between
//!   `fix_text(001)` and `000` must not exceed the integer in `.ci/seed_budget`, which is
//!   ratcheted down as the repair improves.

use std::fs;
use std::path::{Path, PathBuf};

const SEEDS_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/seeds");
const BUDGET_FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/.ci/seed_budget");

const CLEAN: [&str; 4] =
    ["000_e53787ce9aa1fe9e.txt", "002_c0da8ff7c3577228.txt", "003_c8c689fadbc67f3d.txt", "004_6954c16c7b14f5c2.txt"];
const BROKEN: &str = "001_3818407e4d72548f.txt";
const BROKEN_ORIGINAL: &str = "000_e53787ce9aa1fe9e.txt";

/// The seed directory, or `None` (after saying so) when it is not there.
fn seeds_dir(test: &str) -> Option<PathBuf> {
    let dir = Path::new(SEEDS_DIR);
    if dir.is_dir() {
        Some(dir.to_path_buf())
    } else {
        println!("{test}: skipped, no seed directory at {SEEDS_DIR}");
        None
    }
}

fn read_seed(dir: &Path, name: &str) -> String {
    let path = dir.join(name);
    let bytes = fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    String::from_utf8(bytes).unwrap_or_else(|e| panic!("{} is not UTF-8: {e}", path.display()))
}

/// A few characters either side of byte offset `at`, escaped, for a failure message.
fn context(text: &str, at: usize) -> String {
    let mut start = at.saturating_sub(24);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (at + 24).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    format!("{:?}", &text[start..end])
}

/// Byte offset of the first difference between `a` and `b`, on a character boundary of both.
fn first_difference(a: &str, b: &str) -> Option<usize> {
    let mut at = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    if at == a.len() && at == b.len() {
        return None;
    }
    while !a.is_char_boundary(at) || !b.is_char_boundary(at) {
        at -= 1;
    }
    Some(at)
}

#[test]
fn clean_seeds_are_unchanged() {
    let Some(dir) = seeds_dir("clean_seeds_are_unchanged") else {
        return;
    };
    let mut failures = Vec::new();
    for name in CLEAN {
        let input = read_seed(&dir, name);
        let output = fixenc::fix_text(&input);
        match first_difference(&input, &output) {
            None => println!("{name}: unchanged ({} bytes)", input.len()),
            Some(at) => {
                let line = input[..at].matches('\n').count() + 1;
                let message = format!(
                    "{name}: changed at byte {at} (line {line}; input {} bytes, output {} bytes)\n  input:  {}\n  output: {}",
                    input.len(),
                    output.len(),
                    context(&input, at),
                    context(&output, at),
                );
                println!("{message}");
                failures.push(message);
            }
        }
    }
    assert!(failures.is_empty(), "clean seeds were changed:\n{}", failures.join("\n"));
}

#[test]
fn broken_seed_within_budget() {
    let Some(dir) = seeds_dir("broken_seed_within_budget") else {
        return;
    };
    let budget_text = fs::read_to_string(BUDGET_FILE).unwrap_or_else(|e| panic!("cannot read {BUDGET_FILE}: {e}"));
    let budget: usize = budget_text
        .trim()
        .parse()
        .unwrap_or_else(|e| panic!("{BUDGET_FILE} must hold one integer, found {budget_text:?}: {e}"));
    let broken = read_seed(&dir, BROKEN);
    let original = read_seed(&dir, BROKEN_ORIGINAL);
    let fixed = fixenc::fix_text(&broken);
    let fixed: Vec<char> = fixed.chars().collect();
    let original: Vec<char> = original.chars().collect();
    let distance = levenshtein(&fixed, &original);
    println!(
        "{BROKEN}: distance to {BROKEN_ORIGINAL} after repair = {distance} characters (budget {budget}; {} characters repaired, {} expected){}",
        fixed.len(),
        original.len(),
        if distance == 0 { "; exact" } else { "" },
    );
    assert!(distance <= budget, "{BROKEN}: distance {distance} exceeds the budget {budget} in .ci/seed_budget");
    if distance < budget {
        println!("{BROKEN}: the budget can be ratcheted down to {distance}");
    }
}

/// Character Levenshtein distance: the common prefix and suffix are trimmed, then a two-row
/// dynamic program runs over what is left — O(n·m) time, O(m) space.
fn levenshtein(a: &[char], b: &[char]) -> usize {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[prefix..], &b[prefix..]);
    let suffix = a.iter().rev().zip(b.iter().rev()).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[..a.len() - suffix], &b[..b.len() - suffix]);
    // The inner loop runs over the shorter string, so the rows are as short as possible.
    let (a, b) = if a.len() < b.len() { (b, a) } else { (a, b) };
    if b.is_empty() {
        return a.len();
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, &ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitute = prev[j] + usize::from(ca != cb);
            let delete = prev[j + 1] + 1;
            let insert = cur[j] + 1;
            cur[j + 1] = substitute.min(delete).min(insert);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[test]
fn levenshtein_matches_known_values() {
    let d = |a: &str, b: &str| levenshtein(&a.chars().collect::<Vec<_>>(), &b.chars().collect::<Vec<_>>());
    assert_eq!(d("", ""), 0);
    assert_eq!(d("abc", ""), 3);
    assert_eq!(d("", "abc"), 3);
    assert_eq!(d("kitten", "sitting"), 3);
    assert_eq!(d("flaw", "lawn"), 2);
    assert_eq!(d("ノード", "ロード"), 1);
    assert_eq!(d("cafÃ©", "café"), 2);
    assert_eq!(d("same text", "same text"), 0);
    assert_eq!(d("abcdef", "azcdxf"), 2);
}
