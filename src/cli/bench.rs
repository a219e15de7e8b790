//! `shiguang bench`: the desk's operations timed on a large seeded station.
//!
//! The database is built once per (members, transfers, seed, schema) and
//! kept, so later runs measure at once. Each operation runs many times; the
//! table gives the median and the 99th percentile, the peak memory (its
//! children's included) and the bytes the file takes per transfer.

use super::Failure;
use crate::app::action::{Action, Effect};
use crate::app::state::Pane;
use crate::app::{App, Boot};
use crate::domain::queue::{Channel, NewRequest};
use crate::domain::record::{ConfirmMethod, Payer, RecordInput};
use crate::domain::staff::Session;
use crate::domain::time::{self, DAY_MS, HOUR_MS, MINUTE_MS, Stamp};
use crate::i18n::{Lang, Tr};
use crate::store::{OpenMode, Store, StoreError};
use crate::worker::DbRequest;
use crate::worker::desk::LoadIndex;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(Debug, clap::Args)]
pub struct BenchArgs {
    /// Members in the benchmark station
    #[arg(long, default_value_t = 100_000)]
    pub members: u64,
    /// Transfers (one per service record)
    #[arg(long, default_value_t = 1_000_000)]
    pub transfers: u64,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// One JSON object instead of the table
    #[arg(long)]
    pub json: bool,
    /// Build the benchmark station again even if one of this size is kept
    #[arg(long)]
    pub rebuild: bool,
}

/// One operation's timings.
struct Timing {
    name: String,
    runs: usize,
    median_ms: f64,
    p99_ms: f64,
}

fn timing(name: &str, mut ms: Vec<f64>) -> Timing {
    ms.sort_by(f64::total_cmp);
    let at = |q: f64| ms[((ms.len() as f64 - 1.0) * q).round() as usize];
    Timing {
        name: name.to_string(),
        runs: ms.len(),
        median_ms: at(0.5),
        p99_ms: at(0.99),
    }
}

fn time_it<T>(
    runs: usize,
    mut f: impl FnMut(usize) -> Result<T, StoreError>,
) -> Result<Vec<f64>, StoreError> {
    let mut out = Vec::with_capacity(runs);
    for i in 0..runs {
        let t = Instant::now();
        f(i)?;
        out.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    Ok(out)
}

/// Where the benchmark database is kept: `--db`, else `bench/` in the data folder.
fn bench_path(db: Option<&Path>, a: &BenchArgs) -> PathBuf {
    if let Some(p) = db {
        return p.to_path_buf();
    }
    let dir = crate::config::paths::resolve_db(None)
        .parent()
        .map(|p| p.join("bench"))
        .unwrap_or_else(|| PathBuf::from("bench"));
    dir.join(format!(
        "bench-{}-{}-s{}.db",
        a.members, a.transfers, a.seed
    ))
}

/// The name of the station the benchmark builds.
const BENCH_NAME: &str = "基准测试驿站";

/// What a kept station was built for: its size and seed, not its schema —
/// a station built by an older version is migrated when it is opened, like
/// any station, instead of being built again (two minutes at 1M).
fn cache_key(a: &BenchArgs) -> String {
    format!("bench:{}:{}:{}", a.members, a.transfers, a.seed)
}

/// Whether a kept station's key is `key`; keys written before they left
/// out the schema end in `:<version>`.
fn built_for(kept: &str, key: &str) -> bool {
    kept.strip_prefix(key).is_some_and(|rest| {
        rest.is_empty()
            || rest
                .strip_prefix(':')
                .is_some_and(|v| v.parse::<u32>().is_ok())
    })
}

fn master(store: &Store) -> Result<Session, StoreError> {
    let m = store
        .list_staff()?
        .into_iter()
        .find(|s| s.role == crate::domain::staff::Role::Master)
        .ok_or_else(|| StoreError::Other("no master".into()))?;
    Ok(Session {
        staff_id: m.id,
        staff_no: m.staff_no,
        name: m.name,
        role: m.role,
    })
}

/// Build the station (or find it built): members, ten years of services,
/// and a busy day — today — with requests and services.
fn build(path: &Path, a: &BenchArgs, now: Stamp, say: &dyn Fn(&str)) -> Result<(), StoreError> {
    let key = cache_key(a);
    if !a.rebuild
        && path.exists()
        && let Ok(s) = Store::open(path, OpenMode::Desk, now)
        && built_for(&s.settings().bench_key, &key)
    {
        return Ok(());
    }
    for ext in ["", "-wal", "-shm", ".key"] {
        let _ = std::fs::remove_file(format!("{}{ext}", path.display()));
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| StoreError::Other(e.to_string()))?;
    }
    say(&format!(
        "building {} with {} members and {} transfers …",
        path.display(),
        a.members,
        a.transfers
    ));
    let started = Instant::now();
    let mut store =
        Store::open(path, OpenMode::Desk, now).map_err(|e| StoreError::Other(e.to_string()))?;
    let st = crate::store::station::NewStation {
        street: "JS".into(),
        community: "01".into(),
        kind: crate::domain::station::StationKind::Main,
        name: BENCH_NAME.into(),
        tz: chrono_tz::Asia::Shanghai,
    };
    let from = now - 3650 * DAY_MS;
    let by = store.create_station(
        &st,
        "王秀英",
        crate::seed::SYNTHETIC_MASTER_PIN,
        from - DAY_MS,
    )?;
    {
        let mut seed = crate::seed::bulk::Seeder::new(&mut store, a.seed, by.staff_id)?;
        seed.add_members(a.members, from, from + 1800 * DAY_MS)?;
        seed.add_records(a.transfers, from, now - DAY_MS)?;
    }
    busy_day(&mut store, &by, now)?;
    store.set_setting(&by, "bench_key", serde_json::json!(key), now)?;
    say(&format!(
        "built in {:.0} s",
        started.elapsed().as_secs_f64()
    ));
    Ok(())
}

