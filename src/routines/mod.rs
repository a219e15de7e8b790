//! The desk's multi-step routines, in one place for the desk (through the
//! db thread's requests, `crate::worker`) and the command line
//! (`crate::cli`), so both go by the same rules:
//!
//! - [`close_day`]: the close rule ([`crate::domain::close`]), then the
//!   summary, the backup and the bundle (one step of the store's), then the
//!   sync with headquarters;
//! - [`settlement`]: the monthly settlement with the merchants (a station
//!   master's), then its statement.
//!
//! A routine sits above the store, the exports and headquarters' sync, and
//! below the worker and the command line.

pub mod close_day;
pub mod settlement;
