//! Repair of input of any size in bounded memory, block by block.
//!
//! A text longer than [`BLOCK_BYTES`] is repaired one *block* at a time: a block is a run of
//! whole lines of at least `BLOCK_BYTES` (so that detection sees plenty of evidence) that ends
//! at the first line end from there on. Where the cut falls depends only on the text, never on
//! how the input was split into chunks, so [`Fixer`] and the whole-input functions
//! ([`fix_text`](crate::fix_text), [`fix_bytes`](crate::fix_bytes)) give the same output.
//! Cutting at a line end keeps a mojibake run whole (runs never span a line end in practice)
//! and keeps normalization local (a line feed composes with nothing).

use std::ops::Range;

use encoding_rs::{UTF_16BE, UTF_16LE, UTF_8};

use crate::decode::{self, Sniffed, StreamDecoder};
use crate::{explain_block, Error, Explanation, Options};

/// The size a block reaches before it is cut at the next line end.
pub(crate) const BLOCK_BYTES: usize = 1 << 20;

/// The largest block: a text without line ends is cut here (between two ASCII characters
/// when there are any, which cannot compose under normalization nor sit inside a
/// multi-byte mojibake run) so that memory stays bounded.
pub(crate) const MAX_BLOCK_BYTES: usize = 4 << 20;

/// How many input bytes the encoding detection looks at.
pub(crate) const SNIFF_BYTES: usize = 1 << 20;

/// Where the first block of `text` ends, or `None` when the text so far is not enough to
/// tell (the rest of `text` then belongs to the block that is still open).
///
/// The answer depends only on `text[..MAX_BLOCK_BYTES]`, and a `Some` never changes when more
/// text is appended: that is what makes streaming equal to the whole-input repair.
pub(crate) fn block_end(text: &str) -> Option<usize> {
    block_end_sized(text, BLOCK_BYTES, MAX_BLOCK_BYTES)
}

/// [`block_end`] with other sizes (small ones let the fuzzer cross many block boundaries).
fn block_end_sized(text: &str, block_bytes: usize, max_block_bytes: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    if bytes.len() < block_bytes {
        return None;
    }
    let search_end = bytes.len().min(max_block_bytes);
    if let Some(i) = memchr::memchr(b'\n', &bytes[block_bytes - 1..search_end]) {
        return Some(block_bytes + i);
    }
    if bytes.len() < max_block_bytes {
        return None;
    }
    let window = &bytes[block_bytes..max_block_bytes];
    let between_ascii = window.windows(2).rposition(|pair| pair[0].is_ascii() && pair[1].is_ascii());
    Some(match between_ascii {
        Some(i) => block_bytes + i + 1,
        None => (0..=max_block_bytes).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0),
    })
}

/// The byte ranges of the blocks of a whole text, in order.
pub(crate) fn blocks(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= text.len() {
            return None;
        }
        let end = start + block_end(&text[start..]).unwrap_or(text.len() - start);
        let range = start..end;
        start = end;
        Some(range)
    })
}

/// The explanation of one block of a text repaired block by block.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct BlockExplanation {
    /// The byte range of the block in the text before repair (after decoding, for bytes).
    pub range: Range<usize>,
    /// What was done to the block; its byte ranges are relative to the block.
    pub explanation: Explanation,
}

/// Merges the explanations of the blocks of one text: a single block explains itself; with
/// more, the explanation lists the blocks that changed.
pub(crate) fn merge_explanations(
    options: &Options,
    mut parts: Vec<BlockExplanation>,
    block_count: usize,
) -> Explanation {
    if block_count <= 1 {
        return parts.pop().map(|part| part.explanation).unwrap_or_else(|| Explanation::unchanged(options));
    }
    let mut merged = Explanation::unchanged(options);
    merged.normalization_changed = parts.iter().any(|part| part.explanation.normalization_changed);
    merged.blocks = parts;
    merged
}

