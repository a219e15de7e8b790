//! ID numbers, household numbers, phones, member numbers, card serials and
//! card payloads: no panic on any text; what is accepted round-trips.
#![no_main]

#[path = "../../tests/bad_input/parsers/checks.rs"]
#[allow(dead_code)]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    checks::member_ids(&String::from_utf8_lossy(data));
});
