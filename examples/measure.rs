//! Measures repair accuracy on a text of your own: corrupts it (UTF-8 misread through a code
//! page, with a loss form), repairs it, and counts the characters that came back wrong.
//!
//! ```text
//! cargo run --release --example measure -- FILE [PAGE] [LOSS]
//!   PAGE: a code page label (default windows-1254)
//!   LOSS: parts joined by '+': none, undefined, c1, shy, nbsp (default undefined+shy)
//! ```
//! Prints the damaged characters, the wrong ones (with their context) and the character
//! error rate. Used to tune the model on text written for that purpose (tools/tune/), never
//! on the user's documents.

use fixenc::{fix_text, CodePage, Loss};

fn corrupt(text: &str, page: CodePage, loss: Loss) -> String {
    let lost = loss.lost_bytes(page);
    text.bytes()
        .filter(|b| !lost.contains(b))
        .map(|b| page.decode_byte(b))
        .map(|c| if loss.nbsp_to_space && c == '\u{A0}' { ' ' } else { c })
        .collect()
}

fn levenshtein(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j + 1] + 1).min(cur[j] + 1).min(prev[j] + usize::from(ca != cb));
        }
        prev = cur;
    }
    prev[b.len()]
}

fn parse_loss(s: &str) -> Option<Loss> {
    let mut loss = Loss::NONE;
    for part in s.split('+') {
        match part {
            "none" => {}
            "undefined" => loss.undefined_dropped = true,
            "c1" => loss.c1_stripped = true,
            "shy" => loss.soft_hyphen_stripped = true,
            "nbsp" => loss.nbsp_to_space = true,
            _ => return None,
        }
    }
    Some(loss)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: measure FILE [PAGE] [LOSS]");
        std::process::exit(2);
    };
    let page = CodePage::from_label(args.get(1).map_or("windows-1254", String::as_str)).expect("unknown code page");
    let loss = parse_loss(args.get(2).map_or("undefined+shy", String::as_str)).expect("unknown loss form");
    let text = std::fs::read_to_string(path).expect("readable UTF-8 file");
    let lost = loss.lost_bytes(page);
    let broken = corrupt(&text, page, loss);
    let fixed = fix_text(&broken);
    let orig: Vec<char> = text.chars().collect();
    let got: Vec<char> = fixed.chars().collect();
    let damaged = orig
        .iter()
        .filter(|c| {
            let mut buf = [0u8; 4];
            c.encode_utf8(&mut buf).bytes().any(|b| lost.contains(&b))
        })
        .count();
    let mut wrong = 0;
    if orig.len() == got.len() {
        for (i, (a, b)) in orig.iter().zip(&got).enumerate() {
            if a != b {
                wrong += 1;
                let lo = i.saturating_sub(4);
                let hi = (i + 5).min(orig.len());
                let ctx: String = orig[lo..hi].iter().collect();
                let gctx: String = got[lo..hi].iter().collect();
                println!("  {a} -> {b}   {ctx:?} -> {gctx:?}");
            }
        }
    } else {
        wrong = levenshtein(&orig, &got);
        println!("  length differs: {} vs {} (edit distance {wrong})", orig.len(), got.len());
    }
    println!(
        "{path}: {} via {page} ({loss}): {} chars, {damaged} damaged, {wrong} wrong, CER {:.4}, exact: {}",
        if loss.is_lossless() { "lossless" } else { "lossy" },
        orig.len(),
        wrong as f64 / orig.len() as f64,
        fixed == text
    );
}