/// Today as a main station's busiest: 300 requests and their services.
fn busy_day(store: &mut Store, by: &Session, now: Stamp) -> Result<(), StoreError> {
    let ids: Vec<i64> = {
        let mut st = store.conn().prepare(
            "SELECT m.id FROM members m JOIN accounts a ON a.member_id = m.id
             WHERE m.status = 'approved' AND m.blacklisted_at IS NULL AND m.frozen = 0 AND a.balance >= 40
             ORDER BY m.id LIMIT 600",
        )?;
        st.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?
    };
    let start = time::day_start(time::local_day(now, store.tz()), store.tz());
    for (i, id) in ids.iter().take(300).enumerate() {
        let at = (start + i as i64 * 2 * MINUTE_MS).min(now);
        let r = NewRequest {
            requester: *id,
            type_id: 1 + (i as i64 % 3),
            description: "陪老人聊天".into(),
            place: "1栋".into(),
            window_start: at + HOUR_MS,
            window_end: at + 4 * HOUR_MS,
            minutes: 60,
            urgent: i % 50 == 0,
            channel: Channel::Phone,
            pool_pays: i % 2 == 0,
        };
        store.create_request(by, &r, at)?;
    }
    Ok(())
}

/// The app signed in at `now`, every command it asks for run at once,
/// except those `skip` names (work that happens after the first frame).
fn drive(store: &mut Store, app: &mut App, action: Action, skip: &[&str]) {
    let mut queue = vec![action];
    while let Some(a) = queue.pop() {
        let mut replies = Vec::new();
        for e in app.handle(a) {
            if let Effect::Db(job) = e {
                if skip.iter().any(|s| job.name.starts_with(s)) {
                    continue;
                }
                replies.push(Action::Db(Box::new(job.run_here(store))));
            }
        }
        replies.reverse();
        queue.extend(replies);
    }
}

fn boot(store: &Store, now: Stamp, session: Session) -> Boot {
    Boot::headless(store, now, Lang::Zh, Some(session), false)
}

fn render(app: &App, t: &mut Terminal<TestBackend>) {
    let _ = t.draw(|f| crate::ui::render(f, app));
}

