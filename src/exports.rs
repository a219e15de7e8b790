//! Documents for paper and notice boards: a member's card, the public
//! blacklist notice, the monthly trust list, the level preview. Written as
//! plain UTF-8 text (Markdown where it helps) into `exports/` beside the
//! database, so the desk PC can print them with anything.
//!
//! The printed forms and receipts (HTML pages for A4 or an 80 mm roll) are
//! in `printed`, and `deliver` saves a page and opens or prints it.

pub mod deliver;
pub mod printed;

use crate::domain::member::card_payload;
use crate::domain::time::{self, Stamp};
use crate::i18n::Tr;
use crate::msg;
use crate::msg::Msg;
use crate::output::Saved;
use crate::store::Store;
use std::path::{Path, PathBuf};

mod stories;
pub use stories::story_document;
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
        .map(|s| format!("{} ({})", station_title(tr, &s.name), s.code()))
        .unwrap_or_default()
}

/// The station as a page names it: "时光驿站 <name>", or the name alone
/// when it says 时光驿站 already ("金山街道时光驿站", not twice).
pub fn station_title(tr: &Tr, name: &str) -> String {
    let app = tr.t("app.name");
    if name.contains(app)
        || name.contains(crate::i18n::Tr::new(crate::i18n::Lang::Zh).t("app.name"))
    {
        name.to_string()
    } else {
        format!("{app} {name}")
    }
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

    #[test]
    fn a_station_named_after_the_bank_is_not_named_twice() {
        use crate::i18n::{Lang, Tr};
        let (zh, en) = (Tr::new(Lang::Zh), Tr::new(Lang::En));
        assert_eq!(
            super::station_title(&zh, "金山街道时光驿站"),
            "金山街道时光驿站"
        );
        assert_eq!(
            super::station_title(&en, "金山街道时光驿站"),
            "金山街道时光驿站"
        );
        assert_eq!(super::station_title(&zh, "金山街道"), "时光驿站 金山街道");
    }
}
