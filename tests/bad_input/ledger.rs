//! 4 Ledger: corrections, freezing and estates.

use crate::common::*;
use crate::support::*;
use shiguang::domain::record::Payer;
use shiguang::domain::time::HOUR_MS;
use shiguang::harness::{Harness, T0};
use shiguang::i18n::Lang;

/// 张三丰 (1) earned 20 points serving 李奶奶 (2); 王秀兰 (3) and 赵大爷 (4)
/// are honor members; liaison 002 entered an adjustment for 1.
fn ledger_world(db: &TestDb) -> Harness {
    let (h, master) = station(db, &["张三丰", "李奶奶", "王秀兰", "赵大爷"], Lang::Zh);
    drop(h);
    let l = liaison(db, &master);
    let mut s = store(&db.path);
    let r = record("r1", 1, 2, T0 - 2 * HOUR_MS, 60, Payer::Pool);
    s.post_record(&master, &r, T0).unwrap();
    let p = shiguang::store::corrections::Proposal::Adjustment {
        member_id: 1,
        direction: shiguang::domain::correction::Direction::Credit,
        amount: 5,
    };
    s.propose_correction(&l, &p, "补登", T0).unwrap();
    drop(s);
    let h = Harness::signed_in(&db.path, T0, Lang::Zh, master);
    h.store
        .conn()
        .execute("UPDATE members SET level = 'honor' WHERE id IN (3, 4)", [])
        .unwrap();
    h
}

fn statement_of(h: &mut Harness, who: &str) {
    h.press("4");
    h.press("/");
    h.type_str(who);
    h.press("enter");
}

#[test]
fn corrections_refuse_bad_amounts_and_reasons() {
    let db = temp_db();
    let mut h = ledger_world(&db);
    statement_of(&mut h, "zsf");
    // a reversal of the 20-point service
    h.press("r");
    put(&mut h, "reason", "重复登记");
    run_cases(
        &mut h,
        &db.path,
        &[
            case("amount", "", "ledger.amount_positive"),
            case("amount", "0", "ledger.amount_positive"),
            case("amount", "-5", "ledger.amount_positive"),
            case("amount", "1.5", "ledger.amount_positive"),
            case("amount", "十", "ledger.amount_positive"),
            case("reason", "  ", "ledger.reason_required"),
        ],
    );
    let before = rows(&db.path);
    put(&mut h, "amount", "25");
    h.press("ctrl-s");
    h.press("y"); // both sides shown first
    refused_at(&mut h, "amount", "ledger.reversal_too_much");
    assert_eq!(rows(&db.path), before);
    leave(&mut h);
    // an adjustment: points back from a member who has only 20
    h.press("a");
    choose(&mut h, "direction", "debit");
    put(&mut h, "amount", "5");
    put(&mut h, "reason", "多发");
    run_cases(
        &mut h,
        &db.path,
        &[
            case("amount", "0", "ledger.amount_positive"),
            case("amount", "abc", "ledger.amount_positive"),
            case("amount", "30", "ledger.short"),
            case("reason", "", "ledger.reason_required"),
        ],
    );
    leave(&mut h);
    // refusing another's correction needs a note
    h.press("p");
    h.press("x");
    h.press("ctrl-s");
    refused_at(&mut h, "reason", "correction.refusal_reason");
    put(&mut h, "reason", "  ");
    h.press("ctrl-s");
    refused_at(&mut h, "reason", "correction.refusal_reason");
    leave(&mut h);
    assert_eq!(rows(&db.path), before);
    assert_eq!(
        count(
            &db.path,
            "SELECT count(*) FROM corrections WHERE decided_at IS NULL"
        ),
        1
    );
}

