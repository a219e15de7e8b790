//! `shiguang seed`: fill a database with synthetic but realistic history.

use super::Failure;
use crate::i18n::Tr;
use crate::store::OpenMode;
use crate::store::station::NewStation;
use std::path::Path;

#[derive(Debug, clap::Args)]
pub struct SeedArgs {
    /// Members to add
    #[arg(long, default_value_t = 1000)]
    pub members: u64,
    /// Days of history (ending now)
    #[arg(long, default_value_t = 365)]
    pub days: u32,
    /// Services to add (each one transfer); default 10 per member
    #[arg(long)]
    pub records: Option<u64>,
    /// Random seed: the same seed gives the same data
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

use crate::seed::SYNTHETIC_MASTER_PIN as SEED_MASTER_PIN;

pub fn run(db: Option<&Path>, a: &SeedArgs, tr: &Tr) -> Result<(), Failure> {
    if a.days == 0 {
        return Err(Failure::usage("--days: at least 1"));
    }
    let path = crate::paths::resolve_db(db);
    let now = chrono::Utc::now().timestamp_millis();
    let fail = |e: crate::store::StoreError| Failure::failed(tr.msg(&e.msg()));
    let mut store = super::open_store(&path, OpenMode::Desk, now, tr)?;
    if store.station().is_none() {
        let st = NewStation {
            street: "JS".into(),
            community: "01".into(),
            kind: crate::domain::station::StationKind::Main,
            name: "金山街道时光驿站".into(),
            tz: chrono_tz::Asia::Shanghai,
        };
        store
            .create_station(
                &st,
                "王秀英",
                SEED_MASTER_PIN,
                now - i64::from(a.days) * crate::domain::time::DAY_MS,
            )
            .map_err(fail)?;
        println!("{}", tr.f("seed.station", &[("pin", &SEED_MASTER_PIN)]));
    }
    let master = store
        .list_staff()
        .map_err(fail)?
        .into_iter()
        .find(|s| s.role == crate::domain::staff::Role::Master && s.active)
        .ok_or_else(|| Failure::failed("no active station master"))?;
    let started = std::time::Instant::now();
    let (from, to) = crate::seed::bulk::window(now, i64::from(a.days));
    let mut s = crate::seed::bulk::Seeder::new(&mut store, a.seed, master.id).map_err(fail)?;
    let members = s
        .add_members(a.members, from, from + (to - from) / 2)
        .map_err(fail)?;
    let added = s
        .add_records(a.records.unwrap_or(a.members * 10), from, to)
        .map_err(fail)?;
    drop(s);
    println!(
        "{}",
        tr.f(
            "seed.done",
            &[
                ("members", &members),
                ("records", &added.records),
                ("secs", &format!("{:.1}", started.elapsed().as_secs_f64()))
            ]
        )
    );
    Ok(())
}
