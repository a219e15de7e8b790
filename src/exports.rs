//! Documents for paper and notice boards: a member's card, the public
//! blacklist notice, the monthly trust list, the level preview. Written as
//! plain UTF-8 text (Markdown where it helps) into `exports/` beside the
//! database, so the desk PC can print them with anything.

use crate::domain::member::card_payload;
use crate::domain::time::{self, Stamp};
use crate::i18n::Tr;
use crate::msg;
use crate::msg::Msg;
use crate::output::Saved;
use crate::store::Store;
use crate::store::disputes::Effects;
use std::path::{Path, PathBuf};

pub mod notice_board;

/// `exports/` beside the database.
pub fn exports_dir(store: &Store) -> PathBuf {
    store
        .path()
        .parent()
        .map(|p| p.join("exports"))
        .unwrap_or_else(|| PathBuf::from("exports"))
}

/// Write `text` into `dir` as `name`, whole or not at all, never over an
/// existing file: a taken name gets the next free `name (2)`, … (see
/// [`crate::output::write_numbered`]); the notice says so.
pub fn write_file(dir: &Path, name: &str, text: &str) -> Result<Saved, Msg> {
    crate::output::write_numbered(dir, name, text.as_bytes()).map_err(|e| {
        if crate::output::is_disk_full(&e) {
            msg!("out.disk_full", path = dir.join(name).display())
        } else {
            msg!("export.failed", why = e)
        }
    })
}

fn tz(store: &Store) -> chrono_tz::Tz {
    store.tz()
}

fn station_line(store: &Store, tr: &Tr) -> String {
    store
        .station()
        .map(|s| format!("{} {} ({})", tr.t("app.name"), s.name, s.code()))
        .unwrap_or_default()
}

/// The text of a member's time card, with its QR code in full blocks.
pub fn card(store: &Store, tr: &Tr, member_id: i64, now: Stamp) -> Result<Saved, Msg> {
    let m = store.member(member_id).map_err(|e| e.msg())?;
    let number = m.number.clone().ok_or(msg!("card.not_approved"))?;
    let cards = store.cards(member_id).map_err(|e| e.msg())?;
    let card = cards
        .iter()
        .find(|c| c.voided_at.is_none())
        .ok_or(msg!("export.no_card"))?;
    let payload = card_payload(&number, &card.serial);
    let mut out = String::new();
    out.push_str(&format!(
        "{}\n{}\n\n",
        tr.t("export.card_title"),
        station_line(store, tr)
    ));
    out.push_str(&format!("{}: {}\n", tr.t("member.name"), m.name));
    out.push_str(&format!("{}: {}\n", tr.t("member.number"), number));
    out.push_str(&format!("{}: {}\n", tr.t("card.serial"), card.serial));
    out.push_str(&format!(
        "{}: {}\n",
        tr.t("card.issued"),
        time::fmt_local(card.issued_at, tz(store), "%Y-%m-%d")
    ));
    out.push_str(&format!("{}: {}\n\n", tr.t("card.payload"), payload));
    for line in crate::qr::modules(&payload)
        .map(|g| crate::qr::print_lines(&g))
        .unwrap_or_default()
    {
        out.push_str(&line);
        out.push('\n');
    }
    out.push_str(&format!(
        "\n{} {}\n",
        tr.t("export.printed"),
        time::fmt_local(now, tz(store), "%Y-%m-%d %H:%M")
    ));
    write_file(&exports_dir(store), &format!("card-{number}.txt"), &out)
}

