//! The program as a process: the command line, its outputs and exit codes,
//! the daily files (backup, restore, bundles), damaged and tampered files,
//! a process killed mid-write, the release archive and updates.

#[path = "../common/mod.rs"]
mod common;

mod bench;
mod cli;
mod cli_staff;
mod corruption;
mod day;
mod export;
mod kill;
mod no_hangs;
mod outputs;
mod release;
mod routines;
mod tamper;
mod update;
