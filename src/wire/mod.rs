//! What travels between a station and the outside, byte for byte: the day
//! bundle (`bundle`), the batches a station sends headquarters (`batch`),
//! the checks both ends apply to them (`rules`) and why a batch is refused
//! (`problem`).
//!
//! It sits below the store: the store reads and writes these formats, and
//! headquarters (`crate::hq`) checks and applies them, without either
//! importing the other. Pure: no SQL, no files, no network.

pub mod batch;
pub mod bundle;
pub mod problem;
pub mod rules;
