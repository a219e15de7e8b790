//! The desk on screen: the whole app driven by key presses through the
//! headless harness (`shiguang::harness`, the `test-support` feature) on a
//! real temporary SQLite file, its screens checked as text and as
//! snapshots (`snapshots/`, see CONTRIBUTING.md for reviewing them).

#[path = "../common/mod.rs"]
mod common;

mod desk;
mod medals;
mod new_file;
mod newcomer;
mod popups;
mod print;
mod privacy;
mod routine;
mod shell;
mod snapshots;
mod traps;
