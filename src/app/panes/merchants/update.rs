//! The merchants pane's forms sent, and what comes back.

use super::parse::{
    parse_deposit, parse_import, parse_merchant, parse_offer, parse_price, parse_rating,
    parse_redemption, parse_status, parse_violation,
};
use super::{MerchantFormKind, MerchantsMsg, MerchantsPane, NEW_DRAFT, View};
use crate::app::cx::Cx;
use crate::app::notice::NoticeKind;
use crate::domain::merchant;
use crate::msg;
use crate::store::merchants::MerchantDetail;
use crate::worker::merchants::{
    CheckPrice, ImportRedemptions, MerchantDeposit, MerchantViolation, RateMerchant, Redeem,
    SaveMerchant, SaveOffer, SetMerchantStatus, SettleMonth,
};

/// Send the open form, or show why not at its fields. A new merchant needs
/// none in front; every other form is of the merchant selected (none
/// selected: nothing is sent).
///
/// Over 80 lines: one short arm per form, each its parser and its request.
pub(super) fn submit(p: &mut MerchantsPane, cx: &mut Cx<'_, MerchantsMsg>) {
    let in_front = p.selected().map(|m| m.id);
    let Some(of) = p.form.as_mut() else { return };
    let (by, at, today) = (cx.desk.session.clone(), cx.desk.now, cx.desk.today());
    let f = &of.form;
    let sent = match (of.kind.clone(), in_front) {
        (MerchantFormKind::Merchant { id }, Some(_))
        | (MerchantFormKind::Merchant { id: id @ 0 }, None) => parse_merchant(f, today).map(|m| {
            let (id, merchant) = ((id != 0).then_some(id), Box::new(m));
            let save = SaveMerchant {
                by,
                id,
                merchant,
                at,
            };
            cx.db(save, MerchantsMsg::Changed)
        }),
        (_, None) => return,
        (MerchantFormKind::Offer { offer_id }, Some(merchant_id)) => {
            parse_offer(f, today).map(|o| {
                let offer = Box::new(o);
                let save = SaveOffer {
                    by,
                    merchant_id,
                    offer_id,
                    offer,
                    at,
                };
                cx.db(save, MerchantsMsg::Changed)
            })
        }
        (MerchantFormKind::Redeem { uid }, Some(_)) => {
            parse_redemption(f, uid, at).map(|redemption| {
                let redeem = Redeem { by, redemption, at };
                cx.db(redeem, MerchantsMsg::Redeemed)
            })
        }
        (MerchantFormKind::Rate, Some(merchant_id)) => {
            parse_rating(f).map(|(member_id, stars, note)| {
                let rate = RateMerchant {
                    by,
                    merchant_id,
                    member_id,
                    stars,
                    note,
                    at,
                };
                cx.db(rate, MerchantsMsg::Changed)
            })
        }
        (MerchantFormKind::Price, Some(merchant_id)) => parse_price(f).map(|c| {
            let check = Box::new(c);
            let price = CheckPrice {
                by,
                merchant_id,
                check,
                at,
            };
            cx.db(price, MerchantsMsg::Changed)
        }),
        (MerchantFormKind::Violation, Some(merchant_id)) => {
            parse_violation(f).map(|(severity, reason)| {
                let violation = MerchantViolation {
                    by,
                    merchant_id,
                    severity,
                    reason,
                    at,
                };
                cx.db(violation, MerchantsMsg::Changed)
            })
        }
        (MerchantFormKind::Status, Some(merchant_id)) => parse_status(f).map(|(status, reason)| {
            let change = SetMerchantStatus {
                by,
                merchant_id,
                status,
                reason,
                at,
            };
            cx.db(change, MerchantsMsg::Changed)
        }),
        (MerchantFormKind::Deposit, Some(merchant_id)) => {
            parse_deposit(f).map(|(refund, amount_fen, reason)| {
                let deposit = MerchantDeposit {
                    by,
                    merchant_id,
                    refund,
                    amount_fen,
                    reason,
                    at,
                };
                cx.db(deposit, MerchantsMsg::Changed)
            })
        }
        (MerchantFormKind::Import, Some(merchant_id)) => {
            parse_import(f).map(|(path, valid_only)| {
                let import = ImportRedemptions {
                    by,
                    merchant_id,
                    path,
                    valid_only,
                    at,
                };
                cx.db(import, MerchantsMsg::Imported)
            })
        }
    };
    match sent {
        Ok(id) => {
            of.form.clear_errors();
            of.form.busy = Some(id);
        }
        Err(errs) => of.form.show_refusals(&errs),
    }
}

