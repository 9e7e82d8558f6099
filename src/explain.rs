//! What a repair did, in a form people can read and programs can replay.

use crate::{reverse, BlockExplanation, CodePage, Error, Loss, Normalization, Options};
use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

/// Everything [`fix_and_explain`](crate::fix_and_explain) did to a text, in order.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct Explanation {
    /// The layers of mojibake undone, outermost first. Each layer's byte ranges refer to the
    /// text as it was before that layer was undone.
    pub layers: Vec<Layer>,
    /// The normalization form applied last.
    pub normalization: Normalization,
    /// Whether normalization changed the text.
    pub normalization_changed: bool,
    /// When normalization revealed more mojibake, the index in `layers` of the first layer
    /// undone after it (those layers' ranges refer to the normalized text).
    pub renormalized_from: Option<usize>,
    /// For a text longer than a block (about 1 MiB), which is repaired block by block (runs of
    /// whole lines, see [`Fixer`](crate::Fixer)): the explanation of every block that changed.
    /// The fields above then describe no layer of their own. Empty for shorter text.
    pub blocks: Vec<BlockExplanation>,
}

/// One layer of mojibake undone: every run of the text that had been misread through the
/// same code page, with the same loss.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Layer {
    /// The code page the bytes had been decoded through.
    pub code_page: CodePage,
    /// The encoding the bytes were really in, when it was not UTF-8: a double-byte page
    /// (Shift_JIS bytes read as Windows-1252 give `‚±‚ñ`). `None` for UTF-8.
    pub source: Option<CodePage>,
    /// Which bytes were lost on the way.
    pub loss: Loss,
    /// The runs repaired, in text order, not overlapping.
    pub spans: Vec<SpanRepair>,
}

/// One run of text repaired.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct SpanRepair {
    /// Byte range of the run in the text this layer was applied to.
    pub range: Range<usize>,
    /// The run as it was.
    pub original: String,
    /// The run as repaired.
    pub repaired: String,
    /// Every character whose bytes were partly guessed.
    pub guesses: Vec<Guess>,
}

/// A character rebuilt from bytes that were lost.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Guess {
    /// Byte offset of the character in [`SpanRepair::repaired`].
    pub offset: usize,
    /// The character chosen.
    pub chosen: char,
    /// Its UTF-8 bytes.
    pub bytes: Vec<u8>,
    /// Which of those bytes (indices into `bytes`) were reconstructed rather than seen.
    pub reconstructed: Vec<usize>,
    /// The other characters the same surviving bytes could have been, best first, each with
    /// how much less plausible (in nats) the best text through it is.
    pub alternatives: Vec<(char, f32)>,
    /// True when the runner-up is within [`Options::min_margin`](crate::Options::min_margin) of the choice.
    pub low_confidence: bool,
}

impl Guess {
    /// How far (in nats) the choice beats the runner-up; infinite if there was no other
    /// candidate.
    pub fn margin(&self) -> f32 {
        self.alternatives.first().map_or(f32::INFINITY, |&(_, m)| m)
    }
}

impl Explanation {
    /// The explanation of a repair that did nothing yet.
    pub(crate) fn unchanged(options: &Options) -> Explanation {
        Explanation { normalization: options.normalization, ..Explanation::default() }
    }

    /// True when the text was changed in any way.
    pub fn changed(&self) -> bool {
        !self.layers.is_empty() || self.normalization_changed || !self.blocks.is_empty()
    }

    /// Every layer undone, of the whole text or, block by block, of each block.
    pub fn all_layers(&self) -> impl Iterator<Item = &Layer> {
        self.layers.iter().chain(self.blocks.iter().flat_map(|block| block.explanation.layers.iter()))
    }

    /// Every guess with a margin below [`Options::min_margin`](crate::Options::min_margin), with the layer it belongs to.
    pub fn low_confidence_guesses(&self) -> impl Iterator<Item = (&Layer, &SpanRepair, &Guess)> {
        self.all_layers().flat_map(|layer| {
            layer
                .spans
                .iter()
                .flat_map(move |span| span.guesses.iter().filter(|g| g.low_confidence).map(move |g| (layer, span, g)))
        })
    }

