//! `shiguang hq bench`: many synthetic stations, each with its history
//! made by the seed code and every day closed with its summary, synced to
//! an empty headquarters database; then the month report over all of
//! them. Times the sync, a second sync (nothing to send), and the report.

use super::Failure;
use super::hq::{PgArgs, fail, open_hq};
use crate::domain::staff::{Role, Session};
use crate::domain::station::StationKind;
use crate::domain::time::{self, DAY_MS, HOUR_MS, MINUTE_MS};
use crate::hq::sync::SyncOptions;
use crate::i18n::Tr;
use crate::store::station::NewStation;
use crate::store::{OpenMode, Store, StoreError};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(Debug, clap::Args)]
pub struct HqBenchArgs {
    #[command(flatten)]
    pub pg: PgArgs,
    /// Synthetic stations (every third a main station)
    #[arg(long, default_value_t = 300)]
    pub stations: u32,
    /// Days of history per station, each closed
    #[arg(long, default_value_t = 365)]
    pub days: u32,
    /// Members per station
    #[arg(long, default_value_t = 300)]
    pub members: u64,
    /// Services a day: main stations; micro stations do 40 % of it
    #[arg(long, default_value_t = 10)]
    pub services: u64,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Folder for the station files, kept for the next run (default: a
    /// temporary folder, removed afterwards)
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// One JSON object instead of the lines
    #[arg(long)]
    pub json: bool,
}

/// The code of synthetic station `i`: streets BA, BB, … with 100
/// communities each.
fn code(i: u32) -> (String, String) {
    let street = format!("B{}", (b'A' + (i / 100 % 26) as u8) as char);
    (street, format!("{:02}", i % 100))
}

fn master(store: &Store) -> Result<Session, StoreError> {
    let m = store
        .list_staff()?
        .into_iter()
        .find(|s| s.role == Role::Master)
        .ok_or_else(|| StoreError::Other("no master".into()))?;
    Ok(Session {
        staff_id: m.id,
        staff_no: m.staff_no,
        name: m.name,
        role: m.role,
    })
}

/// One station: members, then each day its services and its close.
fn build_station(path: &Path, i: u32, a: &HqBenchArgs, first: NaiveDate) -> Result<(), StoreError> {
    let tz = chrono_tz::Asia::Shanghai;
    let start = time::day_start(first, tz);
    for ext in ["", "-wal", "-shm", ".key"] {
        let _ = std::fs::remove_file(format!("{}{ext}", path.display()));
    }
    let mut store =
        Store::open(path, OpenMode::Desk, start).map_err(|e| StoreError::Other(e.to_string()))?;
    let (street, community) = code(i);
    let main = i.is_multiple_of(3);
    let st = NewStation {
        street,
        community,
        kind: if main {
            StationKind::Main
        } else {
            StationKind::Micro
        },
        name: format!("基准驿站{i:03}"),
        tz,
    };
    let by = store.create_station(
        &st,
        "王秀英",
        crate::seed::SYNTHETIC_MASTER_PIN,
        start - 60 * DAY_MS,
    )?;
    let seed = a.seed ^ (u64::from(i) << 32);
    {
        let mut s = crate::seed::bulk::Seeder::new(&mut store, seed, by.staff_id)?;
        s.add_members(a.members, start - 60 * DAY_MS, start - DAY_MS)?;
    }
    let per_day = if main {
        a.services
    } else {
        (a.services * 2).div_ceil(5)
    };
    let by = master(&store)?;
    for d in 0..a.days {
        let day = first + chrono::Duration::days(i64::from(d));
        let open = time::day_start(day, tz) + 8 * HOUR_MS + 30 * MINUTE_MS;
        let close = open + 9 * HOUR_MS + 30 * MINUTE_MS;
        {
            let mut s =
                crate::seed::bulk::Seeder::new(&mut store, seed ^ u64::from(d + 1), by.staff_id)?;
            s.add_records(per_day, open, close - 3 * HOUR_MS)?;
        }
        store.seed_closed_day(&by, day, open, false, close, "")?;
    }
    Ok(())
}

fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|it| {
            it.filter_map(|e| e.ok())
                .filter_map(|e| e.metadata().ok())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

pub fn run(a: &HqBenchArgs, tr: &Tr) -> Result<(), Failure> {
    // Long because: the benchmark's phases (build, first sync, no-op sync, month report, sizes) in order, each timing what the one before left in place.
    if a.stations == 0 || a.stations > 2600 || a.days == 0 {
        return Err(Failure::usage("--stations 1–2600, --days at least 1"));
    }
    let say = |s: String| {
        if !a.json {
            eprintln!("{s}");
        }
    };
    let mut hq = open_hq(&a.pg, None, tr)?;
    crate::hq::migrate::apply(&mut hq.client).map_err(|e| fail(tr, &e))?;
    let stations: i64 = hq
        .client
        .query_one("SELECT count(*) FROM stations", &[])
        .map_err(|e| fail(tr, &e.into()))?
        .get(0);
    if stations > 0 {
        return Err(Failure::failed(
            tr.f("hq.bench.not_empty", &[("n", &stations)]),
        ));
    }
    let temporary = a.dir.is_none();
    let dir = a.dir.clone().unwrap_or_else(|| {
        std::env::temp_dir().join(format!("shiguang-hq-bench-{}", std::process::id()))
    });
    std::fs::create_dir_all(&dir).map_err(|e| Failure::failed(e.to_string()))?;
    // the history ends yesterday (station time): a fixed first day per run
    let today = time::local_day(
        chrono::Utc::now().timestamp_millis(),
        chrono_tz::Asia::Shanghai,
    );
    let first = today - chrono::Duration::days(i64::from(a.days));
    let key = format!(
        "{}:{}:{}:{}:{}:{first}:v{}",
        a.stations,
        a.days,
        a.members,
        a.services,
        a.seed,
        crate::store::migrate::latest_version()
    );
    let marker = dir.join("hq-bench.key");
    let paths: Vec<PathBuf> = (0..a.stations)
        .map(|i| dir.join(format!("station-{i:04}.db")))
        .collect();
    let started = Instant::now();
    if std::fs::read_to_string(&marker).ok().as_deref() != Some(key.as_str()) {
        say(tr.f(
            "hq.bench.building",
            &[
                ("n", &a.stations),
                ("days", &a.days),
                ("dir", &dir.display()),
            ],
        ));
        let _ = std::fs::remove_file(&marker);
        let next = std::sync::atomic::AtomicU32::new(0);
        let workers = std::thread::available_parallelism()
            .map_or(2, |n| n.get())
            .min(4);
        let failed: std::sync::Mutex<Option<String>> = Default::default();
        std::thread::scope(|s| {
            for _ in 0..workers {
                s.spawn(|| {
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        if i >= a.stations {
                            break;
                        }
                        if let Err(e) = build_station(&paths[i as usize], i, a, first) {
                            *failed.lock().unwrap_or_else(|p| p.into_inner()) = Some(e.to_string());
                            break;
                        }
                    }
                });
            }
        });
        if let Some(e) = failed.into_inner().unwrap_or_else(|p| p.into_inner()) {
            return Err(Failure::failed(e));
        }
        std::fs::write(&marker, &key).map_err(|e| Failure::failed(e.to_string()))?;
    }
    let build_s = started.elapsed().as_secs_f64();
    say(tr.f("hq.bench.built", &[("secs", &format!("{build_s:.0}"))]));

    // the first sync of every station: everything
    let opts = SyncOptions::default();
    let mut sent = crate::wire::batch::Counts::default();
    let mut slowest = 0f64;
    let t = Instant::now();
    for p in &paths {
        let store =
            Store::open(p, OpenMode::Inspect, 0).map_err(|e| Failure::failed(tr.msg(&e.msg())))?;
        let one = Instant::now();
        let r = crate::hq::sync::sync(&store, &mut hq, &opts, &mut |_| {})
            .map_err(|b| fail(tr, &b.1))?;
        slowest = slowest.max(one.elapsed().as_secs_f64());
        sent.add(&r.new);
    }
    let sync_s = t.elapsed().as_secs_f64();
    say(tr.f(
        "hq.bench.synced",
        &[("rows", &sent.total()), ("secs", &format!("{sync_s:.1}"))],
    ));
    // the daily case: nothing new
    let t = Instant::now();
    for p in &paths {
        let store =
            Store::open(p, OpenMode::Inspect, 0).map_err(|e| Failure::failed(tr.msg(&e.msg())))?;
        let r = crate::hq::sync::sync(&store, &mut hq, &opts, &mut |_| {})
            .map_err(|b| fail(tr, &b.1))?;
        if r.batches > 0 {
            return Err(Failure::failed("a second sync sent rows"));
        }
    }
    let noop_s = t.elapsed().as_secs_f64();
    // the report of the last whole month, every station
    let month = time::first_of_month(time::prev_month(today));
    let now = chrono::Utc::now().timestamp_millis();
    let t = Instant::now();
    let months =
        crate::hq::report::report(&mut hq.client, month, None, now).map_err(|e| fail(tr, &e))?;
    let report_s = t.elapsed().as_secs_f64();
    let checked: usize = months.iter().map(|m| m.summaries()).sum();
    let differ: usize = months.iter().map(|m| m.differing()).sum();
    let db_bytes: i64 = hq
        .client
        .query_one("SELECT pg_database_size(current_database())", &[])
        .map_err(|e| fail(tr, &e.into()))?
        .get(0);
    let station_bytes = dir_size(&dir);
    let v = serde_json::json!({
        "stations": a.stations,
        "days": a.days,
        "members_per_station": a.members,
        "rows": sent,
        "rows_total": sent.total(),
        "station_files_mb": station_bytes / 1_000_000,
        "hq_database_mb": db_bytes / 1_000_000,
        "build_s": round(build_s),
        "sync_s": round(sync_s),
        "sync_rows_per_s": round(sent.total() as f64 / sync_s.max(1e-9)),
        "sync_slowest_station_s": round(slowest),
        "sync_nothing_new_s": round(noop_s),
        "report_month": month.format("%Y-%m").to_string(),
        "report_s": round(report_s),
        "report_days_checked": checked,
        "report_days_differing": differ,
    });
    if a.json {
        outln!("{v}");
    } else {
        for (k, val) in v.as_object().into_iter().flatten() {
            outln!("{k:<26} {val}");
        }
    }
    if temporary {
        let _ = std::fs::remove_dir_all(&dir);
    }
    if differ > 0 {
        return Err(Failure::failed(tr.f("hq.report.differ", &[("n", &differ)])));
    }
    Ok(())
}

fn round(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}