/// Repairs input fed in chunks of any size, in bounded memory, with the same output as
/// [`fix_bytes_with`](crate::fix_bytes_with) on the whole input.
///
/// The input encoding is detected from the first MiB (or forced with
/// [`Fixer::with_encoding`]); the decoded text is repaired block by block (whole lines, about
/// 1 MiB each), and the repaired text of each finished block is appended to the output
/// `String` given to [`feed`](Fixer::feed). Memory stays within a few blocks whatever the size
/// of the input.
///
/// ```
/// use fixenc::{Fixer, Options};
/// let mut fixer = Fixer::new(&Options::default());
/// let mut out = String::new();
/// // Chunks may split characters, even the bytes of one character.
/// for chunk in "naÃ¯ve cafÃ©\n".as_bytes().chunks(3) {
///     fixer.feed(chunk, &mut out);
///     // ... write `out` somewhere and clear it ...
/// }
/// let summary = fixer.finish(&mut out);
/// assert_eq!(out, "naïve café\n");
/// assert!(summary.changed);
/// assert_eq!(summary.encoding, "UTF-8");
/// ```
#[derive(Debug)]
pub struct Fixer {
    options: Options,
    /// The encoding the caller forced, if any.
    forced: Option<&'static encoding_rs::Encoding>,
    /// Input held back until the encoding is decided.
    undecided: Vec<u8>,
    /// The decision, and the decoder that follows from it.
    decided: Option<(Sniffed, StreamDecoder)>,
    /// The block sizes: [`BLOCK_BYTES`] and [`MAX_BLOCK_BYTES`] except in tests.
    block_bytes: usize,
    max_block_bytes: usize,
    /// Decoded text not yet repaired: less than a block, or a block waiting for its line end.
    pending: String,
    /// Byte offset of `pending` in the decoded text.
    pending_offset: usize,
    keep_explanation: bool,
    explanations: Vec<BlockExplanation>,
    block_count: usize,
    /// Whether any block's repair changed it.
    repaired: bool,
    /// Whether the input held a byte that does not decode to itself in an ASCII-compatible
    /// encoding (a non-ASCII byte, or the escape of ISO-2022-JP).
    non_ascii_input: bool,
}

/// What a [`Fixer`] found, returned by [`Fixer::finish`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Summary {
    /// The input encoding, as in [`Decoded::encoding`](crate::Decoded::encoding).
    pub encoding: &'static str,
    /// How sure the detection is, as in [`Decoded::confidence`](crate::Decoded::confidence).
    pub confidence: f32,
    /// Whether the input began with a byte order mark (removed from the output).
    pub had_bom: bool,
    /// How many malformed byte sequences were decoded as U+FFFD.
    pub replaced: usize,
    /// Whether the output bytes differ from the input bytes in any way (decoding, byte order
    /// mark, replacement or repair).
    pub changed: bool,
    /// What was repaired, when asked for with [`Fixer::keep_explanation`]; otherwise an
    /// explanation of nothing.
    pub explanation: Explanation,
}

impl Fixer {
    /// A fixer that detects the input encoding from the start of the input.
    pub fn new(options: &Options) -> Fixer {
        Fixer {
            options: options.clone(),
            forced: None,
            undecided: Vec::new(),
            decided: None,
            block_bytes: BLOCK_BYTES,
            max_block_bytes: MAX_BLOCK_BYTES,
            pending: String::new(),
            pending_offset: 0,
            keep_explanation: false,
            explanations: Vec::new(),
            block_count: 0,
            repaired: false,
            non_ascii_input: false,
        }
    }

    /// A fixer that decodes the input from the encoding named by `label` (a WHATWG label, as
    /// for [`fix_bytes_with`](crate::fix_bytes_with)).
    ///
    /// # Errors
    ///
    /// [`Error::UnknownEncoding`] when the label is not known.
    ///
    /// ```
    /// let mut fixer = fixenc::Fixer::with_encoding(&fixenc::Options::default(), "koi8-r")?;
    /// let mut out = String::new();
    /// fixer.feed(b"\xf0\xd2\xc9\xd7\xc5\xd4", &mut out);
    /// fixer.finish(&mut out);
    /// assert_eq!(out, "Привет");
    /// # Ok::<(), fixenc::Error>(())
    /// ```
    pub fn with_encoding(options: &Options, label: &str) -> Result<Fixer, Error> {
        let encoding = decode::encoding_for_label(label)?;
        Ok(Fixer { forced: Some(encoding), ..Fixer::new(options) })
    }

