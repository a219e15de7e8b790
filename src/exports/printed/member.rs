//! The member's paper: the application (会员申请表) and the recommender's
//! commitment (推荐承诺书), filled from a registration or blank for the
//! desk's stack; a page of the service record book (服务记录册); the
//! statement in large type for a member who reads it themselves.
//!
//! Phones and identity numbers only ever masked: the page leaves the
//! station in a member's hand.

use crate::domain::member::{IdKind, mask_phone};
use crate::domain::time::{self, Stamp};
use crate::i18n::Tr;
use crate::print::{self, Block, Document, Paper};
use crate::store::ledger::StatementLine;
use crate::store::members::MemberDetail;
use crate::store::records::RecordRow;
use chrono_tz::Tz;

/// What a service type is called, by its id (the catalog, in the page's
/// language).
pub type ServiceNames<'a> = &'a dyn Fn(i64) -> String;

fn id_kind(tr: &Tr, k: IdKind) -> String {
    match k {
        IdKind::IdCard => tr.t("reg.id_kind.id_card").to_string(),
        IdKind::Household => tr.t("reg.id_kind.household").to_string(),
    }
}

fn yes_no(tr: &Tr, b: bool) -> String {
    tr.t(if b { "print.yes" } else { "print.no" }).to_string()
}

/// "2栋2单元201 (社区 01)", as the member's detail shows it.
fn address(tr: &Tr, d: &MemberDetail) -> String {
    format!(
        "{} ({} {})",
        d.row.building,
        tr.t("print.community"),
        d.row.community
    )
}

fn list(names: &[String]) -> String {
    if names.is_empty() {
        "—".into()
    } else {
        names.join("、")
    }
}

/// 会员申请表: filled from `m` (its services named), or blank.
pub fn application(
    tr: &Tr,
    station: &str,
    m: Option<(&MemberDetail, ServiceNames<'_>)>,
    tz: Tz,
) -> Document {
    let mut doc = Document::new(tr.t("print.application.title"), Paper::A4)
        .with(Block::Paragraph(station.to_string()));
    match m {
        Some((d, names)) => {
            let offers: Vec<String> = d.offers.iter().map(|i| names(*i)).collect();
            let needs: Vec<String> = d.needs.iter().map(|i| names(*i)).collect();
            doc.push(Block::Heading(tr.t("print.application.person").into()));
            doc.push(Block::Fields(vec![
                (tr.t("member.name").into(), d.row.name.clone()),
                (tr.t("reg.phone").into(), mask_phone(&d.row.phone)),
                (tr.t("reg.id_kind").into(), id_kind(tr, d.id_kind)),
                (tr.t("reg.id_number").into(), d.id_masked.clone()),
                (tr.t("print.address").into(), address(tr, d)),
            ]));
            doc.push(Block::Heading(tr.t("print.application.services").into()));
            doc.push(Block::Fields(vec![
                (tr.t("print.offers").into(), list(&offers)),
                (tr.t("print.needs").into(), list(&needs)),
            ]));
            doc.push(Block::Heading(tr.t("print.application.emergency").into()));
            doc.push(Block::Fields(vec![
                (tr.t("member.name").into(), d.emergency_name.clone()),
                (tr.t("reg.phone").into(), mask_phone(&d.emergency_phone)),
            ]));
            doc.push(Block::Heading(tr.t("print.application.review").into()));
            let mut review = vec![
                (
                    tr.t("print.recommender").into(),
                    d.recommender
                        .clone()
                        .unwrap_or_else(|| tr.t("print.no_recommender").into()),
                ),
                (
                    tr.t("print.filled_by_family").into(),
                    yes_no(tr, d.filled_by_family),
                ),
                (
                    tr.t("print.submitted").into(),
                    time::fmt_local(d.row.submitted_at, tz, "%Y-%m-%d"),
                ),
                (
                    tr.t("print.status").into(),
                    tr.t(d.row.status.label_key()).into(),
                ),
            ];
            if let Some(n) = &d.row.number {
                review.push((tr.t("member.number").into(), n.clone()));
            }
            doc.push(Block::Fields(review));
        }
        None => {
            doc.push(Block::Heading(tr.t("print.application.person").into()));
            for key in [
                "member.name",
                "reg.phone",
                "print.id_blank",
                "print.address",
                "print.residence_proof",
            ] {
                doc.push(Block::Blank {
                    label: tr.t(key).into(),
                    lines: 1,
                });
            }
            doc.push(Block::Heading(tr.t("print.application.services").into()));
            doc.push(Block::Blank {
                label: tr.t("print.offers").into(),
                lines: 2,
            });
            doc.push(Block::Blank {
                label: tr.t("print.needs").into(),
                lines: 2,
            });
            doc.push(Block::Heading(tr.t("print.application.emergency").into()));
            doc.push(Block::Blank {
                label: tr.t("print.emergency_blank").into(),
                lines: 1,
            });
            doc.push(Block::Heading(tr.t("print.application.review").into()));
            doc.push(Block::Blank {
                label: tr.t("print.recommender").into(),
                lines: 1,
            });
        }
    }
    doc.push(Block::Paragraph(tr.t("print.application.pledge").into()));
    doc.push(Block::Signatures(vec![
        tr.t("print.sign.applicant").into(),
        tr.t("print.sign.liaison").into(),
        tr.t("print.sign.master").into(),
    ]));
    doc
}

/// 推荐承诺书: the recommender vouches for the new member's first
/// services. Filled names from `m`, or blank lines.
pub fn commitment(tr: &Tr, station: &str, m: Option<&MemberDetail>) -> Document {
    let mut doc = Document::new(tr.t("print.commitment.title"), Paper::A4)
        .with(Block::Paragraph(station.to_string()));
    match m {
        Some(d) => doc.push(Block::Fields(vec![
            (
                tr.t("print.recommender").into(),
                d.recommender.clone().unwrap_or_else(|| "—".into()),
            ),
            (tr.t("print.recommended").into(), d.row.name.clone()),
            (tr.t("print.address").into(), address(tr, d)),
        ])),
        None => {
            for key in ["print.recommender", "print.recommended", "print.address"] {
                doc.push(Block::Blank {
                    label: tr.t(key).into(),
                    lines: 1,
                });
            }
        }
    }
    for key in [
        "print.commitment.p1",
        "print.commitment.p2",
        "print.commitment.p3",
    ] {
        doc.push(Block::Paragraph(tr.t(key).into()));
    }
    doc.push(Block::Signatures(vec![
        tr.t("print.sign.recommender").into(),
        tr.t("print.sign.recommended").into(),
        tr.t("print.sign.liaison").into(),
    ]));
    doc
}

/// A page of the 服务记录册: the member's services, each with room for
/// both sides' signatures.
pub fn service_records(
    tr: &Tr,
    station: &str,
    d: &MemberDetail,
    names: ServiceNames<'_>,
    tz: Tz,
) -> Document {
    let rows: Vec<Vec<String>> = d
        .records
        .iter()
        .map(|r| record_row(tr, r, names, tz))
        .collect();
    let mut doc = Document::new(tr.t("print.records.title"), Paper::A4)
        .with(Block::Paragraph(station.to_string()))
        .with(Block::Fields(vec![
            (tr.t("member.name").into(), d.row.name.clone()),
            (
                tr.t("member.number").into(),
                d.row.number.clone().unwrap_or_else(|| "—".into()),
            ),
            (
                tr.t("print.served_total").into(),
                print::duration(tr, d.minutes_served),
            ),
            (tr.t("print.balance").into(), print::points(tr, d.balance)),
        ]));
    if rows.is_empty() {
        doc.push(Block::Paragraph(tr.t("print.records.none").into()));
    } else {
        doc.push(Block::Table {
            headers: [
                "print.col.date",
                "print.col.provider",
                "print.col.recipient",
                "print.col.service",
                "print.col.duration",
                "print.col.points",
                "print.col.signed",
            ]
            .iter()
            .map(|k| tr.t(k).to_string())
            .collect(),
            rows,
        });
    }
    doc.push(Block::Signatures(vec![tr.t("print.sign.liaison").into()]));
    doc
}

fn record_row(tr: &Tr, r: &RecordRow, names: ServiceNames<'_>, tz: Tz) -> Vec<String> {
    vec![
        time::fmt_local(r.started_at, tz, "%Y-%m-%d"),
        r.provider.clone(),
        r.recipient.clone(),
        names(r.type_id),
        print::duration(tr, u64::from(r.minutes)),
        print::points(tr, r.points),
        String::new(),
    ]
}

/// The facts of a member's statement the page shows.
pub struct StatementFacts<'a> {
    pub name: &'a str,
    pub number: Option<&'a str>,
    pub balance: i64,
    pub owed: i64,
    pub frozen: bool,
    pub lines: &'a [StatementLine],
}

