//! Georgian misread through Windows-1250, where 0x83 (the second byte of every Georgian
//! letter, E1 83 xx) is undefined: every letter loses a byte, dropped or replaced by U+FFFD.

mod common;

use common::*;

/// Written for this test (not taken from any corpus): "In the evening the old fisherman
/// came back to the village — his boat was full of fish."
const WITH_DASH: &str = "საღამოს მოხუცი მეთევზე სოფელში დაბრუნდა — მისი ნავი თევზით იყო სავსე.";

/// Written for this test: "On Sunday my grandmother baked bread, and the whole house
/// smelled of it until evening." Nothing non-ASCII but Georgian letters: through
/// Windows-1250 no character of it survives whole.
const WHOLLY: &str = "კვირას ბებიამ პური გამოაცხო და მთელი სახლი საღამომდე მისი სურნელით იყო სავსე.";

/// The repair of `broken` against `want`, letter for letter, except where the two read ა
/// and ი: E1 83 90 and E1 83 98 both lose their last two bytes through Windows-1250 (0x83
/// and 0x90, 0x83 and 0x98 are undefined), so only the model can tell them apart there.
fn assert_repaired(want: &str, broken: &str) {
    let got = fixenc::fix_text(broken);
    let (g, w): (Vec<char>, Vec<char>) = (got.chars().collect(), want.chars().collect());
    assert_eq!(g.len(), w.len(), "{broken:?} -> {got:?}, want {want:?}");
    let ambiguous = |c: char| c == 'ა' || c == 'ი';
    let mut guessed_wrong = 0;
    for (a, b) in g.iter().zip(&w) {
        if a != b {
            assert!(ambiguous(*a) && ambiguous(*b), "{broken:?} -> {got:?}, want {want:?}");
            guessed_wrong += 1;
        }
    }
    assert!(guessed_wrong <= 3, "{guessed_wrong} of ა/ი wrong: {got:?}, want {want:?}");
}

/// A replacing decoder turns each letter into `á` U+FFFD and one more character: no lead
/// is directly before a continuation, and the runs were not even scored before.
#[test]
fn replaced_through_1250_with_one_whole_character() {
    let broken = misread(WITH_DASH, Page::W1250, LossForm::REPLACED);
    assert!(broken.contains('\u{FFFD}'));
    assert_repaired(WITH_DASH, &broken);
}

#[test]
fn dropped_through_1250_with_nothing_whole() {
    assert_repaired(WHOLLY, &misread(WHOLLY, Page::W1250, LossForm::UNDEFINED));
}

#[test]
fn replaced_through_1250_with_nothing_whole() {
    assert_repaired(WHOLLY, &misread(WHOLLY, Page::W1250, LossForm::REPLACED));
}

/// Clean Slovak whose every non-ASCII character is `á` or `š`, which parse through
/// Windows-1250 as Georgian with 0x83 lost (`áš` is E1 9A, `ლ` without its 0x83): a Latin
/// text, which must stay as it is.
#[test]
fn clean_text_that_parses_with_holes_is_kept() {
    let clean = "Náš pán má rád váš sad, ale náš pán nemá rád váš dom; váš pán má rád náš sad a náš dom, \
                 tak pán Sás a pán Vrábel má rád náš sad a váš pán tak.";
    assert_eq!(fixenc::fix_text(clean), clean);
}