#[test]
fn freezing_and_estates_refuse_bad_values() {
    let db = temp_db();
    let mut h = ledger_world(&db);
    statement_of(&mut h, "zsf");
    let before = rows(&db.path);
    h.press("f");
    put(&mut h, "reason", " ");
    h.press("ctrl-s");
    refused_at(&mut h, "reason", "ledger.freeze_reason");
    assert_eq!(rows(&db.path), before);
    put(&mut h, "reason", "核查");
    h.press("ctrl-s");
    assert_eq!(
        count(&db.path, "SELECT count(*) FROM members WHERE frozen = 1"),
        1
    );
    let before = rows(&db.path);
    h.press("f");
    h.press("ctrl-s");
    refused_at(&mut h, "sure", "ledger.unfreeze_tick");
    leave(&mut h);
    assert_eq!(rows(&db.path), before);

    // 张三丰 has died: not an honor member, so no heir
    h.press("d");
    put(&mut h, "death_certificate", "D-2026-1");
    run_cases(
        &mut h,
        &db.path,
        &[
            case("death_certificate", "  ", "estate.certificate_required"),
            case("heir", "lnn", "form.pick_member"),
        ],
    );
    pick(&mut h, "heir", "lnn");
    h.press("ctrl-s");
    refused_at(&mut h, "heir", "estate.not_honor");
    leave(&mut h);
    // 王秀兰 is an honor member without a registered heir
    statement_of(&mut h, "wxl");
    h.press("d");
    put(&mut h, "death_certificate", "D-2026-2");
    pick(&mut h, "heir", "lnn");
    put(&mut h, "kinship_proof", "户口本");
    h.press("ctrl-s");
    refused_at(&mut h, "heir", "estate.no_heir_registered");
    leave(&mut h);
    let master = h.app.state.session().unwrap().clone();
    h.store
        .register_heir(&master, 3, "李奶奶", "女儿", "13800000002", T0)
        .unwrap();
    let before = rows(&db.path);
    h.press("d");
    put(&mut h, "death_certificate", "D-2026-2");
    pick(&mut h, "heir", "lnn");
    put(&mut h, "kinship_proof", " ");
    h.press("ctrl-s");
    refused_at(&mut h, "kinship_proof", "estate.kinship_required");
    put(&mut h, "kinship_proof", "户口本");
    pick(&mut h, "heir", "wxl");
    h.press("ctrl-s");
    refused_at(&mut h, "heir", "estate.heir_self");
    assert_eq!(rows(&db.path), before);
    pick(&mut h, "heir", "lnn");
    h.press("ctrl-s");
    assert_eq!(
        count(&db.path, "SELECT count(*) FROM estate_settlements"),
        1
    );
}

/// An honor member's registered heir who is not a member: an account is
/// opened for them with their name and kinship proof; refused at its field
/// are another name, a request with no name, and the pool unasked.
#[test]
fn an_heir_who_is_not_a_member_gets_an_account_by_keys() {
    let db = temp_db();
    let mut h = ledger_world(&db);
    let master = h.app.state.session().unwrap().clone();
    // 赵大爷 (honor) earned 20 points and registered his son
    let r = record("r-zdy", 4, 2, T0 - 5 * HOUR_MS, 60, Payer::Pool);
    h.store.post_record(&master, &r, T0).unwrap();
    h.store
        .register_heir(&master, 4, "赵小军", "儿子", "13800000004", T0)
        .unwrap();
    statement_of(&mut h, "zdy");
    h.press("d");
    put(&mut h, "death_certificate", "D-2026-9");
    let before = rows(&db.path);
    // nothing said about the heir: the registered heir decides, not the desk
    h.press("ctrl-s");
    refused_at(&mut h, "heir", "estate.heir_decides");
    put(&mut h, "written_request", "申请书 2026-3");
    h.press("ctrl-s");
    refused_at(&mut h, "heir_name", "estate.request_needs_name");
    put(&mut h, "written_request", "");
    put(&mut h, "heir_name", "赵大军");
    put(&mut h, "kinship_proof", "户口本");
    h.press("ctrl-s");
    refused_at(&mut h, "heir_name", "estate.not_registered_heir");
    put(&mut h, "heir_name", "赵小军");
    put(&mut h, "kinship_proof", " ");
    h.press("ctrl-s");
    refused_at(&mut h, "kinship_proof", "estate.kinship_required");
    assert_eq!(rows(&db.path), before);
    put(&mut h, "kinship_proof", "户口本 0417");
    h.press("ctrl-s");
    assert!(h.app.active_form().is_none(), "saved:\n{}", h.text());
    assert_eq!(
        count(
            &db.path,
            "SELECT balance FROM accounts WHERE kind = 'heir' AND code = 'h:JS01-0004'"
        ),
        20
    );
    assert_eq!(
        count(
            &db.path,
            "SELECT count(*) FROM estate_heirs WHERE name = '赵小军' AND kinship_proof = '户口本 0417' AND account_id IS NOT NULL"
        ),
        1
    );
    // the statement of the deceased names the heir's account
    statement_of(&mut h, "zdy");
    h.assert_shows("继承人账户 赵小军");
    assert!(h.store.verify().unwrap().problems.is_empty());
}
