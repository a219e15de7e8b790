//! The printed pages on a real station file: each document's content
//! (names, figures in words, no raw codes, no identity or phone number in
//! full), and what happens to the page (saved, opened, printed, or saved
//! with no program to open it).

use crate::common;
use common::*;
use shiguang::domain::dispute::{Category, Outcome};
use shiguang::domain::record::Payer;
use shiguang::domain::staff::Session;
use shiguang::domain::time::{DAY_MS, HOUR_MS};
use shiguang::exports::deliver::Delivered;
use shiguang::exports::printed::{self, Printable};
use shiguang::harness::T0;
use shiguang::i18n::{Lang, Tr};
use shiguang::print::{Delivery, Paper, to_html};
use shiguang::store::Store;
use shiguang::store::disputes::{Channel, Decision, NewDispute};
use shiguang::store::redemptions::Redemption;

struct W {
    db: TestDb,
    s: Store,
    master: Session,
    /// 李秀兰, recommended by 张建国, with services both ways.
    newcomer: i64,
    recommender: i64,
    record: i64,
    shop: i64,
    redemption: i64,
    dispute: i64,
}

fn w() -> W {
    let db = temp_db();
    let master = init_station(&db.path);
    let mut s = store(&db.path);
    let recommender = approved_member(&mut s, &master, "张建国", 1, T0 - 200 * DAY_MS);
    let mut m = new_member("李秀兰", 2);
    m.recommender = Some(recommender);
    m.recommender_signed = true;
    m.filled_by_family = true;
    m.applicant_confirmed = true;
    let newcomer = s
        .register_member(&master, &m, T0 - 100 * DAY_MS)
        .unwrap()
        .id;
    s.approve_member(&master, newcomer, "", T0 - 100 * DAY_MS)
        .unwrap();
    let end = T0 - 10 * DAY_MS;
    let r = record("p1", newcomer, recommender, end, 90, Payer::Pool);
    let served = s.post_record(&master, &r, end).unwrap().record_id;
    let r = record(
        "p2",
        recommender,
        newcomer,
        end + HOUR_MS * 3,
        60,
        Payer::Recipient,
    );
    s.post_record(&master, &r, end + HOUR_MS * 3).unwrap();
    let (shop, offer_id) = shop_with_offer(&mut s, &master, 100_00);
    let red = Redemption {
        uid: "red-1".into(),
        member_id: newcomer,
        offer_id,
        count: 1,
        redeemed_at: T0 - DAY_MS,
    };
    s.redeem(&master, &red, T0 - DAY_MS).unwrap();
    let redemption = s.merchant_detail(shop, T0).unwrap().redemptions[0].id;
    let d = NewDispute {
        suggestion: false,
        channel: Channel::Phone,
        category: Some(Category::Quality),
        party_a: Some(recommender),
        party_b: Some(newcomer),
        record_id: None,
        subject: "服务迟到".into(),
        reported_by: "本人".into(),
        merchant: None,
    };
    let dispute = s.open_dispute(&master, &d, T0 - HOUR_MS).unwrap().id;
    let dec = Decision {
        outcome: Outcome::Dismissed,
        split_pct: None,
        severity: None,
        target: None,
        reason: "双方已和解".into(),
        over_minutes: None,
        pause_days: None,
        deposit_fen: None,
    };
    s.decide_dispute(&master, dispute, &dec, T0 - HOUR_MS / 2)
        .unwrap();
    s.open_day(&master, &ticked_checklist(&s), T0).unwrap();
    W {
        db,
        s,
        master,
        newcomer,
        recommender,
        record: served,
        shop,
        redemption,
        dispute,
    }
}

/// The page's HTML for `what`, in Chinese.
fn page(w: &W, what: Printable) -> (shiguang::print::Document, String) {
    let tr = Tr::new(Lang::Zh);
    let (doc, _) = printed::document(&w.s, &tr, what, T0).unwrap();
    let html = to_html(&doc, "日期");
    (doc, html)
}

/// No identity number or phone number in full, no stored codes.
#[track_caller]
fn clean(html: &str) {
    clean_but(html, &[]);
}

