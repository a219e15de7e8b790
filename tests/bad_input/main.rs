//! Bad input, everywhere: every form refuses each bad value with its message
//! at the field, in the staff member's language, and saves nothing; the
//! command line refuses bad arguments with exit code 2 (or 1) and one line.
//!
//! Each form test fills the form with good values, then puts one bad value
//! at a time into one field, submits, and checks the message and that no
//! table gained or lost a row (the audit log included, so an update would
//! show too). The last step of each submits the good values, which proves
//! the refusals were the bad values' doing. The table in
//! docs/bad-input.md names the test for each input.

#[path = "../common/mod.rs"]
mod common;
mod support;

mod cli;
mod disputes;
mod files;
mod first_run;
mod ledger;
mod members;
mod merchants;
mod parsers;
mod queue;
mod records;
mod routines;
mod scans;
mod settings;
