//! A merchant's redemption log (CSV) and yuan amounts: no panic on any text;
//! the rows read, written back as CSV, read as the same rows; an amount
//! read, written as yuan, reads as the same fen.
#![no_main]

#[path = "../../tests/bad_input/parsers/checks.rs"]
#[allow(dead_code)]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    checks::merchant_log(&text);
    for cell in text.split([',', '\n']) {
        checks::yuan_text(cell);
    }
});
