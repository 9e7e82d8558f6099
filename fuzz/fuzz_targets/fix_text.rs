//! Any UTF-8 input: `fix_text` must not panic, must return NFC text, and must be idempotent
//! (repairing its own output changes nothing).

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let out = fixenc::fix_text(text);
    assert!(unicode_normalization::is_nfc(&out), "output is not NFC\n input: {text:?}\noutput: {out:?}");
    let again = fixenc::fix_text(&out);
    assert_eq!(again, out, "fix_text is not idempotent\n input: {text:?}\n first: {out:?}\nsecond: {again:?}");
});
