//! The store's facts in the screen's words: the store keeps a name in both
//! languages and never chooses; the screens choose by the desk's language.

use crate::domain::merchant;
use crate::i18n::{Lang, Tr};
use crate::store::catalog::ServiceType;
use crate::store::days::Replenish;
use crate::store::queue::{RequestRow, Settles};

impl ServiceType {
    /// The service type's name in `lang`.
    pub fn name(&self, lang: Lang) -> &str {
        lang.pick(&self.name_zh, &self.name_en)
    }
}

impl Replenish {
    /// The name of the item to replenish in `lang`.
    pub fn name(&self, lang: Lang) -> &str {
        lang.pick(&self.name_zh, &self.name_en)
    }
}

impl Settles {
    /// A merchant's settlement row, or a service taken from it, in the
    /// desk's words: the store keeps only the month, the counts and the
    /// discount.
    pub fn words(&self, tr: &Tr, merchant: &str) -> String {
        match self.service_no {
            Some(k) => tr.f(
                "settle.service_description",
                &[
                    ("merchant", &merchant),
                    ("month", &self.month),
                    ("k", &k),
                    ("n", &self.owed),
                ],
            ),
            None => tr.f(
                "settle.request_description",
                &[
                    ("merchant", &merchant),
                    ("month", &self.month),
                    ("n", &self.owed),
                    ("yuan", &merchant::yuan(self.discounts_fen)),
                ],
            ),
        }
    }
}

impl RequestRow {
    /// What is asked, in the desk's words: a settlement's from its facts,
    /// any other request as its requester put it.
    pub fn what(&self, tr: &Tr) -> String {
        match &self.settles {
            Some(s) => s.words(tr, &self.requester),
            None => self.description.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settles(service_no: Option<u32>) -> Settles {
        Settles {
            month: "2026-10".into(),
            owed: 3,
            discounts_fen: 12_050,
            service_no,
        }
    }

    #[test]
    fn a_settlement_is_worded_in_the_desks_language() {
        let zh = Tr::new(Lang::Zh);
        let en = Tr::new(Lang::En);
        assert_eq!(
            settles(None).words(&zh, "老王面馆"),
            "为老王面馆服务(结算 2026-10,共 3 次,上月让利 120.50 元)"
        );
        assert_eq!(
            settles(None).words(&en, "Wang's Noodles"),
            "Service for Wang's Noodles (settlement 2026-10, 3 in all, last month's discounts ¥120.50)"
        );
        assert_eq!(
            settles(Some(2)).words(&zh, "老王面馆"),
            "为老王面馆服务(结算 2026-10,第 2/3 次)"
        );
        assert_eq!(
            settles(Some(2)).words(&en, "Wang's Noodles"),
            "Service for Wang's Noodles (settlement 2026-10, 2 of 3)"
        );
    }
}
