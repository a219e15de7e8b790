//! The hub pane's medals view (`y`): the proposals for 月度暖心邻居 (last
//! month) and 年度诚信商家 (the year), each from the figures by the
//! domain's rule, awarded by the station master with a reason (`a`); and
//! the year's trust stories (年度信任故事集) to read, or write out (`p`).

use super::{HubFormKind, HubMsg, HubPane};
use crate::app::action::Command;
use crate::app::cx::Cx;
use crate::app::form::{Field, Form};
use crate::app::notice::NoticeKind;
use crate::app::pane::OpenForm;
use crate::domain::medal::{self, MedalKind};
use crate::exports::printed::Printable;
use crate::msg;
use crate::msg::{Msg, Refusal};
use crate::store::StoreResult;
use crate::store::medals::{
    self as medals_store, Figures, MedalRow, NewMedal, Proposal, YearStories,
};

use crate::worker::medals::{AwardMedal, ListProposals, ReadStories};

/// What the view shows, in `Tab` order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Section {
    #[default]
    Neighbours,
    Merchants,
    Stories,
}

impl Section {
    pub const ALL: [Section; 3] = [Section::Neighbours, Section::Merchants, Section::Stories];

    pub fn label_key(self) -> &'static str {
        match self {
            Section::Neighbours => crate::k!("medal.kind.warm_neighbour"),
            Section::Merchants => crate::k!("medal.kind.honest_merchant"),
            Section::Stories => crate::k!("stories.title"),
        }
    }

    fn kind(self) -> Option<MedalKind> {
        match self {
            Section::Neighbours => Some(MedalKind::WarmNeighbour),
            Section::Merchants => Some(MedalKind::HonestMerchant),
            Section::Stories => None,
        }
    }
}

/// What comes back to the medals view.
#[derive(Debug, Clone, PartialEq)]
pub enum MedalsMsg {
    Proposals(StoreResult<Vec<Proposal>>),
    Stories(StoreResult<YearStories>),
    Awarded(StoreResult<MedalRow>),
    Exported(StoreResult<crate::exports::deliver::Delivered>),
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct MedalsView {
    pub section: Section,
    pub proposals: Vec<Proposal>,
    pub stories: Option<YearStories>,
    pub sel: usize,
    /// The stories' year (the year before, in January).
    pub year: i32,
}

impl MedalsView {
    /// The proposals of the section shown.
    pub fn shown(&self) -> Vec<&Proposal> {
        let kind = self.section.kind();
        self.proposals
            .iter()
            .filter(|p| Some(p.kind) == kind)
            .collect()
    }

    pub fn selected(&self) -> Option<&Proposal> {
        self.shown().get(self.sel).copied()
    }

