//! shiguang (时光): the station-desk app of a community time bank.
//!
//! Layers (see docs/architecture.md): `domain` (pure rules), `store` (all
//! SQL), `worker` (the db thread and its typed requests), `app` (state,
//! keymap, the panes as components), `ui` (drawing), `runtime` (terminal
//! and event loop), `cli` (subcommands).

pub mod msg;

pub mod app;
pub mod cli;
pub mod config;
pub mod desk;
pub mod domain;
pub mod exports;
/// The headless app for tests; built for the crate's own unit tests and, by
/// the `test-support` feature, for the integration tests in `tests/`.
#[cfg(any(test, feature = "test-support"))]
pub mod harness;
pub mod hq;
pub mod i18n;
pub mod journal;
pub mod output;
pub mod platform;
pub mod print;
pub mod qr;
pub mod routines;
pub mod runtime;
pub mod seed;
pub mod store;
pub mod text;
pub mod ui;
pub mod wire;
pub mod worker;

/// Where files live, by its old place.
pub use config::paths;
/// The day bundle, by its old place (tests and tools name it so).
pub use wire::bundle;
