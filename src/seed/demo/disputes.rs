//! The demo's dispute log.

use super::*;

/// The dispute log: one mediated and told, one open past its contact
/// deadline, a safety incident reported to HQ, suggestions.
///
/// Over 80 lines: the demo's cases one by one, each a small story the desk guide shows;
/// read as a list.
pub(super) fn disputes(
    store: &mut Store,
    master: &Session,
    liaison: &Session,
    now: Stamp,
    posted: &[crate::store::records::RecordPosted],
) -> Result<(), StoreError> {
    use crate::domain::dispute::{Category, Outcome};
    use crate::store::disputes::{Channel, Decision, NewDispute};
    let parties = |store: &Store, p: &crate::store::records::RecordPosted| {
        store
            .record(p.record_id)
            .map(|r| (r.recipient_id, r.provider_id))
    };
    let new = |category, a, b, record, subject: &str, by: &str| NewDispute {
        suggestion: false,
        channel: Channel::Phone,
        category: Some(category),
        party_a: Some(a),
        party_b: Some(b),
        record_id: Some(record),
        subject: subject.into(),
        reported_by: by.into(),
        merchant: None,
    };
    if let Some(p) = posted.get(1) {
        let (a, b) = parties(store, p)?;
        let d = store.open_dispute(
            liaison,
            &new(
                Category::Points,
                a,
                b,
                p.record_id,
                "受助人说只服务了一个小时,不是一个半小时",
                "本人",
            ),
            now - 3 * HOUR_MS,
        )?;
        store.dispute_contact(
            liaison,
            d.id,
            "a",
            "phone",
            "坚持说一个小时就走了",
            now - 2 * HOUR_MS - 30 * MINUTE_MS,
        )?;
        store.dispute_contact(
            liaison,
            d.id,
            "b",
            "phone",
            "中间去药店排队,算在服务里",
            now - 2 * HOUR_MS,
        )?;
        let dec = Decision {
            outcome: Outcome::Mediated,
            split_pct: Some(50),
            severity: None,
            target: None,
            reason: "无法确认实际时长,各担一半".into(),
            over_minutes: None,
            pause_days: None,
            deposit_fen: None,
        };
        store.decide_dispute(master, d.id, &dec, now - HOUR_MS)?;
        store.tell_parties(liaison, d.id, "已电话告知双方", now - 40 * MINUTE_MS)?;
    }
    // a complaint about last week's housework, contact overdue
    let old: Option<(i64, i64, i64)> = store
        .conn
        .query_row(
            "SELECT id, recipient_id, provider_id FROM service_records WHERE ended_at < ?1 AND type_id = 3 ORDER BY ended_at DESC LIMIT 1",
            [now - 40 * HOUR_MS],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    if let Some((record, a, b)) = old {
        let d = store.open_dispute(
            liaison,
            &new(
                Category::Quality,
                a,
                b,
                record,
                "打扫不干净,厨房没有擦",
                "家属",
            ),
            now - 30 * HOUR_MS,
        )?;
        store.dispute_contact(
            liaison,
            d.id,
            "a",
            "phone",
            "女儿说厨房台面还是油",
            now - 29 * HOUR_MS,
        )?;
    }
    if let Some(p) = posted.first() {
        let (a, b) = parties(store, p)?;
        let d = store.open_dispute(
            master,
            &new(
                Category::Safety,
                a,
                b,
                p.record_id,
                "服务中老人起身时摔倒,手腕擦伤,已送社区医院",
                "服务者",
            ),
            now - 2 * HOUR_MS,
        )?;
        store.dispute_safety(
            master,
            d.id,
            false,
            "总部安全负责人 刘主任(电话)",
            now - 90 * MINUTE_MS,
        )?;
        store.dispute_contact(
            master,
            d.id,
            "a",
            "visit",
            "伤不重,家属理解",
            now - 80 * MINUTE_MS,
        )?;
        store.dispute_contact(
            master,
            d.id,
            "b",
            "desk",
            "已说明经过",
            now - 75 * MINUTE_MS,
        )?;
    }
    let suggestion = |subject: &str, by: &str| NewDispute {
        suggestion: true,
        channel: Channel::Desk,
        category: None,
        party_a: None,
        party_b: None,
        record_id: None,
        subject: subject.into(),
        reported_by: by.into(),
        merchant: None,
    };
    store.open_dispute(
        liaison,
        &suggestion("希望增加上门洗衣服务", "会员议事会"),
        now - 3 * 24 * HOUR_MS,
    )?;
    let s = store.open_dispute(
        liaison,
        &suggestion("希望周末也能开站半天", "会员"),
        now - 9 * 24 * HOUR_MS,
    )?;
    store.reply_suggestion(
        master,
        s.id,
        "人手不够,暂时做不到;已向总部申请志愿者",
        now - 2 * 24 * HOUR_MS,
    )?;
    Ok(())
}