pub(super) fn update(p: &mut MerchantsPane, msg: MerchantsMsg, cx: &mut Cx<'_, MerchantsMsg>) {
    match msg {
        MerchantsMsg::Listed(Ok(rows)) => {
            // the merchant in front stays in front
            let keep = p.detail.as_ref().map(|d| d.merchant.id);
            p.sel = keep
                .and_then(|id| rows.iter().position(|m| m.id == id))
                .unwrap_or(p.sel.min(rows.len().saturating_sub(1)));
            p.rows = rows;
            p.load_detail(cx);
        }
        MerchantsMsg::Detail(Ok(d)) => {
            p.offer_sel = p.offer_sel.min(d.offers.len().saturating_sub(1));
            p.detail = Some(Box::new(d));
        }
        MerchantsMsg::Changed(Ok(d)) => changed(p, d, cx),
        MerchantsMsg::Redeemed(Ok(c)) => {
            p.form = None;
            let yuan = merchant::yuan(c.value_fen);
            cx.notify(
                NoticeKind::Ok,
                msg!("redeem.done", points = c.points, yuan = yuan),
            );
            p.load_detail(cx);
            p.load(cx);
        }
        MerchantsMsg::Imported(Ok(r)) => {
            let (kind, note) = if r.posted == 0 && !r.bad.is_empty() {
                let n = r.bad.len();
                (NoticeKind::Error, msg!("import.nothing_posted", n = n))
            } else {
                let (n, already, bad) = (r.posted, r.already, r.bad.len());
                let done = msg!("import.done", n = n, already = already, bad = bad);
                (NoticeKind::Ok, done)
            };
            p.form = None;
            p.import = Some(Box::new(r));
            p.view = View::Redemptions;
            cx.notify(kind, note);
            p.load_detail(cx);
        }
        MerchantsMsg::Settle => {
            let (by, lang, at) = (cx.desk.session.clone(), cx.desk.lang, cx.desk.now);
            cx.db(SettleMonth { by, lang, at }, MerchantsMsg::Settled);
        }
        MerchantsMsg::Settled(Ok(s)) => {
            let note = if s.already {
                msg!("settle.already", month = &s.month)
            } else {
                let requests = s.lines.iter().map(|l| l.requests).sum::<u32>();
                let n = s.lines.len();
                msg!("settle.done", month = &s.month, n = n, requests = requests)
            };
            p.settlement = Some(Box::new(s));
            cx.notify(NoticeKind::Ok, note);
            cx.refresh_header();
        }
        MerchantsMsg::Exported(Ok(saved)) => cx.notify(NoticeKind::Ok, saved.msg()),
        MerchantsMsg::Printed(Ok(done)) => cx.notify(NoticeKind::Ok, done.msg()),
        // a failed read lands on an open form too, as it always has
        MerchantsMsg::Listed(Err(e))
        | MerchantsMsg::Detail(Err(e))
        | MerchantsMsg::Changed(Err(e))
        | MerchantsMsg::Redeemed(Err(e))
        | MerchantsMsg::Imported(Err(e))
        | MerchantsMsg::Settled(Err(e))
        | MerchantsMsg::Exported(Err(e))
        | MerchantsMsg::Printed(Err(e)) => cx.failed(p.form_mut(), e),
    }
}

/// A change saved: said (a price over the rule is said as a warning), the
/// merchant shown as it now stands, the registry read again.
fn changed(p: &mut MerchantsPane, d: MerchantDetail, cx: &mut Cx<'_, MerchantsMsg>) {
    let kind = p.form.take().map(|f| f.kind);
    match kind {
        Some(MerchantFormKind::Price) if d.prices.first().is_some_and(|c| c.over_rule) => {
            cx.notify(NoticeKind::Error, msg!("price.over_rule"));
        }
        Some(MerchantFormKind::Merchant { id: 0 }) => {
            cx.drop_draft(NEW_DRAFT);
            let code = &d.merchant.code;
            cx.notify(NoticeKind::Ok, msg!("merchant.added", code = code));
        }
        Some(_) | None => cx.notify(NoticeKind::Ok, msg!("form.saved")),
    }
    p.detail = Some(Box::new(d));
    p.load(cx);
}
