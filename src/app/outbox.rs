//! The App's outbox: every job for the db thread leaves through it, every
//! typed reply comes back through it as the message of whoever asked, and
//! the asks of the panes wait in it until the App carries them out.

use super::action::Effect;
use super::cx::{Ask, Outlet};
use crate::worker::{Done, Job};
use std::collections::HashMap;

/// A job sent, waiting for its reply.
struct Waiting<T> {
    /// Latest wins in this slot.
    slot: Option<&'static str>,
    then: Box<dyn FnOnce(Done) -> T>,
}

/// Jobs out, replies back as `T` (the App's pane messages), asks waiting.
pub struct Outbox<T> {
    next_id: u64,
    effects: Vec<Effect>,
    waiting: HashMap<u64, Waiting<T>>,
    /// The latest job of each slot.
    latest: HashMap<&'static str, u64>,
    asks: Vec<Ask<T>>,
}

impl<T> Default for Outbox<T> {
    fn default() -> Self {
        Outbox {
            next_id: 0,
            effects: Vec::new(),
            waiting: HashMap::new(),
            latest: HashMap::new(),
            asks: Vec::new(),
        }
    }
}

impl<T: 'static> Outbox<T> {
    /// Ids are shared with the App's own requests (`App::ask`).
    pub fn next_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    pub fn push(&mut self, effect: Effect) {
        self.effects.push(effect);
    }

    /// Send `job`; its reply will be `then(done)`.
    pub fn send(&mut self, job: Job, slot: Option<&'static str>, then: Box<dyn FnOnce(Done) -> T>) {
        if let Some(s) = slot {
            self.latest.insert(s, job.id);
        }
        self.waiting.insert(job.id, Waiting { slot, then });
        self.effects.push(Effect::Db(job));
    }

    /// The message a finished job answers. `None`: not sent through here,
    /// or overtaken by a later job of its slot (dropped on purpose: the
    /// later reply is on its way).
    pub fn answer(&mut self, done: Done) -> Option<T> {
        let w = self.waiting.remove(&done.id)?;
        if let Some(s) = w.slot {
            if self.latest.get(s) != Some(&done.id) {
                return None;
            }
            self.latest.remove(s);
        }
        Some((w.then)(done))
    }

    pub fn ask(&mut self, ask: Ask<T>) {
        self.asks.push(ask);
    }

    pub fn take_asks(&mut self) -> Vec<Ask<T>> {
        std::mem::take(&mut self.asks)
    }

    pub fn take_effects(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.effects)
    }
}

/// The outbox as one pane sees it: its messages `M` wrapped into the
/// App's `T` on the way out.
pub struct PaneOutlet<'o, M, T> {
    out: &'o mut Outbox<T>,
    wrap: fn(M) -> T,
}

impl<'o, M, T> PaneOutlet<'o, M, T> {
    pub fn new(out: &'o mut Outbox<T>, wrap: fn(M) -> T) -> Self {
        PaneOutlet { out, wrap }
    }
}

