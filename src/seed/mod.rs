//! Synthetic data: the demo station and `shiguang seed`.

pub mod bulk;
pub mod demo;
pub mod names;
