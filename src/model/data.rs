//! Placeholder until tools/gen_model.py output lands.
pub(crate) fn unigram_cost(_c: char) -> Option<f32> {
    None
}
pub(crate) fn bigram_cost(_prev: char, _c: char) -> Option<f32> {
    None
}
