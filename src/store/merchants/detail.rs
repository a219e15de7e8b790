//! The merchant detail: one merchant with its offers, redemptions, checks and violations.

use super::*;

impl Store {
    pub fn merchant_detail(&self, id: i64, now: Stamp) -> StoreResult<MerchantDetail> {
        // Long because: one query per section of the detail (offers, redemptions, price checks, violations, deposit), each a prepare and a map.
        let month = time::month_range(time::local_day(now, self.tz()), self.tz());
        let merchant = merchant_row(&self.conn, id, &self.grade_lines())?;
        let mut st = self.conn.prepare_cached(&format!(
            "{OFFER_SELECT} WHERE o.merchant_id = ?3 ORDER BY o.withdrawn_at IS NOT NULL, o.valid_to DESC, o.id"
        ))?;
        let offers = st
            .query_map(params![month.0, month.1, id], offer_of)?
            .collect::<Result<_, _>>()?;
        let mut st = self
            .conn
            .prepare_cached(MERCHANT_DETAIL_SELECT_REDEMPTIONS)?;
        let redemptions = st
            .query_map([id], |r| {
                Ok(RedemptionRow {
                    id: r.get(0)?,
                    redeemed_at: r.get(1)?,
                    member_number: r.get(2)?,
                    member_name: r.get(3)?,
                    offer_id: r.get(4)?,
                    count: r.get(5)?,
                    points: r.get(6)?,
                    value_fen: r.get(7)?,
                    source: r.get(8)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        let mut st = self
            .conn
            .prepare_cached(MERCHANT_DETAIL_SELECT_PRICE_CHECKS)?;
        let prices = st
            .query_map([id], |r| {
                Ok(PriceCheckRow {
                    check: PriceCheck {
                        item: r.get(0)?,
                        purchase_fen: r.get(1)?,
                        member_fen: r.get(2)?,
                        invoice_ref: r.get(3)?,
                        checked_by: r.get(4)?,
                    },
                    over_rule: r.get(5)?,
                    at: r.get(6)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        let mut st = self
            .conn
            .prepare_cached(MERCHANT_DETAIL_SELECT_MERCHANT_VIOLATIONS)?;
        let violations = st
            .query_map([id], |r| {
                Ok(ViolationRow {
                    id: r.get(0)?,
                    severity: Severity::parse(&r.get::<_, String>(1)?).unwrap_or(Severity::Minor),
                    reason: r.get(2)?,
                    at: r.get(3)?,
                    fix_by: r.get(4)?,
                    resolved_at: r.get(5)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        let mut st = self
            .conn
            .prepare_cached(MERCHANT_DETAIL_SELECT_MERCHANT_DEPOSIT)?;
        let deposit = st
            .query_map([id], |r| {
                Ok(DepositRow {
                    at: r.get(0)?,
                    kind: r.get(1)?,
                    amount_fen: r.get(2)?,
                    reason: r.get(3)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(MerchantDetail {
            merchant,
            offers,
            redemptions,
            prices,
            violations,
            deposit,
            medals: self.merchant_medals(id)?,
        })
    }
}
