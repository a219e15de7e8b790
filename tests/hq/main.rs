//! Headquarters against a real PostgreSQL server (`SHIGUANG_TEST_PG`; each
//! test skips without one): the sync, days offline and the close, and who
//! may do what. The server's helpers are `common::hq`.

#[path = "../common/mod.rs"]
mod common;

mod hq;
mod hq_access;
mod hq_days;
