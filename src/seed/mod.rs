//! Synthetic data: the demo station and `shiguang seed`.

pub mod bulk;
pub mod demo;
mod demo_fund;
mod demo_hub;
mod demo_merchants;
mod demo_tools;
pub mod names;

/// The PIN of the station master of every synthetic station: the demo's,
/// and the one `seed`, `bench` and the stress test create on an empty file
/// (documented in the README and docs/operations.md, so never for a real
/// station).
pub const SYNTHETIC_MASTER_PIN: &str = "4821";
