//! Every parser of typed or imported text, under property tests: any string
//! (CJK, full-width digits, control characters, very long) is refused or
//! accepted without a panic, and generated valid values come back unchanged
//! through their canonical form. The checks are the fuzz targets' own
//! (`parsers/checks.rs`); `.ci/fuzz` runs them far longer on arbitrary bytes.

mod checks;

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};
use proptest::prelude::*;
use shiguang::bundle::{
    Bundle, ChainedAudit, ChainedTransfer, FORMAT, Header, Link, MemberRow, RecordRow, Summary,
    VERSION,
};
use shiguang::domain::entry::{parse_clock, parse_date, parse_minutes};
use shiguang::domain::ledger::TransferRow;
use shiguang::domain::member::{MemberNumber, id_check_char, parse_id_card, parse_phone};
use shiguang::domain::merchant::{parse_log, parse_yuan, yuan};
use shiguang::store::audit::AuditRow;
use shiguang::ui::theme::{BUILTIN, Meaning, Theme};

const CASES: u32 = 512;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: CASES,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Text as people and files give it: anything at all, the characters the
/// parsers look at (full-width digits, Chinese units, separators, controls),
/// and very long runs.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "\\PC{0,30}",
        "[0-9０-９a-zA-Z:：.．,，\\-－/／#¥￥元分钟小时时hminXx \\t\\r\\n\\x00-\\x1f\\x7f\\u{feff}\\u{3000}]{0,40}",
        ("[0-9０-９:.h]{1,4}", 500..5000usize).prop_map(|(s, n)| s.repeat(n)),
    ]
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Any date chrono can hold, weighted to the years people type.
fn any_date() -> impl Strategy<Value = NaiveDate> {
    prop_oneof![
        (693_596..767_010i32).prop_map(|n| NaiveDate::from_num_days_from_ce_opt(n).unwrap()),
        any::<i32>()
            .prop_map(|n| NaiveDate::from_num_days_from_ce_opt(n).unwrap_or(NaiveDate::MIN)),
    ]
}

/// 1900-01-01 ..= 9999-12-31
fn typed_date() -> impl Strategy<Value = NaiveDate> {
    (693_596..3_652_060i32).prop_map(|n| NaiveDate::from_num_days_from_ce_opt(n).unwrap())
}

fn full_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap(),
            ':' => '：',
            '-' => '－',
            c => c,
        })
        .collect()
}