/// The public notice list of blacklisted members (信任警示公告).
pub fn blacklist(store: &Store, tr: &Tr, now: Stamp) -> Result<Saved, Msg> {
    let list = store.blacklist().map_err(|e| e.msg())?;
    let mut out = format!(
        "# {}\n\n{}\n\n",
        tr.t("export.notice_title"),
        station_line(store, tr)
    );
    out.push_str(&format!(
        "| {} | {} | {} | {} |\n|---|---|---|---|\n",
        tr.t("member.number"),
        tr.t("member.name"),
        tr.t("export.date"),
        tr.t("export.reason")
    ));
    for e in &list {
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            e.number,
            mask_name(&e.name),
            time::fmt_local(e.at, tz(store), "%Y-%m-%d"),
            e.reason
        ));
    }
    out.push_str(&format!(
        "\n{} {}\n",
        tr.t("export.printed"),
        time::fmt_local(now, tz(store), "%Y-%m-%d %H:%M")
    ));
    let day = time::local_day(now, tz(store));
    write_file(
        &exports_dir(store),
        &format!("notice-blacklist-{day}.md"),
        &out,
    )
}

/// The monthly trust list (信任榜), top 10.
pub fn trust_top(store: &Store, tr: &Tr, now: Stamp) -> Result<Saved, Msg> {
    let day = time::local_day(now, tz(store));
    let list = store.trust_top(day, 10).map_err(|e| e.msg())?;
    let month = day.format("%Y-%m").to_string();
    let mut out = format!(
        "# {} {month}\n\n{}\n\n",
        tr.t("export.trust_title"),
        station_line(store, tr)
    );
    out.push_str(&format!(
        "| # | {} | {} | {} | {} |\n|---|---|---|---|---|\n",
        tr.t("member.number"),
        tr.t("member.name"),
        tr.t("member.trust"),
        tr.t("export.gained")
    ));
    for (i, (r, number, name)) in list.iter().enumerate() {
        out.push_str(&format!(
            "| {} | {number} | {name} | {} | {:+} |\n",
            i + 1,
            r.score,
            r.gained_this_month
        ));
    }
    write_file(
        &exports_dir(store),
        &format!("trust-top10-{month}.md"),
        &out,
    )
}

/// The public list shows a surname and a mark, not the whole name.
fn mask_name(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => format!("{first}{}", "*".repeat(chars.count().max(1))),
        None => String::new(),
    }
}