    /// The steps as a [`Plan`] that can be replayed on other text. For text repaired block by
    /// block, the plan of the first block that had mojibake.
    pub fn plan(&self) -> Plan {
        if let Some(block) = self.blocks.iter().find(|block| !block.explanation.layers.is_empty()) {
            return block.explanation.plan();
        }
        let mut steps = Vec::with_capacity(self.layers.len() + 2);
        for (i, layer) in self.layers.iter().enumerate() {
            if self.renormalized_from == Some(i) {
                steps.push(PlanStep::Normalize(self.normalization));
            }
            steps.push(match layer.source {
                None => PlanStep::Undo { code_page: layer.code_page, loss: layer.loss },
                Some(source) => PlanStep::Transcode { code_page: layer.code_page, source },
            });
        }
        steps.push(PlanStep::Normalize(self.normalization));
        Plan { steps }
    }
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.blocks.is_empty() {
            for block in &self.blocks {
                writeln!(f, "block at bytes {}..{}:", block.range.start, block.range.end)?;
                write!(f, "{}", block.explanation)?;
            }
            return Ok(());
        }
        if self.layers.is_empty() {
            writeln!(f, "no mojibake found")?;
        }
        for (i, layer) in self.layers.iter().enumerate() {
            writeln!(
                f,
                "layer {}: {} read as {} ({}); {} span(s) repaired",
                i + 1,
                layer.source.map_or("UTF-8", CodePage::name),
                layer.code_page,
                layer.loss,
                layer.spans.len()
            )?;
            for span in &layer.spans {
                writeln!(
                    f,
                    "  bytes {}..{}: {:?} -> {:?}",
                    span.range.start, span.range.end, span.original, span.repaired
                )?;
                for g in &span.guesses {
                    let alts: Vec<String> =
                        g.alternatives.iter().take(3).map(|(c, m)| format!("{c} (+{m:.1})")).collect();
                    writeln!(
                        f,
                        "    guessed {} {:02X?} at {}{}; beat {}",
                        g.chosen,
                        g.bytes,
                        g.offset,
                        if g.low_confidence { " (low confidence)" } else { "" },
                        if alts.is_empty() { "nothing".to_string() } else { alts.join(", ") }
                    )?;
                }
            }
        }
        let form = match self.normalization {
            Normalization::Nfc => "NFC",
            Normalization::Nfkc => "NFKC",
            Normalization::None => "none",
        };
        writeln!(
            f,
            "normalization {form}: {}",
            if self.normalization_changed { "changed the text" } else { "no change" }
        )
    }
}

/// A replayable list of steps: "undo UTF-8 read as Windows-1254 with undefined bytes
/// dropped, then NFC".
///
/// ```
/// use fixenc::{CodePage, Loss, Normalization, Plan, PlanStep};
/// let plan = Plan { steps: vec![
///     PlanStep::Undo { code_page: CodePage::Windows1252, loss: Loss::NONE },
///     PlanStep::Normalize(Normalization::Nfc),
/// ]};
/// assert_eq!(plan.apply("Ã©tÃ©").unwrap(), "été");
/// assert!(plan.apply("日本").is_err());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The steps, in the order they are applied.
    pub steps: Vec<PlanStep>,
}

/// One step of a [`Plan`].
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum PlanStep {
    /// Re-encode the whole text through `code_page`, rebuild bytes lost as `loss` says, and
    /// decode as UTF-8.
    Undo {
        /// The code page the text was misread through.
        code_page: CodePage,
        /// The bytes lost on the way.
        loss: Loss,
    },
    /// Re-encode the whole text through the single-byte `code_page` and decode the bytes as
    /// the double-byte `source` (Shift_JIS read as Windows-1252).
    Transcode {
        /// The code page the bytes were misread through.
        code_page: CodePage,
        /// The encoding the bytes were in.
        source: CodePage,
    },
    /// Normalize.
    Normalize(Normalization),
}

impl Plan {
    /// Applies every step to `text`. Unlike [`fix_text`](crate::fix_text), a plan does not
    /// decide whether the text is mojibake: it fails if the text cannot be what the plan says.
    pub fn apply<'a>(&self, text: &'a str) -> Result<Cow<'a, str>, Error> {
        let mut current = Cow::Borrowed(text);
        for step in &self.steps {
            current = match *step {
                PlanStep::Undo { code_page, loss } => Cow::Owned(reverse::undo_whole(&current, code_page, loss)?),
                PlanStep::Transcode { code_page, source } => {
                    Cow::Owned(crate::cjk::transcode_whole(&current, code_page, source)?)
                }
                PlanStep::Normalize(form) => match crate::normalize::normalize(&current, form) {
                    Cow::Borrowed(_) => current,
                    Cow::Owned(s) => Cow::Owned(s),
                },
            };
        }
        Ok(current)
    }
}