/// A valid 18-character ID number: region, a birth date from 1900 on, a
/// sequence, and the GB 11643 check character.
fn id_number() -> impl Strategy<Value = String> {
    ("[1-9][0-9]{5}", typed_date(), "[0-9]{3}").prop_map(|(region, born, seq)| {
        let body = format!("{region}{}{seq}", born.format("%Y%m%d"));
        let check = id_check_char(&body).unwrap();
        format!("{body}{check}")
    })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn no_text_panics_any_parser(s in text(), today in any_date()) {
        checks::member_ids(&s);
        checks::entry(&s, today);
        checks::yuan_text(&s);
        checks::merchant_log(&s);
        checks::theme(&s);
        checks::bundle(&s);
    }

    #[test]
    fn valid_id_numbers_are_taken_and_one_wrong_digit_is_not(
        id in id_number(),
        at in 0..17usize,
        by in 1..10u8,
    ) {
        prop_assert_eq!(parse_id_card(&id), Ok(id.clone()));
        let typed = format!(" {} {} ", &id[..6], id[6..].to_lowercase());
        prop_assert_eq!(parse_id_card(&typed), Ok(id.clone()));
        checks::member_ids(&id);
        // GB 11643's check character catches every single wrong digit
        let mut wrong = id.clone().into_bytes();
        wrong[at] = b'0' + (wrong[at] - b'0' + by) % 10;
        let wrong = String::from_utf8(wrong).unwrap();
        prop_assert!(parse_id_card(&wrong).is_err(), "{}", wrong);
    }

    #[test]
    fn mobile_and_landline_numbers_round_trip(
        mobile in "1[3-9][0-9]{9}",
        landline in "0[1-9][0-9]{8,10}",
    ) {
        prop_assert_eq!(parse_phone("phone", &mobile), Ok(mobile.clone()));
        let spaced = format!("{} {}-{}", &mobile[..3], &mobile[3..7], &mobile[7..]);
        prop_assert_eq!(parse_phone("phone", &spaced), Ok(mobile.clone()));
        prop_assert_eq!(parse_phone("phone", &landline), Ok(landline.clone()));
        checks::member_ids(&mobile);
        checks::member_ids(&landline);
    }

    #[test]
    fn member_numbers_round_trip(
        street in "[A-Z]{2}",
        community in "[0-9]{2}",
        seq in 1..1_000_000_000u32,
        serial in "[A-Z0-9]{4,20}",
    ) {
        let n = MemberNumber { street, community, seq };
        let text = n.to_string();
        prop_assert_eq!(MemberNumber::parse(&text), Some(n.clone()));
        prop_assert_eq!(MemberNumber::parse(&text.to_lowercase()), Some(n.clone()));
        checks::member_ids(&text);
        checks::member_ids(&format!("{text}/{serial}"));
    }

    #[test]
    fn minutes_clocks_and_dates_round_trip(
        m in 1..=1440u32,
        h in 0..24u32,
        min in 0..60u32,
        d in typed_date(),
        today in any_date(),
    ) {
        checks::minutes_round_trip(m);
        if m % 6 == 0 {
            let tenths = format!("{}.{}h", m / 60, m % 60 / 6);
            prop_assert_eq!(parse_minutes(&tenths), Some(m), "{}", tenths);
        }
        let t = NaiveTime::from_hms_opt(h, min, 0).unwrap();
        for s in [format!("{h}:{min:02}"), format!("{h:02}{min:02}")] {
            prop_assert_eq!(parse_clock(&s), Some(t));
            prop_assert_eq!(parse_clock(&full_width(&s)), Some(t));
        }
        for s in [
            d.format("%Y-%m-%d").to_string(),
            d.format("%Y/%m/%d").to_string(),
            d.format("%Y.%m.%d").to_string(),
            full_width(&d.format("%Y-%m-%d").to_string()),
        ] {
            prop_assert_eq!(parse_date(&s, today), Some(d), "{}", s);
            checks::entry(&s, today);
        }
        let this_year = d.with_year(today.year());
        if let Some(this_year) = this_year {
            let s = d.format("%m-%d").to_string();
            prop_assert_eq!(parse_date(&s, today), Some(this_year), "{}", s);
        }
    }

    #[test]
    fn yuan_amounts_round_trip(fen in 1..100_000_000_000i64, any_fen in any::<i64>()) {
        let text = yuan(fen);
        prop_assert_eq!(parse_yuan(&text), Some(fen));
        prop_assert_eq!(parse_yuan(&format!("¥{text}")), Some(fen));
        prop_assert_eq!(parse_yuan(&format!("{}元", full_width(&text))), Some(fen));
        let _ = yuan(any_fen);
    }

    #[test]
    fn merchant_logs_round_trip(
        rows in prop::collection::vec(
            ("[A-Z]{2}[0-9]{2}-[1-9][0-9]{3,5}", any::<i64>(), typed_date(), 0..24u32, 0..60u32, 1..=99u32),
            0..8,
        ),
        header in any::<bool>(),
    ) {
        let mut csv = String::new();
        if header {
            csv.push_str("会员编号,优惠,时间,数量\n");
        }
        for (number, offer, d, h, m, count) in &rows {
            csv.push_str(&format!(
                "{number}, #{offer}，{} {h:02}:{m:02}\t{count}\r\n",
                d.format("%Y-%m-%d")
            ));
        }
        let (read, bad) = parse_log(&csv);
        prop_assert!(bad.is_empty(), "{:?}", bad);
        prop_assert_eq!(read.len(), rows.len());
        for (r, (number, offer, d, h, m, count)) in read.iter().zip(&rows) {
            let at = NaiveDateTime::new(*d, NaiveTime::from_hms_opt(*h, *m, 0).unwrap());
            prop_assert_eq!((&r.member_number, r.offer_id, r.at, r.count), (number, *offer, at, *count));
        }
        checks::merchant_log(&csv);
    }

    #[test]
    fn generated_themes_round_trip(
        specs in prop::collection::vec(
            (0..Meaning::ALL.len(), prop_oneof![
                Just("red".to_string()),
                Just("Dark-Gray".to_string()),
                Just("light blue".to_string()),
                Just("RESET".to_string()),
                any::<u8>().prop_map(|i| i.to_string()),
                any::<[u8; 3]>().prop_map(|[r, g, b]| format!("#{r:02X}{g:02x}{b:02X}")),
            ], any::<bool>(), any::<bool>()),
            0..10,
        ),
    ) {
        let mut src = String::from("name = \"generated\"\ntext = { fg = \"reset\" }\n");
        let mut seen = std::collections::HashSet::from([0]);
        for (m, colour, bold, underline) in specs {
            if seen.insert(m) {
                src.push_str(&format!(
                    "{} = {{ bg = \"{colour}\", bold = {bold}, underline = {underline} }}\n",
                    Meaning::ALL[m].name()
                ));
            }
        }
        prop_assert!(Theme::parse("generated", &src).is_ok(), "{}", src);
        checks::theme(&src);
    }

    #[test]
    fn bundle_lines_of_any_kind_never_panic(
        lines in prop::collection::vec(prop_oneof![
            Just(header_line()),
            Just(r#"{"t":"member","r":{}}"#.to_string()),
            Just(r#"{"t":"link","r":{"chain":"ledger","seq":-9223372036854775808,"prev_hash":"","hash":""}}"#.to_string()),
            Just(r#"{"t":"summary","r":{"version":1,"figures":{},"snapshot":[1.5e300,-0.0,{"a":null}],"ledger_seq":9223372036854775807,"ledger_head":"","audit_seq":0,"audit_head":""}}"#.to_string()),
            "\\{\"t\":\"(member|record|transfer|audit|link|summary|end)\",\"r\":\\{\\}\\}",
            text(),
        ], 0..6),
    ) {
        let body = lines.join("\n");
        checks::bundle(&body);
        checks::bundle(&format!("{}\n{body}", header_line()));
    }
}

fn header_line() -> String {
    serde_json::to_string(&header()).unwrap()
}

fn header() -> Header {
    Header {
        format: FORMAT.into(),
        version: VERSION,
        station_uid: "01J0STATION".into(),
        station_code: "JS01".into(),
        station_kind: "main".into(),
        tz: "Asia/Shanghai".into(),
        day: "2026-11-23".into(),
        start: 1_795_363_200_000,
        end: 1_795_449_600_000,
        respond_minutes: 60,
        urgent_respond_minutes: 5,
    }
}

/// A tiny day that checks out: one member, one record with its transfer and
/// audit row, the chains linked to the day before by `link` lines.
fn tiny_bundle() -> Bundle {
    let h = header();
    let t = TransferRow {
        id: "01J0TRANSFER".into(),
        kind: "service".into(),
        amount: 30,
        debit: "m:01J0RECIPIENT".into(),
        credit: "m:01J0PROVIDER".into(),
        record_uid: Some("01J0RECORD".into()),
        source: None,
        reverses: None,
        idem_key: Some("01J0RECORD".into()),
        staff: Some("001".into()),
        approved_by: None,
        at: h.start + 3_600_000,
        memo: None,
    };
    let a = AuditRow {
        uid: "01J0AUDIT".into(),
        at: t.at,
        staff_id: Some(1),
        action: "record.create".into(),
        entity: "record".into(),
        entity_id: Some("01J0RECORD".into()),
        detail: "{\"minutes\":90,\"备注\":\"陪诊\"}".into(),
    };
    let (t_prev, a_prev) = ("aa".repeat(32), "bb".repeat(32));
    let transfer = ChainedTransfer {
        seq: 8,
        hash: t.hash(&t_prev),
        prev_hash: t_prev.clone(),
        row: t,
    };
    let audit = ChainedAudit {
        seq: 41,
        hash: a.hash(&a_prev),
        prev_hash: a_prev.clone(),
        row: a,
    };
    let links = vec![
        Link {
            chain: "ledger".into(),
            seq: 7,
            prev_hash: "cc".repeat(32),
            hash: t_prev,
        },
        Link {
            chain: "audit".into(),
            seq: 40,
            prev_hash: "dd".repeat(32),
            hash: a_prev,
        },
    ];
    let mut b = Bundle {
        header: Some(h.clone()),
        members: vec![MemberRow {
            uid: "01J0PROVIDER".into(),
            number: Some("JS01-0001".into()),
            status: "approved".into(),
            level: "ordinary".into(),
            community: "01".into(),
            submitted_at: h.start + 60_000,
            decided_at: Some(h.start + 120_000),
            blacklisted_at: None,
            updated_at: h.start + 120_000,
        }],
        records: vec![RecordRow {
            uid: "01J0RECORD".into(),
            provider: "01J0PROVIDER".into(),
            recipient: "01J0RECIPIENT".into(),
            type_code: "escort".into(),
            started_at: h.start,
            ended_at: h.start + 90 * 60_000,
            minutes: 90,
            points: 30,
            payer: "recipient".into(),
            confirm_method: "desk".into(),
            rating: Some(5),
            entered_at: h.start + 3_600_000,
        }],
        transfers: vec![transfer],
        audit: vec![audit],
        links,
        ..Bundle::default()
    };
    let (transfer, audit) = (&b.transfers[0], &b.audit[0]);
    b.summary = Some(Summary {
        version: VERSION,
        figures: shiguang::bundle::recompute(&b),
        snapshot: serde_json::json!({"overdue_requests": 0, "note": "小雨"}),
        ledger_seq: transfer.seq,
        ledger_head: transfer.hash.clone(),
        audit_seq: audit.seq,
        audit_head: audit.hash.clone(),
    });
    b
}

#[test]
fn a_tiny_bundle_checks_out_and_round_trips() {
    let b = tiny_bundle();
    let text = b.to_text();
    let read = Bundle::parse(&text).unwrap();
    assert_eq!(read, b);
    assert_eq!(read.check(), Vec::<String>::new());
    checks::bundle(&text);
    checks::bundle(&text.replace("小雨", "大雨"));
}

#[test]
fn the_builtin_themes_round_trip() {
    for (name, src) in BUILTIN {
        assert!(Theme::parse(name, src).is_ok(), "{name}");
        checks::theme(src);
    }
}

#[test]
fn every_parser_survives_a_megabyte() {
    let long = "１２:3０h分钟¥元,\t-/".repeat(60_000);
    checks::member_ids(&long);
    checks::entry(&long, day(2026, 11, 23));
    checks::yuan_text(&long);
    checks::merchant_log(&long);
    checks::theme(&long);
    checks::bundle(&long);
}