/// As [`clean`], but `words` are words of the page's language here
/// ("approved" is English for 已批准).
#[track_caller]
fn clean_but(html: &str, words: &[&str]) {
    for n in 1..=2 {
        let id = id_number(n);
        assert!(!html.contains(&id), "ID number {id} in full");
        let phone = format!("138{n:08}");
        assert!(!html.contains(&phone), "phone {phone} in full");
    }
    assert!(!html.contains("13900000000"), "emergency phone in full");
    assert!(!html.contains("13761234567"), "merchant's phone");
    for code in [
        "pool",
        "recipient",
        "\"desk\"",
        "id_card",
        "m:JS",
        "x:JS",
        "provider_fault",
        "dismissed",
        "quality",
        "phone<",
        "approved",
        "{",
        "print.",
        "export.",
    ] {
        if words.contains(&code) {
            continue;
        }
        let body = &html[html.find("<body>").unwrap()..];
        assert!(
            !body.contains(code),
            "raw code {code:?} on the page:\n{body}"
        );
    }
}

#[test]
fn the_application_is_filled_from_the_registration_and_masks_its_numbers() {
    let w = w();
    let (doc, html) = page(
        &w,
        Printable::Application {
            member_id: w.newcomer,
        },
    );
    assert_eq!(doc.paper, Paper::A4);
    clean(&html);
    for text in [
        "会员申请表",
        "李秀兰",
        "金山社区驿站",
        "138****0002",
        "身份证",
        "家属代填",
        "JS01-0001 张建国",
        "申请人签字",
        "已批准",
        "JS01-0002",
    ] {
        assert!(html.contains(text), "{text} missing:\n{html}");
    }
    // the masked identity: first three and last four
    let id = id_number(2);
    assert!(
        html.contains(&format!("{}{}", &id[..3], "*".repeat(11))),
        "{html}"
    );
}

#[test]
fn blank_forms_have_lines_to_fill_and_no_ones_name() {
    let w = w();
    for (what, title) in [
        (Printable::BlankApplication, "会员申请表"),
        (Printable::BlankCommitment, "推荐承诺书"),
    ] {
        let (_, html) = page(&w, what);
        clean(&html);
        assert!(html.contains(title));
        assert!(html.contains("class=\"line\""), "lines to write on");
        assert!(!html.contains("李秀兰") && !html.contains("张建国"));
    }
}

#[test]
fn the_commitment_names_both_and_is_refused_without_a_recommender() {
    let w = w();
    let (_, html) = page(
        &w,
        Printable::Commitment {
            member_id: w.newcomer,
        },
    );
    clean(&html);
    for text in [
        "推荐承诺书",
        "李秀兰",
        "JS01-0001 张建国",
        "注册满 3 个月",
        "推荐人签字",
        "被推荐人签字",
    ] {
        assert!(html.contains(text), "{text} missing:\n{html}");
    }
    let tr = Tr::new(Lang::Zh);
    let e = printed::document(
        &w.s,
        &tr,
        Printable::Commitment {
            member_id: w.recommender,
        },
        T0,
    )
    .unwrap_err();
    assert_eq!(e.key, "print.no_recommender_form");
    assert!(tr.msg(&e).contains("张建国"), "{}", tr.msg(&e));
}

#[test]
fn the_service_record_page_lists_the_services_in_words() {
    let w = w();
    let (_, html) = page(
        &w,
        Printable::ServiceRecords {
            member_id: w.newcomer,
        },
    );
    clean(&html);
    for text in [
        "服务记录册",
        "李秀兰",
        "张建国",
        "1 小时 30 分钟",
        "双方签字",
        "积分",
    ] {
        assert!(html.contains(text), "{text} missing:\n{html}");
    }
}

#[test]
fn the_statement_is_in_large_type_with_the_balance_first() {
    let w = w();
    let (doc, html) = page(
        &w,
        Printable::Statement {
            member_id: w.newcomer,
        },
    );
    assert!(doc.large_type);
    assert!(html.contains("font-size: 18pt"), "large type");
    clean(&html);
    let balance = w.s.balance_of_member(w.newcomer).unwrap();
    let texts = doc.texts();
    let at = texts.iter().position(|t| *t == "积分余额").unwrap();
    assert_eq!(texts[at + 1], format!("{balance} 积分"));
    assert!(
        html.contains("社区公益池") && html.contains("张建国"),
        "{html}"
    );
}