fn key(app_key: &str) -> Action {
    let c = crate::app::keymap::Chord::parse(app_key).unwrap_or(crate::app::keymap::Chord {
        code: crossterm::event::KeyCode::Null,
        mods: crossterm::event::KeyModifiers::NONE,
    });
    Action::Key(crossterm::event::KeyEvent::new(c.code, c.mods))
}

fn measure(path: &Path, now: Stamp, runs: usize) -> Result<Vec<Timing>, StoreError> {
    // Long because: one timed step per figure, in the order the benchmark reports them, each a few lines sharing the store, the session and the clock.
    let mut out = Vec::new();
    let open = |p: &Path| {
        Store::open(p, OpenMode::Desk, now).map_err(|e| StoreError::Other(e.to_string()))
    };
    let mut store = open(path)?;
    let by = master(&store)?;
    let tz = store.tz();
    let today = time::local_day(now, tz);
    let day_start = time::day_start(today, tz);

    // the first frame: open, load what the queue pane shows, draw it; the
    // search index, the level run and the drafts come after
    let first = time_it(runs.min(20), |_| {
        let store2 = open(path)?;
        let mut s = store2;
        let mut app = App::new(boot(&s, now, by.clone()));
        drive(
            &mut s,
            &mut app,
            Action::Tick(now),
            &[
                "LoadIndex",
                "RunLevels",
                "LoadDrafts",
                "IntegrityCheck",
                "WarmHelpers",
            ],
        );
        let mut t = Terminal::new(TestBackend::new(120, 30))
            .map_err(|e| StoreError::Other(e.to_string()))?;
        render(&app, &mut t);
        Ok(())
    })?;
    out.push(timing("first_frame", first));

    // the previous run's index is freed before the clock starts: the desk
    // builds one at start, and freeing 100,000 entries is not building them
    let mut index = None;
    let mut build = Vec::new();
    for _ in 0..runs.min(10) {
        drop(index.take());
        let t = Instant::now();
        index = Some(LoadIndex.run(&mut store)?);
        build.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    out.push(timing("search_index_build", build));
    let index = index.ok_or_else(|| StoreError::Other("no index".into()))?;
    let queries = [
        "张", "王建", "zsf", "wjg", "lgy", "0012", "JS01-01", "5678", "li", "chen",
    ];
    let keystrokes: Vec<String> = queries
        .iter()
        .flat_map(|q| (1..=q.chars().count()).map(move |n| q.chars().take(n).collect::<String>()))
        .collect();
    let search = time_it(keystrokes.len() * (runs / 10).max(1), |i| {
        let q = &keystrokes[i % keystrokes.len()];
        std::hint::black_box(index.query(q, crate::app::overlays::search::LIMIT));
        Ok(())
    })?;
    out.push(timing("search_keystroke", search));
    drop(index);

    let open_requests: Vec<i64> = store
        .queue(day_start)?
        .into_iter()
        .filter(|r| r.state.is_open())
        .map(|r| r.id)
        .take(50)
        .collect();
    let rank = time_it(runs, |i| {
        store
            .helpers(open_requests[i % open_requests.len().max(1)], now)
            .map(|_| ())
    })?;
    out.push(timing("rank_helpers", rank));

    // a busy member: the most transfers
    let busy: i64 = store.conn().query_row(
        "SELECT credit_account FROM transfers WHERE seq > (SELECT max(seq) - 20000 FROM transfers)
         GROUP BY credit_account ORDER BY count(*) DESC LIMIT 1",
        [],
        |r| r.get(0),
    )?;
    let statement = time_it(runs, |_| store.statement(busy, 100, None).map(|_| ()))?;
    out.push(timing("member_statement", statement));
    let queue = time_it(runs, |_| store.queue(day_start).map(|_| ()))?;
    out.push(timing("queue_refresh", queue));
    let yesterday = today.pred_opt().unwrap_or(today);
    let figures = time_it(runs.min(50), |_| store.day_figures(yesterday).map(|_| ()))?;
    out.push(timing("close_day_figures", figures));
    let stats = time_it(runs.min(30), |_| store.stats(now).map(|_| ()))?;
    out.push(timing("month_stats", stats));

    // durable posts: synchronous=FULL, each its own transaction
    // helpers with nothing recorded lately, so no post meets an overlap
    let pair: Vec<i64> = {
        let mut st = store.conn().prepare(
            "SELECT m.id FROM members m
             WHERE m.status = 'approved' AND m.blacklisted_at IS NULL AND m.frozen = 0
               AND NOT EXISTS (SELECT 1 FROM service_records r WHERE r.provider_id = m.id AND r.ended_at > ?1)
             ORDER BY m.id DESC LIMIT 51",
        )?;
        st.query_map([now - 2 * DAY_MS], |r| r.get(0))?
            .collect::<Result<_, _>>()?
    };
    if pair.len() < 51 {
        return Err(StoreError::Other("not enough members to post with".into()));
    }
    let base = now - HOUR_MS;
    let stamp = crate::store::new_uid(now);
    let post = time_it(runs.min(50), |i| {
        let end = base + i as i64 * MINUTE_MS;
        let r = RecordInput {
            uid: format!("bench-{stamp}-{i}"),
            request_id: None,
            provider: pair[i],
            recipient: pair[i + 1],
            type_id: 1,
            started_at: end - 15 * MINUTE_MS,
            ended_at: end,
            minutes: 15,
            payer: Payer::Pool,
            method: ConfirmMethod::Desk,
            book_page: Some("1".into()),
            photo_ref: None,
            recipient_confirmed: false,
            rating: Some(5),
            notes: None,
            late_reason: None,
        };
        store.post_record(&by, &r, now).map(|_| ())
    });
    out.push(timing("post_record", post?));

    // the whole `shiguang verify`, as its own process
    let exe = std::env::current_exe().map_err(|e| StoreError::Other(e.to_string()))?;
    let verify = time_it(3, |_| {
        let out = super::bench_mem::run_child(
            std::process::Command::new(&exe)
                .arg("--db")
                .arg(path)
                .arg("verify"),
        )
        .map_err(|e| StoreError::Other(e.to_string()))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(StoreError::Other(
                String::from_utf8_lossy(&out.stdout).into_owned(),
            ))
        }
    })?;
    out.push(timing("verify", verify));

    // every pane drawn at 120×30, with its data loaded
    let mut app = App::new(boot(&store, now, by.clone()));
    drive(&mut store, &mut app, Action::Tick(now), &["IntegrityCheck"]);
    let mut t =
        Terminal::new(TestBackend::new(120, 30)).map_err(|e| StoreError::Other(e.to_string()))?;
    for pane in Pane::AVAILABLE {
        drive(&mut store, &mut app, key(&pane.number().to_string()), &[]);
        let ms = time_it(runs, |_| {
            render(&app, &mut t);
            Ok(())
        })?;
        out.push(timing(&format!("render_{}", pane_name(*pane)), ms));
    }
    Ok(out)
}

