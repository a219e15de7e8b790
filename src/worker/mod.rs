//! The db thread: one thread owns the [`Store`]; the app hands it [`Job`]s
//! and gets each one back [`Done`] as an event, so the screen never waits on
//! the disk.
//!
//! A job is made from a typed request: one struct per thing the desk asks,
//! grouped by area (`worker/<area>.rs`), implementing [`DbRequest`] with the
//! type of its reply. The result travels type-erased only from here to the
//! app's outbox; the [`Ticket`] made with the job is the one way to open it,
//! typed by the same request, so a reply read as the wrong type does not
//! compile.
//!
//! The test harness and the bench run each job at once on their own store
//! ([`Job::run_here`]): the same code without the thread.
//!
//! Layers: uses `store` (and what it uses); used by `app`, `runtime`,
//! `harness` and the bench.

pub mod check;
pub mod day;
pub mod desk;
pub mod disputes;
pub mod exports;
pub mod fund;
pub mod hub;
pub mod ledger;
pub mod medals;
pub mod members;
pub mod merchants;
pub mod queue;
pub mod records;
pub mod session;
pub mod settings;
pub mod stats;
pub mod tools;

use crate::store::gate::{Check, Gate};
use crate::store::{OpenMode, Store, StoreError, StoreResult};
use std::any::Any;
use std::marker::PhantomData;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One thing the desk asks of the database, with the type of its answer.
pub trait DbRequest: std::fmt::Debug + Send + 'static {
    type Reply: Send + 'static;

    /// Do it on the desk's store (every write is one transaction in there).
    fn run(self, store: &mut Store) -> StoreResult<Self::Reply>;

    /// Where the desk's worker runs it. The harness runs every job in
    /// order on its one store, whatever its lane.
    fn lane(&self) -> Lane {
        Lane::Desk
    }

    /// Do it away from the desk's store ([`Lane::Aside`], [`Lane::Check`]):
    /// by default on a read-only connection of its own.
    fn run_aside(self, path: &Path) -> StoreResult<Self::Reply>
    where
        Self: Sized,
    {
        self.run(&mut open_aside(path)?)
    }

    /// What tests count requests by: the type's name (`MoveRequest`).
    fn name(&self) -> String {
        let full = std::any::type_name::<Self>();
        full.rsplit("::").next().unwrap_or(full).to_string()
    }
}

/// Where the worker runs a job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lane {
    /// On the db thread, in the order sent: every write, and quick reads.
    Desk,
    /// On a thread of its own ([`DbRequest::run_aside`]): long reads (the
    /// whole-chain check, the sync to headquarters) and work on files, so
    /// they never hold up saving.
    Aside,
    /// The start-up check: aside, and writes on the desk's store wait for
    /// its verdict (the store's gate).
    Check,
}

/// A read-only connection of its own, for a job run aside.
pub(crate) fn open_aside(path: &Path) -> StoreResult<Store> {
    Store::open(path, OpenMode::Inspect, 0).map_err(|e| StoreError::Other(e.to_string()))
}

type Payload = Box<dyn Any + Send>;

/// What a job runs on.
enum Seat<'a> {
    Desk(&'a mut Store),
    Aside(&'a Path, Option<&'a Gate>),
}

/// A request on its way to the worker, its reply type erased.
pub struct Job {
    pub id: u64,
    /// The request's name (see [`DbRequest::name`]).
    pub name: String,
    lane: Lane,
    run: Box<dyn FnOnce(Seat<'_>) -> Payload + Send>,
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Job #{} {} ({:?})", self.id, self.name, self.lane)
    }
}

impl Job {
    /// The job for `request`, and the ticket that opens its result.
    pub fn new<R: DbRequest>(id: u64, request: R) -> (Job, Ticket<R>) {
        let name = request.name();
        let lane = request.lane();
        let run = Box::new(move |seat: Seat<'_>| -> Payload {
            let result = match seat {
                Seat::Desk(store) => request.run(store),
                Seat::Aside(path, gate) => {
                    let result = request.run_aside(path);
                    if let Some(gate) = gate {
                        gate.set(match &result {
                            Ok(_) => Check::Passed,
                            Err(e) => Check::Failed(e.to_string()),
                        });
                    }
                    result
                }
            };
            Box::new(result)
        });
        (
            Job {
                id,
                name,
                lane,
                run,
            },
            Ticket(PhantomData),
        )
    }

    /// Run it now on `store`, whatever its lane (the harness, the bench).
    pub fn run_here(self, store: &mut Store) -> Done {
        Done {
            id: self.id,
            payload: (self.run)(Seat::Desk(store)),
        }
    }

    fn run_aside(self, path: &Path, gate: Option<&Gate>) -> Done {
        Done {
            id: self.id,
            payload: (self.run)(Seat::Aside(path, gate)),
        }
    }
}

/// A finished job: its id and its result, still sealed.
pub struct Done {
    pub id: u64,
    payload: Payload,
}

impl std::fmt::Debug for Done {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Done #{}", self.id)
    }
}

/// Opens the result of the job it was made with, as that request's reply.
pub struct Ticket<R>(PhantomData<fn() -> R>);

impl<R: DbRequest> Ticket<R> {
    pub fn open(self, done: Done) -> StoreResult<R::Reply> {
        match done.payload.downcast::<StoreResult<R::Reply>>() {
            Ok(result) => *result,
            // cannot happen: the outbox keeps each ticket under its job's id
            Err(_) => Err(StoreError::Other(format!(
                "reply #{} is not a {}",
                done.id,
                std::any::type_name::<R>()
            ))),
        }
    }
}