impl<M: 'static, T: 'static> Outlet<M> for PaneOutlet<'_, M, T> {
    fn next_id(&mut self) -> u64 {
        self.out.next_id()
    }

    fn send(&mut self, job: Job, slot: Option<&'static str>, then: Box<dyn FnOnce(Done) -> M>) {
        let wrap = self.wrap;
        self.out
            .send(job, slot, Box::new(move |done| wrap(then(done))));
    }

    fn ask(&mut self, ask: Ask<M>) {
        self.out.ask(ask.map(self.wrap));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::cx::testing::Desk;
    use crate::app::cx::{Cx, Goto};
    use crate::app::form::{Field, Form};
    use crate::app::notice::NoticeKind;
    use crate::domain::station::Settings;
    use crate::msg;
    use crate::msg::Refusal;
    use crate::store::{Store, StoreError, StoreResult};
    use crate::worker::DbRequest;

    /// A request that answers a number without touching the store.
    #[derive(Debug)]
    struct Echo(u32);

    impl DbRequest for Echo {
        type Reply = u32;
        fn run(self, _: &mut Store) -> StoreResult<u32> {
            Ok(self.0)
        }
    }

    /// A pane's message, wrapped by the App as `Wrapped`.
    #[derive(Debug, Clone, PartialEq)]
    enum Mine {
        Got(StoreResult<u32>),
        Yes,
    }

    #[derive(Debug, Clone, PartialEq)]
    struct Wrapped(Mine);

    fn with_cx(out: &mut Outbox<Wrapped>, settings: &Settings, f: impl FnOnce(&mut Cx<'_, Mine>)) {
        let d = Desk {
            settings: settings.clone(),
            ..Desk::default()
        };
        let desk = d.shared();
        let mut outlet = PaneOutlet::new(out, Wrapped);
        f(&mut Cx::new(&desk, &mut outlet));
    }

    /// Run the jobs the outbox holds as the harness would; their replies.
    fn run_jobs(out: &mut Outbox<Wrapped>) -> Vec<Done> {
        let dir = tempfile::tempdir().unwrap();
        let mut store =
            Store::open(&dir.path().join("t.db"), crate::store::OpenMode::Desk, 0).unwrap();
        out.take_effects()
            .into_iter()
            .map(|e| match e {
                Effect::Db(job) => job.run_here(&mut store),
                other => panic!("not a job: {other:?}"),
            })
            .collect()
    }

    #[test]
    fn a_reply_comes_back_as_the_message_of_the_pane_that_asked() {
        let mut out = Outbox::default();
        with_cx(&mut out, &Settings::default(), |cx| {
            cx.db(Echo(7), Mine::Got);
        });
        let done = run_jobs(&mut out).pop().unwrap();
        assert_eq!(out.answer(done), Some(Wrapped(Mine::Got(Ok(7)))));
    }

    #[test]
    fn latest_wins_an_overtaken_reply_is_dropped() {
        let mut out = Outbox::default();
        with_cx(&mut out, &Settings::default(), |cx| {
            cx.db_latest("list", Echo(1), Mine::Got);
            cx.db_latest("list", Echo(2), Mine::Got);
            cx.db(Echo(3), Mine::Got);
        });
        let answers: Vec<_> = run_jobs(&mut out)
            .into_iter()
            .map(|d| out.answer(d))
            .collect();
        assert_eq!(
            answers,
            [
                None,
                Some(Wrapped(Mine::Got(Ok(2)))),
                Some(Wrapped(Mine::Got(Ok(3))))
            ]
        );
    }

    #[test]
    fn a_failure_goes_to_the_form_that_sent_it_else_to_a_notice() {
        let mut out = Outbox::default();
        let mut form = Form::new(vec![Field::text(
            "reason",
            "request.cancel_reason_label",
            60,
        )]);
        form.busy = Some(1);
        let refused = StoreError::Refused(Refusal::at("reason", msg!("request.cancel_reason")));
        with_cx(&mut out, &Settings::default(), |cx| {
            cx.failed(Some(&mut form), refused.clone());
            cx.failed(None, refused.clone());
        });
        assert_eq!(form.busy, None, "the form takes keys again");
        assert_eq!(
            form.get("reason")
                .and_then(|f| f.error.as_ref())
                .map(|m| m.key),
            Some("request.cancel_reason")
        );
        assert_eq!(
            out.take_asks(),
            [Ask::Notify(
                NoticeKind::Error,
                msg!("request.cancel_reason")
            )]
        );
    }

    #[test]
    fn asks_keep_their_order_and_a_confirmation_carries_the_panes_message() {
        let mut out = Outbox::default();
        let muted = Settings {
            bell_muted: true,
            ..Settings::default()
        };
        with_cx(&mut out, &muted, |cx| {
            cx.bell();
            cx.confirm(msg!("confirm.quit_with_input"), Mine::Yes);
            cx.go(Goto::Match { request_id: 4 });
            cx.refresh_header();
            cx.drop_draft("queue.new");
        });
        assert_eq!(
            out.take_asks(),
            [
                Ask::Confirm {
                    text: msg!("confirm.quit_with_input"),
                    on_yes: Wrapped(Mine::Yes)
                },
                Ask::Go(Goto::Match { request_id: 4 }),
                Ask::RefreshHeader,
                Ask::DropDraft("queue.new"),
            ],
            "a muted bell is not rung"
        );
        with_cx(&mut out, &Settings::default(), |cx| cx.bell());
        assert_eq!(out.take_asks(), [Ask::Bell]);
    }
}