/// The handling form of a dispute (纠纷处理单): the facts, every contact,
/// the outcome and what it did to the ledger and to standing.
///
/// Over 80 lines: the handling form's sections in the order the paper form has them
/// (facts, contacts, outcome, ledger, standing), each short.
pub fn dispute_form(store: &Store, tr: &Tr, id: i64, now: Stamp) -> Result<Saved, Msg> {
    let d = store.dispute(id).map_err(|e| e.msg())?;
    let contacts = store.dispute_contacts(id).map_err(|e| e.msg())?;
    let tz = tz(store);
    let t = |s: Option<Stamp>| {
        s.map(|s| time::fmt_local(s, tz, "%Y-%m-%d %H:%M"))
            .unwrap_or_else(|| "—".into())
    };
    let party = |p: &Option<(i64, String, String)>| {
        p.as_ref()
            .map(|(_, n, num)| format!("{num} {n}"))
            .unwrap_or_else(|| "—".into())
    };
    let mut out = format!(
        "# {}\n\n{}\n\n",
        tr.t("export.dispute_title"),
        station_line(store, tr)
    );
    let mut row = |k: &str, v: String| out.push_str(&format!("- **{}**: {v}\n", tr.t(k)));
    row("export.dispute_no", format!("{} ({})", d.id, d.uid));
    if let Some(c) = d.category {
        row("dispute.category", tr.t(c.label_key()).to_string());
    }
    row("dispute.channel", tr.t(d.channel.label_key()).to_string());
    row("dispute.opened", t(Some(d.opened_at)));
    row("dispute.party_a", party(&d.party_a));
    match &d.merchant {
        Some((_, name, code)) => row("dispute.merchant", format!("{code} {name}")),
        None => row("dispute.party_b", party(&d.party_b)),
    }
    if d.serious {
        row(
            "dispute.serious_title",
            tr.t("dispute.serious_mark").to_string(),
        );
    }
    row("dispute.reported_by", d.reported_by.clone());
    if let Some(r) = d.record_id.and_then(|r| store.record(r).ok()) {
        row(
            "dispute.record",
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
            ),
        );
    }
    row("dispute.subject", d.subject.clone());
    if d.category == Some(crate::domain::dispute::Category::Safety) {
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
    out.push_str(&format!("\n## {}\n\n", tr.t("dispute.contacts")));
    for c in &contacts {
        let who = match c.party.as_str() {
            "a" => party_name(&d.party_a),
            "b" => party_name(&d.party_b),
            _ => tr.t("dispute.other_party").to_string(),
        };
        let how = tr.t(crate::domain::dispute::contact_how_key(&c.how));
        let staff = tr.f("export.by_staff", &[("staff", &c.staff)]);
        out.push_str(&format!(
            "- {} {who} ({how}, {staff}): {}\n",
            t(Some(c.at)),
            c.said
        ));
    }
    if contacts.is_empty() {
        out.push_str("- —\n");
    }
    out.push_str(&format!("\n## {}\n\n", tr.t("dispute.decision")));
    match d.outcome {
        Some(o) => {
            out.push_str(&format!(
                "- {}: {} ({})\n",
                tr.t("dispute.outcome"),
                tr.t(o.label_key()),
                t(d.decided_at)
            ));
            if let Some(dec) = d
                .decision
                .as_deref()
                .and_then(|s| serde_json::from_str::<serde_json::Value>(s).ok())
            {
                if let Some(r) = dec
                    .get("reason")
                    .and_then(|v| v.as_str())
                    .filter(|r| !r.is_empty())
                {
                    out.push_str(&format!("- {}: {r}\n", tr.t("dispute.reason")));
                }
                if let Some(p) = dec.get("split_pct").and_then(|v| v.as_u64()) {
                    out.push_str(&format!("- {}: {p}%\n", tr.t("dispute.split")));
                }
                if let Some(fx) = dec.get("effects") {
                    let fx: Effects = serde_json::from_value(fx.clone()).unwrap_or_default();
                    for (id, _, amount) in &fx.transfers {
                        let line = transfer_words(store, tr, id, *amount)?;
                        out.push_str(&format!("- {}: {line}\n", tr.t("export.ledger_effect")));
                    }
                    for (member, amount) in &fx.owed {
                        let name = store.member(*member).map(|m| m.name).unwrap_or_default();
                        out.push_str(&format!(
                            "- {}: {name} {amount} {}\n",
                            tr.t("export.owed"),
                            tr.t("unit.points")
                        ));
                    }
                    for s in &fx.standing {
                        out.push_str(&format!(
                            "- {}: {}\n",
                            tr.t("export.standing_effect"),
                            tr.t(standing_key(s))
                        ));
                    }
                }
            }
            out.push_str(&format!(
                "- {}: {} {}\n",
                tr.t("dispute.told"),
                t(d.told_at),
                d.told_how.clone().unwrap_or_default()
            ));
        }
        None => out.push_str(&format!("- {}\n", tr.t("dispute.undecided"))),
    }
    out.push_str(&format!(
        "\n{} {}\n",
        tr.t("export.printed"),
        time::fmt_local(now, tz, "%Y-%m-%d %H:%M")
    ));
    write_file(&exports_dir(store), &format!("dispute-{}.md", d.id), &out)
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

/// "王建国 → 社区公益池 15 积分(纠纷分担)": a transfer in words.
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
        .unwrap_or(row.kind.clone());
    Ok(format!(
        "{} → {} {amount} {} ({kind})",
        name(&row.debit)?,
        name(&row.credit)?,
        tr.t("unit.points")
    ))
}

