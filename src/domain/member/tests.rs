use super::*;
use chrono_tz::Asia::Shanghai;
use proptest::prelude::*;

#[test]
fn a_liaison_checks_and_only_the_master_approves() {
    assert_eq!(review_step(false, true), Ok(ReviewStep::Checked));
    assert_eq!(review_step(true, true), Ok(ReviewStep::Approved));
    assert_eq!(review_step(true, false), Ok(ReviewStep::Approved));
    assert_eq!(
        review_step(false, false).unwrap_err().msg.key,
        "review.no_recommender_master"
    );
}

#[test]
fn only_a_rejection_may_apply_again_and_never_a_false_identity_or_a_blacklisting() {
    let rejected = Earlier {
        number: None,
        status: MemberStatus::Rejected,
        blacklisted: false,
        false_identity: false,
    };
    assert!(may_apply_again(&rejected).is_ok());
    let key = |e: &Earlier| may_apply_again(e).unwrap_err().msg.key;
    let false_id = Earlier {
        false_identity: true,
        ..rejected.clone()
    };
    assert_eq!(key(&false_id), "member.id.false_identity");
    assert_eq!(
        may_apply_again(&false_id).unwrap_err().field,
        Some("id_number")
    );
    let blacklisted = Earlier {
        number: Some("JS01-0003".into()),
        status: MemberStatus::Approved,
        blacklisted: true,
        false_identity: false,
    };
    assert_eq!(key(&blacklisted), "member.id.blacklisted");
    for status in [
        MemberStatus::Pending,
        MemberStatus::Approved,
        MemberStatus::Deceased,
    ] {
        let e = Earlier {
            status,
            ..rejected.clone()
        };
        assert_eq!(key(&e), "member.id.duplicate");
    }
}

// a real-format example number (made up; the check digit is computed)
fn valid(first17: &str) -> String {
    format!("{first17}{}", id_check_char(first17).unwrap())
}

#[test]
fn check_digit_of_the_standard_example() {
    // GB 11643's own example: 11010519491231002X
    assert_eq!(id_check_char("11010519491231002"), Some('X'));
    assert_eq!(
        parse_id_card("11010519491231002X").unwrap(),
        "11010519491231002X"
    );
}

#[test]
fn lower_case_x_is_taken_as_upper() {
    assert_eq!(
        parse_id_card("11010519491231002x").unwrap(),
        "11010519491231002X"
    );
}

#[test]
fn bad_id_numbers() {
    let key = |s: &str| parse_id_card(s).unwrap_err().msg.key;
    assert_eq!(key("11010519491231002"), "member.id.length"); // 17
    assert_eq!(key("11010519491231002XX"), "member.id.length"); // 19
    assert_eq!(key("110105194912310021"), "member.id.check_digit");
    assert_eq!(key("1101051949123100A2"), "member.id.chars");
    assert_eq!(key(&valid("11010519491331002")), "member.id.birth_date");
    assert_eq!(key(&valid("00000019491231002")), "member.id.region");
    assert_eq!(parse_id_card("").unwrap_err().field, Some("id_number"));
}

#[test]
fn masks() {
    assert_eq!(mask_identity("11010519491231002X"), "110***********002X");
    assert_eq!(mask_phone("13812345678"), "138****5678");
    assert_eq!(mask_phone("057187654321"), "057*****4321");
    assert_eq!(mask_phone("1234567"), "*******");
}

/// Found by fuzzing: the phone mask cut the text by bytes and panicked
/// on anything but ASCII (a phone kept before its check, or a typo'd
/// full-width number).
#[test]
fn masks_of_any_text_do_not_panic() {
    assert_eq!(mask_phone("１３８１２３４５６７８"), "１３８****５６７８");
    assert_eq!(mask_phone("电话号码一二三四"), "电话号*一二三四");
    assert_eq!(mask_identity("身份证"), "***");
}

#[test]
fn phones() {
    assert_eq!(
        parse_phone("phone", "138 1234 5678").unwrap(),
        "13812345678"
    );
    assert_eq!(
        parse_phone("phone", "0571-87654321").unwrap(),
        "057187654321"
    );
    assert_eq!(
        parse_phone("phone", "1381234567").unwrap_err().msg.key,
        "member.phone.length"
    );
    assert_eq!(
        parse_phone("phone", "138123456789").unwrap_err().msg.key,
        "member.phone.length"
    );
    assert_eq!(
        parse_phone("phone", "12812345678").unwrap_err().msg.key,
        "member.phone.length"
    );
    assert_eq!(
        parse_phone("phone", "1381234567a").unwrap_err().msg.key,
        "member.phone.digits"
    );
    assert_eq!(
        parse_phone("phone", "").unwrap_err().msg.key,
        "member.phone.empty"
    );
}

