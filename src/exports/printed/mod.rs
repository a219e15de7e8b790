//! The printed pages, each a pure builder from facts to a
//! [`crate::print::Document`] (in `member`, `dispute`, `day`, `receipt`),
//! and [`print`], which reads the facts from the store, builds the page
//! and hands it to [`super::deliver`]. Each page's content is tested on a
//! real station file in `tests/model/print.rs`.

pub mod day;
pub mod dispute;
pub mod member;
pub mod receipt;

use super::deliver::{Delivered, deliver};
use crate::domain::time::Stamp;
use crate::i18n::{Lang, Tr};
use crate::msg;
use crate::msg::Msg;
use crate::platform::open::Launch;
use crate::print::{Delivery, Document};
use crate::store::Store;

/// A page the desk can print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Printable {
    /// 会员申请表, filled from the member's registration.
    Application {
        member_id: i64,
    },
    /// 推荐承诺书 of the member's recommender.
    Commitment {
        member_id: i64,
    },
    BlankApplication,
    BlankCommitment,
    /// A page of the 服务记录册.
    ServiceRecords {
        member_id: i64,
    },
    /// The statement in large type.
    Statement {
        member_id: i64,
    },
    /// 纠纷处理单.
    Dispute {
        id: i64,
    },
    /// The close report of a station day.
    CloseReport {
        day: chrono::NaiveDate,
    },
    RecordReceipt {
        record_id: i64,
    },
    RedemptionReceipt {
        merchant_id: i64,
        redemption_id: i64,
    },
    /// 年度信任故事集 of a year.
    YearStories {
        year: i32,
    },
}

fn station_line(store: &Store, tr: &Tr) -> String {
    store
        .station()
        .map(|s| super::station_title(tr, &s.name))
        .unwrap_or_default()
}

/// The service types by id, named in the page's language.
fn service_names(store: &Store, lang: Lang) -> Result<impl Fn(i64) -> String, Msg> {
    let types = store.service_types().map_err(|e| e.msg())?;
    Ok(move |id: i64| {
        types
            .iter()
            .find(|t| t.id == id)
            .map(|t| match lang {
                Lang::Zh => t.name_zh.clone(),
                Lang::En => t.name_en.clone(),
            })
            .unwrap_or_else(|| "—".into())
    })
}

/// How a member is named in a file name: the number, else the row.
fn member_tag(number: &Option<String>, id: i64) -> String {
    number.clone().unwrap_or_else(|| format!("applicant-{id}"))
}

/// The page for `what` and the file name it is saved under.
pub fn document(
    store: &Store,
    tr: &Tr,
    what: Printable,
    now: Stamp,
) -> Result<(Document, String), Msg> {
    let tz = store.tz();
    let station = station_line(store, tr);
    let e = |e: crate::store::StoreError| e.msg();
    Ok(match what {
        Printable::Application { member_id } => {
            let d = store.member_detail(member_id, now).map_err(e)?;
            let names = service_names(store, tr.lang)?;
            let doc = member::application(tr, &station, Some((&d, &names)), tz);
            let tag = member_tag(&d.row.number, member_id);
            (doc, format!("application-{tag}.html"))
        }
        Printable::Commitment { member_id } => {
            let d = store.member_detail(member_id, now).map_err(e)?;
            if d.recommender.is_none() {
                return Err(msg!("print.no_recommender_form", name = &d.row.name));
            }
            let tag = member_tag(&d.row.number, member_id);
            (
                member::commitment(tr, &station, Some(&d)),
                format!("commitment-{tag}.html"),
            )
        }
        Printable::BlankApplication => (
            member::application(tr, &station, None, tz),
            "application-blank.html".into(),
        ),
        Printable::BlankCommitment => (
            member::commitment(tr, &station, None),
            "commitment-blank.html".into(),
        ),
        Printable::ServiceRecords { member_id } => {
            let d = store.member_detail(member_id, now).map_err(e)?;
            let names = service_names(store, tr.lang)?;
            let tag = member_tag(&d.row.number, member_id);
            (
                member::service_records(tr, &station, &d, &names, tz),
                format!("service-records-{tag}.html"),
            )
        }
        Printable::Statement { member_id } => {
            let v = store.statement_view(member_id, None).map_err(e)?;
            let facts = member::StatementFacts {
                name: &v.member.name,
                number: v.member.number.as_deref(),
                balance: v.balance,
                owed: v.owed,
                frozen: v.frozen,
                lines: &v.lines,
            };
            let tag = member_tag(&v.member.number, member_id);
            (
                member::statement(tr, &station, &facts, now, tz),
                format!("statement-{tag}.html"),
            )
        }
        Printable::Dispute { id } => {
            let f = dispute::gather(store, tr, id)?;
            if f.dispute.suggestion {
                return Err(msg!("print.suggestion_no_form"));
            }
            (
                dispute::sheet(tr, &station, &f, tz),
                format!("dispute-{id}.html"),
            )
        }
        Printable::CloseReport { day } => {
            let info = store.day_info(now, Some(day)).map_err(e)?;
            if info.state.opened_at.is_none() {
                return Err(msg!("print.day_not_open", day = info.day));
            }
            (
                day::close_report(tr, &station, &info, tz),
                format!("close-report-{}.html", info.day),
            )
        }
        Printable::RecordReceipt { record_id } => {
            let r = store.record(record_id).map_err(e)?;
            let names = service_names(store, tr.lang)?;
            (
                receipt::record(tr, &station, &r, &names(r.type_id), now, tz),
                format!("receipt-service-{record_id}.html"),
            )
        }
        Printable::RedemptionReceipt {
            merchant_id,
            redemption_id,
        } => {
            let m = store.merchant_detail(merchant_id, now).map_err(e)?;
            let r = m
                .redemptions
                .iter()
                .find(|r| r.id == redemption_id)
                .ok_or(msg!("print.nothing_selected"))?;
            let offer = m
                .offers
                .iter()
                .find(|o| o.id == r.offer_id)
                .map(|o| o.offer.text.clone())
                .unwrap_or_else(|| "—".into());
            (
                receipt::redemption(tr, &station, r, &m.merchant.name, &offer, now, tz),
                format!("receipt-redemption-{redemption_id}.html"),
            )
        }
        Printable::YearStories { year } => {
            let stories = store.year_stories(year).map_err(e)?;
            (
                super::stories::story_document(&stories, tr, &station, tz),
                format!("stories-{year}.html"),
            )
        }
    })
}

/// Build the page for `what`, save it into the exports folder and deliver
/// it as the station chose; `launch` starts the opener or the printer.
pub fn print(
    store: &Store,
    tr: &Tr,
    what: Printable,
    how: Delivery,
    now: Stamp,
    launch: &dyn Fn(&Launch) -> std::io::Result<()>,
) -> Result<Delivered, Msg> {
    let (doc, name) = document(store, tr, what, now)?;
    deliver(&doc, &super::exports_dir(store), &name, how, tr, launch)
}
