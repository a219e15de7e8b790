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
    /// Add synthetic members even though the station holds real ones
    #[arg(long)]
    pub yes_synthetic: bool,
    #[command(flatten)]
    pub staff: super::staff::StaffArgs,
}

use super::staff::Need;
use crate::domain::time::{DAY_MS, Stamp};
use crate::seed::SYNTHETIC_MASTER_PIN as SEED_MASTER_PIN;
use crate::store::Store;

/// Seed adds synthetic history to a synthetic station: refused (exit 2) on
/// one that holds members people registered, unless `--yes-synthetic`, and
/// whenever its window reaches into a closed day (whose figures are final).
fn refuse_real_station(
    store: &Store,
    a: &SeedArgs,
    from: Stamp,
    now: Stamp,
    tr: &Tr,
) -> Result<(), Failure> {
    let fail = |e: crate::store::StoreError| Failure::failed(tr.msg(&e.msg()));
    let real = store.members_registered_by_people().map_err(fail)?;
    if real > 0 && !a.yes_synthetic {
        return Err(Failure::usage(tr.f("seed.real_members", &[("n", &real)])));
    }
    if let Some((day, end)) = store.closed_day_after(from).map_err(fail)? {
        // the window (`--days` back from now) must start after `end`
        let room = (now - end).max(0) / DAY_MS;
        let key = if room == 0 {
            "seed.closed_day_no_room"
        } else {
            "seed.closed_day"
        };
        return Err(Failure::usage(tr.f(key, &[("day", &day), ("max", &room)])));
    }
    Ok(())
}

pub fn run(db: Option<&Path>, a: &SeedArgs, tr: &Tr) -> Result<(), Failure> {
    if a.days == 0 {
        return Err(Failure::usage("--days: at least 1"));
    }
    let path = crate::config::paths::resolve_db(db);
    let now = chrono::Utc::now().timestamp_millis();
    let fail = |e: crate::store::StoreError| Failure::failed(tr.msg(&e.msg()));
    let mut store = super::open_store(&path, OpenMode::Desk, now, tr)?;
    let (from, to) = crate::seed::bulk::window(now, i64::from(a.days));
    let signed_in = if store.station().is_some() {
        let by = super::staff::sign_in(&mut store, &a.staff, "seed", Need::Master, tr)?;
        refuse_real_station(&store, a, from, now, tr)?;
        by
    } else {
        None
    };
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
        outln!("{}", tr.f("seed.station", &[("pin", &SEED_MASTER_PIN)]));
    }
    // the master who signed in; on a file seed has just set up, its master
    let master = match signed_in {
        Some(s) => s.staff_id,
        None => {
            store
                .list_staff()
                .map_err(fail)?
                .into_iter()
                .find(|s| s.role == crate::domain::staff::Role::Master && s.active)
                .ok_or_else(|| Failure::failed("no active station master"))?
                .id
        }
    };
    let started = std::time::Instant::now();
    let mut s = crate::seed::bulk::Seeder::new(&mut store, a.seed, master).map_err(fail)?;
    let members = s
        .add_members(a.members, from, from + (to - from) / 2)
        .map_err(fail)?;
    let added = s
        .add_records(a.records.unwrap_or(a.members * 10), from, to)
        .map_err(fail)?;
    drop(s);
    outln!(
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
