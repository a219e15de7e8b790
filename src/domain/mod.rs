//! The time bank's rules as pure functions and plain types.
//!
//! Nothing in here touches the disk, the terminal, the network or the clock:
//! callers pass "now" in. That keeps every rule testable in isolation.

pub mod activity;
pub mod audit;
pub mod chain;
pub mod close;
pub mod correction;
pub mod day;
pub mod dispute;
pub mod entry;
pub mod estate;
pub mod fund;
pub mod ledger;
pub mod level;
pub mod matching;
pub mod medal;
pub mod member;
pub mod merchant;
pub mod merchant_standing;
pub mod pin;
pub mod pinyin_names;
pub mod privacy;
pub mod queue;
pub mod record;
pub mod search;
pub mod signing;
pub mod spot;
pub mod staff;
pub mod station;
pub mod time;
pub mod tool;
pub mod trust;
pub mod units;
pub mod violation;