fn pane_name(p: Pane) -> &'static str {
    match p {
        Pane::Queue => "queue",
        Pane::Match => "match",
        Pane::Record => "record",
        Pane::Ledger => "ledger",
        Pane::Disputes => "disputes",
        Pane::Members => "members",
        Pane::Stats => "stats",
        Pane::Merchants => "merchants",
        Pane::Settings => "settings",
        Pane::Hub => "hub",
    }
}

/// The benchmark rebuilds (deleting first) only a file it built: a `--db`
/// naming a station's database — or a file that does not open, which may be
/// a damaged station — is refused (exit 2), nothing touched.
fn refuse_a_station(path: &Path, now: Stamp, tr: &Tr) -> Result<(), Failure> {
    if !path.exists() && !crate::store::secret::key_path(path).exists() {
        return Ok(());
    }
    let ours = Store::open(path, OpenMode::Inspect, now).is_ok_and(|s| {
        !s.settings().bench_key.is_empty() || s.station().is_none_or(|st| st.name == BENCH_NAME)
    });
    if ours {
        Ok(())
    } else {
        Err(Failure::usage(
            tr.f("cli.bench_not_ours", &[("path", &path.display())]),
        ))
    }
}

pub fn run(db: Option<&Path>, a: &BenchArgs, tr: &Tr) -> Result<(), Failure> {
    if a.members < 100 || a.transfers < 1000 {
        return Err(Failure::usage(
            "bench: at least --members 100 --transfers 1000",
        ));
    }
    let path = bench_path(db, a);
    let now = chrono::Utc::now().timestamp_millis();
    let quiet = a.json;
    let say = move |s: &str| {
        if !quiet {
            eprintln!("{s}");
        }
    };
    let fail = |e: StoreError| Failure::failed(format!("bench: {}", e.msg()));
    refuse_a_station(&path, now, tr)?;
    build(&path, a, now, &say).map_err(fail)?;
    let runs = 200;
    let results = measure(&path, now, runs).map_err(fail)?;
    let (transfers, bytes) = size(&path, now).map_err(fail)?;
    let per_transfer = bytes.checked_div(transfers.max(0) as u64).unwrap_or(0);
    let peak = super::bench_mem::peak();
    if a.json {
        let results: Vec<serde_json::Value> = results
            .iter()
            .map(|t| {
                serde_json::json!({"name": t.name, "runs": t.runs, "median_ms": round(t.median_ms), "p99_ms": round(t.p99_ms)})
            })
            .collect();
        outln!(
            "{}",
            serde_json::json!({
                "members": a.members, "transfers": transfers, "results": results,
                "peak_rss_kb": peak.whole_kib(), "peak_own_kb": peak.own_kib, "peak_child_kb": peak.child_kib,
                "file_bytes": bytes, "bytes_per_transfer": per_transfer,
            })
        );
        return Ok(());
    }
    outln!(
        "{} members, {} transfers ({})",
        a.members,
        transfers,
        path.display()
    );
    outln!(
        "{:<22} {:>6} {:>12} {:>12}",
        "operation",
        "runs",
        "median ms",
        "p99 ms"
    );
    for t in &results {
        outln!(
            "{:<22} {:>6} {:>12.3} {:>12.3}",
            t.name,
            t.runs,
            t.median_ms,
            t.p99_ms
        );
        if t.name == "verify" && transfers > 0 {
            outln!(
                "{:<22} {:>6} {:>12.0}",
                "  per 1,000,000 transfers",
                "",
                t.median_ms * 1_000_000.0 / transfers as f64
            );
        }
    }
    outln!(
        "peak memory {} MiB (the benchmark {} MiB, its largest child {} MiB)",
        peak.whole_kib() / 1024,
        peak.own_kib / 1024,
        peak.child_kib / 1024
    );
    outln!(
        "file {:.2} GB in use, {} bytes per transfer",
        bytes as f64 / 1e9,
        per_transfer
    );
    Ok(())
}

