//! Undoing a layer: re-encode runs through the code page and read the bytes as UTF-8.

use crate::detect::non_ascii_runs;
use crate::reconstruct::{best_path, parse_run, LostSet};
use crate::{CodePage, Error, Layer, Loss};
use std::sync::OnceLock;

/// Splices the repaired spans of `layer` into `text`.
pub(crate) fn apply_layer(text: &str, layer: &Layer) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for span in &layer.spans {
        out.push_str(&text[pos..span.range.start]);
        out.push_str(&span.repaired);
        pos = span.range.end;
    }
    out.push_str(&text[pos..]);
    out
}

/// Re-encodes `s` through `page`, or names the first character the page lacks.
pub(crate) fn encode(s: &str, page: CodePage) -> Result<Vec<u8>, (char, usize)> {
    let fast = fast_encode_table(page);
    let mut out = Vec::with_capacity(s.len());
    for (i, c) in s.char_indices() {
        match encode_char_with(fast, page, c) {
            Some(b) => out.push(b),
            None => return Err((c, i)),
        }
    }
    Ok(out)
}

/// [`CodePage::encode_char`] by table lookup where the page has a fast table.
#[inline]
fn encode_char_with(fast: Option<&[u8; FAST_LIMIT + 0x100]>, page: CodePage, c: char) -> Option<u8> {
    let u = c as usize;
    match fast {
        _ if u < 0x80 => Some(u as u8),
        Some(table) if u < FAST_LIMIT => Some(table[u]).filter(|&b| b != 0),
        Some(table) if (GENERAL_PUNCTUATION..GENERAL_PUNCTUATION + 0x100).contains(&u) => {
            Some(table[FAST_LIMIT + u - GENERAL_PUNCTUATION]).filter(|&b| b != 0)
        }
        _ => page.encode_char(c),
    }
}

/// A character encoder for `page` that answers like [`CodePage::encode_char`], by table
/// lookup for the characters single-byte mojibake is made of.
pub(crate) fn char_encoder(page: CodePage) -> impl Fn(char) -> Option<u8> {
    let fast = fast_encode_table(page);
    move |c| encode_char_with(fast, page, c)
}

/// The fast encode tables cover U+0000–U+02FF, and U+2000–U+20FF (the Windows punctuation
/// and €), where nearly every character of single-byte mojibake lies.
const FAST_LIMIT: usize = 0x300;
const GENERAL_PUNCTUATION: usize = 0x2000;

/// Per single-byte page, the byte of each character of the fast ranges (0 when the page
/// lacks it: no non-ASCII character encodes to 0), so that re-encoding is a lookup per
/// character instead of a binary search.
fn fast_encode_table(page: CodePage) -> Option<&'static [u8; FAST_LIMIT + 0x100]> {
    static TABLES: OnceLock<Vec<[u8; FAST_LIMIT + 0x100]>> = OnceLock::new();
    let rank = CodePage::ALL.iter().position(|&p| p == page)?;
    let tables = TABLES.get_or_init(|| {
        CodePage::ALL
            .iter()
            .map(|&page| {
                let mut table = [0u8; FAST_LIMIT + 0x100];
                for b in 0x80..=0xFFu8 {
                    let u = page.decode_byte(b) as usize;
                    if u < FAST_LIMIT {
                        table[u] = b;
                    } else if (GENERAL_PUNCTUATION..GENERAL_PUNCTUATION + 0x100).contains(&u) {
                        table[FAST_LIMIT + u - GENERAL_PUNCTUATION] = b;
                    }
                }
                table
            })
            .collect()
    });
    Some(&tables[rank])
}

/// Undoes one misreading over the whole text, as a replayed plan does: every non-ASCII run
/// must re-encode and decode (with reconstruction where `loss` allows).
pub(crate) fn undo_whole(text: &str, page: CodePage, loss: Loss) -> Result<String, Error> {
    if page.is_double_byte() {
        return crate::cjk::undo_whole(text, page, loss);
    }
    let lost = LostSet::from_bytes(&loss.lost_bytes(page));
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for run in non_ascii_runs(text, loss.nbsp_to_space) {
        out.push_str(&text[pos..run.range.start]);
        let s = &text[run.range.clone()];
        let bytes =
            encode(s, page).map_err(|(ch, off)| Error::NotEncodable { ch, offset: run.range.start + off, page })?;
        let (slots, _) =
            parse_run(&bytes, lost, loss.nbsp_to_space).ok_or(Error::NotUtf8 { offset: run.range.start, page })?;
        out.push_str(&best_path(&slots, run.left, run.right).text);
        pos = run.range.end;
    }
    out.push_str(&text[pos..]);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_encoding_agrees_with_the_tables() {
        for page in CodePage::ALL {
            for c in (0..0x3000u32).filter_map(char::from_u32) {
                let expected = page.encode_char(c);
                assert_eq!(encode(&c.to_string(), page).ok(), expected.map(|b| vec![b]), "{page} U+{:04X}", c as u32);
            }
        }
    }
}
