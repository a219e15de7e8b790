//! Dates, clock times and durations as typed: no panic on any text (against
//! any "today"); what is accepted round-trips through its canonical form.
#![no_main]

#[path = "../../tests/bad_input/parsers/checks.rs"]
#[allow(dead_code)]
mod checks;

use chrono::NaiveDate;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    // the first four bytes pick "today" (any date chrono can hold), the
    // rest is what was typed
    let (today, text) = match data.split_first_chunk::<4>() {
        Some((days, rest)) => (
            NaiveDate::from_num_days_from_ce_opt(i32::from_le_bytes(*days)),
            rest,
        ),
        None => (None, data),
    };
    let today = today.unwrap_or(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
    checks::entry(&String::from_utf8_lossy(text), today);
});
