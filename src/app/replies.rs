//! Replies from the db thread: a typed one goes back to the pane that
//! asked, as its message; a legacy one to the `Pending` it was sent with.

use super::action::Command;
use super::state::*;
use super::{App, Pending, form};
use crate::worker::{Data, DbCommand, Done, Reply};

impl App {
    pub(super) fn on_reply(&mut self, done: Done) {
        let Some((pending, ticket)) = self.pending.remove(&done.id) else {
            if let Some(msg) = self.outbox.answer(done) {
                self.deliver(msg);
            }
            return;
        };
        self.legacy_reply(pending, Reply::open(done, ticket));
    }

    /// LEGACY: a reply read by what its `Pending` says it was for.
    ///
    /// Over 80 lines: one arm per kind of legacy reply, read as a table; it
    /// shrinks as the panes move to typed requests (issue 18).
    fn legacy_reply(&mut self, pending: Pending, reply: Reply) {
        match pending {
            Pending::Setup => self.setup_reply(reply),
            Pending::SignIn => self.signin_reply(reply),
            Pending::Scan => self.scan_reply(reply),
            Pending::ScanField => match reply.result {
                Ok(Data::Member(m)) => {
                    let label = format!("{} {}", m.number.clone().unwrap_or_default(), m.name);
                    if let Some(f) = self.active_form() {
                        f.fill_member(form::Picked {
                            member_id: m.id,
                            label,
                        });
                        f.command(Command::NextField);
                    }
                }
                Ok(_) => {}
                Err(e) => {
                    if let Some(f) = self.active_form() {
                        let name = f.focused_name();
                        f.show_refusals(&[crate::msg::Refusal::at(name, e.msg())]);
                    }
                }
            },
            Pending::Drafts => {
                if let Ok(Data::Drafts(d)) = reply.result
                    && !d.is_empty()
                {
                    self.state.overlay = Some(Overlay::Drafts(d));
                }
            }
            Pending::Header => {
                if let Ok(Data::Header(h)) = reply.result {
                    self.state.header = h;
                }
            }
            Pending::Index => {
                if let Ok(Data::Index(ix)) = reply.result {
                    self.state.index = *ix;
                    self.state.index_loaded = true;
                    self.index_changed();
                }
            }
            Pending::IndexEntry => {
                if let Ok(Data::IndexEntry(e)) = reply.result {
                    self.state.index.upsert(e);
                    self.index_changed();
                }
            }
            Pending::Catalog => {
                if let Ok(Data::Catalog(c)) = reply.result {
                    self.state.catalog = c;
                }
            }
            Pending::LevelRun => match reply.result {
                Ok(Data::Count(n)) if n > 0 => {
                    self.notify(NoticeKind::Info, crate::msg!("level.run_ok", n = n));
                    self.reload_index();
                }
                Err(e) => self.notify(NoticeKind::Error, e.msg()),
                _ => {}
            },
            Pending::Reveal => self.reveal_reply(reply),
            Pending::Integrity => match reply.result {
                Ok(Data::Offer(m)) => self.state.integrity = Integrity::Failed(m),
                Ok(_) => self.state.integrity = Integrity::Passed,
                Err(e) => {
                    let m = e.msg();
                    self.state.integrity = Integrity::Failed(m.clone());
                    self.notify(NoticeKind::Error, m);
                    let why = match e {
                        crate::store::StoreError::Damaged(w) => w,
                        other => other.to_string(),
                    };
                    self.db(DbCommand::RecoveryOffer { why }, Pending::Integrity);
                }
            },
            Pending::Quiet => {
                if let Err(e) = reply.result {
                    self.notify(NoticeKind::Error, e.msg());
                }
            }
        }
    }
}
