//! Theme files: no panic on any text; a theme that parses, written back as a
//! file, parses to the same styles.
#![no_main]

#[path = "../../tests/bad_input/parsers/checks.rs"]
#[allow(dead_code)]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    checks::theme(&String::from_utf8_lossy(data));
});