/// A member's statement in large type: the balance first, then what came
/// in and went out, newest first, each line in words.
pub fn statement(tr: &Tr, station: &str, s: &StatementFacts<'_>, now: Stamp, tz: Tz) -> Document {
    let mut doc = Document::new(tr.t("print.statement.title"), Paper::A4)
        .with(Block::Paragraph(station.to_string()));
    doc.large_type = true;
    let mut fields = vec![
        (tr.t("member.name").into(), s.name.to_string()),
        (
            tr.t("member.number").into(),
            s.number.unwrap_or("—").to_string(),
        ),
        (tr.t("print.balance").into(), print::points(tr, s.balance)),
        (
            tr.t("print.as_of").into(),
            time::fmt_local(now, tz, "%Y-%m-%d %H:%M"),
        ),
    ];
    if s.owed > 0 {
        fields.push((tr.t("print.owed").into(), print::points(tr, s.owed)));
    }
    if s.frozen {
        fields.push((tr.t("print.frozen").into(), tr.t("print.yes").into()));
    }
    doc.push(Block::Fields(fields));
    if s.lines.is_empty() {
        doc.push(Block::Paragraph(tr.t("print.statement.none").into()));
        return doc;
    }
    let rows = s
        .lines
        .iter()
        .map(|l| {
            let who = match &l.counterpart_name {
                Some(n) => n.clone(),
                None if l.counterpart == "pool" => tr.t("payer.pool").to_string(),
                // an account the page has no name for: no raw code on paper
                None => "—".to_string(),
            };
            vec![
                time::fmt_local(l.at, tz, "%m-%d"),
                tr.t(l.kind.label_key()).to_string(),
                who,
                format!("{:+} {}", l.delta, tr.t("unit.points")),
                print::points(tr, l.balance_after),
            ]
        })
        .collect();
    doc.push(Block::Table {
        headers: [
            "print.col.date",
            "print.col.what",
            "print.col.with",
            "print.col.change",
            "print.col.after",
        ]
        .iter()
        .map(|k| tr.t(k).to_string())
        .collect(),
        rows,
    });
    doc
}