    fn rows(&self) -> usize {
        match self.section {
            Section::Stories => self
                .stories
                .as_ref()
                .map_or(0, |s| s.days.len() + s.letters.len()),
            Section::Neighbours | Section::Merchants => self.shown().len(),
        }
    }
}

fn wrap(m: MedalsMsg) -> HubMsg {
    HubMsg::Medals(m)
}

/// Open the view and read what it shows.
pub(super) fn open(p: &mut HubPane, cx: &mut Cx<'_, HubMsg>) {
    let year = medals_store::stories_year(cx.desk.today());
    p.medals = Some(MedalsView {
        year,
        ..MedalsView::default()
    });
    load(cx, year);
}

fn load(cx: &mut Cx<'_, HubMsg>, year: i32) {
    let day = cx.desk.today();
    cx.db_latest("hub.medals", ListProposals { day }, |r| {
        wrap(MedalsMsg::Proposals(r))
    });
    cx.db_latest("hub.stories", ReadStories { year }, |r| {
        wrap(MedalsMsg::Stories(r))
    });
}

/// A figure line of a proposal, in words.
pub fn figures_text(tr: &crate::i18n::Tr, f: &Figures) -> String {
    let stars = |sum: u32, n: u32| {
        crate::domain::merchant::average_x100(sum, n)
            .map(|a| format!("{}.{:02}", a / 100, a % 100))
            .unwrap_or_else(|| "—".into())
    };
    match f {
        Figures::Neighbour(n) => tr.f(
            "medal.figures.neighbour",
            &[
                ("services", &n.services),
                (
                    "hours",
                    &crate::domain::units::format_hours(u64::from(n.minutes)),
                ),
                ("stars", &stars(n.rating_sum, n.ratings)),
                ("thanks", &n.thank_yous),
                ("trust", &n.trust_score),
            ],
        ),
        Figures::Merchant(m) => tr.f(
            "medal.figures.merchant",
            &[
                ("redemptions", &m.redemptions),
                ("stars", &stars(m.rating_sum, m.ratings)),
                ("n", &m.ratings),
            ],
        ),
    }
}

pub fn award_form(p: &Proposal, tr: &crate::i18n::Tr) -> Form {
    Form::new(vec![
        Field::shown(
            "medal",
            crate::k!("medal.medal"),
            format!("{} {}", tr.t(p.kind.label_key()), p.period),
        ),
        Field::shown(
            "holder",
            crate::k!("medal.holder"),
            format!("{} {}", p.holder.code, p.holder.name),
        ),
        Field::text("reason", crate::k!("medal.reason"), medal::REASON_MAX)
            .with_hint(crate::k!("medal.reason.hint")),
    ])
}

/// The reason typed, or why not, at its field.
pub fn parse_award(f: &Form) -> Result<String, Vec<Refusal>> {
    medal::check_reason(f.value("reason")).map_err(|k| vec![Refusal::at("reason", Msg::new(k))])
}

/// A key in the medals view; false when it is not the view's.
pub(super) fn command(p: &mut HubPane, cmd: Command, cx: &mut Cx<'_, HubMsg>) -> bool {
    let Some(v) = p.medals.as_mut() else {
        return false;
    };
    let last = v.rows().saturating_sub(1);
    match cmd {
        c if c.moves_in_list() => v.sel = c.moved(v.sel, last, 10),
        Command::SwitchSection => {
            let i = Section::ALL
                .iter()
                .position(|s| *s == v.section)
                .unwrap_or(0);
            v.section = Section::ALL[(i + 1) % Section::ALL.len()];
            v.sel = 0;
        }
        Command::Refresh => load(cx, v.year),
        Command::Medals => p.medals = None,
        Command::Award | Command::Select => {
            let Some(pr) = v.selected().cloned() else {
                return false;
            };
            if pr.awarded {
                cx.notify(NoticeKind::Error, msg!("medal.already"));
            } else if !cx.desk.session.is_master() {
                cx.notify(NoticeKind::Error, msg!("staff.master_only"));
            } else {
                let kind = HubFormKind::Award {
                    kind: pr.kind,
                    period: pr.period.clone(),
                    holder_id: pr.holder.id,
                };
                p.form = Some(OpenForm::new(
                    kind,
                    award_form(&pr, &crate::i18n::Tr::new(cx.desk.lang)),
                ));
            }
        }
        Command::Export => {
            let what = Printable::YearStories { year: v.year };
            cx.print(what, |r| wrap(MedalsMsg::Exported(r)));
        }
        _ => return false,
    }
    true
}

/// Send the award form.
pub(super) fn submit(p: &mut HubPane, cx: &mut Cx<'_, HubMsg>) {
    let Some(of) = p.form.as_mut() else { return };
    let HubFormKind::Award {
        kind,
        period,
        holder_id,
    } = of.kind.clone()
    else {
        return;
    };
    match parse_award(&of.form) {
        Ok(reason) => {
            let (by, at) = (cx.desk.session.clone(), cx.desk.now);
            let medal = NewMedal {
                kind,
                period,
                holder_id,
                reason,
            };
            of.form.clear_errors();
            of.form.busy = Some(cx.db(AwardMedal { by, medal, at }, |r| {
                wrap(MedalsMsg::Awarded(r))
            }));
        }
        Err(errs) => of.form.show_refusals(&errs),
    }
}

pub(super) fn update(p: &mut HubPane, msg: MedalsMsg, cx: &mut Cx<'_, HubMsg>) {
    match msg {
        MedalsMsg::Proposals(Ok(rows)) => {
            if let Some(v) = p.medals.as_mut() {
                v.proposals = rows;
                v.sel = v.sel.min(v.rows().saturating_sub(1));
            }
        }
        MedalsMsg::Stories(Ok(s)) => {
            if let Some(v) = p.medals.as_mut() {
                v.stories = Some(s);
            }
        }
        MedalsMsg::Awarded(Ok(m)) => {
            p.form = None;
            let tr = crate::i18n::Tr::new(cx.desk.lang);
            cx.notify(
                NoticeKind::Ok,
                msg!(
                    "medal.awarded",
                    medal = tr.t(m.kind.label_key()),
                    name = m.holder.name
                ),
            );
            if let Some(year) = p.medals.as_ref().map(|v| v.year) {
                load(cx, year);
            }
        }
        MedalsMsg::Exported(Ok(done)) => cx.notify(NoticeKind::Ok, done.msg()),
        MedalsMsg::Awarded(Err(e)) => {
            let form = p.form.as_mut().map(|f| &mut f.form);
            cx.failed(form, e)
        }
        MedalsMsg::Proposals(Err(e)) | MedalsMsg::Stories(Err(e)) | MedalsMsg::Exported(Err(e)) => {
            cx.failed(None, e)
        }
    }
}

#[cfg(test)]
mod tests;
