//! `shiguang stress-post`: post a long stream of service records through the
//! desk's own code, printing each record's id only after its COMMIT returned.
//! The kill test starts this, kills it with SIGKILL at random moments, and
//! checks that every printed id is in the file and nothing is half-written.

use super::Failure;
use crate::domain::record::{ConfirmMethod, Payer, RecordInput};
use crate::domain::staff::Role;
use crate::domain::time::{HOUR_MS, MINUTE_MS};
use crate::i18n::Tr;
use crate::store::OpenMode;
use crate::store::station::NewStation;
use rand::{Rng, SeedableRng};
use std::io::Write;
use std::path::Path;

#[derive(Debug, clap::Args)]
pub struct StressArgs {
    /// How many records to post (the test kills it long before)
    #[arg(long, default_value_t = 100_000)]
    pub count: u64,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    #[command(flatten)]
    pub staff: super::staff::StaffArgs,
}

pub fn run(db: Option<&Path>, a: &StressArgs, tr: &Tr) -> Result<(), Failure> {
    // Long because: sign-in, the station's members, then the loop that posts each record and prints its line as the kill test reads it; the steps share the store, the rng and the clock.
    let path = crate::config::paths::resolve_db(db);
    let now = chrono::Utc::now().timestamp_millis();
    let fail = |e: crate::store::StoreError| Failure::failed(tr.msg(&e.msg()));
    let mut store = super::open_store(&path, OpenMode::Desk, now, tr)?;
    // late entries are the station master's
    let need = super::staff::Need::Master;
    let signed_in = super::staff::sign_in(&mut store, &a.staff, "stress-post", need, tr)?;
    if store.station().is_none() {
        let st = NewStation {
            street: "JS".into(),
            community: "01".into(),
            kind: crate::domain::station::StationKind::Main,
            name: "压力测试驿站".into(),
            tz: chrono_tz::Asia::Shanghai,
        };
        store
            .create_station(
                &st,
                "王秀英",
                crate::seed::SYNTHETIC_MASTER_PIN,
                now - 400 * crate::domain::time::DAY_MS,
            )
            .map_err(fail)?;
    }
    let master = match signed_in {
        Some(s) => s,
        None => {
            let m = store
                .list_staff()
                .map_err(fail)?
                .into_iter()
                .find(|s| s.role == Role::Master)
                .ok_or_else(|| Failure::failed("no master"))?;
            crate::domain::staff::Session {
                staff_id: m.id,
                staff_no: m.staff_no,
                name: m.name,
                role: m.role,
            }
        }
    };
    // (a kill may have come between creating the station and its members)
    let approved: i64 = store
        .conn()
        .query_row(
            "SELECT count(*) FROM members WHERE status = 'approved'",
            [],
            |r| r.get(0),
        )
        .map_err(|e| Failure::failed(e.to_string()))?;
    if approved < 2 {
        let mut s =
            crate::seed::bulk::Seeder::new(&mut store, a.seed, master.staff_id).map_err(fail)?;
        s.add_members(
            20,
            now - 300 * crate::domain::time::DAY_MS,
            now - 200 * crate::domain::time::DAY_MS,
        )
        .map_err(fail)?;
    }
    let members: Vec<i64> = {
        let mut stmt = store
            .conn()
            .prepare("SELECT id FROM members WHERE status = 'approved'")
            .map_err(|e| Failure::failed(e.to_string()))?;
        stmt.query_map([], |r| r.get(0))
            .and_then(|r| r.collect())
            .map_err(|e: rusqlite::Error| Failure::failed(e.to_string()))?
    };
    // new records go further back in time than every earlier one: no overlaps
    let mut end: i64 = store
        .conn()
        .query_row(
            "SELECT coalesce(min(started_at), ?1) FROM service_records",
            [now - HOUR_MS],
            |r| r.get(0),
        )
        .map_err(|e| Failure::failed(e.to_string()))?;
    let mut rng = rand::rngs::StdRng::seed_from_u64(a.seed);
    let stdout = std::io::stdout();
    for _ in 0..a.count {
        end -= 31 * MINUTE_MS;
        let p = rng.random_range(0..members.len());
        let mut q = rng.random_range(0..members.len() - 1);
        if q >= p {
            q += 1;
        }
        let r = RecordInput {
            uid: crate::store::new_uid(now),
            request_id: None,
            provider: members[p],
            recipient: members[q],
            type_id: 1,
            started_at: end - 30 * MINUTE_MS,
            ended_at: end,
            minutes: 30,
            payer: Payer::Pool,
            method: ConfirmMethod::Desk,
            book_page: Some("1".into()),
            photo_ref: None,
            recipient_confirmed: false,
            rating: Some(5),
            notes: None,
            late_reason: Some("压力测试补登".into()),
        };
        store.post_record(&master, &r, now).map_err(fail)?;
        // printed only now: the COMMIT has returned
        let mut out = stdout.lock();
        let _ = writeln!(out, "{}", r.uid);
        let _ = out.flush();
    }
    Ok(())
}
