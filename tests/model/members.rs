//! Members in the store: registration, review, numbers, cards, recommenders,
//! levels and standing — on a real SQLite file.

use crate::common;
use common::*;
use shiguang::domain::level::Level;
use shiguang::domain::member::MemberStatus;
use shiguang::domain::record::{Payer, RecordInput};
use shiguang::domain::time::{DAY_MS, HOUR_MS};
use shiguang::harness::T0;
use shiguang::store::StoreError;
use shiguang::store::standing::Severity;

fn refusal_key(e: StoreError) -> &'static str {
    match e {
        StoreError::Refused(r) => r.msg.key,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn numbers_are_sequential_per_community_and_never_reused() {
    let db = temp_db();
    let (master, mut s) = open_station(&db.path);
    let a = s
        .register_member(&master, &new_member("张三", 1), T0)
        .unwrap();
    let b = s
        .register_member(&master, &new_member("李四", 2), T0)
        .unwrap();
    let c = s
        .register_member(&master, &new_member("王五", 3), T0)
        .unwrap();
    assert_eq!(a.number, None);
    assert_eq!(
        s.approve_member(&master, a.id, "ok", T0)
            .unwrap()
            .number
            .as_deref(),
        Some("JS01-0001")
    );
    s.reject_member(&master, b.id, "材料不全", T0).unwrap();
    assert_eq!(
        s.approve_member(&master, c.id, "ok", T0)
            .unwrap()
            .number
            .as_deref(),
        Some("JS01-0002")
    );
    let mut other = new_member("赵六", 4);
    other.community = "02".into();
    let d = s.register_member(&master, &other, T0).unwrap();
    assert_eq!(
        s.approve_member(&master, d.id, "ok", T0)
            .unwrap()
            .number
            .as_deref(),
        Some("JS02-0001")
    );
    // a number given out is never given again
    let e = s
        .register_member(&master, &new_member("孙七", 5), T0)
        .unwrap();
    assert_eq!(
        s.approve_member(&master, e.id, "ok", T0)
            .unwrap()
            .number
            .as_deref(),
        Some("JS01-0003")
    );
}

#[test]
fn the_same_person_cannot_register_twice_and_the_id_is_never_stored() {
    let db = temp_db();
    let (master, mut s) = open_station(&db.path);
    s.register_member(&master, &new_member("张三", 1), T0)
        .unwrap();
    let e = s
        .register_member(&master, &new_member("张叁", 1), T0)
        .unwrap_err();
    assert_eq!(refusal_key(e), "member.id.duplicate");
    let id = id_number(1);
    let dump: String = s
        .conn()
        .query_row(
            "SELECT group_concat(id_hash || id_masked || name || phone) FROM members",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(!dump.contains(&id));
    let audit: String = s
        .conn()
        .query_row("SELECT group_concat(detail) FROM audit_log", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(
        !audit.contains(&id),
        "the audit log must not hold the ID number"
    );
    let masked: String = s
        .conn()
        .query_row("SELECT id_masked FROM members", [], |r| r.get(0))
        .unwrap();
    assert_eq!(masked, format!("{}***********{}", &id[..3], &id[14..]));
}

#[test]
fn recommenders_must_be_approved_three_months_clean() {
    let db = temp_db();
    let (master, mut s) = open_station(&db.path);
    let old = approved_member(&mut s, &master, "老会员", 1, T0 - 100 * DAY_MS);
    let new = approved_member(&mut s, &master, "新会员", 2, T0 - 10 * DAY_MS);
    let mut m = new_member("申请人", 3);
    m.recommender = Some(new);
    m.recommender_signed = true;
    assert_eq!(
        refusal_key(s.register_member(&master, &m, T0).unwrap_err()),
        "recommender.too_new"
    );
    m.recommender = Some(old);
    assert!(s.register_member(&master, &m, T0).is_ok());
    // the applicant as their own recommender (same ID number)
    let mut me = new_member("老会员", 1);
    me.recommender = Some(old);
    assert_eq!(
        refusal_key(s.register_member(&master, &me, T0).unwrap_err()),
        "recommender.self"
    );
    // an active violation blocks
    s.add_violation(&master, old, Severity::Moderate, "虚报时长", T0)
        .unwrap();
    let mut m2 = new_member("另一位", 4);
    m2.recommender = Some(old);
    assert_eq!(
        refusal_key(s.register_member(&master, &m2, T0 + 1).unwrap_err()),
        "recommender.violation"
    );
}

#[test]
fn a_recommender_with_any_violation_on_record_is_refused_minor_included() {
    let db = temp_db();
    let (master, mut s) = open_station(&db.path);
    let minor = approved_member(&mut s, &master, "轻微者", 1, T0 - 400 * DAY_MS);
    let moderate = approved_member(&mut s, &master, "中度者", 2, T0 - 400 * DAY_MS);
    s.add_violation(
        &master,
        minor,
        Severity::Minor,
        "多报了10分钟",
        T0 - 30 * DAY_MS,
    )
    .unwrap();
    // a moderate record is on record for three months, then no more
    s.add_violation(
        &master,
        moderate,
        Severity::Moderate,
        "虚报时长",
        T0 - 100 * DAY_MS,
    )
    .unwrap();
    let mut m = new_member("申请人", 3);
    m.recommender = Some(minor);
    m.recommender_signed = true;
    assert_eq!(
        refusal_key(s.register_member(&master, &m, T0).unwrap_err()),
        "recommender.violation"
    );
    m.recommender = Some(moderate);
    assert!(s.register_member(&master, &m, T0).is_ok());
}

#[test]
fn review_rules() {
    let db = temp_db();
    let (master, mut s) = open_station(&db.path);
    let liaison = add_liaison(&mut s, &master);
    let a = s
        .register_member(&liaison, &new_member("张三", 1), T0)
        .unwrap();
    // no recommender: only a master, and with a note
    assert_eq!(
        refusal_key(s.approve_member(&liaison, a.id, "ok", T0).unwrap_err()),
        "review.no_recommender_master"
    );
    assert_eq!(
        refusal_key(s.approve_member(&master, a.id, "  ", T0).unwrap_err()),
        "review.note_required"
    );
    s.approve_member(&master, a.id, "电话核实", T0).unwrap();
    // with a recommender: the liaison reviews, the station master approves
    let old = approved_member(&mut s, &master, "老会员", 5, T0 - 200 * DAY_MS);
    let mut m = new_member("王五", 6);
    m.recommender = Some(old);
    m.recommender_signed = true;
    let c = s.register_member(&liaison, &m, T0).unwrap();
    let row = s.approve_member(&liaison, c.id, "材料齐全", T0).unwrap();
    assert_eq!((row.status, row.number), (MemberStatus::Pending, None));
    assert_eq!(
        refusal_key(s.approve_member(&liaison, c.id, "again", T0).unwrap_err()),
        "review.awaiting_master"
    );
    let row = s.approve_member(&master, c.id, "", T0).unwrap();
    assert_eq!(row.status, MemberStatus::Approved);
    // approving twice is refused, and nothing changes
    assert_eq!(
        refusal_key(s.approve_member(&master, a.id, "again", T0).unwrap_err()),
        "review.already_decided"
    );
    assert_eq!(count(&db.path, "SELECT max(last) FROM member_seq"), 3);
    // rejecting needs a reason
    let b = s
        .register_member(&liaison, &new_member("李四", 2), T0)
        .unwrap();
    assert_eq!(
        refusal_key(s.reject_member(&liaison, b.id, "", T0).unwrap_err()),
        "review.reason_required"
    );
    // the call telling the applicant
    assert_eq!(
        refusal_key(s.record_notification(&liaison, b.id, "x", T0).unwrap_err()),
        "review.not_decided"
    );
    s.reject_member(&liaison, b.id, "不在本社区居住", T0)
        .unwrap();
    assert!(
        s.record_notification(&liaison, b.id, "已电话告知", T0)
            .unwrap()
            .notified_at
            .is_some()
    );
}

#[test]
fn overdue_applications_are_counted_after_24_hours() {
    let db = temp_db();
    let (master, mut s) = open_station(&db.path);
    s.register_member(&master, &new_member("张三", 1), T0)
        .unwrap();
    assert_eq!(s.overdue_applications(T0 + 24 * HOUR_MS - 1).unwrap(), 0);
    assert_eq!(s.overdue_applications(T0 + 24 * HOUR_MS).unwrap(), 1);
}

#[test]
fn cards_issue_reissue_and_void() {
    let db = temp_db();
    let (master, mut s) = open_station(&db.path);
    let id = approved_member(&mut s, &master, "张三", 1, T0);
    s.issue_card(&master, id, "sg0001", None, T0).unwrap();
    assert_eq!(s.resolve_payload("JS01-0001/SG0001").unwrap().id, id);
    assert_eq!(
        refusal_key(s.issue_card(&master, id, "SG0002", None, T0).unwrap_err()),
        "card.reason_required"
    );
    s.issue_card(&master, id, "SG0002", Some("遗失"), T0)
        .unwrap();
    assert_eq!(
        refusal_key(s.resolve_payload("JS01-0001/SG0001").unwrap_err()),
        "card.voided"
    );
    assert_eq!(s.resolve_payload("JS01-0001/SG0002").unwrap().id, id);
    assert_eq!(s.resolve_payload("js01-0001").unwrap().id, id);
    assert_eq!(
        refusal_key(s.resolve_payload("JS01-0099").unwrap_err()),
        "member.number_unknown"
    );
    assert_eq!(
        refusal_key(
            s.issue_card(&master, id, "SG0002", Some("x"), T0)
                .unwrap_err()
        ),
        "card.serial.taken"
    );
    let cards = s.cards(id).unwrap();
    assert_eq!(cards.len(), 2);
    assert!(
        cards
            .iter()
            .any(|c| c.serial == "SG0001" && c.voided_at.is_some())
    );
}

fn record(
    uid: &str,
    provider: i64,
    recipient: i64,
    end: i64,
    minutes: u32,
    rating: u8,
) -> RecordInput {
    RecordInput {
        book_page: Some("1".into()),
        rating: Some(rating),
        ..common::record(uid, provider, recipient, end, minutes, Payer::Pool)
    }
}

#[test]
fn the_monthly_run_promotes_on_the_first_from_last_months_data() {
    let db = temp_db();
    let (master, mut s) = open_station(&db.path);
    let helper = approved_member(&mut s, &master, "张三", 1, T0 - 400 * DAY_MS);
    let elder = approved_member(&mut s, &master, "李奶奶", 2, T0 - 400 * DAY_MS);
    // 26 services of 2 h = 52 h, all rated 5, in October/November
    for i in 0..26 {
        let end = T0 - (i as i64 + 2) * DAY_MS;
        let mut r = record(&format!("r{i}"), helper, elder, end, 120, 5);
        r.late_reason = Some("补登".into());
        s.post_record(&master, &r, end + HOUR_MS).unwrap();
    }
    assert_eq!(s.member(helper).unwrap().level, Level::Ordinary);
    let preview = s.level_preview(T0, true).unwrap();
    assert!(
        preview
            .iter()
            .any(|v| v.member_id == helper && v.next == Level::Star)
    );
    // 1 Dec 2026 00:10 Shanghai: the run for December
    let dec1 = T0 + 7 * DAY_MS + 14 * HOUR_MS + 10 * 60_000;
    assert_eq!(s.level_run_due(dec1).unwrap().as_deref(), Some("2026-12"));
    assert_eq!(s.run_monthly_levels(Some(&master), dec1).unwrap(), 1);
    assert_eq!(s.member(helper).unwrap().level, Level::Star);
    assert_eq!(s.level_run_due(dec1).unwrap(), None);
    assert!(
        s.run_monthly_levels(Some(&master), dec1).is_err(),
        "once a month"
    );
    assert_eq!(
        count(
            &db.path,
            "SELECT count(*) FROM level_history WHERE kind = 'monthly'"
        ),
        1
    );
}

#[test]
fn three_warnings_downgrade_at_once_with_a_wait() {
    let db = temp_db();
    let (master, mut s) = open_station(&db.path);
    let id = approved_member(&mut s, &master, "张三", 1, T0 - 400 * DAY_MS);
    s.conn()
        .execute(
            "UPDATE members SET level = 'star', level_since = ?1 WHERE id = ?2",
            rusqlite::params![T0 - DAY_MS, id],
        )
        .unwrap();
    let settings = s.settings().clone();
    let tz = chrono_tz::Asia::Shanghai;
    for i in 0..3 {
        let due = s
            .write(|tx| {
                let c = shiguang::store::standing::Ctx {
                    by: &master,
                    settings: &settings,
                    tz,
                    at: T0 + i,
                };
                shiguang::store::standing::record_warning(c, tx, id, false, "迟到", None)
            })
            .unwrap();
        assert_eq!(due.is_some(), i == 2);
    }
    let m = s.member(id).unwrap();
    assert_eq!(m.level, Level::Ordinary);
    let until: i64 = s
        .conn()
        .query_row(
            "SELECT upgrade_blocked_until FROM members WHERE id = ?1",
            [id],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        until > T0 + 89 * DAY_MS && until < T0 + 93 * DAY_MS,
        "3 months"
    );
}

#[test]
fn severe_violation_blacklists_and_moderate_freezes_for_a_week() {
    let db = temp_db();
    let (master, mut s) = open_station(&db.path);
    let liaison = add_liaison(&mut s, &master);
    let a = approved_member(&mut s, &master, "张三", 1, T0);
    let b = approved_member(&mut s, &master, "李四", 2, T0);
    assert_eq!(
        refusal_key(
            s.add_violation(&liaison, a, Severity::Moderate, "x", T0)
                .unwrap_err()
        ),
        "violation.master_only"
    );
    s.add_violation(&liaison, a, Severity::Minor, "忘带东西", T0)
        .unwrap();
    s.add_violation(&master, a, Severity::Moderate, "虚报时长", T0)
        .unwrap();
    let until: i64 = s
        .conn()
        .query_row(
            "SELECT redeem_frozen_until FROM members WHERE id = ?1",
            [a],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(until, T0 + 7 * DAY_MS);
    s.add_violation(&master, b, Severity::Severe, "伪造签名", T0)
        .unwrap();
    let list = s.blacklist().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].reason, "伪造签名");
    assert_eq!(s.member(b).unwrap().trust_score, 100 - 50);
    assert_eq!(s.member(a).unwrap().trust_score, 100 - 2 - 15);
    assert_eq!(s.member(a).unwrap().status, MemberStatus::Approved);
}

#[test]
fn on_the_desk_the_level_run_is_asked_first_once_a_month_and_the_trust_list_exported() {
    let db = temp_db();
    let (master, mut s) = open_station(&db.path);
    let a = s
        .register_member(&master, &new_member("张三", 1), T0)
        .unwrap();
    s.approve_member(&master, a.id, "ok", T0).unwrap();
    drop(s);
    let mut h =
        shiguang::harness::Harness::signed_in(&db.path, T0, shiguang::i18n::Lang::En, master);
    h.press("6");
    h.assert_shows("JS01-0001");
    let runs =
        |h: &shiguang::harness::Harness| h.commands.iter().filter(|c| *c == "RunLevels").count();
    h.press("l");
    h.assert_shows("Run this month's level review");
    h.press("n");
    assert_eq!(runs(&h), 0, "no means no run");
    h.press("l");
    h.press("y");
    assert_eq!(runs(&h), 1);
    // the month's run was made at sign-in: a second is refused, and said
    h.assert_shows("The level run for 2026-11 is already done.");
    // all → review → levels → trust list
    for _ in 0..3 {
        h.press("tab");
    }
    h.assert_shows("[Trust list]");
    h.press("p");
    h.assert_shows("Exported:");
    let exports = db.path.parent().unwrap().join("exports");
    let trust = std::fs::read_dir(&exports)
        .unwrap()
        .filter_map(|e| e.ok())
        .any(|e| e.file_name().to_string_lossy().starts_with("trust-top10-"));
    assert!(trust, "the trust list is in {}", exports.display());
}
