//! Day bundles: no panic on any text, read as it is and with a matching end
//! line; a bundle read is checked, and written back reads as the same.
#![no_main]

#[path = "../../tests/bad_input/parsers/checks.rs"]
#[allow(dead_code)]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    checks::bundle(&String::from_utf8_lossy(data));
});
