//! The SQL of `merchants`, by name: the statements as SQLite reads them,
//! kept apart so `cargo fmt` formats the Rust that runs them.

pub(super) const OFFER_SELECT: &str = "SELECT o.id, o.merchant_id, o.text, o.points, o.value_fen, o.valid_from, o.valid_to,
    o.monthly_cap_fen, o.not_combined, o.note, o.withdrawn_at,
    (SELECT coalesce(sum(value_fen), 0) FROM redemptions r WHERE r.offer_id = o.id AND r.redeemed_at >= ?1 AND r.redeemed_at < ?2)
    FROM merchant_offers o";

pub(super) const MERCHANT_DETAIL_SELECT_REDEMPTIONS: &str = "SELECT r.id, r.redeemed_at, coalesce(m.number, ''), m.name, r.offer_id, r.count, r.points, r.value_fen, r.source
             FROM redemptions r JOIN members m ON m.id = r.member_id WHERE r.merchant_id = ?1 ORDER BY r.redeemed_at DESC, r.id DESC LIMIT 50";

pub(super) const MERCHANT_DETAIL_SELECT_PRICE_CHECKS: &str = "SELECT item, purchase_fen, member_fen, invoice_ref, checked_by, over_rule, at FROM price_checks
             WHERE merchant_id = ?1 ORDER BY at DESC LIMIT 30";

pub(super) const MERCHANT_DETAIL_SELECT_MERCHANT_VIOLATIONS: &str = "SELECT id, severity, reason, at, fix_by, resolved_at FROM merchant_violations WHERE merchant_id = ?1 ORDER BY at DESC";

pub(super) const MERCHANT_DETAIL_SELECT_MERCHANT_DEPOSIT: &str = "SELECT at, kind, amount_fen, reason FROM merchant_deposit WHERE merchant_id = ?1 ORDER BY at DESC, id DESC";

pub(super) const SAVE_MERCHANT_SELECT_MERCHANTS: &str =
    "SELECT id FROM merchants WHERE name = ?1 AND id != coalesce(?2, -1)";

pub(super) const SAVE_MERCHANT_UPDATE_MERCHANTS: &str = "UPDATE merchants SET name = ?1, kind = ?2, address = ?3, distance_m = ?4, contact_name = ?5, contact_phone = ?6,
                            redeemer = ?7, community = ?8, agreement_from = ?9, agreement_to = ?10, updated_at = ?11 WHERE id = ?12";

pub(super) const SAVE_MERCHANT_SELECT_MERCHANTS_2: &str = "SELECT count(*) + 1 FROM merchants";

pub(super) const SAVE_MERCHANT_INSERT_MERCHANTS: &str = "INSERT INTO merchants (name, kind, address, distance_m, contact_name, contact_phone, redeemer, community,
                            agreement_from, agreement_to, created_at, updated_at, code)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11, ?12)";

pub(super) const SAVE_MERCHANT_INSERT_ACCOUNTS: &str =
    "INSERT INTO accounts (kind, code, merchant_id, created_at) VALUES ('merchant', ?1, ?2, ?3)";

pub(super) const SET_MERCHANT_STATUS_UPDATE_MERCHANTS: &str = "UPDATE merchants SET status = ?1, status_reason = ?2, paused_until = NULL, updated_at = ?3 WHERE id = ?4";

pub(super) const SAVE_OFFER_UPDATE_MERCHANT_OFFERS: &str = "UPDATE merchant_offers SET text = ?1, points = ?2, value_fen = ?3, valid_from = ?4, valid_to = ?5,
                            monthly_cap_fen = ?6, not_combined = ?7, note = ?8 WHERE id = ?9 AND merchant_id = ?10";

pub(super) const SAVE_OFFER_INSERT_MERCHANT_OFFERS: &str = "INSERT INTO merchant_offers (text, points, value_fen, valid_from, valid_to, monthly_cap_fen, not_combined, note,
                            merchant_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";

pub(super) const WITHDRAW_OFFER_UPDATE_MERCHANT_OFFERS: &str =
    "UPDATE merchant_offers SET withdrawn_at = ?1 WHERE id = ?2 AND withdrawn_at IS NULL";

pub(super) const RATE_MERCHANT_SELECT_MEMBERS: &str =
    "SELECT status = 'approved' FROM members WHERE id = ?1";

pub(super) const RATE_MERCHANT_INSERT_MERCHANT_RATINGS: &str = "INSERT INTO merchant_ratings (merchant_id, member_id, stars, note, at, staff_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

pub(super) const PRICE_CHECK_INSERT_PRICE_CHECKS: &str = "INSERT INTO price_checks (merchant_id, item, purchase_fen, member_fen, invoice_ref, checked_by, over_rule, at, staff_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";

pub(super) const MERCHANT_VIOLATION_INSERT_MERCHANT_VIOLATIONS: &str = "INSERT INTO merchant_violations (merchant_id, severity, reason, at, staff_id, fix_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

pub(super) const MERCHANT_VIOLATION_INSERT_MERCHANT_DEPOSIT: &str = "INSERT INTO merchant_deposit (merchant_id, at, kind, amount_fen, reason, violation_id, staff_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";

pub(super) const MERCHANT_VIOLATION_UPDATE_MERCHANTS: &str = "UPDATE merchants SET paused_until = max(coalesce(paused_until, 0), ?1), updated_at = ?2 WHERE id = ?3";

pub(super) const MERCHANT_VIOLATION_UPDATE_MERCHANTS_2: &str =
    "UPDATE merchants SET status = 'ended', status_reason = ?1, updated_at = ?2 WHERE id = ?3";

pub(super) const RESOLVE_MERCHANT_VIOLATION_UPDATE_MERCHANT_VIOLATIONS: &str =
    "UPDATE merchant_violations SET resolved_at = ?1 WHERE id = ?2 AND resolved_at IS NULL";

pub(super) const MERCHANT_DEPOSIT_SELECT_MERCHANT_DEPOSIT: &str =
    "SELECT coalesce(sum(amount_fen), 0) FROM merchant_deposit WHERE merchant_id = ?1";

pub(super) const MERCHANT_DEPOSIT_INSERT_MERCHANT_DEPOSIT: &str = "INSERT INTO merchant_deposit (merchant_id, at, kind, amount_fen, reason, staff_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