    /// Whether to collect the explanation of every block that changed, for
    /// [`Summary::explanation`]. Off by default: the explanation holds the repaired spans, so
    /// its size grows with the amount of mojibake.
    pub fn keep_explanation(&mut self, keep: bool) -> &mut Fixer {
        self.keep_explanation = keep;
        self
    }

    /// Sets other block sizes, so that tests and fuzzers can cross many block boundaries with
    /// little input. The output then differs from the whole-input functions (whose blocks are
    /// about 1 MiB), but still not with the chunking. Both sizes are at least 1, and `max` at
    /// least 4 above `block`, else they are raised to that.
    #[doc(hidden)]
    pub fn block_sizes_for_testing(&mut self, block: usize, max: usize) -> &mut Fixer {
        self.block_bytes = block.max(1);
        self.max_block_bytes = max.max(self.block_bytes + 4);
        self
    }

    /// Feeds the next chunk of input, and appends the repaired text of every block it
    /// completes to `output`.
    pub fn feed(&mut self, input: &[u8], output: &mut String) {
        if self.decided.is_none() {
            let wanted = SNIFF_BYTES - self.undecided.len();
            let (head, rest) = input.split_at(input.len().min(wanted));
            self.undecided.extend_from_slice(head);
            if self.undecided.len() < SNIFF_BYTES {
                return;
            }
            self.decide(false, output);
            self.note_input(rest);
            self.decode(rest, false, output);
        } else {
            self.note_input(input);
            self.decode(input, false, output);
        }
    }

    /// Looks for a byte that does not decode to itself (see `non_ascii_input`): only for
    /// input that is not UTF-8, whose bytes are otherwise their own output.
    fn note_input(&mut self, input: &[u8]) {
        let recoded = self.decided.as_ref().is_some_and(|(sniffed, _)| sniffed.encoding != UTF_8);
        if recoded && !self.non_ascii_input {
            self.non_ascii_input = input.iter().any(|&b| b >= 0x80 || b == 0x1B);
        }
    }

    /// Ends the input: repairs what is left, appends it to `output`, and says what was found.
    pub fn finish(mut self, output: &mut String) -> Summary {
        if self.decided.is_none() {
            self.decide(true, output);
        }
        self.decode(&[], true, output);
        if !self.pending.is_empty() {
            let rest = std::mem::take(&mut self.pending);
            self.repair_block(&rest, output);
        }
        let Some((sniffed, decoder)) = self.decided else { unreachable!("decided above") };
        let utf16 = sniffed.encoding == UTF_16LE || sniffed.encoding == UTF_16BE;
        let recoded = sniffed.encoding != UTF_8 && (utf16 || self.non_ascii_input);
        Summary {
            encoding: sniffed.encoding.name(),
            confidence: sniffed.confidence,
            had_bom: sniffed.bom_len > 0,
            replaced: decoder.replaced,
            changed: self.repaired || recoded || sniffed.bom_len > 0 || decoder.replaced > 0,
            explanation: merge_explanations(&self.options, self.explanations, self.block_count),
        }
    }

    /// Decides the encoding from the input held back, then decodes that input.
    fn decide(&mut self, at_end: bool, output: &mut String) {
        let sniffed = match self.forced {
            Some(encoding) => decode::sniff_forced(&self.undecided, encoding),
            None => decode::sniff(&self.undecided, at_end),
        };
        self.decided = Some((sniffed, StreamDecoder::new(sniffed.encoding)));
        let held = std::mem::take(&mut self.undecided);
        self.note_input(&held);
        self.decode(&held[sniffed.bom_len..], false, output);
    }