/// The monthly improvement list (信任改进清单): every suggestion still open,
/// and those answered this month with their reply.
pub fn improvements(store: &Store, tr: &Tr, now: Stamp) -> Result<Saved, Msg> {
    let tz = tz(store);
    let day = time::local_day(now, tz);
    let (from, _) = time::month_range(day, tz);
    let rows = store.disputes(from).map_err(|e| e.msg())?;
    let month = day.format("%Y-%m").to_string();
    let mut out = format!(
        "# {} {month}\n\n{}\n\n",
        tr.t("export.improvements_title"),
        station_line(store, tr)
    );
    out.push_str(&format!(
        "| # | {} | {} | {} | {} |\n|---|---|---|---|---|\n",
        tr.t("export.date"),
        tr.t("dispute.suggestion_text"),
        tr.t("dispute.reported_by"),
        tr.t("dispute.reply")
    ));
    for d in rows.iter().filter(|d| d.suggestion) {
        let reply = match (&d.reply, d.replied_at) {
            (Some(r), Some(at)) => format!("{} ({})", r, time::fmt_local(at, tz, "%m-%d")),
            _ => tr.t("export.open").to_string(),
        };
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            d.id,
            time::fmt_local(d.opened_at, tz, "%Y-%m-%d"),
            d.subject,
            d.reported_by,
            reply
        ));
    }
    write_file(
        &exports_dir(store),
        &format!("improvements-{month}.md"),
        &out,
    )
}

/// The monthly settlement statement: per merchant, last month's
/// redemptions, the discounts in yuan and the service owed for them.
pub fn settlement(
    store: &Store,
    tr: &Tr,
    s: &crate::store::redemptions::Settlement,
) -> Result<Saved, Msg> {
    use crate::domain::merchant::yuan;
    let tz = tz(store);
    let mut out = format!(
        "# {} {}\n\n{}\n\n{} {}\n\n",
        tr.t("export.settlement_title"),
        s.month,
        station_line(store, tr),
        tr.t("export.settlement_rate"),
        store.settings().merchant_yuan_per_hour
    );
    out.push_str(&format!(
        "| {} | {} | {} | {} | {} | {} |\n|---|---:|---:|---:|---:|---:|\n",
        tr.t("merchant.name"),
        tr.t("export.redemptions"),
        tr.t("export.points"),
        tr.t("export.discounts"),
        tr.t("export.hours_owed"),
        tr.t("export.requests")
    ));
    for l in &s.lines {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            l.merchant,
            l.redemptions,
            l.points,
            yuan(l.discounts_fen),
            crate::domain::units::format_hours(u64::from(l.minutes_owed)),
            l.requests
        ));
    }
    if s.lines.is_empty() {
        out.push_str(&format!("\n{}\n", tr.t("export.no_redemptions")));
    }
    out.push_str(&format!(
        "\n{} {}\n",
        tr.t("export.printed"),
        time::fmt_local(s.at, tz, "%Y-%m-%d %H:%M")
    ));
    write_file(
        &exports_dir(store),
        &format!("settlement-{}.md", s.month),
        &out,
    )
}

/// The public notice of a merchant ended for a severe violation.
pub fn merchant_notice(store: &Store, tr: &Tr, merchant_id: i64, now: Stamp) -> Result<Saved, Msg> {
    let d = store
        .merchant_detail(merchant_id, now)
        .map_err(|e| e.msg())?;
    let m = &d.merchant;
    let tz = tz(store);
    let mut out = format!(
        "# {}\n\n{}\n\n{} {} ({})\n\n",
        tr.t("export.merchant_notice_title"),
        station_line(store, tr),
        tr.t("merchant.name"),
        m.name,
        m.address
    );
    for v in d
        .violations
        .iter()
        .filter(|v| v.severity != crate::domain::violation::Severity::Minor)
    {
        out.push_str(&format!(
            "- {} {}: {}\n",
            time::fmt_local(v.at, tz, "%Y-%m-%d"),
            tr.t(v.severity.label_key()),
            v.reason
        ));
    }
    if let Some(r) = &m.status_reason {
        out.push_str(&format!("\n{} {}\n", tr.t(m.status.label_key()), r));
    }
    out.push_str(&format!(
        "\n{} {}\n",
        tr.t("export.printed"),
        time::fmt_local(now, tz, "%Y-%m-%d %H:%M")
    ));
    write_file(
        &exports_dir(store),
        &format!("merchant-notice-{}.md", m.code),
        &out,
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_are_masked_on_public_lists() {
        assert_eq!(super::mask_name("张三丰"), "张**");
        assert_eq!(super::mask_name("李"), "李*");
    }
}
