//! Commands on the merchant in front: what is sent at once (an offer
//! withdrawn, a violation put right, the notice exported), or the form
//! each one opens.

use super::{MerchantFormKind, MerchantsMsg, MerchantsPane, View, forms};
use crate::app::action::Command;
use crate::app::cx::{Cx, Shared};
use crate::app::form::Form;
use crate::app::notice::NoticeKind;
use crate::domain::violation::Severity;
use crate::exports::printed::Printable;
use crate::msg;
use crate::store::merchants::{MerchantRow, OfferRow};
use crate::worker::exports::ExportMerchantNotice;
use crate::worker::merchants::{ResolveViolation, WithdrawOffer};

/// `cmd` on the merchant selected; whether it had a use. With none
/// selected, every command says so.
pub(super) fn on_merchant(
    p: &mut MerchantsPane,
    cmd: Command,
    cx: &mut Cx<'_, MerchantsMsg>,
) -> bool {
    let Some(m) = p.selected().cloned() else {
        cx.notify(NoticeKind::Info, msg!("merchant.none"));
        return true;
    };
    let (merchant_id, by, at) = (m.id, cx.desk.session.clone(), cx.desk.now);
    let today = cx.desk.today();
    match cmd {
        Command::WithdrawOffer => match offer_selected(p).filter(|o| o.withdrawn_at.is_none()) {
            Some(o) => {
                let offer_id = o.id;
                let withdraw = WithdrawOffer {
                    by,
                    merchant_id,
                    offer_id,
                    at,
                };
                cx.db(withdraw, MerchantsMsg::Changed);
            }
            None => cx.notify(NoticeKind::Info, msg!("offer.choose")),
        },
        Command::ResolveViolation => match open_violation(p) {
            Some(violation_id) => {
                let resolve = ResolveViolation {
                    by,
                    merchant_id,
                    violation_id,
                    at,
                };
                cx.db(resolve, MerchantsMsg::Changed);
            }
            None => cx.notify(NoticeKind::Info, msg!("merchant.no_open_violation")),
        },
        // on the redemptions, p prints the newest one's receipt (the one
        // just made at the desk); elsewhere the merchant's public notice
        Command::Export if p.view == View::Redemptions => {
            let newest = p.detail().and_then(|d| d.redemptions.first()).map(|r| r.id);
            let Some(redemption_id) = newest else {
                cx.notify(NoticeKind::Error, msg!("print.no_redemption"));
                return true;
            };
            let what = Printable::RedemptionReceipt {
                merchant_id,
                redemption_id,
            };
            cx.print(what, MerchantsMsg::Printed);
        }
        Command::Export => {
            let lang = cx.desk.lang;
            let notice = ExportMerchantNotice {
                merchant_id,
                lang,
                at,
            };
            cx.db(notice, MerchantsMsg::Exported);
        }
        Command::Redeem
            if p.detail()
                .is_none_or(|d| forms::current_offers(d, today).is_empty()) =>
        {
            cx.notify(NoticeKind::Error, msg!("redeem.no_offers"));
        }
        Command::MerchantStatus | Command::Deposit if !cx.desk.session.is_master() => {
            cx.notify(NoticeKind::Error, msg!("staff.master_only"));
        }
        _ => match form_for(p, cmd, &m, cx.desk) {
            Some((kind, form)) => p.open_form(kind, form),
            None => return false,
        },
    }
    true
}

/// The offer selected, while the offers show.
fn offer_selected(p: &MerchantsPane) -> Option<OfferRow> {
    let d = p.detail().filter(|_| p.view == View::Offers)?;
    d.offers.get(p.offer_sel).cloned()
}

/// The merchant's minor violation not yet put right, if any.
/// A minor violation to mark put right, or a moderate one whose
/// remediation check passed (a severe one ended the merchant).
fn open_violation(p: &MerchantsPane) -> Option<i64> {
    p.detail()?
        .violations
        .iter()
        .find(|v| v.resolved_at.is_none() && v.severity != Severity::Severe)
        .map(|v| v.id)
}

/// The form `cmd` opens on merchant `m` (`None`: it opens none).
fn form_for(
    p: &MerchantsPane,
    cmd: Command,
    m: &MerchantRow,
    desk: &Shared<'_>,
) -> Option<(MerchantFormKind, Form)> {
    let today = desk.today();
    Some(match cmd {
        Command::Edit => (
            MerchantFormKind::Merchant { id: m.id },
            forms::merchant_form(Some(m), &m.community, &today.to_string()),
        ),
        Command::NewOffer => (
            MerchantFormKind::Offer { offer_id: None },
            forms::offer_form(None, today),
        ),
        // Enter on an offer: change it
        Command::Select => {
            let o = offer_selected(p)?;
            let kind = MerchantFormKind::Offer {
                offer_id: Some(o.id),
            };
            (kind, forms::offer_form(Some(&o.offer), today))
        }
        Command::Redeem => {
            let offers = p
                .detail()
                .map(|d| forms::current_offers(d, today))
                .unwrap_or_default();
            // fixed now, so a retry posts once
            let uid = crate::store::new_uid(desk.now);
            (MerchantFormKind::Redeem { uid }, forms::redeem_form(offers))
        }
        Command::Rate => (MerchantFormKind::Rate, forms::rate_form()),
        Command::PriceCheck => (
            MerchantFormKind::Price,
            forms::price_form(&desk.session.name),
        ),
        Command::Violation => (MerchantFormKind::Violation, forms::violation_form()),
        Command::MerchantStatus => (MerchantFormKind::Status, forms::status_form(m.status)),
        Command::Deposit => (MerchantFormKind::Deposit, forms::deposit_form()),
        Command::Import => (MerchantFormKind::Import, forms::import_form()),
        _ => return None,
    })
}
