//! `shiguang sync` (a station to headquarters) and `shiguang hq …`
//! (headquarters' own commands: init, ingest, report, bench).

use super::Failure;
use crate::hq::connect::{self, Hq, Target};
use crate::hq::sync::{SyncOptions, SyncReport};
use crate::hq::{HqError, ingest, migrate, register, report};
use crate::i18n::Tr;
use crate::store::{OpenMode, Store};
use std::path::{Path, PathBuf};

/// Where headquarters is. Without either, `SHIGUANG_HQ_URL`, then the
/// station's settings.
#[derive(Debug, Clone, clap::Args)]
pub struct PgArgs {
    /// Headquarters' connection string (for scripts: better SHIGUANG_HQ_URL or --pg-file)
    #[arg(long, value_name = "URL")]
    pub pg: Option<String>,
    /// A file holding headquarters' connection string
    #[arg(long, value_name = "PATH")]
    pub pg_file: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct SyncArgs {
    #[command(flatten)]
    pub pg: PgArgs,
    /// Rows of each hash chain per batch (one transaction each)
    #[arg(long, default_value_t = 2000)]
    pub batch_size: usize,
    /// Send everything again, so headquarters compares every row it has
    #[arg(long)]
    pub recheck: bool,
    /// One JSON object instead of the lines
    #[arg(long)]
    pub json: bool,
    /// Hold each batch open this long before committing (tests)
    #[arg(long, hide = true, default_value_t = 0)]
    pub batch_pause_ms: u64,
    #[command(flatten)]
    pub staff: super::staff::StaffArgs,
}

#[derive(Debug, clap::Args)]
pub struct HqArgs {
    #[command(subcommand)]
    pub cmd: HqCmd,
}

#[derive(Debug, clap::Subcommand)]
pub enum HqCmd {
    /// Create or update headquarters' schema (run with an owner's role)
    Init(InitArgs),
    /// Take day bundles carried by hand, through the sync's checks
    Ingest(IngestArgs),
    /// Take a station's new signing key from one of its bundles
    Rekey(RekeyArgs),
    /// Each station's month: figures, KPIs, every day against its summary
    Report(ReportArgs),
    /// Time the sync and the report on many synthetic stations
    Bench(super::hq_bench::HqBenchArgs),
}

#[derive(Debug, clap::Args)]
pub struct InitArgs {
    #[command(flatten)]
    pub pg: PgArgs,
    /// Also give this existing role the station grants (insert and read only)
    #[arg(long, value_name = "ROLE")]
    pub station_role: Option<String>,
    /// A station code the role may sync (repeat for each; one role per station
    /// keeps stations apart)
    #[arg(long = "station", value_name = "CODE", requires = "station_role")]
    pub stations: Vec<String>,
}

#[derive(Debug, clap::Args)]
pub struct IngestArgs {
    #[command(flatten)]
    pub pg: PgArgs,
    /// Day bundles (.jsonl)
    #[arg(required = true, value_name = "BUNDLE")]
    pub bundles: Vec<PathBuf>,
    /// Register a station headquarters does not know yet with the key its
    /// bundle is signed with (make sure first that the bundle came from it)
    #[arg(long)]
    pub register: bool,
}

#[derive(Debug, clap::Args)]
pub struct RekeyArgs {
    #[command(flatten)]
    pub pg: PgArgs,
    /// The station's code, e.g. JS01
    #[arg(long, value_name = "CODE")]
    pub station: String,
    /// A day bundle the station signed with its new key
    #[arg(long, value_name = "BUNDLE")]
    pub from_bundle: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub pg: PgArgs,
    /// The month, YYYY-MM
    #[arg(long, value_name = "YYYY-MM")]
    pub month: String,
    /// Only this station (its code, e.g. JS01)
    #[arg(long, value_name = "CODE")]
    pub station: Option<String>,
    /// JSON instead of the lines
    #[arg(long)]
    pub json: bool,
}

pub fn fail(tr: &Tr, e: &HqError) -> Failure {
    match e {
        HqError::NoUrl | HqError::BadUrl(_) => Failure::usage(tr.msg(&e.msg())),
        _ => Failure::failed(tr.msg(&e.msg())),
    }
}

/// Connect to headquarters for a command.
pub fn open_hq(
    pg: &PgArgs,
    settings: Option<&crate::domain::station::Settings>,
    tr: &Tr,
) -> Result<Hq, Failure> {
    let t: Target = connect::resolve(pg.pg.as_deref(), pg.pg_file.as_deref(), settings)
        .map_err(|e| fail(tr, &e))?;
    connect::connect(&t).map_err(|e| fail(tr, &e))
}

fn open_station(db: Option<&Path>, tr: &Tr) -> Result<Store, Failure> {
    let path = crate::config::paths::resolve_db(db);
    let now = chrono::Utc::now().timestamp_millis();
    // the sync only reads the station's file
    let store = Store::open(&path, OpenMode::Inspect, now)
        .map_err(|e| Failure::failed(tr.msg(&e.msg())))?;
    if store.station().is_none() {
        return Err(Failure::failed(tr.t("cli.no_station")));
    }
    Ok(store)
}

/// The lines saying what a sync sent and where headquarters' heads are.
pub fn sync_lines(r: &SyncReport, tr: &Tr) -> Vec<String> {
    let mut out = Vec::new();
    if r.batches == 0 {
        out.push(tr.f(
            "hq.sync.nothing",
            &[("hq", &r.place), ("station", &r.station)],
        ));
    } else {
        let s = &r.sent;
        out.push(tr.f(
            "hq.sync.sent",
            &[
                ("hq", &r.place),
                ("station", &r.station),
                ("batches", &r.batches),
                ("rows", &s.total()),
                ("new", &r.new.total()),
                ("transfers", &s.transfers),
                ("audit", &s.audit),
                ("records", &s.records),
                ("members", &s.members),
                ("requests", &s.requests),
                ("disputes", &s.disputes),
                ("summaries", &s.summaries),
            ],
        ));
    }
    if r.compared > 0 {
        out.push(tr.f("hq.sync.compared", &[("rows", &r.compared)]));
    }
    out.push(tr.f(
        "hq.sync.head",
        &[
            ("lseq", &r.ledger.seq),
            ("lhash", &r.ledger.short()),
            ("aseq", &r.audit.seq),
            ("ahash", &r.audit.short()),
        ],
    ));
    out
}

pub fn sync(db: Option<&Path>, a: &SyncArgs, tr: &Tr) -> Result<(), Failure> {
    if a.batch_size == 0 {
        return Err(Failure::usage("--batch-size: at least 1"));
    }
    let store = open_station(db, tr)?;
    let need = super::staff::Need::AnyStaff;
    super::staff::check(&store, &a.staff, "sync", need, tr)?;
    let mut hq = open_hq(&a.pg, Some(store.settings()), tr)?;
    let opts = SyncOptions {
        batch_size: a.batch_size,
        recheck: a.recheck,
        pause: (a.batch_pause_ms > 0).then(|| std::time::Duration::from_millis(a.batch_pause_ms)),
    };
    let json = a.json;
    let mut progress = |r: &SyncReport| {
        if !json {
            eprintln!(
                "{}",
                tr.f(
                    "hq.sync.batch",
                    &[
                        ("n", &r.batches),
                        ("lseq", &r.ledger.seq),
                        ("aseq", &r.audit.seq)
                    ]
                )
            );
        }
    };
    match crate::hq::sync::sync(&store, &mut hq, &opts, &mut progress) {
        Ok(r) => {
            if json {
                outln!("{}", r.json());
            } else {
                for l in sync_lines(&r, tr) {
                    outln!("{l}");
                }
            }
            Ok(())
        }
        Err(b) => {
            let (r, e) = *b;
            if json {
                outln!("{}", r.json());
            } else if r.batches > 0 {
                for l in sync_lines(&r, tr) {
                    outln!("{l}");
                }
            }
            Err(fail(tr, &e))
        }
    }
}

pub fn run(a: &HqArgs, tr: &Tr) -> Result<(), Failure> {
    match &a.cmd {
        HqCmd::Init(a) => init(a, tr),
        HqCmd::Ingest(a) => ingest_files(a, tr),
        HqCmd::Rekey(a) => rekey(a, tr),
        HqCmd::Report(a) => month_report(a, tr),
        HqCmd::Bench(a) => super::hq_bench::run(a, tr),
    }
}

fn init(a: &InitArgs, tr: &Tr) -> Result<(), Failure> {
    let mut codes = Vec::new();
    for c in &a.stations {
        let code = register::parse_code(c)
            .ok_or_else(|| Failure::usage(tr.f("hq.init.code_invalid", &[("code", c)])))?;
        codes.push(code);
    }
    let mut hq = open_hq(&a.pg, None, tr)?;
    let applied = migrate::apply(&mut hq.client).map_err(|e| fail(tr, &e))?;
    outln!(
        "{}",
        tr.f(
            "hq.init.done",
            &[
                ("hq", &hq.place),
                ("version", &migrate::latest_version()),
                ("applied", &applied)
            ]
        )
    );
    let Some(role) = &a.station_role else {
        return Ok(());
    };
    migrate::grant(&mut hq.client, role).map_err(|e| fail(tr, &e))?;
    outln!("{}", tr.f("hq.init.granted", &[("role", role)]));
    let assigned = register::assign(&mut hq.client, role, &codes).map_err(|e| fail(tr, &e))?;
    for a in &assigned {
        match &a.before {
            Some(before) => outln!(
                "{}",
                tr.f(
                    "hq.init.moved",
                    &[("code", &a.code), ("before", before), ("role", role)]
                )
            ),
            None => outln!(
                "{}",
                tr.f("hq.init.assigned", &[("code", &a.code), ("role", role)])
            ),
        }
    }
    if assigned.is_empty() {
        outln!("{}", tr.f("hq.init.no_codes", &[("role", role)]));
    }
    Ok(())
}

fn rekey(a: &RekeyArgs, tr: &Tr) -> Result<(), Failure> {
    let code = register::parse_code(&a.station)
        .ok_or_else(|| Failure::usage(tr.f("hq.init.code_invalid", &[("code", &a.station)])))?;
    let text = std::fs::read_to_string(&a.from_bundle).map_err(|e| {
        Failure::usage(tr.f(
            "hq.rekey.unreadable",
            &[("file", &a.from_bundle.display()), ("why", &e)],
        ))
    })?;
    let bundle = crate::wire::bundle::Bundle::parse(&text).map_err(|detail| {
        fail(
            tr,
            &HqError::Refused(crate::wire::rules::Problem::Bundle { detail }),
        )
    })?;
    let mut hq = open_hq(&a.pg, None, tr)?;
    let r = register::rekey(&mut hq.client, &code, &bundle).map_err(|e| fail(tr, &e))?;
    let none = tr.t("hq.rekey.none").to_string();
    let short = |k: &str| k[..k.len().min(12)].to_string();
    outln!(
        "{}",
        tr.f(
            "hq.rekey.done",
            &[
                ("code", &r.code),
                ("before", &r.before.as_deref().map_or(none, short)),
                ("after", &short(&r.after)),
            ]
        )
    );
    Ok(())
}

fn ingest_files(a: &IngestArgs, tr: &Tr) -> Result<(), Failure> {
    let mut hq = open_hq(&a.pg, None, tr)?;
    let mut failed = 0;
    for f in &a.bundles {
        match ingest::ingest(&mut hq.client, f, a.register) {
            Ok(i) if i.already() => outln!(
                "{}",
                tr.f(
                    "hq.ingest.already",
                    &[
                        ("file", &f.display()),
                        ("station", &i.station),
                        ("day", &i.day)
                    ]
                )
            ),
            Ok(i) => outln!(
                "{}",
                tr.f(
                    "hq.ingest.done",
                    &[
                        ("file", &f.display()),
                        ("station", &i.station),
                        ("day", &i.day),
                        ("new", &i.new.total()),
                        ("lseq", &i.ledger.seq),
                        ("aseq", &i.audit.seq),
                    ]
                )
            ),
            Err(e) if e.is_transient() => return Err(fail(tr, &e)),
            Err(e) => {
                failed += 1;
                outln!(
                    "{}",
                    tr.f(
                        "hq.ingest.refused",
                        &[("file", &f.display()), ("why", &tr.msg(&e.msg()))]
                    )
                );
            }
        }
    }
    if failed > 0 {
        return Err(Failure::failed(tr.f(
            "hq.ingest.failed",
            &[("n", &failed), ("of", &a.bundles.len())],
        )));
    }
    Ok(())
}

fn month_report(a: &ReportArgs, tr: &Tr) -> Result<(), Failure> {
    let first = chrono::NaiveDate::parse_from_str(&format!("{}-01", a.month.trim()), "%Y-%m-%d")
        .map_err(|_| Failure::usage(tr.f("hq.report.month_invalid", &[("month", &a.month)])))?;
    let mut hq = open_hq(&a.pg, None, tr)?;
    let now = chrono::Utc::now().timestamp_millis();
    let months = report::report(&mut hq.client, first, a.station.as_deref(), now)
        .map_err(|e| fail(tr, &e))?;
    let differ: usize = months.iter().map(|m| m.differing()).sum();
    if a.json {
        outln!(
            "{}",
            serde_json::json!({"month": a.month.trim(), "stations": months, "differing_days": differ})
        );
    } else {
        super::out::text(&report_text(&months, &a.month, tr));
    }
    if differ > 0 {
        return Err(Failure::failed(tr.f("hq.report.differ", &[("n", &differ)])));
    }
    Ok(())
}

fn hours(minutes: u64) -> String {
    format!("{}.{}", minutes / 60, (minutes % 60) * 10 / 60)
}

/// The month report as text: a block per station, a line per day.
pub fn report_text(months: &[report::StationMonth], month: &str, tr: &Tr) -> String {
    // Long because: one translated line per figure of the report, read top to bottom like the text it writes.
    let mut out = String::new();
    let mut line = |s: String| {
        out.push_str(&s);
        out.push('\n');
    };
    let (mut summaries, mut equal) = (0, 0);
    for m in months {
        line(tr.f(
            "hq.report.station",
            &[
                ("code", &m.code),
                ("name", &m.name),
                ("kind", &tr.t(&format!("hq.report.kind.{}", m.kind))),
                ("month", &month),
            ],
        ));
        let f = &m.figures;
        line(tr.f(
            "hq.report.figures",
            &[
                ("services", &f.services),
                ("hours", &hours(f.minutes)),
                ("points", &f.service_points),
                ("issued", &f.points_issued),
                ("spent", &f.points_spent),
                ("requests", &f.new_requests),
                ("in_time", &f.responded_in_time),
                ("opened", &f.disputes_opened),
                ("decided", &f.disputes_decided),
                ("applied", &f.members_applied),
                ("approved", &f.members_approved),
            ],
        ));
        line(tr.f(
            "hq.report.kpi_hours",
            &[
                ("hours", &hours(m.served_minutes)),
                ("services", &m.served_services),
                ("target", &m.target_hours),
                ("bonus", &m.bonus_yuan),
                (
                    "verdict",
                    &tr.t(if m.bonus_yuan > 0 {
                        "hq.report.met"
                    } else {
                        "hq.report.not_met"
                    }),
                ),
            ],
        ));
        line(match m.satisfaction_pct {
            Some(p) => tr.f(
                "hq.report.kpi_satisfaction",
                &[
                    ("pct", &p),
                    ("n", &m.callbacks_answered),
                    (
                        "verdict",
                        &tr.t(if p >= 90 {
                            "hq.report.met"
                        } else {
                            "hq.report.not_met"
                        }),
                    ),
                ],
            ),
            None => tr.t("hq.report.kpi_satisfaction_none").to_string(),
        });
        line(tr.f(
            "hq.report.kpi_disputes",
            &[
                ("ok", &(m.disputes - m.disputes_late)),
                ("n", &m.disputes),
                ("late", &m.disputes_late),
                ("penalty", &m.dispute_penalty_yuan),
            ],
        ));
        for d in &m.days {
            let args = |key: &str| {
                tr.f(
                    key,
                    &[
                        ("day", &d.day),
                        ("v", &d.version.unwrap_or(0)),
                        ("services", &d.hq.services),
                        ("hours", &hours(d.hq.minutes)),
                        ("issued", &d.hq.points_issued),
                        ("spent", &d.hq.points_spent),
                    ],
                )
            };
            match (&d.station, d.equal()) {
                (Some(_), Some(true)) => {
                    summaries += 1;
                    equal += 1;
                    line(args("hq.report.day_equal"));
                }
                (Some(s), _) => {
                    summaries += 1;
                    line(args("hq.report.day_differs"));
                    line(format!("    station: {s:?}"));
                    line(format!("    hq:      {:?}", d.hq));
                }
                (None, _) => line(args("hq.report.day_missing")),
            }
        }
    }
    line(tr.f(
        "hq.report.total",
        &[
            ("stations", &months.len()),
            ("summaries", &summaries),
            ("equal", &equal),
            ("differ", &(summaries - equal)),
        ],
    ));
    out
}
