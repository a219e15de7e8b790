//! The notice board's content from hand-built facts: the figures, the
//! names as the public page shows them, no raw codes, no ID or phone
//! numbers.

use super::*;
use crate::domain::dispute::Outcome;
use crate::domain::fund::Kind;
use crate::domain::merchant::Grade;
use crate::domain::trust::TrustRank;
use crate::i18n::Lang;
use crate::store::fund::board::{DepositMove, DisputeFact, MerchantFact, OfferFact};
use crate::store::fund::{ExpenseRow, FundEntryRow, Signature};
use chrono::NaiveDate;

const TZ: Tz = chrono_tz::Asia::Shanghai;

fn entry(
    seq: i64,
    kind: Kind,
    amount: i64,
    balance: i64,
    party: &str,
    purpose: &str,
) -> FundEntryRow {
    FundEntryRow {
        seq,
        at: 1_764_806_400_000 + seq * 3_600_000,
        kind,
        amount_fen: amount,
        balance_fen: balance,
        party: party.into(),
        purpose: purpose.into(),
        member_id: (kind == Kind::Fee).then_some(7),
        merchant_id: None,
        activity_id: None,
        expense_id: (!kind.is_income()).then_some(1),
        staff: "王芳".into(),
        signers: if kind.is_income() {
            vec![]
        } else {
            vec!["王芳".into(), "李明".into(), "赵强".into()]
        },
    }
}

fn facts() -> BoardFacts {
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    BoardFacts {
        station: "幸福里".into(),
        monday: d("2026-11-30"),
        sunday: d("2026-12-06"),
        opening_fen: 10_000,
        entries: vec![
            entry(1, Kind::Fee, 5_000, 15_000, "张秀英", "2026 年会员年费"),
            entry(
                2,
                Kind::TrustGift,
                -3_250,
                11_750,
                "华联超市",
                "信任榜鸡蛋 电话13812345678",
            ),
        ],
        closing_fen: 11_750,
        pending: vec![ExpenseRow {
            id: 2,
            kind: Kind::Materials,
            amount_fen: 1_800,
            party: "文具店".into(),
            purpose: "茶话会便签".into(),
            activity_id: None,
            proposed_at: 0,
            signatures: vec![Signature {
                staff_id: 1,
                name: "王芳".into(),
                at: 0,
            }],
            posted_seq: None,
        }],
        deposits: vec![DepositMove {
            at: 1_764_806_400_000,
            merchant: "老王理发".into(),
            kind: "deduction".into(),
            amount_fen: -20_000,
        }],
        violations: vec![
            ViolationFact {
                at: 1_764_806_400_000,
                name: "刘建国".into(),
                merchant: false,
                severity: Severity::Severe,
                reason: "恶意刷单骗积分,身份证110101199003071234".into(),
            },
            ViolationFact {
                at: 1_764_806_400_000,
                name: "老王理发".into(),
                merchant: true,
                severity: Severity::Moderate,
                reason: "会员价高于进货价 5% 以上".into(),
            },
        ],
        disputes: vec![DisputeFact {
            decided_at: 1_764_806_400_000,
            subject: "理发服务迟到".into(),
            outcome: Outcome::MerchantDeposit,
            decision: "扣保证金 200 元".into(),
        }],
        month: "2026-12".into(),
        trust_top: vec![(
            TrustRank {
                member_id: 3,
                score: 128,
                gained_this_month: 6,
            },
            "陈美兰".into(),
        )],
        gifts: vec![],
        merchants: vec![MerchantFact {
            name: "老王理发".into(),
            grade: Grade::Silver,
            offers: vec![OfferFact {
                text: "理发减 10 元".into(),
                points: 20,
                value_fen: 1_000,
                valid_to: "2026-12-31".into(),
            }],
        }],
        stories: vec![("2026-12-01".into(), "李奶奶给宝妈带娃".into())],
    }
}

fn text(doc: &Document) -> String {
    doc.texts().join("\n")
}

#[test]
fn the_fund_shows_every_row_with_who_what_and_what_is_left() {
    let doc = notice_board_document(&facts(), &Tr::new(Lang::Zh), TZ);
    let all = text(&doc);
    assert!(all.contains("信任公示栏 2026-11-30 至 2026-12-06"), "{all}");
    for want in [
        "上周结余",
        "100 元",
        "本周结余",
        "117.50 元",
        "会员年费",
        "50 元",
        "150 元",
        "信任榜礼品",
        "32.50 元",
        "华联超市",
        "王芳、李明、赵强",
        "活动物料",
        "已签 1/3",
        "扣除(转入基金)",
        "老王理发",
    ] {
        assert!(all.contains(want), "missing {want}: {all}");
    }
    // a fee payer is a member: masked
    assert!(all.contains("张**") && !all.contains("张秀英"), "{all}");
}

#[test]
fn violations_disputes_trust_merchants_and_stories_are_there() {
    let doc = notice_board_document(&facts(), &Tr::new(Lang::Zh), TZ);
    let all = text(&doc);
    for want in [
        "刘**",
        "严重",
        "恶意刷单骗积分",
        "拉黑,不退剩余年费",
        "暂停接单 3 天,扣 200 元保证金",
        "理发服务迟到",
        "扣保证金 200 元",
        "2026-12 信任榜",
        "陈美兰",
        "128",
        "+6",
        "鸡蛋、洗衣液",
        "理发减 10 元",
        "20 积分抵 10 元,至 2026-12-31",
        "李奶奶给宝妈带娃",
    ] {
        assert!(all.contains(want), "missing {want}: {all}");
    }
    assert!(!all.contains("刘建国"), "a severe violator is masked");
}

#[test]
fn no_raw_codes_no_id_or_phone_numbers() {
    for lang in [Lang::Zh, Lang::En] {
        let doc = notice_board_document(&facts(), &Tr::new(lang), TZ);
        let all = text(&doc);
        assert!(!all.contains("110101199003071234"), "{all}");
        assert!(!all.contains("13812345678"), "{all}");
        for code in [
            "trust_gift",
            "merchant_deposit",
            "subsidy_out",
            "dividend_pool",
            "board.",
            "fund.",
            "violation.",
            "{",
            "}",
        ] {
            assert!(!all.contains(code), "raw {code} in {lang:?}: {all}");
        }
        if lang == Lang::Zh {
            assert!(!all.is_ascii() && !all.contains("deduction") && !all.contains("silver"));
        }
        let html = crate::print::to_html(&doc, "日期");
        assert!(!html.contains("13812345678") && html.contains("<table>"));
    }
}

#[test]
fn an_empty_week_says_so() {
    let mut f = facts();
    f.entries.clear();
    f.pending.clear();
    f.deposits.clear();
    f.violations.clear();
    f.disputes.clear();
    f.stories.clear();
    f.closing_fen = f.opening_fen;
    let all = text(&notice_board_document(&f, &Tr::new(Lang::Zh), TZ));
    assert!(all.contains("本周没有收支"), "{all}");
    assert!(all.contains("本周无"), "{all}");
}

#[test]
fn digits_of_phone_length_are_masked_but_short_figures_kept() {
    assert_eq!(
        public("电话 13812345678 扣 200 元"),
        "电话 *********** 扣 200 元"
    );
    assert_eq!(mask_name("王芳"), "王*");
    assert_eq!(mask_name("欧阳小明"), "欧***");
}
