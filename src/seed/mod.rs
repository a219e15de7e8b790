//! Synthetic data: the demo station and `shiguang seed`.

pub mod demo;