#[test]
fn the_dispute_form_has_its_outcome_and_the_signatures() {
    let w = w();
    let (_, html) = page(&w, Printable::Dispute { id: w.dispute });
    clean(&html);
    for text in [
        "纠纷处理单",
        "服务迟到",
        "张建国",
        "李秀兰",
        "双方已和解",
        "投诉方签字",
        "驿站站长签字",
    ] {
        assert!(html.contains(text), "{text} missing:\n{html}");
    }
}

#[test]
fn the_close_report_has_the_days_figures_in_words() {
    let w = w();
    let day = shiguang::domain::time::local_day(T0, chrono_tz::Asia::Shanghai);
    let (_, html) = page(&w, Printable::CloseReport { day });
    clean(&html);
    for text in [
        "闭站日报",
        &day.to_string(),
        "营业中",
        "当日数据",
        "闭站人签字",
    ] {
        assert!(html.contains(text), "{text} missing:\n{html}");
    }
}

#[test]
fn receipts_are_80mm_with_names_time_and_points() {
    let w = w();
    let (doc, html) = page(
        &w,
        Printable::RecordReceipt {
            record_id: w.record,
        },
    );
    assert_eq!(doc.paper, Paper::Receipt80);
    assert!(html.contains("size: 80mm"));
    clean(&html);
    for text in [
        "服务凭条",
        "李秀兰",
        "张建国",
        "1 小时 30 分钟",
        "社区公益池",
        "30 积分",
    ] {
        assert!(html.contains(text), "{text} missing:\n{html}");
    }
    let what = Printable::RedemptionReceipt {
        merchant_id: w.shop,
        redemption_id: w.redemption,
    };
    let (doc, html) = page(&w, what);
    assert_eq!(doc.paper, Paper::Receipt80);
    clean(&html);
    for text in [
        "兑换凭条",
        "李秀兰",
        "惠民超市",
        "10积分抵5元",
        "10 积分",
        "¥5.00",
    ] {
        assert!(html.contains(text), "{text} missing:\n{html}");
    }
}

#[test]
fn the_english_pages_are_worded_in_english() {
    let w = w();
    let tr = Tr::new(Lang::En);
    let (doc, _) = printed::document(
        &w.s,
        &tr,
        Printable::Application {
            member_id: w.newcomer,
        },
        T0,
    )
    .unwrap();
    let html = to_html(&doc, "Date");
    clean_but(&html, &["approved"]);
    assert!(html.contains("Membership application") && html.contains("Emergency contact"));
}

#[test]
fn a_page_is_saved_then_opened_printed_or_left_as_the_setting_says() {
    let w = w();
    let tr = Tr::new(Lang::Zh);
    let started = std::cell::RefCell::new(Vec::new());
    let launch = |l: &shiguang::platform::open::Launch| {
        started.borrow_mut().push(l.program);
        Ok(())
    };
    let what = Printable::RecordReceipt {
        record_id: w.record,
    };
    let saved = printed::print(&w.s, &tr, what, Delivery::Save, T0, &launch).unwrap();
    assert!(matches!(saved, Delivered::Saved(_)));
    assert!(started.borrow().is_empty(), "save only starts nothing");
    let exports = w.db.path.parent().unwrap().join("exports");
    assert_eq!(
        saved.saved().path,
        exports.join(format!("receipt-service-{}.html", w.record))
    );
    let opened = printed::print(&w.s, &tr, what, Delivery::Open, T0, &launch).unwrap();
    assert!(matches!(opened, Delivered::Opened(_)));
    assert_ne!(
        opened.saved().path,
        saved.saved().path,
        "never over the first"
    );
    let printing = printed::print(&w.s, &tr, what, Delivery::Print, T0, &launch).unwrap();
    assert!(matches!(printing, Delivered::Printing(_)));
    assert_eq!(started.borrow().len(), 2);
    let none = |_: &shiguang::platform::open::Launch| {
        Err(std::io::Error::from(std::io::ErrorKind::NotFound))
    };
    let d = printed::print(&w.s, &tr, what, Delivery::Open, T0, &none).unwrap();
    let text = tr.msg(&d.msg());
    assert!(
        text.contains("没有可以打开它的程序") && text.contains("receipt-service"),
        "{text}"
    );
    let _ = &w.master;
}
