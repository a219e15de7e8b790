//! Pane 8 (商家): the merchant registry, offers, redemptions at the desk and
//! from a merchant's log, ratings, price checks, violations, the deposit,
//! and the monthly settlement.

use super::action::Command;
use super::form::{Choice, Field, Form};
use super::pane::{FormKind, OpenForm, RestoreCtx};
use super::state::*;
use super::{App, Pending};
use crate::domain::entry::parse_date;
use crate::domain::merchant::{self, Kind, Status, parse_yuan};
use crate::domain::time;
use crate::domain::violation::Severity;
use crate::msg;
use crate::msg::Refusal;
use crate::store::merchants::{MerchantDetail, MerchantInput, MerchantRow, OfferInput, PriceCheck};
use crate::store::redemptions::{ImportReport, Redemption, Settlement};
use crate::worker::{Data, DbCommand, ExportWhat, MerchantChange, Reply};
use chrono::NaiveDate;
use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum View {
    #[default]
    Offers,
    Redemptions,
    Record,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MerchantFormKind {
    /// `id` 0: a new merchant.
    Merchant {
        id: i64,
    },
    Offer {
        offer_id: Option<i64>,
    },
    Redeem {
        uid: String,
    },
    Rate,
    Price,
    Violation,
    Status,
    Deposit,
    Import,
}

impl FormKind for MerchantFormKind {
    fn draft_key(&self) -> Option<&'static str> {
        match self {
            MerchantFormKind::Merchant { id: 0 } => Some("merchants.new"),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Req {
    List,
    Detail,
    Change,
    Redeem,
    Import,
    Settle,
    Export,
}

#[derive(Debug, Clone, Default)]
pub struct MerchantsPane {
    pub rows: Vec<MerchantRow>,
    pub sel: usize,
    pub detail: Option<Box<MerchantDetail>>,
    pub view: View,
    /// Selection in the offers list of the merchant in front.
    pub offer_sel: usize,
    pub form: Option<OpenForm<MerchantFormKind>>,
    /// The last import's report (bad lines with their numbers).
    pub import: Option<Box<ImportReport>>,
    pub settlement: Option<Box<Settlement>>,
    pub list_req: Option<u64>,
    pub detail_req: Option<u64>,
}

crate::pane_forms!(MerchantsPane);

impl MerchantsPane {
    fn restore_form(&mut self, key: &str, data: &Value, ctx: &RestoreCtx) -> bool {
        if key != "merchants.new" {
            return false;
        }
        let mut f = merchant_form(None, &ctx.community, &ctx.today);
        f.restore_draft(data);
        self.form = Some(OpenForm::new(MerchantFormKind::Merchant { id: 0 }, f));
        true
    }

    pub fn selected(&self) -> Option<&MerchantRow> {
        self.rows.get(self.sel)
    }

    /// The detail, if it is of the merchant selected.
    pub fn detail(&self) -> Option<&MerchantDetail> {
        let id = self.selected()?.id;
        self.detail.as_deref().filter(|d| d.merchant.id == id)
    }
}

fn kinds() -> Vec<Choice> {
    Kind::ALL
        .into_iter()
        .map(|k| Choice::key(k.as_str(), k.label_key()))
        .collect()
}

pub fn merchant_form(m: Option<&MerchantRow>, community: &str, today: &str) -> Form {
    let year_later = today
        .parse::<NaiveDate>()
        .map(|d| crate::domain::time::add_months(d, 12).to_string())
        .unwrap_or_default();
    let mut f = Form::new(vec![
        Field::text("name", crate::k!("merchant.name"), 30),
        Field::choice("kind", crate::k!("merchant.kind"), kinds()),
        Field::text("address", crate::k!("merchant.address"), 40),
        Field::text("distance", crate::k!("merchant.distance"), 6)
            .with_hint(crate::k!("merchant.distance.hint")),
        Field::text("contact_name", crate::k!("merchant.contact_name"), 20),
        Field::text("contact_phone", crate::k!("merchant.contact_phone"), 20),
        Field::text("redeemer", crate::k!("merchant.redeemer"), 20)
            .with_hint(crate::k!("merchant.redeemer.hint")),
        Field::text("community", crate::k!("merchant.community"), 2).with_value(community),
        Field::text("from", crate::k!("merchant.agreement_from"), 10).with_value(today),
        Field::text("to", crate::k!("merchant.agreement_to"), 10).with_value(&year_later),
    ]);
    if let Some(m) = m {
        for (k, v) in [
            ("name", m.name.clone()),
            ("kind", m.kind.as_str().to_string()),
            ("address", m.address.clone()),
            ("distance", m.distance_m.to_string()),
            ("contact_name", m.contact_name.clone()),
            ("contact_phone", m.contact_phone.clone()),
            ("redeemer", m.redeemer.clone()),
            ("community", m.community.clone()),
            ("from", m.agreement_from.to_string()),
            ("to", m.agreement_to.to_string()),
        ] {
            f.set(k, &v);
        }
        f.dirty = false;
    }
    f
}

fn offer_form(o: Option<&OfferInput>, today: NaiveDate) -> Form {
    let mut f = Form::new(vec![
        Field::text("text", crate::k!("offer.text"), 40).with_hint(crate::k!("offer.text.hint")),
        Field::text("points", crate::k!("offer.points"), 5),
        Field::text("value", crate::k!("offer.value"), 8).with_hint(crate::k!("offer.value.hint")),
        Field::text("valid_from", crate::k!("offer.valid_from"), 10).with_value(&today.to_string()),
        Field::text("valid_to", crate::k!("offer.valid_to"), 10)
            .with_value(&time::add_months(today, 3).to_string()),
        Field::text("cap", crate::k!("offer.cap"), 9).with_hint(crate::k!("offer.cap.hint")),
        Field::toggle("not_combined", crate::k!("offer.not_combined")),
        Field::text("note", crate::k!("offer.note"), 40),
    ]);
    if let Some(o) = o {
        f.set("text", &o.text);
        f.set("points", &o.points.to_string());
        f.set("value", &merchant::yuan(o.value_fen));
        f.set("valid_from", &o.valid_from.to_string());
        f.set("valid_to", &o.valid_to.to_string());
        f.set("cap", &merchant::yuan(o.monthly_cap_fen));
        f.set("not_combined", if o.not_combined { "1" } else { "0" });
        f.set("note", o.note.as_deref().unwrap_or(""));
        f.dirty = false;
    }
    f
}

fn parse_merchant(f: &Form, today: NaiveDate) -> Result<MerchantInput, Vec<Refusal>> {
    let mut errs = Vec::new();
    let distance = f.value("distance").trim().parse::<u32>();
    if distance.is_err() {
        errs.push(Refusal::at("distance", msg!("merchant.distance_invalid")));
    }
    let from = parse_date(f.value("from"), today);
    if from.is_none() {
        errs.push(Refusal::at("from", msg!("record.date_invalid")));
    }
    let to = parse_date(f.value("to"), today);
    if to.is_none() {
        errs.push(Refusal::at("to", msg!("record.date_invalid")));
    }
    let (Ok(distance_m), Some(from), Some(to)) = (distance, from, to) else {
        return Err(errs);
    };
    let m = MerchantInput {
        name: f.value("name").trim().to_string(),
        kind: Kind::parse(f.value("kind")).unwrap_or(Kind::Other),
        address: f.value("address").trim().to_string(),
        distance_m,
        contact_name: f.value("contact_name").trim().to_string(),
        contact_phone: f.value("contact_phone").trim().to_string(),
        redeemer: f.value("redeemer").trim().to_string(),
        community: f.value("community").trim().to_string(),
        agreement_from: from,
        agreement_to: to,
    };
    crate::store::merchants::check_merchant(&m)?;
    Ok(m)
}

fn parse_offer(f: &Form, today: NaiveDate) -> Result<OfferInput, Vec<Refusal>> {
    let mut errs = Vec::new();
    let points = f
        .value("points")
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|p| *p > 0);
    if points.is_none() {
        errs.push(Refusal::at("points", msg!("offer.points_invalid")));
    }
    let value = parse_yuan(f.value("value"));
    if value.is_none() {
        errs.push(Refusal::at("value", msg!("offer.yuan_invalid")));
    }
    let cap = parse_yuan(f.value("cap"));
    if cap.is_none() {
        errs.push(Refusal::at("cap", msg!("offer.yuan_invalid")));
    }
    let from = parse_date(f.value("valid_from"), today);
    if from.is_none() {
        errs.push(Refusal::at("valid_from", msg!("record.date_invalid")));
    }
    let to = parse_date(f.value("valid_to"), today);
    if to.is_none() {
        errs.push(Refusal::at("valid_to", msg!("record.date_invalid")));
    }
    let (Some(points), Some(value_fen), Some(cap), Some(from), Some(to)) =
        (points, value, cap, from, to)
    else {
        return Err(errs);
    };
    let o = OfferInput {
        text: f.value("text").trim().to_string(),
        points,
        value_fen,
        valid_from: from,
        valid_to: to,
        monthly_cap_fen: cap,
        not_combined: f.on("not_combined"),
        note: Some(f.value("note").trim().to_string()).filter(|n| !n.is_empty()),
    };
    crate::store::merchants::check_offer(&o)?;
    Ok(o)
}

impl App {
    fn merchants(&mut self) -> Option<&mut MerchantsPane> {
        self.desk_mut().map(|d| &mut d.merchants)
    }

    pub(super) fn merchants_entered(&mut self) {
        let id = self.db(DbCommand::Merchants, Pending::Merchants(Req::List));
        if let Some(p) = self.merchants() {
            p.list_req = Some(id);
        }
    }

    fn merchants_load_detail(&mut self) {
        let at = self.state.now;
        let Some(id) = self.merchants().and_then(|p| p.selected().map(|m| m.id)) else {
            return;
        };
        let req = self.db(
            DbCommand::MerchantDetail { id, at },
            Pending::Merchants(Req::Detail),
        );
        if let Some(p) = self.merchants() {
            p.detail_req = Some(req);
        }
    }

    fn today(&self) -> NaiveDate {
        time::local_day(self.state.now, self.state.tz())
    }

    fn open_merchant_form(&mut self, kind: MerchantFormKind, form: Form) {
        if let Some(p) = self.merchants() {
            p.form = Some(OpenForm::new(kind, form));
        }
    }

    pub(super) fn merchants_command(&mut self, cmd: Command) {
        let master = self.state.session().is_some_and(|s| s.is_master());
        let today = self.today();
        let community = self.restore_ctx().community;
        let Some(p) = self.merchants() else { return };
        let len = p.rows.len();
        let offers = p.detail().map(|d| d.offers.len()).unwrap_or(0);
        let selected = p.selected().cloned();
        let moved = match cmd {
            Command::Up if p.view == View::Offers && p.offer_sel > 0 => {
                p.offer_sel -= 1;
                false
            }
            Command::Down if p.view == View::Offers && p.offer_sel + 1 < offers => {
                p.offer_sel += 1;
                false
            }
            Command::PageUp => {
                p.sel = p.sel.saturating_sub(1);
                true
            }
            Command::PageDown => {
                p.sel = (p.sel + 1).min(len.saturating_sub(1));
                true
            }
            Command::Up => {
                p.sel = p.sel.saturating_sub(1);
                true
            }
            Command::Down => {
                p.sel = (p.sel + 1).min(len.saturating_sub(1));
                true
            }
            Command::Top => {
                p.sel = 0;
                true
            }
            Command::Bottom => {
                p.sel = len.saturating_sub(1);
                true
            }
            _ => false,
        };
        if moved {
            p.offer_sel = 0;
            return self.merchants_load_detail();
        }
        match cmd {
            Command::SwitchSection => {
                p.view = match p.view {
                    View::Offers => View::Redemptions,
                    View::Redemptions => View::Record,
                    View::Record => View::Offers,
                };
            }
            Command::Refresh => self.merchants_entered(),
            Command::New => {
                let f = merchant_form(None, &community, &today.to_string());
                self.open_merchant_form(MerchantFormKind::Merchant { id: 0 }, f);
            }
            Command::Settle => {
                if !master {
                    return self.notify(NoticeKind::Error, msg!("staff.master_only"));
                }
                let month = time::prev_month(today).format("%Y-%m").to_string();
                self.state.overlay = Some(Overlay::Confirm(Confirm {
                    text: msg!("settle.confirm", month = month),
                    on_yes: ConfirmAction::Settle,
                }));
            }
            _ => {
                let Some(m) = selected else {
                    return self.notify(NoticeKind::Info, msg!("merchant.none"));
                };
                self.merchant_command(cmd, &m, today, master);
            }
        }
    }

    /// Commands on the merchant in front.
    fn merchant_command(&mut self, cmd: Command, m: &MerchantRow, today: NaiveDate, master: bool) {
        let Some(p) = self.merchants() else { return };
        let current: Vec<Choice> = p
            .detail()
            .map(|d| {
                d.offers
                    .iter()
                    .filter(|o| o.current(today))
                    .map(|o| {
                        Choice::text(
                            o.id.to_string(),
                            format!(
                                "#{} {} ({}→{})",
                                o.id,
                                o.offer.text,
                                o.offer.points,
                                merchant::yuan(o.offer.value_fen)
                            ),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        let offer = p
            .detail()
            .and_then(|d| d.offers.get(p.offer_sel))
            .filter(|_| p.view == View::Offers)
            .cloned();
        let open_minor = p
            .detail()
            .and_then(|d| {
                d.violations
                    .iter()
                    .find(|v| v.resolved_at.is_none() && v.severity == Severity::Minor)
            })
            .map(|v| v.id);
        let (kind, form) = match cmd {
            Command::Edit => (
                MerchantFormKind::Merchant { id: m.id },
                merchant_form(Some(m), &m.community, &today.to_string()),
            ),
            Command::NewOffer => (
                MerchantFormKind::Offer { offer_id: None },
                offer_form(None, today),
            ),
            Command::Select if offer.is_some() => {
                let o = offer.as_ref().map(|o| &o.offer);
                (
                    MerchantFormKind::Offer {
                        offer_id: offer.as_ref().map(|o| o.id),
                    },
                    offer_form(o, today),
                )
            }
            Command::WithdrawOffer => {
                let Some(o) = offer.filter(|o| o.withdrawn_at.is_none()) else {
                    return self.notify(NoticeKind::Info, msg!("offer.choose"));
                };
                return self.merchant_change(m.id, MerchantChange::Withdraw { offer_id: o.id });
            }
            Command::Redeem => {
                if current.is_empty() {
                    return self.notify(NoticeKind::Error, msg!("redeem.no_offers"));
                }
                let uid = crate::store::new_uid(self.state.now);
                (
                    MerchantFormKind::Redeem { uid },
                    Form::new(vec![
                        Field::member("member", crate::k!("redeem.member")),
                        Field::choice("offer", crate::k!("redeem.offer"), current),
                        Field::text("count", crate::k!("redeem.count"), 2).with_value("1"),
                    ]),
                )
            }
            Command::Rate => (
                MerchantFormKind::Rate,
                Form::new(vec![
                    Field::member("member", crate::k!("redeem.member")),
                    Field::choice(
                        "stars",
                        crate::k!("rate.stars"),
                        (1..=5)
                            .rev()
                            .map(|n| Choice::text(n.to_string(), "★".repeat(n)))
                            .collect(),
                    ),
                    Field::text("note", crate::k!("rate.note"), 60),
                ]),
            ),
            Command::PriceCheck => {
                let me = self
                    .state
                    .session()
                    .map(|s| s.name.clone())
                    .unwrap_or_default();
                (
                    MerchantFormKind::Price,
                    Form::new(vec![
                        Field::text("item", crate::k!("price.item"), 30),
                        Field::text("purchase", crate::k!("price.purchase"), 9),
                        Field::text("member_price", crate::k!("price.member"), 9),
                        Field::text("invoice", crate::k!("price.invoice"), 30)
                            .with_hint(crate::k!("price.invoice.hint")),
                        Field::text("checked_by", crate::k!("price.checked_by"), 20)
                            .with_value(&me),
                    ]),
                )
            }
            Command::Violation => {
                let severities = [Severity::Minor, Severity::Moderate, Severity::Severe]
                    .into_iter()
                    .map(|s| Choice::key(s.as_str(), merchant_severity_key(s)))
                    .collect();
                (
                    MerchantFormKind::Violation,
                    Form::new(vec![
                        Field::choice("severity", crate::k!("violation.severity"), severities),
                        Field::text("reason", crate::k!("violation.reason"), 80),
                    ]),
                )
            }
            Command::ResolveViolation => {
                let Some(v) = open_minor else {
                    return self.notify(NoticeKind::Info, msg!("merchant.no_open_violation"));
                };
                return self.merchant_change(m.id, MerchantChange::Resolve { violation_id: v });
            }
            Command::MerchantStatus | Command::Deposit if !master => {
                return self.notify(NoticeKind::Error, msg!("staff.master_only"));
            }
            Command::MerchantStatus => {
                let statuses = Status::ALL
                    .into_iter()
                    .filter(|s| *s != m.status)
                    .map(|s| Choice::key(s.as_str(), s.label_key()))
                    .collect();
                (
                    MerchantFormKind::Status,
                    Form::new(vec![
                        Field::choice("status", crate::k!("merchant.status"), statuses),
                        Field::text("reason", crate::k!("merchant.status_reason"), 80),
                    ]),
                )
            }
            Command::Deposit => (
                MerchantFormKind::Deposit,
                Form::new(vec![
                    Field::choice(
                        "kind",
                        crate::k!("deposit.kind"),
                        vec![
                            Choice::key("paid", crate::k!("deposit.paid")),
                            Choice::key("refund", crate::k!("deposit.refund")),
                        ],
                    ),
                    Field::text("amount", crate::k!("deposit.amount"), 9),
                    Field::text("reason", crate::k!("deposit.reason"), 60),
                ]),
            ),
            Command::Import => (
                MerchantFormKind::Import,
                Form::new(vec![
                    Field::text("file", crate::k!("import.file"), 200)
                        .with_hint(crate::k!("import.file.hint")),
                    Field::toggle("valid_only", crate::k!("import.valid_only")),
                ]),
            ),
            Command::Export => {
                let at = self.state.now;
                let lang = self.state.tr.lang;
                self.db(
                    DbCommand::Export {
                        what: ExportWhat::MerchantNotice { id: m.id },
                        lang,
                        at,
                    },
                    Pending::Merchants(Req::Export),
                );
                return;
            }
            _ => return,
        };
        self.open_merchant_form(kind, form);
    }

    fn merchant_change(&mut self, id: i64, change: MerchantChange) {
        let Some(by) = self.state.session().cloned() else {
            return;
        };
        let at = self.state.now;
        let req = self.db(
            DbCommand::Merchant { by, id, change, at },
            Pending::Merchants(Req::Change),
        );
        if let Some(of) = self.merchants().and_then(|p| p.form.as_mut()) {
            of.form.busy = Some(req);
        }
    }

    pub(super) fn settle_month(&mut self) {
        let Some(by) = self.state.session().cloned() else {
            return;
        };
        let (at, lang) = (self.state.now, self.state.tr.lang);
        self.db(
            DbCommand::Settle { by, lang, at },
            Pending::Merchants(Req::Settle),
        );
    }

    pub(super) fn submit_merchants_form(&mut self) {
        let Some(by) = self.state.session().cloned() else {
            return;
        };
        let at = self.state.now;
        let today = self.today();
        let Some(p) = self.merchants() else { return };
        let Some(m) = p.selected().map(|m| m.id) else {
            if !matches!(
                p.form.as_ref().map(|f| &f.kind),
                Some(MerchantFormKind::Merchant { id: 0 })
            ) {
                return;
            }
            return self.submit_new_merchant(today);
        };
        let Some(of) = p.form.as_mut() else { return };
        let f = &of.form;
        let change = match of.kind.clone() {
            MerchantFormKind::Merchant { id } => match parse_merchant(f, today) {
                Ok(input) => {
                    return self.merchant_change(id, MerchantChange::Save(Box::new(input)));
                }
                Err(e) => return of.form.show_refusals(&e),
            },
            MerchantFormKind::Offer { offer_id } => match parse_offer(f, today) {
                Ok(o) => MerchantChange::Offer {
                    offer_id,
                    offer: Box::new(o),
                },
                Err(e) => return of.form.show_refusals(&e),
            },
            MerchantFormKind::Redeem { uid } => {
                let mut errs = Vec::new();
                let member = f.member("member");
                if member.is_none() {
                    errs.push(Refusal::at("member", msg!("redeem.member_required")));
                }
                let count = f
                    .value("count")
                    .trim()
                    .parse::<u32>()
                    .ok()
                    .filter(|c| (1..=99).contains(c));
                if count.is_none() {
                    errs.push(Refusal::at("count", msg!("redeem.count_range")));
                }
                let offer_id = f.value("offer").parse::<i64>().ok();
                let (Some(member_id), Some(count), Some(offer_id)) = (member, count, offer_id)
                else {
                    return of.form.show_refusals(&errs);
                };
                let redemption = Redemption {
                    uid,
                    member_id,
                    offer_id,
                    count,
                    redeemed_at: at,
                };
                of.form.clear_errors();
                let req = self.db(
                    DbCommand::Redeem { by, redemption, at },
                    Pending::Merchants(Req::Redeem),
                );
                if let Some(of) = self.merchants().and_then(|p| p.form.as_mut()) {
                    of.form.busy = Some(req);
                }
                return;
            }
            MerchantFormKind::Rate => {
                let Some(member_id) = f.member("member") else {
                    return of
                        .form
                        .show_refusals(&[Refusal::at("member", msg!("redeem.member_required"))]);
                };
                MerchantChange::Rate {
                    member_id,
                    stars: f.value("stars").parse().unwrap_or(5),
                    note: f.value("note").trim().to_string(),
                }
            }
            MerchantFormKind::Price => {
                let mut errs = Vec::new();
                let purchase = parse_yuan(f.value("purchase"));
                if purchase.is_none() {
                    errs.push(Refusal::at("purchase", msg!("offer.yuan_invalid")));
                }
                let member_price = parse_yuan(f.value("member_price"));
                if member_price.is_none() {
                    errs.push(Refusal::at("member_price", msg!("offer.yuan_invalid")));
                }
                if f.value("item").trim().is_empty() {
                    errs.push(Refusal::at("item", msg!("price.item_required")));
                }
                if f.value("invoice").trim().is_empty() {
                    errs.push(Refusal::at("invoice", msg!("price.invoice_required")));
                }
                if f.value("checked_by").trim().is_empty() {
                    errs.push(Refusal::at("checked_by", msg!("price.checker_required")));
                }
                let (Some(purchase_fen), Some(member_fen), true) =
                    (purchase, member_price, errs.is_empty())
                else {
                    return of.form.show_refusals(&errs);
                };
                MerchantChange::Price(Box::new(PriceCheck {
                    item: f.value("item").trim().to_string(),
                    purchase_fen,
                    member_fen,
                    invoice_ref: f.value("invoice").trim().to_string(),
                    checked_by: f.value("checked_by").trim().to_string(),
                }))
            }
            MerchantFormKind::Violation => {
                let reason = f.value("reason").trim().to_string();
                if reason.is_empty() {
                    return of
                        .form
                        .show_refusals(&[Refusal::at("reason", msg!("merchant.reason_required"))]);
                }
                MerchantChange::Violation {
                    severity: Severity::parse(f.value("severity")).unwrap_or(Severity::Minor),
                    reason,
                }
            }
            MerchantFormKind::Status => {
                let reason = f.value("reason").trim().to_string();
                if reason.is_empty() {
                    return of
                        .form
                        .show_refusals(&[Refusal::at("reason", msg!("merchant.reason_required"))]);
                }
                MerchantChange::Status {
                    status: Status::parse(f.value("status")).unwrap_or(Status::Active),
                    reason,
                }
            }
            MerchantFormKind::Deposit => {
                let mut errs = Vec::new();
                let amount = parse_yuan(f.value("amount"));
                if amount.is_none() {
                    errs.push(Refusal::at("amount", msg!("offer.yuan_invalid")));
                }
                let reason = f.value("reason").trim().to_string();
                if reason.is_empty() {
                    errs.push(Refusal::at("reason", msg!("merchant.reason_required")));
                }
                let (Some(amount_fen), true) = (amount, errs.is_empty()) else {
                    return of.form.show_refusals(&errs);
                };
                MerchantChange::Deposit {
                    refund: f.value("kind") == "refund",
                    amount_fen,
                    reason,
                }
            }
            MerchantFormKind::Import => {
                let file = f.value("file").trim().to_string();
                if file.is_empty() {
                    return of
                        .form
                        .show_refusals(&[Refusal::at("file", msg!("import.file_required"))]);
                }
                let valid_only = f.on("valid_only");
                of.form.clear_errors();
                let req = self.db(
                    DbCommand::ImportRedemptions {
                        by,
                        merchant_id: m,
                        path: file.into(),
                        valid_only,
                        at,
                    },
                    Pending::Merchants(Req::Import),
                );
                if let Some(of) = self.merchants().and_then(|p| p.form.as_mut()) {
                    of.form.busy = Some(req);
                }
                return;
            }
        };
        of.form.clear_errors();
        self.merchant_change(m, change);
    }

    fn submit_new_merchant(&mut self, today: NaiveDate) {
        let Some(of) = self.merchants().and_then(|p| p.form.as_mut()) else {
            return;
        };
        match parse_merchant(&of.form, today) {
            Ok(input) => self.merchant_change(0, MerchantChange::Save(Box::new(input))),
            Err(e) => of.form.show_refusals(&e),
        }
    }

    pub(super) fn merchants_reply(&mut self, req: Req, reply: Reply) {
        match (req, reply.result) {
            (Req::List, Ok(Data::Merchants(rows))) => {
                let Some(p) = self.merchants() else { return };
                if p.list_req != Some(reply.id) {
                    return;
                }
                let keep = p.detail.as_ref().map(|d| d.merchant.id);
                p.sel = keep
                    .and_then(|id| rows.iter().position(|m| m.id == id))
                    .unwrap_or(p.sel.min(rows.len().saturating_sub(1)));
                p.rows = rows;
                self.merchants_load_detail();
            }
            (Req::Detail, Ok(Data::MerchantDetail(d))) => {
                if let Some(p) = self.merchants()
                    && p.detail_req == Some(reply.id)
                {
                    p.offer_sel = p.offer_sel.min(d.offers.len().saturating_sub(1));
                    p.detail = Some(d);
                }
            }
            (Req::Change, Ok(Data::MerchantDetail(d))) => {
                let kind = self.merchants().and_then(|p| p.form.take()).map(|f| f.kind);
                let note = match kind {
                    Some(MerchantFormKind::Price)
                        if d.prices.first().is_some_and(|p| p.over_rule) =>
                    {
                        self.notify(NoticeKind::Error, msg!("price.over_rule"));
                        None
                    }
                    Some(MerchantFormKind::Merchant { id: 0 }) => {
                        if let Some(staff_id) = self.state.session().map(|s| s.staff_id) {
                            self.db(
                                DbCommand::DropDraft {
                                    staff_id,
                                    form: "merchants.new".into(),
                                },
                                Pending::Quiet,
                            );
                        }
                        Some(msg!("merchant.added", code = &d.merchant.code))
                    }
                    _ => Some(msg!("form.saved")),
                };
                if let Some(n) = note {
                    self.notify(NoticeKind::Ok, n);
                }
                if let Some(p) = self.merchants() {
                    p.detail = Some(d.clone());
                    p.list_req = None;
                }
                let id = self.db(DbCommand::Merchants, Pending::Merchants(Req::List));
                if let Some(p) = self.merchants() {
                    p.list_req = Some(id);
                }
            }
            (Req::Redeem, Ok(Data::Redeemed(c))) => {
                if let Some(p) = self.merchants() {
                    p.form = None;
                }
                self.notify(
                    NoticeKind::Ok,
                    msg!(
                        "redeem.done",
                        points = c.points,
                        yuan = merchant::yuan(c.value_fen)
                    ),
                );
                self.merchants_load_detail();
                let id = self.db(DbCommand::Merchants, Pending::Merchants(Req::List));
                if let Some(p) = self.merchants() {
                    p.list_req = Some(id);
                }
            }
            (Req::Import, Ok(Data::Imported(r))) => {
                let note = if r.posted == 0 && !r.bad.is_empty() {
                    (
                        NoticeKind::Error,
                        msg!("import.nothing_posted", n = r.bad.len()),
                    )
                } else {
                    (
                        NoticeKind::Ok,
                        msg!(
                            "import.done",
                            n = r.posted,
                            already = r.already,
                            bad = r.bad.len()
                        ),
                    )
                };
                if let Some(p) = self.merchants() {
                    p.form = None;
                    p.import = Some(r);
                    p.view = View::Redemptions;
                }
                self.notify(note.0, note.1);
                self.merchants_load_detail();
            }
            (Req::Settle, Ok(Data::Settled(s))) => {
                let note = if s.already {
                    msg!("settle.already", month = &s.month)
                } else {
                    msg!(
                        "settle.done",
                        month = &s.month,
                        n = s.lines.len(),
                        requests = s.lines.iter().map(|l| l.requests).sum::<u32>()
                    )
                };
                if let Some(p) = self.merchants() {
                    p.settlement = Some(s);
                }
                self.notify(NoticeKind::Ok, note);
                self.refresh_header();
            }
            (Req::Export, Ok(Data::Exported(saved))) => {
                self.notify(NoticeKind::Ok, saved.msg());
            }
            (_, Err(e)) => {
                if let Some(of) = self.merchants().and_then(|p| p.form.as_mut()) {
                    of.form.busy = None;
                    of.form.show_refusals(&e.refusals());
                } else {
                    self.notify(NoticeKind::Error, e.msg());
                }
            }
            _ => {}
        }
    }
}

/// The merchant violations' names say what each does.
pub fn merchant_severity_key(s: Severity) -> &'static str {
    match s {
        Severity::Minor => crate::k!("merchant.violation.minor"),
        Severity::Moderate => crate::k!("merchant.violation.moderate"),
        Severity::Severe => crate::k!("merchant.violation.severe"),
    }
}
