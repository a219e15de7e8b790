//! The weekly trust notice board (信任公示栏) as one A4 page: built from the
//! store's facts by a pure function, so its content is tested without a
//! file; [`write`] puts its HTML into `exports/`.

use crate::domain::merchant::yuan;
use crate::domain::privacy::redact_id_numbers;
use crate::domain::time::{self, Stamp};
use crate::domain::violation::Severity;
use crate::i18n::Tr;
use crate::msg::Msg;
use crate::output::Saved;
use crate::print::{Block, Document, Paper};
use crate::store::Store;
use crate::store::fund::board::{BoardFacts, ViolationFact};
use chrono_tz::Tz;

/// Free text as the public page may show it: an ID number masked, and any
/// run of seven or more digits (a phone number typed into a reason) too.
fn public(text: &str) -> String {
    let t = redact_id_numbers(text);
    let mut out = String::with_capacity(t.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if run.chars().count() >= 7 {
            out.push_str(&"*".repeat(run.chars().count()));
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in t.chars() {
        if c.is_ascii_digit() || ('０'..='９').contains(&c) {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

/// A person's name as the public page shows it: the surname and a mark.
pub fn mask_name(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => format!("{first}{}", "*".repeat(chars.count().max(1))),
        None => String::new(),
    }
}

fn yuan_text(tr: &Tr, fen: i64) -> String {
    tr.f("board.yuan", &[("v", &yuan(fen))])
}

fn day(at: Stamp, tz: Tz) -> String {
    time::fmt_local(at, tz, "%m-%d")
}

/// The notice board of one week, in `tr`'s language (the station prints it
/// in Chinese).
///
/// Over 80 lines: the board's sections in the handbook's order, each short.
pub fn notice_board_document(facts: &BoardFacts, tr: &Tr, tz: Tz) -> Document {
    let mut doc = Document::new(
        tr.f(
            "board.title",
            &[
                ("from", &facts.monday.format("%Y-%m-%d")),
                ("to", &facts.sunday.format("%Y-%m-%d")),
            ],
        ),
        Paper::A4,
    );
    doc.push(Block::Paragraph(tr.f(
        "board.station",
        &[("name", &super::station_title(tr, &public(&facts.station)))],
    )));
    // 1. the fund: every row of the week, who, what, what is left
    doc.push(Block::Heading(tr.t("board.fund").into()));
    doc.push(Block::Fields(vec![
        (
            tr.t("board.opening").into(),
            yuan_text(tr, facts.opening_fen),
        ),
        (
            tr.t("board.closing").into(),
            yuan_text(tr, facts.closing_fen),
        ),
    ]));
    if facts.entries.is_empty() {
        doc.push(Block::Paragraph(tr.t("board.fund_none").into()));
    } else {
        let rows = facts
            .entries
            .iter()
            .map(|e| {
                let who = if e.kind.is_income() && e.member_id.is_some() {
                    mask_name(&e.party)
                } else {
                    public(&e.party)
                };
                let (income, expense) = if e.amount_fen > 0 {
                    (yuan_text(tr, e.amount_fen), String::new())
                } else {
                    (String::new(), yuan_text(tr, -e.amount_fen))
                };
                let signed = if e.signers.is_empty() {
                    e.staff.clone()
                } else {
                    e.signers.join("、")
                };
                vec![
                    day(e.at, tz),
                    tr.t(e.kind.label_key()).to_string(),
                    who,
                    public(&e.purpose),
                    income,
                    expense,
                    yuan_text(tr, e.balance_fen),
                    signed,
                ]
            })
            .collect();
        doc.push(Block::Table {
            headers: [
                "board.col.date",
                "board.col.kind",
                "board.col.who",
                "board.col.what",
                "board.col.in",
                "board.col.out",
                "board.col.left",
                "board.col.signed",
            ]
            .iter()
            .map(|k| tr.t(k).to_string())
            .collect(),
            rows,
        });
    }
    if !facts.pending.is_empty() {
        doc.push(Block::Paragraph(tr.t("board.pending").into()));
        doc.push(Block::Table {
            headers: vec![
                tr.t("board.col.kind").into(),
                tr.t("board.col.who").into(),
                tr.t("board.col.what").into(),
                tr.t("board.col.out").into(),
                tr.t("board.col.signed").into(),
            ],
            rows: facts
                .pending
                .iter()
                .map(|x| {
                    vec![
                        tr.t(x.kind.label_key()).to_string(),
                        public(&x.party),
                        public(&x.purpose),
                        yuan_text(tr, x.amount_fen),
                        tr.f(
                            "board.signatures",
                            &[
                                ("n", &x.signatures.len()),
                                ("need", &crate::domain::fund::SIGNATURES_NEEDED),
                            ],
                        ),
                    ]
                })
                .collect(),
        });
    }
    if !facts.deposits.is_empty() {
        doc.push(Block::Paragraph(tr.t("board.deposits").into()));
        doc.push(Block::Table {
            headers: vec![
                tr.t("board.col.date").into(),
                tr.t("board.col.merchant").into(),
                tr.t("board.col.kind").into(),
                tr.t("board.col.amount").into(),
            ],
            rows: facts
                .deposits
                .iter()
                .map(|d| {
                    vec![
                        day(d.at, tz),
                        public(&d.merchant),
                        tr.t(deposit_key(&d.kind)).to_string(),
                        yuan_text(tr, d.amount_fen),
                    ]
                })
                .collect(),
        });
    }
    violations(&mut doc, facts, tr, tz);
    disputes(&mut doc, facts, tr, tz);
    trust(&mut doc, facts, tr);
    merchants(&mut doc, facts, tr);
    doc.push(Block::Heading(tr.t("board.stories").into()));
    if facts.stories.is_empty() {
        doc.push(Block::Paragraph(tr.t("board.none").into()));
    }
    for (d, story) in &facts.stories {
        doc.push(Block::Paragraph(format!("{d}　{}", public(story))));
    }
    doc.push(Block::Paragraph(tr.t("board.footer").into()));
    doc.push(Block::Signatures(vec![tr.t("board.sign_master").into()]));
    doc
}

fn deposit_key(kind: &str) -> &'static str {
    match kind {
        "paid" => crate::k!("board.deposit.paid"),
        "deduction" => crate::k!("board.deposit.deduction"),
        "dividend_pool" => crate::k!("board.deposit.dividend_pool"),
        "refund" => crate::k!("board.deposit.refund"),
        _ => crate::k!("board.deposit.other"),
    }
}

/// Moderate: the problem and the remedy; severe: the reason, the person
/// masked (a merchant is a business: named).
fn violations(doc: &mut Document, facts: &BoardFacts, tr: &Tr, tz: Tz) {
    doc.push(Block::Heading(tr.t("board.violations").into()));
    if facts.violations.is_empty() {
        doc.push(Block::Paragraph(tr.t("board.none").into()));
        return;
    }
    let who = |v: &ViolationFact| {
        if v.merchant {
            public(&v.name)
        } else {
            mask_name(&v.name)
        }
    };
    let remedy = |v: &ViolationFact| -> &str {
        match (v.severity, v.merchant) {
            (Severity::Severe, true) => tr.t("board.remedy.merchant_severe"),
            (Severity::Severe, false) => tr.t("board.remedy.member_severe"),
            (Severity::Moderate | Severity::Minor, true) => tr.t("board.remedy.merchant_moderate"),
            (Severity::Moderate | Severity::Minor, false) => tr.t("board.remedy.member_moderate"),
        }
    };
    doc.push(Block::Table {
        headers: vec![
            tr.t("board.col.date").into(),
            tr.t("board.col.who").into(),
            tr.t("board.col.severity").into(),
            tr.t("board.col.problem").into(),
            tr.t("board.col.remedy").into(),
        ],
        rows: facts
            .violations
            .iter()
            .map(|v| {
                vec![
                    day(v.at, tz),
                    who(v),
                    tr.t(v.severity.label_key()).to_string(),
                    public(&v.reason),
                    remedy(v).to_string(),
                ]
            })
            .collect(),
    });
}

fn disputes(doc: &mut Document, facts: &BoardFacts, tr: &Tr, tz: Tz) {
    doc.push(Block::Heading(tr.t("board.disputes").into()));
    if facts.disputes.is_empty() {
        doc.push(Block::Paragraph(tr.t("board.none").into()));
        return;
    }
    doc.push(Block::Table {
        headers: vec![
            tr.t("board.col.date").into(),
            tr.t("board.col.what").into(),
            tr.t("board.col.outcome").into(),
        ],
        rows: facts
            .disputes
            .iter()
            .map(|d| {
                let outcome = tr.t(d.outcome.label_key());
                let outcome = if d.decision.trim().is_empty() {
                    outcome.to_string()
                } else {
                    format!("{outcome}:{}", public(&d.decision))
                };
                vec![day(d.decided_at, tz), public(&d.subject), outcome]
            })
            .collect(),
    });
}

fn trust(doc: &mut Document, facts: &BoardFacts, tr: &Tr) {
    doc.push(Block::Heading(
        tr.f("board.trust", &[("month", &facts.month)]),
    ));
    let gift = if facts.gifts.is_empty() {
        tr.t("board.gift_default").to_string()
    } else {
        facts
            .gifts
            .iter()
            .map(|g| public(g))
            .collect::<Vec<_>>()
            .join("、")
    };
    doc.push(Block::Fields(vec![(tr.t("board.gift").into(), gift)]));
    if facts.trust_top.is_empty() {
        doc.push(Block::Paragraph(tr.t("board.none").into()));
        return;
    }
    doc.push(Block::Table {
        headers: vec![
            "#".into(),
            tr.t("board.col.name").into(),
            tr.t("board.col.score").into(),
            tr.t("board.col.gained").into(),
        ],
        rows: facts
            .trust_top
            .iter()
            .enumerate()
            .map(|(i, (r, name))| {
                vec![
                    (i + 1).to_string(),
                    public(name),
                    r.score.to_string(),
                    format!("{:+}", r.gained_this_month),
                ]
            })
            .collect(),
    });
}

fn merchants(doc: &mut Document, facts: &BoardFacts, tr: &Tr) {
    doc.push(Block::Heading(tr.t("board.merchants").into()));
    if facts.merchants.is_empty() {
        doc.push(Block::Paragraph(tr.t("board.none").into()));
        return;
    }
    let mut rows = Vec::new();
    for m in &facts.merchants {
        let grade = tr.t(m.grade.label_key()).to_string();
        if m.offers.is_empty() {
            rows.push(vec![
                public(&m.name),
                grade.clone(),
                tr.t("board.no_offer").into(),
                String::new(),
            ]);
        }
        for o in &m.offers {
            rows.push(vec![
                public(&m.name),
                grade.clone(),
                public(&o.text),
                tr.f(
                    "board.offer_terms",
                    &[
                        ("points", &o.points),
                        ("value", &yuan(o.value_fen)),
                        ("to", &o.valid_to),
                    ],
                ),
            ]);
        }
    }
    doc.push(Block::Table {
        headers: vec![
            tr.t("board.col.merchant").into(),
            tr.t("board.col.grade").into(),
            tr.t("board.col.offer").into(),
            tr.t("board.col.terms").into(),
        ],
        rows,
    });
}

/// The notice board of the week holding `today` and the name it is saved
/// under (in Chinese: the board is for the community's notice board).
pub fn week_document(store: &Store, today: chrono::NaiveDate) -> Result<(Document, String), Msg> {
    let facts = store.notice_board(today).map_err(|e| e.msg())?;
    let doc = notice_board_document(&facts, &Tr::new(crate::i18n::Lang::Zh), store.tz());
    let name = format!("notice-board-{}.html", facts.monday.format("%Y-%m-%d"));
    Ok((doc, name))
}

/// The notice board of the week holding `today`, written into `exports/`.
pub fn write_week(store: &Store, today: chrono::NaiveDate) -> Result<(Saved, Document), Msg> {
    let (doc, name) = week_document(store, today)?;
    let tr = Tr::new(crate::i18n::Lang::Zh);
    let html = crate::print::to_html(&doc, tr.t("board.sign_date"));
    let saved = super::write_file(&super::exports_dir(store), &name, &html)?;
    Ok((saved, doc))
}

#[cfg(test)]
mod tests;
