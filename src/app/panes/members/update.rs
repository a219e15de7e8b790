//! The members pane's forms sent, and what comes back.

use super::forms;
use super::{MembersFormKind, MembersMsg, MembersPane};
use crate::app::cx::Cx;
use crate::app::form::Form;
use crate::app::notice::NoticeKind;
use crate::msg;
use crate::msg::{Msg, Refusal};
use crate::store::StoreResult;
use crate::store::members::MemberRow;
use crate::worker::exports::ExportCard;
use crate::worker::members::{
    AddViolation, Approve, IssueCard, Notified, Register, RegisterHeir, Reject, RunLevels,
};

impl MembersPane {
    /// The open form, read and sent; a wrong field is refused at its line
    /// and nothing is sent.
    pub(super) fn on_submit(&mut self, cx: &mut Cx<'_, MembersMsg>) {
        let Some(of) = self.form.as_mut() else { return };
        match send(&of.kind, &of.form, cx) {
            Ok(id) => {
                of.form.clear_errors();
                of.form.busy = Some(id);
            }
            Err(errs) => of.form.show_refusals(&errs),
        }
    }

    pub(super) fn on_msg(&mut self, msg: MembersMsg, cx: &mut Cx<'_, MembersMsg>) {
        match msg {
            MembersMsg::Review(Ok(rows)) => {
                self.review = rows;
                self.list_arrived(cx);
            }
            MembersMsg::Levels(Ok(rows)) => {
                self.levels = rows;
                self.list_arrived(cx);
            }
            MembersMsg::Trust(Ok(rows)) => {
                self.trust = rows;
                self.list_arrived(cx);
            }
            MembersMsg::Notice(Ok(rows)) => {
                self.notice = rows;
                self.list_arrived(cx);
            }
            MembersMsg::Detail(Ok(d)) => self.detail = Some(d),
            MembersMsg::Member(Ok(m)) => self.saved(Some(&m), cx),
            MembersMsg::Saved(Ok(())) => self.saved(None, cx),
            MembersMsg::RunLevels => {
                let (by, at) = (cx.desk.session.clone(), cx.desk.now);
                cx.db(RunLevels { by, at }, MembersMsg::LevelsRun);
            }
            MembersMsg::LevelsRun(Ok(n)) => {
                cx.notify(NoticeKind::Ok, msg!("level.run_ok", n = n));
                cx.reload_index();
                self.load_view(cx);
                self.load_detail(cx);
            }
            MembersMsg::Exported(Ok(saved)) => {
                self.printed();
                cx.notify(NoticeKind::Ok, saved.msg());
            }
            MembersMsg::Printed(Ok(done)) => {
                self.printed();
                cx.notify(NoticeKind::Ok, done.msg());
            }
            MembersMsg::Exported(Err(e)) | MembersMsg::Printed(Err(e)) => {
                let form = self
                    .form
                    .as_mut()
                    .filter(|f| matches!(f.kind, MembersFormKind::Print { .. }));
                cx.failed(form.map(|f| &mut f.form), e);
            }
            MembersMsg::Number(Ok(n)) => {
                if let Some(of) = self.form.as_mut()
                    && of.kind == (MembersFormKind::Notified { id: n.member_id })
                {
                    of.form.show("phone", n.dial_line());
                }
            }
            MembersMsg::Member(Err(e)) | MembersMsg::Saved(Err(e)) => {
                cx.failed(self.form.as_mut().map(|f| &mut f.form), e);
            }
            MembersMsg::Review(Err(e))
            | MembersMsg::Levels(Err(e))
            | MembersMsg::Trust(Err(e))
            | MembersMsg::Notice(Err(e))
            | MembersMsg::Detail(Err(e))
            | MembersMsg::LevelsRun(Err(e))
            | MembersMsg::Number(Err(e)) => cx.failed(None, e),
        }
    }

    /// A page printed or a sheet exported: the print form, if that asked,
    /// is done.
    fn printed(&mut self) {
        if self
            .form
            .as_ref()
            .is_some_and(|f| matches!(f.kind, MembersFormKind::Print { .. }))
        {
            self.form = None;
        }
    }

    /// The view's list came: the cursor stays on it (on the member just
    /// registered, if that is who it waits for), and their detail is read.
    fn list_arrived(&mut self, cx: &mut Cx<'_, MembersMsg>) {
        self.sel = self.sel.min(self.len().saturating_sub(1));
        if let Some(want) = self.select_after_load.take()
            && let Some(i) = self.review.iter().position(|m| m.id == want)
        {
            self.sel = i;
        }
        self.load_detail(cx);
    }

