//! The store's facts in the screen's words: the store keeps a name in both
//! languages and never chooses; the screens choose by the desk's language.

use crate::i18n::Lang;
use crate::store::catalog::ServiceType;
use crate::store::days::Replenish;

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
