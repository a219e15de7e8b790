//! Documents for paper and notice boards: a member's card, the public
//! blacklist notice, the monthly trust list, the level preview. Written as
//! plain UTF-8 text (Markdown where it helps) into `exports/` beside the
//! database, so the desk PC can print them with anything.

use crate::domain::member::card_payload;
use crate::domain::time::{self, Stamp};
use crate::i18n::Tr;
use crate::msg;
use crate::msg::Msg;
use crate::store::Store;
use std::path::{Path, PathBuf};

/// `exports/` beside the database.
pub fn exports_dir(store: &Store) -> PathBuf {
    store
        .path()
        .parent()
        .map(|p| p.join("exports"))
        .unwrap_or_else(|| PathBuf::from("exports"))
}

/// Write `text` to `dir/name` whole or not at all (temp file, then rename).
pub fn write_file(dir: &Path, name: &str, text: &str) -> Result<PathBuf, Msg> {
    std::fs::create_dir_all(dir).map_err(|e| msg!("export.failed", why = e))?;
    let path = dir.join(name);
    let tmp = dir.join(format!(".{name}.tmp"));
    std::fs::write(&tmp, text).map_err(|e| msg!("export.failed", why = e))?;
    std::fs::rename(&tmp, &path).map_err(|e| msg!("export.failed", why = e))?;
    Ok(path)
}

fn tz(store: &Store) -> chrono_tz::Tz {
    store
        .station()
        .map(|s| s.tz)
        .unwrap_or(chrono_tz::Asia::Shanghai)
}

fn station_line(store: &Store, tr: &Tr) -> String {
    store
        .station()
        .map(|s| format!("{} {} ({})", tr.t("app.name"), s.name, s.code()))
        .unwrap_or_default()
}

/// The text of a member's time card, with its QR code in full blocks.
pub fn card(store: &Store, tr: &Tr, member_id: i64, now: Stamp) -> Result<PathBuf, Msg> {
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
pub fn blacklist(store: &Store, tr: &Tr, now: Stamp) -> Result<PathBuf, Msg> {
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
pub fn trust_top(store: &Store, tr: &Tr, now: Stamp) -> Result<PathBuf, Msg> {
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

#[cfg(test)]
mod tests {
    #[test]
    fn names_are_masked_on_public_lists() {
        assert_eq!(super::mask_name("张三丰"), "张**");
        assert_eq!(super::mask_name("李"), "李*");
    }
}
