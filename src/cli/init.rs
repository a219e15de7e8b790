//! `shiguang init`: the first-run setup for scripts and tests.

use super::Failure;
use crate::domain::staff;
use crate::domain::station::{self, StationKind};
use crate::i18n::Tr;
use crate::store::OpenMode;
use crate::store::station::NewStation;
use std::path::Path;

#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// Street code: two capital letters, e.g. JS
    #[arg(long)]
    pub street: String,
    /// Community code: two digits, e.g. 01
    #[arg(long)]
    pub community: String,
    /// main (主驿站) or micro (微驿站)
    #[arg(long)]
    pub kind: String,
    /// Station name
    #[arg(long)]
    pub name: String,
    /// The first station master's name
    #[arg(long)]
    pub master: String,
    /// The first station master's PIN (4–8 digits)
    #[arg(long)]
    pub pin: String,
    /// Time zone (default Asia/Shanghai)
    #[arg(long, default_value = station::DEFAULT_TZ)]
    pub tz: String,
}

pub fn run(db: Option<&Path>, a: &InitArgs, tr: &Tr) -> Result<(), Failure> {
    let bad = |r: crate::msg::Refusal| {
        Failure::usage(format!("--{}: {}", r.field.unwrap_or("?"), tr.msg(&r.msg)))
    };
    let street = station::parse_street_code(&a.street).map_err(bad)?;
    let community = station::parse_community_code(&a.community).map_err(bad)?;
    let kind = StationKind::parse(&a.kind)
        .ok_or_else(|| Failure::usage(format!("--kind: {}", tr.t("station.kind.invalid"))))?;
    let name = station::parse_station_name(&a.name).map_err(bad)?;
    let tz = station::parse_time_zone(&a.tz).map_err(bad)?;
    let master = staff::parse_person_name("master", &a.master).map_err(bad)?;
    staff::check_pin("pin", &a.pin).map_err(bad)?;
    let path = crate::config::paths::resolve_db(db);
    let now = chrono::Utc::now().timestamp_millis();
    let mut store = super::open_store(&path, OpenMode::Desk, now, tr)?;
    let session = store
        .create_station(
            &NewStation {
                street,
                community,
                kind,
                name,
                tz,
            },
            &master,
            &a.pin,
            now,
        )
        .map_err(|e| Failure::failed(tr.msg(&e.msg())))?;
    outln!(
        "{}",
        tr.f(
            "init.done",
            &[("path", &path.display()), ("staff_no", &session.staff_no)]
        )
    );
    Ok(())
}