/// Start the worker thread. Finished jobs go to `reply`; the thread ends
/// when the job channel closes. Jobs of the aside lanes run on threads of
/// their own (see [`Lane`]).
pub fn spawn(
    mut store: Store,
    reply: impl Fn(Done) + Send + Sync + 'static,
) -> (std::sync::mpsc::Sender<Job>, std::thread::JoinHandle<()>) {
    let (tx, rx) = std::sync::mpsc::channel::<Job>();
    let reply = Arc::new(reply);
    let handle = std::thread::Builder::new()
        .name("shiguang-db".into())
        .spawn(move || {
            while let Ok(job) = rx.recv() {
                match job.lane {
                    Lane::Desk => reply(job.run_here(&mut store)),
                    Lane::Aside => aside(store.path().to_path_buf(), job, None, reply.clone()),
                    Lane::Check => {
                        let gate = Gate::new();
                        store.set_gate(gate.clone());
                        aside(store.path().to_path_buf(), job, Some(gate), reply.clone());
                    }
                }
            }
        })
        .expect("spawn db worker thread");
    (tx, handle)
}

fn aside(
    path: PathBuf,
    job: Job,
    gate: Option<Arc<Gate>>,
    reply: Arc<impl Fn(Done) + Send + Sync + 'static>,
) {
    let _ = std::thread::Builder::new()
        .name(format!("shiguang-{}", job.name.to_lowercase()))
        .spawn(move || reply(job.run_aside(&path, gate.as_deref())));
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::time::Duration;

    /// Which thread ran it, and whether it could write there.
    #[derive(Debug)]
    struct WhereAmI(Lane);

    impl DbRequest for WhereAmI {
        type Reply = (String, bool);
        fn run(self, store: &mut Store) -> StoreResult<(String, bool)> {
            let thread = std::thread::current().name().unwrap_or("").to_string();
            let wrote = store
                .write(|tx| {
                    Ok(tx.execute_batch(
                        "CREATE TABLE IF NOT EXISTS probe(x); INSERT INTO probe VALUES (1);",
                    )?)
                })
                .is_ok();
            Ok((thread, wrote))
        }
        fn lane(&self) -> Lane {
            self.0
        }
    }

    /// A start-up check that finds the file damaged.
    #[derive(Debug)]
    struct FailingCheck;

    impl DbRequest for FailingCheck {
        type Reply = ();
        fn run(self, _: &mut Store) -> StoreResult<()> {
            Err(StoreError::Damaged("page 7".into()))
        }
        fn lane(&self) -> Lane {
            Lane::Check
        }
    }

    fn worker() -> (
        tempfile::TempDir,
        mpsc::Sender<Job>,
        mpsc::Receiver<Done>,
        std::thread::JoinHandle<()>,
    ) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("t.db"), OpenMode::Desk, 0).unwrap();
        let (done_tx, done_rx) = mpsc::channel();
        let (tx, handle) = spawn(store, move |d| {
            let _ = done_tx.send(d);
        });
        (dir, tx, done_rx, handle)
    }

    fn ask<R: DbRequest>(
        tx: &mpsc::Sender<Job>,
        rx: &mpsc::Receiver<Done>,
        id: u64,
        r: R,
    ) -> StoreResult<R::Reply> {
        let (job, ticket) = Job::new(id, r);
        tx.send(job).unwrap();
        let done = rx.recv_timeout(Duration::from_secs(10)).unwrap();
        assert_eq!(done.id, id);
        ticket.open(done)
    }

    #[test]
    fn the_db_thread_writes_and_an_aside_job_reads_on_a_connection_of_its_own() {
        let (_dir, tx, rx, handle) = worker();
        let (thread, wrote) = ask(&tx, &rx, 1, WhereAmI(Lane::Desk)).unwrap();
        assert_eq!((thread.as_str(), wrote), ("shiguang-db", true));
        let (thread, wrote) = ask(&tx, &rx, 2, WhereAmI(Lane::Aside)).unwrap();
        assert_eq!(thread, "shiguang-whereami");
        assert!(!wrote, "aside is read-only");
        drop(tx);
        handle.join().unwrap();
    }

    #[test]
    fn a_failed_start_up_check_closes_the_gate_to_writes() {
        let (_dir, tx, rx, _handle) = worker();
        let check = ask(&tx, &rx, 1, FailingCheck);
        assert_eq!(check, Err(StoreError::Damaged("page 7".into())));
        let (_, wrote) = ask(&tx, &rx, 2, WhereAmI(Lane::Desk)).unwrap();
        assert!(!wrote, "writes are refused once the check failed");
    }

    #[test]
    fn the_harness_runs_every_lane_in_order_on_its_one_store() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("t.db"), OpenMode::Desk, 0).unwrap();
        let (job, ticket) = Job::new(7, WhereAmI(Lane::Aside));
        assert_eq!(job.name, "WhereAmI");
        let done = job.run_here(&mut store);
        assert_eq!(done.id, 7);
        assert!(ticket.open(done).unwrap().1, "on the store it was given");
    }

    #[test]
    fn the_start_up_check_and_the_search_for_a_backup_run_aside() {
        let (job, _) = Job::new(1, session::LoadDrafts { staff_id: 3 });
        assert_eq!((job.name.as_str(), job.lane), ("LoadDrafts", Lane::Desk));
        let (job, _) = Job::new(2, check::IntegrityCheck);
        assert_eq!(
            (job.name.as_str(), job.lane),
            ("IntegrityCheck", Lane::Check)
        );
        let offer = check::RecoveryOffer { why: String::new() };
        assert_eq!(Job::new(3, offer).0.lane, Lane::Aside);
    }
}