/// The transfers in the file and the bytes of its pages in use (free pages
/// left by a migration are not counted: `VACUUM` gives them back).
fn size(path: &Path, now: Stamp) -> Result<(i64, u64), StoreError> {
    let store =
        Store::open(path, OpenMode::Inspect, now).map_err(|e| StoreError::Other(e.to_string()))?;
    let c = store.conn();
    let transfers: i64 = c.query_row("SELECT count(*) FROM transfers", [], |r| r.get(0))?;
    let pages: i64 = c.query_row("PRAGMA page_count", [], |r| r.get(0))?;
    let free: i64 = c.query_row("PRAGMA freelist_count", [], |r| r.get(0))?;
    let page: i64 = c.query_row("PRAGMA page_size", [], |r| r.get(0))?;
    Ok((transfers, ((pages - free).max(0) * page) as u64))
}

fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::built_for;

    #[test]
    fn a_kept_station_is_found_by_size_and_seed_whatever_its_schema() {
        let key = "bench:100000:1000000:1";
        assert!(built_for(key, key));
        assert!(built_for("bench:100000:1000000:1:20", key));
        for other in [
            "",
            "bench:100000:1000000:12",
            "bench:100000:1000000:1:x",
            "bench:100000:100000:1",
        ] {
            assert!(!built_for(other, key), "{other}");
        }
    }
}