    /// The open form was saved (`member`: as they now stand, for the steps
    /// of an application). The form closes, the member's entry in the
    /// index and the header are read again, and so is the view.
    fn saved(&mut self, member: Option<&MemberRow>, cx: &mut Cx<'_, MembersMsg>) {
        // the form cannot be closed while it waits (it takes no keys), so
        // a reply without one has nothing left to close or say
        let Some(of) = self.form.take() else { return };
        if of.kind == MembersFormKind::Register {
            cx.drop_draft("members.register");
            if let Some(m) = member {
                // the new application goes to the review list, selected
                self.view = super::View::Review;
                self.select_after_load = Some(m.id);
            }
        }
        let changed = member.map(|m| m.id).or(self.selected(cx.desk.index));
        if let Some(id) = changed {
            cx.member_changed(id);
        }
        cx.notify(NoticeKind::Ok, saved_note(&of.kind, member));
        cx.refresh_header();
        self.load_view(cx);
        self.load_detail(cx);
    }
}

/// What the status line says once a form of the pane is saved.
fn saved_note(kind: &MembersFormKind, member: Option<&MemberRow>) -> Msg {
    match (kind, member) {
        (MembersFormKind::Register, Some(m)) => msg!("reg.done", name = &m.name),
        // a liaison's review: the master approves
        (MembersFormKind::Approve { .. }, Some(m)) if m.number.is_none() => {
            msg!("review.checked", name = &m.name)
        }
        (MembersFormKind::Approve { .. }, Some(m)) => msg!(
            "review.approved",
            name = &m.name,
            number = m.number.clone().unwrap_or_default()
        ),
        (MembersFormKind::Reject { .. }, _) => msg!("review.rejected"),
        (MembersFormKind::Notified { .. }, _) => msg!("review.notified"),
        (MembersFormKind::Card { .. }, _) => msg!("card.issued_ok"),
        (MembersFormKind::Heir { .. }, _) => msg!("heir.saved"),
        (MembersFormKind::Violation { .. }, _) => msg!("violation.saved"),
        // a print form closes on its own reply, never through `saved`
        (MembersFormKind::Print { .. }, _) => msg!("form.saved"),
        // a registration or approval always answers with the member
        (MembersFormKind::Register | MembersFormKind::Approve { .. }, None) => msg!("form.saved"),
    }
}

/// Read `f`, the form of `kind`, and send its request; the id it went
/// with, or every field that is wrong.
///
/// Over 80 lines: one arm per form of the pane, each building its
/// request from the fields; read as a table.
fn send(
    kind: &MembersFormKind,
    f: &Form,
    cx: &mut Cx<'_, MembersMsg>,
) -> Result<u64, Vec<Refusal>> {
    let (by, at) = (cx.desk.session.clone(), cx.desk.now);
    let as_member = |r: StoreResult<MemberRow>| MembersMsg::Member(r.map(Box::new));
    match kind.clone() {
        MembersFormKind::Register => forms::validate_register(f).map(|m| {
            let member = Box::new(m);
            cx.db(Register { by, member, at }, as_member)
        }),
        MembersFormKind::Approve {
            id: member_id,
            has_recommender,
        } => forms::parse_approve(f, has_recommender).map(|note| {
            cx.db(
                Approve {
                    by,
                    member_id,
                    note,
                    at,
                },
                as_member,
            )
        }),
        MembersFormKind::Reject { id: member_id } => {
            forms::parse_reject(f).map(|(reason, false_identity)| {
                cx.db(
                    Reject {
                        by,
                        member_id,
                        reason,
                        false_identity,
                        at,
                    },
                    as_member,
                )
            })
        }
        MembersFormKind::Notified { id: member_id } => {
            let note = f.value("note").to_string();
            Ok(cx.db(
                Notified {
                    by,
                    member_id,
                    note,
                    at,
                },
                as_member,
            ))
        }
        MembersFormKind::Card { id } => forms::parse_card(f).map(|(serial, reason)| {
            let card = IssueCard {
                by,
                member_id: id,
                serial,
                reason,
                at,
            };
            cx.db(card, MembersMsg::Saved)
        }),
        MembersFormKind::Heir { id } => {
            let heir = RegisterHeir {
                by,
                member_id: id,
                name: f.value("heir_name").to_string(),
                relation: f.value("relation").to_string(),
                phone: f.value("heir_phone").to_string(),
                at,
            };
            Ok(cx.db(heir, MembersMsg::Saved))
        }
        MembersFormKind::Print { id } => forms::parse_print(f, id).map(|what| {
            let lang = cx.desk.lang;
            match what {
                forms::MemberPrint::Page(what) => cx.print(what, MembersMsg::Printed),
                forms::MemberPrint::Card(member_id) => {
                    let card = ExportCard {
                        member_id,
                        lang,
                        at,
                    };
                    cx.db(card, MembersMsg::Exported)
                }
            }
        }),
        MembersFormKind::Violation { id: member_id } => {
            let master = by.is_master();
            forms::parse_violation(f, master).map(|(severity, reason)| {
                let v = AddViolation {
                    by,
                    member_id,
                    severity,
                    reason,
                    at,
                };
                cx.db(v, MembersMsg::Saved)
            })
        }
    }
}