    /// Decodes `input` a block's worth at a time, repairing blocks as they complete, so that
    /// even one huge chunk never holds more than a few blocks of text; `last` then flushes a
    /// sequence the input left incomplete.
    fn decode(&mut self, input: &[u8], last: bool, output: &mut String) {
        for chunk in input.chunks(self.block_bytes) {
            self.decode_to_pending(chunk, false);
            self.repair_ready_blocks(output);
        }
        if last {
            self.decode_to_pending(&[], true);
            self.repair_ready_blocks(output);
        }
    }

    fn decode_to_pending(&mut self, input: &[u8], last: bool) {
        if let Some((_, decoder)) = &mut self.decided {
            decoder.decode(input, &mut self.pending, last);
        }
    }

    fn repair_ready_blocks(&mut self, output: &mut String) {
        while let Some(end) = block_end_sized(&self.pending, self.block_bytes, self.max_block_bytes) {
            let rest = self.pending.split_off(end);
            let block = std::mem::replace(&mut self.pending, rest);
            self.repair_block(&block, output);
        }
    }

    fn repair_block(&mut self, block: &str, output: &mut String) {
        let (fixed, explanation) = explain_block(block, &self.options, self.keep_explanation);
        if explanation.changed() {
            self.repaired = true;
            if self.keep_explanation {
                let range = self.pending_offset..self.pending_offset + block.len();
                self.explanations.push(BlockExplanation { range, explanation });
            }
        }
        output.push_str(&fixed);
        self.pending_offset += block.len();
        self.block_count += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The naive definition of a block end, for the property below.
    fn naive_block_end(text: &str) -> Option<usize> {
        let bytes = text.as_bytes();
        (BLOCK_BYTES..=bytes.len().min(MAX_BLOCK_BYTES)).find(|&end| bytes[end - 1] == b'\n').or_else(|| {
            (bytes.len() >= MAX_BLOCK_BYTES).then(|| {
                (BLOCK_BYTES + 1..MAX_BLOCK_BYTES)
                    .rev()
                    .find(|&end| bytes[end - 1].is_ascii() && bytes[end].is_ascii())
                    .unwrap_or_else(|| (0..=MAX_BLOCK_BYTES).rev().find(|&i| text.is_char_boundary(i)).unwrap())
            })
        })
    }

    #[test]
    fn block_ends_match_the_definition_and_never_move() {
        let line = "ligne de texte, café\n";
        let mut long_line = "x".repeat(BLOCK_BYTES - 3);
        long_line.push_str("é\n");
        let no_newline: String = "日本語のテキスト ".repeat(MAX_BLOCK_BYTES / 20);
        let no_ascii: String = "日本語".repeat(MAX_BLOCK_BYTES / 8);
        for text in [line.repeat(BLOCK_BYTES / line.len() + 10), long_line, no_newline, no_ascii] {
            let full = naive_block_end(&text);
            assert_eq!(block_end(&text), full);
            // A prefix either cannot tell yet, or tells the same end.
            for cut in [BLOCK_BYTES - 1, BLOCK_BYTES, BLOCK_BYTES + 17, MAX_BLOCK_BYTES - 1] {
                let cut = (0..=cut.min(text.len())).rev().find(|&i| text.is_char_boundary(i)).unwrap();
                if let Some(end) = block_end(&text[..cut]) {
                    assert_eq!(Some(end), full);
                }
            }
            if let Some(end) = full {
                assert!(text.is_char_boundary(end) && (BLOCK_BYTES..=MAX_BLOCK_BYTES).contains(&end));
            }
        }
    }

    #[test]
    fn blocks_cover_the_text() {
        let text = "une ligne, cafÃ©\n".repeat(3 * BLOCK_BYTES / 17);
        let ranges: Vec<_> = blocks(&text).collect();
        assert!(ranges.len() >= 3);
        assert_eq!(ranges[0].start, 0);
        assert_eq!(ranges.last().unwrap().end, text.len());
        assert!(ranges.windows(2).all(|w| w[0].end == w[1].start));
    }
}
