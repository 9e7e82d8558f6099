//! Undoing a layer: re-encode runs through the code page and read the bytes as UTF-8.

use crate::detect::non_ascii_runs;
use crate::reconstruct::{LostSet, REPLACED_BYTE};
use crate::{CodePage, Error, Layer, Loss};

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
    encode_with(s, page, false)
}

/// [`encode`], with each U+FFFD re-encoded as [`REPLACED_BYTE`] when `replaced` (the loss
/// form in which a decoder replaced the page's undefined bytes).
pub(crate) fn encode_with(s: &str, page: CodePage, replaced: bool) -> Result<Vec<u8>, (char, usize)> {
    let mut out = Vec::with_capacity(s.len());
    let encode = page.encoder();
    for (i, c) in s.char_indices() {
        match encode(c) {
            Some(b) => out.push(b),
            None if replaced && c == '\u{FFFD}' => out.push(REPLACED_BYTE),
            None => return Err((c, i)),
        }
    }
    Ok(out)
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
        let bytes = encode_with(s, page, loss.undecodable.is_some()).map_err(|(ch, off)| Error::NotEncodable {
            ch,
            offset: run.range.start + off,
            page,
        })?;
        let repaired = crate::detect::repair_run_alone(&bytes, lost, loss, run.left, run.right)
            .ok_or(Error::NotUtf8 { offset: run.range.start, page })?;
        out.push_str(&repaired);
        pos = run.range.end;
    }
    out.push_str(&text[pos..]);
    Ok(out)
}
