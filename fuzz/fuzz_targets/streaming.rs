//! Streaming: a `Fixer` fed the input in arbitrary chunks gives the same output and the same
//! summary as one fed the whole input at once, and, with the real block size, the same text
//! as `fix_bytes`. Small block sizes (taken from the input) make short inputs cross many
//! block boundaries, with cuts inside characters and inside mojibake runs.

#![no_main]

use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Input {
    /// Chunk lengths, used in turn (0 feeds an empty chunk, then one byte).
    chunk_lengths: Vec<u8>,
    /// Block size (0 means the real one) and the extra allowed for a block without line end.
    block: u8,
    max_extra: u8,
    bytes: Vec<u8>,
}

fn run(input: &Input, chunked: bool) -> (String, fixenc::Summary) {
    let mut fixer = fixenc::Fixer::new(&fixenc::Options::default());
    fixer.keep_explanation(true);
    if input.block != 0 {
        let block = usize::from(input.block);
        fixer.block_sizes_for_testing(block, block + usize::from(input.max_extra));
    }
    let mut out = String::new();
    let mut rest = input.bytes.as_slice();
    if chunked && !input.chunk_lengths.is_empty() {
        for &len in input.chunk_lengths.iter().cycle() {
            if rest.is_empty() {
                break;
            }
            if len == 0 {
                fixer.feed(&[], &mut out);
            }
            let (chunk, tail) = rest.split_at(usize::from(len).clamp(1, rest.len()));
            fixer.feed(chunk, &mut out);
            rest = tail;
        }
    }
    fixer.feed(rest, &mut out);
    let summary = fixer.finish(&mut out);
    (out, summary)
}

fuzz_target!(|input: Input| {
    let (whole, whole_summary) = run(&input, false);
    let (chunked, chunked_summary) = run(&input, true);
    assert_eq!(whole, chunked, "chunking changed the output");
    assert_eq!(whole_summary, chunked_summary, "chunking changed the summary");
    if input.block == 0 {
        assert_eq!(whole, fixenc::fix_bytes(&input.bytes).text);
    }
});
