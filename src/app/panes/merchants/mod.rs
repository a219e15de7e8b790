//! Pane 8 (商家): the merchant registry, offers, redemptions at the desk and
//! from a merchant's log, ratings, price checks, violations, the deposit,
//! and the monthly settlement.

mod commands;
mod forms;
mod parse;
mod update;

pub use forms::{merchant_form, merchant_severity_key};

use crate::app::action::Command;
use crate::app::cx::Cx;
use crate::app::form::Form;
use crate::app::keymap::Context;
use crate::app::notice::NoticeKind;
use crate::app::pane::{FormKind, OpenForm, PaneComponent, RestoreCtx};
use crate::domain::merchant::Cost;
use crate::domain::time;
use crate::msg;
use crate::store::StoreResult;
use crate::store::merchants::{MerchantDetail, MerchantRow};
use crate::store::redemptions::{ImportReport, Settlement};
use crate::worker::merchants::{ListMerchants, ReadMerchant};
use serde_json::Value;

/// What the side of the merchant in front shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum View {
    #[default]
    Offers,
    Redemptions,
    Record,
}

impl View {
    fn next(self) -> View {
        match self {
            View::Offers => View::Redemptions,
            View::Redemptions => View::Record,
            View::Record => View::Offers,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MerchantFormKind {
    /// `id` 0: a new merchant.
    Merchant {
        id: i64,
    },
    Offer {
        offer_id: Option<i64>,
    },
    Redeem {
        uid: String,
    },
    Rate,
    Price,
    Violation,
    Status,
    Deposit,
    Import,
}

/// The draft slot of the new-merchant form.
const NEW_DRAFT: &str = "merchants.new";

impl FormKind for MerchantFormKind {
    fn draft_key(&self) -> Option<&'static str> {
        match self {
            MerchantFormKind::Merchant { id: 0 } => Some(NEW_DRAFT),
            MerchantFormKind::Merchant { .. }
            | MerchantFormKind::Offer { .. }
            | MerchantFormKind::Redeem { .. }
            | MerchantFormKind::Rate
            | MerchantFormKind::Price
            | MerchantFormKind::Violation
            | MerchantFormKind::Status
            | MerchantFormKind::Deposit
            | MerchantFormKind::Import => None,
        }
    }
}

/// What comes back to the merchants pane.
#[derive(Debug, Clone, PartialEq)]
pub enum MerchantsMsg {
    /// The registry, read again.
    Listed(StoreResult<Vec<MerchantRow>>),
    /// The merchant selected, in full.
    Detail(StoreResult<MerchantDetail>),
    /// A change saved (by a form or at once); the merchant as it now stands.
    Changed(StoreResult<MerchantDetail>),
    /// A redemption at the desk, and what it cost the member.
    Redeemed(StoreResult<Cost>),
    /// A merchant's log imported, or why each bad line was not.
    Imported(StoreResult<ImportReport>),
    /// "Yes" to running last month's settlement.
    Settle,
    Settled(StoreResult<Settlement>),
    /// The merchant's notice, written here.
    Exported(StoreResult<crate::output::Saved>),
    /// A redemption's receipt saved, and opened or printed.
    Printed(StoreResult<crate::exports::deliver::Delivered>),
}

#[derive(Debug, Clone, Default)]
pub struct MerchantsPane {
    pub rows: Vec<MerchantRow>,
    pub sel: usize,
    pub detail: Option<Box<MerchantDetail>>,
    pub view: View,
    /// Selection in the offers list of the merchant in front.
    pub offer_sel: usize,
    pub form: Option<OpenForm<MerchantFormKind>>,
    /// The last import's report (bad lines with their numbers).
    pub import: Option<Box<ImportReport>>,
    pub settlement: Option<Box<Settlement>>,
}

crate::pane_forms!(MerchantsPane);

impl MerchantsPane {
    fn restore_form(&mut self, key: &str, data: &Value, ctx: &RestoreCtx) -> bool {
        if key != NEW_DRAFT {
            return false;
        }
        let mut f = merchant_form(None, &ctx.community, &ctx.today);
        f.restore_draft(data);
        self.form = Some(OpenForm::new(MerchantFormKind::Merchant { id: 0 }, f));
        true
    }

    pub fn selected(&self) -> Option<&MerchantRow> {
        self.rows.get(self.sel)
    }

    /// The detail, if it is of the merchant selected.
    pub fn detail(&self) -> Option<&MerchantDetail> {
        let id = self.selected()?.id;
        self.detail.as_deref().filter(|d| d.merchant.id == id)
    }

    fn form_mut(&mut self) -> Option<&mut Form> {
        self.form.as_mut().map(|f| &mut f.form)
    }

    fn open_form(&mut self, kind: MerchantFormKind, form: Form) {
        self.form = Some(OpenForm::new(kind, form));
    }

    /// Read the registry again.
    fn load(&mut self, cx: &mut Cx<'_, MerchantsMsg>) {
        cx.db_latest("merchants.list", ListMerchants, MerchantsMsg::Listed);
    }

    /// Read the merchant selected in full.
    fn load_detail(&mut self, cx: &mut Cx<'_, MerchantsMsg>) {
        let Some(id) = self.selected().map(|m| m.id) else {
            return;
        };
        let at = cx.desk.now;
        cx.db_latest(
            "merchants.detail",
            ReadMerchant { id, at },
            MerchantsMsg::Detail,
        );
    }

    /// Select the merchant at `i` (its offers from the top) and read it.
    fn select(&mut self, i: usize, cx: &mut Cx<'_, MerchantsMsg>) {
        self.sel = i;
        self.offer_sel = 0;
        self.load_detail(cx);
    }
}

impl PaneComponent for MerchantsPane {
    type Msg = MerchantsMsg;

    fn contexts(&self) -> &'static [Context] {
        &[Context::Merchants, Context::List]
    }

    /// Help does not offer Enter (it changes the offer selected), and
    /// withdrawing an offer only while the offers show.
    fn available(&self, cmd: Command) -> bool {
        match cmd {
            // Enter changes the selected offer: said in help where it works
            Command::Select | Command::WithdrawOffer => self.view == View::Offers,
            _ => true,
        }
    }

    fn entered(&mut self, cx: &mut Cx<'_, MerchantsMsg>) {
        self.load(cx);
    }

    /// Up and down move in the offers while they show (then on to the
    /// next merchant); the rest acts on the registry or the merchant in
    /// front.
    fn command(&mut self, cmd: Command, cx: &mut Cx<'_, MerchantsMsg>) -> bool {
        let last = self.rows.len().saturating_sub(1);
        let offers = self.detail().map_or(0, |d| d.offers.len());
        let in_offers = self.view == View::Offers;
        match cmd {
            Command::Up if in_offers && self.offer_sel > 0 => self.offer_sel -= 1,
            Command::Down if in_offers && self.offer_sel + 1 < offers => self.offer_sel += 1,
            Command::Up | Command::PageUp => self.select(self.sel.saturating_sub(1), cx),
            Command::Down | Command::PageDown => self.select((self.sel + 1).min(last), cx),
            Command::Top => self.select(0, cx),
            Command::Bottom => self.select(last, cx),
            Command::SwitchSection => self.view = self.view.next(),
            Command::Refresh => self.load(cx),
            Command::New => {
                let form = merchant_form(None, cx.desk.community, &cx.desk.today().to_string());
                self.open_form(MerchantFormKind::Merchant { id: 0 }, form);
            }
            Command::Settle => {
                if !cx.desk.session.is_master() {
                    cx.notify(NoticeKind::Error, msg!("staff.master_only"));
                    return true;
                }
                let month = time::prev_month(cx.desk.today()).format("%Y-%m");
                let text = msg!("settle.confirm", month = month);
                cx.confirm(text, MerchantsMsg::Settle);
            }
            _ => return commands::on_merchant(self, cmd, cx),
        }
        true
    }

    fn submit(&mut self, cx: &mut Cx<'_, MerchantsMsg>) {
        update::submit(self, cx);
    }

    fn update(&mut self, msg: MerchantsMsg, cx: &mut Cx<'_, MerchantsMsg>) {
        update::update(self, msg, cx);
    }
}

#[cfg(test)]
mod tests;
