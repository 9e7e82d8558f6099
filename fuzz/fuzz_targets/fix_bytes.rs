//! Any bytes: `fix_bytes` must not panic and must return NFC text; forcing an encoding by a
//! label taken from the input must give text or a clean `UnknownEncoding` error.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let decoded = fixenc::fix_bytes(data);
    assert!(unicode_normalization::is_nfc(&decoded.text), "output is not NFC: {:?}", decoded.text);
    assert!((0.0..=1.0).contains(&decoded.confidence), "confidence {}", decoded.confidence);
    // The first line, if short, doubles as an encoding label for the forced path.
    if let Some(label) = data.split(|&b| b == b'\n').next().and_then(|l| std::str::from_utf8(l).ok()) {
        if label.len() <= 20 {
            match fixenc::fix_bytes_with(data, &fixenc::Options::default(), Some(label)) {
                Ok(forced) => assert!(unicode_normalization::is_nfc(&forced.text)),
                Err(fixenc::Error::UnknownEncoding { .. }) => {}
                Err(other) => panic!("unexpected error {other:?}"),
            }
        }
    }
});
