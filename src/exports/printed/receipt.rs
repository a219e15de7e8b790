//! 80 mm receipts handed over the desk: one for a service recorded (both
//! sides' names, the service, how long, the points and who paid them) and
//! one for a redemption at a merchant (the offer, the points spent, the
//! discount in yuan).

use crate::domain::time::{self, Stamp};
use crate::i18n::Tr;
use crate::print::{self, Block, Document, Paper};
use crate::store::merchants::RedemptionRow;
use crate::store::records::RecordRow;
use chrono_tz::Tz;

fn yuan(fen: i64) -> String {
    format!("¥{}.{:02}", fen / 100, (fen % 100).abs())
}

/// A service's receipt; `service` is its type's name.
pub fn record(
    tr: &Tr,
    station: &str,
    r: &RecordRow,
    service: &str,
    now: Stamp,
    tz: Tz,
) -> Document {
    let mut fields = vec![
        (tr.t("print.receipt.no").to_string(), format!("#{}", r.id)),
        (tr.t("print.col.provider").to_string(), r.provider.clone()),
        (tr.t("print.col.recipient").to_string(), r.recipient.clone()),
        (tr.t("print.col.service").to_string(), service.to_string()),
        (
            tr.t("print.col.time").to_string(),
            format!(
                "{}–{}",
                time::fmt_local(r.started_at, tz, "%Y-%m-%d %H:%M"),
                time::fmt_local(r.ended_at, tz, "%H:%M")
            ),
        ),
        (
            tr.t("print.col.duration").to_string(),
            print::duration(tr, u64::from(r.minutes)),
        ),
        (
            tr.t("print.col.points").to_string(),
            print::points(tr, r.points),
        ),
        (
            tr.t("print.receipt.payer").to_string(),
            tr.t(r.payer.label_key()).to_string(),
        ),
        (
            tr.t("print.receipt.confirmed").to_string(),
            tr.t(r.method.label_key()).to_string(),
        ),
    ];
    if r.reversed != 0 {
        fields.push((
            tr.t("print.receipt.reversed").to_string(),
            print::points(tr, r.reversed),
        ));
    }
    fields.push((
        tr.t("export.printed").to_string(),
        time::fmt_local(now, tz, "%Y-%m-%d %H:%M"),
    ));
    Document::new(tr.t("print.receipt.record_title"), Paper::Receipt80)
        .with(Block::Paragraph(station.to_string()))
        .with(Block::Fields(fields))
        .with(Block::Paragraph(tr.t("print.receipt.thanks").into()))
}

/// A redemption's receipt; `merchant` and `offer` by name.
pub fn redemption(
    tr: &Tr,
    station: &str,
    r: &RedemptionRow,
    merchant: &str,
    offer: &str,
    now: Stamp,
    tz: Tz,
) -> Document {
    Document::new(tr.t("print.receipt.redeem_title"), Paper::Receipt80)
        .with(Block::Paragraph(station.to_string()))
        .with(Block::Fields(vec![
            (tr.t("print.receipt.no").to_string(), format!("#{}", r.id)),
            (
                tr.t("member.name").to_string(),
                format!("{} {}", r.member_number, r.member_name),
            ),
            (
                tr.t("print.receipt.merchant").to_string(),
                merchant.to_string(),
            ),
            (tr.t("print.receipt.offer").to_string(), offer.to_string()),
            (tr.t("print.receipt.count").to_string(), r.count.to_string()),
            (
                tr.t("print.receipt.spent").to_string(),
                print::points(tr, r.points),
            ),
            (tr.t("print.receipt.value").to_string(), yuan(r.value_fen)),
            (
                tr.t("print.col.time").to_string(),
                time::fmt_local(r.redeemed_at, tz, "%Y-%m-%d %H:%M"),
            ),
            (
                tr.t("export.printed").to_string(),
                time::fmt_local(now, tz, "%Y-%m-%d %H:%M"),
            ),
        ]))
        .with(Block::Signatures(vec![tr.t("print.sign.member").into()]))
}
