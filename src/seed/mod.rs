//! Synthetic data: the demo station and `shiguang seed`.

pub mod bulk;
pub mod demo;
mod demo_merchants;
pub mod names;
