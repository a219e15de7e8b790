//! 纠纷处理单: a dispute's facts, every contact with the parties, the
//! outcome and what it did to the ledger and to standing, and the lines
//! where the parties and the station master sign. [`gather`] reads the
//! store; [`sheet`] words the page from what was read.

use crate::domain::dispute::{Category, contact_how_key};
use crate::domain::time::{self, Stamp};
use crate::i18n::Tr;
use crate::msg::Msg;
use crate::print::{Block, Document, Paper};
use crate::store::Store;
use crate::store::disputes::{ContactRow, DisputeRow, Effects};
use chrono_tz::Tz;

/// What the handling form shows, read from the store.
pub struct DisputeFacts {
    pub dispute: DisputeRow,
    pub contacts: Vec<ContactRow>,
    /// The service disputed, in words.
    pub record: Option<String>,
    /// The decision's effects, each a label and a line in words.
    pub effects: Vec<(String, String)>,
}

fn party(p: &Option<(i64, String, String)>) -> String {
    p.as_ref()
        .map(|(_, n, num)| format!("{num} {n}"))
        .unwrap_or_else(|| "—".into())
}

fn party_name(p: &Option<(i64, String, String)>) -> String {
    p.as_ref()
        .map(|(_, n, _)| n.clone())
        .unwrap_or_else(|| "—".into())
}

/// What a decision did to a member's standing, in words.
fn standing_key(s: &str) -> &'static str {
    match s {
        "warning" => crate::k!("trust.warning"),
        "bad_credit" => crate::k!("trust.bad_credit"),
        "violation:minor" => crate::k!("trust.minor"),
        "violation:moderate" => crate::k!("trust.moderate"),
        _ => crate::k!("trust.severe"),
    }
}

/// "王建国 → 社区公益池 15 积分 (纠纷分担)": a transfer in words.
fn transfer_words(store: &Store, tr: &Tr, id: &str, amount: i64) -> Result<String, Msg> {
    let Some((row, _)) = store.transfer(id).map_err(|e| e.msg())? else {
        return Ok(format!("{amount} {}", tr.t("unit.points")));
    };
    let name = |code: &str| -> Result<String, Msg> {
        Ok(store
            .account_holder(code)
            .map_err(|e| e.msg())?
            .unwrap_or_else(|| tr.t("payer.pool").to_string()))
    };
    let kind = crate::domain::ledger::TransferKind::parse(&row.kind)
        .map(|k| tr.t(k.label_key()).to_string())
        .unwrap_or_else(|| "—".into());
    Ok(format!(
        "{} → {} {amount} {} ({kind})",
        name(&row.debit)?,
        name(&row.credit)?,
        tr.t("unit.points")
    ))
}

/// Read dispute `id` and word what its decision did.
pub fn gather(store: &Store, tr: &Tr, id: i64) -> Result<DisputeFacts, Msg> {
    let d = store.dispute(id).map_err(|e| e.msg())?;
    let contacts = store.dispute_contacts(id).map_err(|e| e.msg())?;
    let tz = store.tz();
    let record = d.record_id.and_then(|r| store.record(r).ok()).map(|r| {
        format!(
            "#{} {} → {} {} {} {} · {} {}",
            r.id,
            r.provider,
            r.recipient,
            time::fmt_local(r.started_at, tz, "%Y-%m-%d %H:%M"),
            r.minutes,
            tr.t("unit.min"),
            r.points,
            tr.t("unit.points")
        )
    });
    let mut effects = Vec::new();
    let decision = d
        .decision
        .as_deref()
        .and_then(|s| serde_json::from_str::<serde_json::Value>(s).ok());
    if let Some(dec) = decision {
        if let Some(r) = dec
            .get("reason")
            .and_then(|v| v.as_str())
            .filter(|r| !r.is_empty())
        {
            effects.push((tr.t("dispute.reason").to_string(), r.to_string()));
        }
        if let Some(p) = dec.get("split_pct").and_then(|v| v.as_u64()) {
            effects.push((tr.t("dispute.split").to_string(), format!("{p}%")));
        }
        if let Some(fx) = dec.get("effects") {
            let fx: Effects = serde_json::from_value(fx.clone()).unwrap_or_default();
            for (id, _, amount) in &fx.transfers {
                let line = transfer_words(store, tr, id, *amount)?;
                effects.push((tr.t("export.ledger_effect").to_string(), line));
            }
            for (member, amount) in &fx.owed {
                let name = store.member(*member).map(|m| m.name).unwrap_or_default();
                effects.push((
                    tr.t("export.owed").to_string(),
                    format!("{name} {amount} {}", tr.t("unit.points")),
                ));
            }
            for s in &fx.standing {
                effects.push((
                    tr.t("export.standing_effect").to_string(),
                    tr.t(standing_key(s)).to_string(),
                ));
            }
        }
    }
    Ok(DisputeFacts {
        dispute: d,
        contacts,
        record,
        effects,
    })
}