#[test]
fn member_numbers() {
    let n = MemberNumber::parse("js01-0001").unwrap();
    assert_eq!(n.to_string(), "JS01-0001");
    assert_eq!(
        MemberNumber::parse("JS01-12345").unwrap().to_string(),
        "JS01-12345"
    );
    for bad in [
        "JS01-001",
        "J01-0001",
        "JS1-0001",
        "JS01-0000",
        "JS010001",
        "JS01-00a1",
        "",
    ] {
        assert!(MemberNumber::parse(bad).is_none(), "{bad}");
    }
}

#[test]
fn payloads() {
    let (n, s) = parse_payload("JS01-0007/SG0012").unwrap();
    assert_eq!(n.seq, 7);
    assert_eq!(s.as_deref(), Some("SG0012"));
    assert_eq!(parse_payload("JS01-0007").unwrap().1, None);
    assert!(parse_payload("hello").is_none());
    assert_eq!(card_payload("JS01-0007", "SG0012"), "JS01-0007/SG0012");
}

fn ts(y: i32, m: u32, d: u32, h: u32) -> Stamp {
    Shanghai
        .with_ymd_and_hms(y, m, d, h, 0, 0)
        .unwrap()
        .timestamp_millis()
}

fn facts(approved_at: Stamp) -> RecommenderFacts {
    RecommenderFacts {
        member_id: 7,
        status: MemberStatus::Approved,
        approved_at: Some(approved_at),
        blacklisted: false,
        active_violation: false,
    }
}

#[test]
fn recommender_three_months_exactly() {
    let approved = ts(2026, 8, 23, 10);
    assert!(check_recommender(&facts(approved), None, ts(2026, 11, 23, 10), Shanghai).is_ok());
    let e = check_recommender(&facts(approved), None, ts(2026, 11, 23, 9), Shanghai).unwrap_err();
    assert_eq!(e.msg.key, "recommender.too_new");
}

#[test]
fn recommender_rules_each_say_which_failed() {
    let now = ts(2026, 11, 23, 10);
    let old = ts(2025, 1, 1, 10);
    let key = |f: RecommenderFacts, applicant| {
        check_recommender(&f, applicant, now, Shanghai)
            .unwrap_err()
            .msg
            .key
    };
    assert_eq!(
        key(
            RecommenderFacts {
                status: MemberStatus::Pending,
                ..facts(old)
            },
            None
        ),
        "recommender.not_approved"
    );
    assert_eq!(
        key(
            RecommenderFacts {
                blacklisted: true,
                ..facts(old)
            },
            None
        ),
        "recommender.blacklisted"
    );
    assert_eq!(
        key(
            RecommenderFacts {
                active_violation: true,
                ..facts(old)
            },
            None
        ),
        "recommender.violation"
    );
    assert_eq!(key(facts(old), Some(7)), "recommender.self");
}

proptest! {
    #[test]
    fn any_17_digits_with_their_check_char_parse(body in "[1-9][0-9]{5}19[5-9][0-9]0[1-9]1[0-9][0-9]{3}") {
        let id = valid(&body);
        prop_assert_eq!(parse_id_card(&id.to_lowercase()).unwrap(), id.clone());
        prop_assert_eq!(mask_identity(&id).len(), 18);
    }

    #[test]
    fn one_changed_digit_is_caught(body in "[1-9][0-9]{5}19[5-9][0-9]0[1-9]1[0-9][0-9]{3}", pos in 0usize..17, delta in 1u8..10) {
        let id = valid(&body);
        let mut b = id.clone().into_bytes();
        b[pos] = b'0' + (b[pos] - b'0' + delta) % 10;
        let changed = String::from_utf8(b).unwrap();
        // a single changed digit always changes the check character;
        // the birth date may also become impossible — refused either way
        prop_assert!(parse_id_card(&changed).is_err());
    }

    #[test]
    fn member_numbers_round_trip(street in "[A-Z]{2}", community in "[0-9]{2}", seq in 1u32..10_000_000) {
        let n = MemberNumber { street, community, seq };
        prop_assert_eq!(MemberNumber::parse(&n.to_string()), Some(n));
    }

    #[test]
    fn parsers_never_panic(s in "\\PC{0,40}") {
        let _ = parse_id_card(&s);
        let _ = parse_household_no(&s);
        let _ = parse_phone("p", &s);
        let _ = MemberNumber::parse(&s);
        let _ = parse_payload(&s);
    }
}