/// The handling form, worded.
pub fn sheet(tr: &Tr, station: &str, f: &DisputeFacts, tz: Tz) -> Document {
    let d = &f.dispute;
    let t = |s: Option<Stamp>| {
        s.map(|s| time::fmt_local(s, tz, "%Y-%m-%d %H:%M"))
            .unwrap_or_else(|| "—".into())
    };
    let mut facts = vec![(tr.t("export.dispute_no").to_string(), format!("{}", d.id))];
    let mut row = |k: &str, v: String| facts.push((tr.t(k).to_string(), v));
    if let Some(c) = d.category {
        row("dispute.category", tr.t(c.label_key()).to_string());
    }
    row("dispute.channel", tr.t(d.channel.label_key()).to_string());
    row("dispute.opened", t(Some(d.opened_at)));
    row("dispute.party_a", party(&d.party_a));
    match &d.merchant {
        Some((_, name, _)) => row("dispute.merchant", name.clone()),
        None => row("dispute.party_b", party(&d.party_b)),
    }
    if d.serious {
        row(
            "dispute.serious_title",
            tr.t("dispute.serious_mark").to_string(),
        );
    }
    row("dispute.reported_by", d.reported_by.clone());
    if let Some(r) = &f.record {
        row("dispute.record", r.clone());
    }
    row("dispute.subject", d.subject.clone());
    if d.category == Some(Category::Safety) {
        row(
            "dispute.hq_report",
            format!(
                "{} {}",
                t(d.hq_reported_at),
                d.hq_reported_to.clone().unwrap_or_default()
            ),
        );
        row(
            "dispute.review",
            format!(
                "{} {}",
                t(d.reviewed_at),
                d.review.clone().unwrap_or_default()
            ),
        );
    }
    let mut doc = Document::new(tr.t("export.dispute_title"), Paper::A4)
        .with(Block::Paragraph(station.to_string()))
        .with(Block::Fields(facts))
        .with(Block::Heading(tr.t("dispute.contacts").into()));
    if f.contacts.is_empty() {
        doc.push(Block::Paragraph("—".into()));
    } else {
        let rows = f
            .contacts
            .iter()
            .map(|c| {
                let who = match c.party.as_str() {
                    "a" => party_name(&d.party_a),
                    "b" => party_name(&d.party_b),
                    _ => tr.t("dispute.other_party").to_string(),
                };
                let how = tr.t(contact_how_key(&c.how));
                let staff = tr.f("export.by_staff", &[("staff", &c.staff)]);
                vec![
                    t(Some(c.at)),
                    format!("{who} ({how}, {staff})"),
                    c.said.clone(),
                ]
            })
            .collect();
        doc.push(Block::Table {
            headers: vec![
                tr.t("print.col.time").into(),
                tr.t("print.col.who").into(),
                tr.t("print.col.said").into(),
            ],
            rows,
        });
    }
    doc.push(Block::Heading(tr.t("dispute.decision").into()));
    match d.outcome {
        Some(o) => {
            let mut out = vec![(
                tr.t("dispute.outcome").to_string(),
                format!("{} ({})", tr.t(o.label_key()), t(d.decided_at)),
            )];
            out.extend(f.effects.iter().cloned());
            out.push((
                tr.t("dispute.told").to_string(),
                format!(
                    "{} {}",
                    t(d.told_at),
                    d.told_how.clone().unwrap_or_default()
                ),
            ));
            doc.push(Block::Fields(out));
        }
        None => {
            doc.push(Block::Paragraph(tr.t("dispute.undecided").into()));
            doc.push(Block::Blank {
                label: tr.t("print.dispute.opinion").into(),
                lines: 4,
            });
        }
    }
    doc.push(Block::Signatures(vec![
        tr.t("print.sign.party_a").into(),
        tr.t("print.sign.party_b").into(),
        tr.t("print.sign.master").into(),
    ]));
    doc
}
