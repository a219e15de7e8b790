//! The SQL of `redemptions`, by name: the statements as SQLite reads them,
//! kept apart so `cargo fmt` formats the Rust that runs them.

pub(super) const REDEEMER_SELECT_MEMBERS: &str = "SELECT m.status = 'approved', m.level, m.community, m.frozen = 1 OR coalesce(m.redeem_frozen_until, 0) > ?2,
                m.blacklisted_at IS NOT NULL, coalesce(a.balance, 0)
         FROM members m LEFT JOIN accounts a ON a.member_id = m.id WHERE m.id = ?1";

pub(super) const REDEEM_IN_INSERT_REDEMPTIONS: &str = "INSERT INTO redemptions (uid, merchant_id, offer_id, member_id, count, points, value_fen, redeemed_at, at, staff_id, transfer_id, source)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";

pub(super) const SETTLE_MONTH_INSERT_SETTLEMENT_RUNS: &str =
    "INSERT INTO settlement_runs (month, at, staff_id) VALUES (?1, ?2, ?3)";

pub(super) const SETTLE_MONTH_SELECT_MERCHANTS: &str = "SELECT x.id, x.name, x.address, count(r.id), coalesce(sum(r.points), 0), coalesce(sum(r.value_fen), 0)
                 FROM merchants x JOIN redemptions r ON r.merchant_id = x.id AND r.redeemed_at >= ?1 AND r.redeemed_at < ?2
                 GROUP BY x.id ORDER BY x.code";

pub(super) const SETTLE_MONTH_INSERT_REQUESTS: &str = "INSERT INTO requests (uid, merchant_id, type_id, description, place, window_start, window_end, minutes, urgent,
                            channel, payer, state, created_at, created_by, updated_at, settles, services_owed, services_left, minutes_left)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 0, ?9, 'merchant', 'new', ?6, ?10, ?6, ?11, ?12, ?12, ?13)";

pub(super) const SETTLE_MONTH_INSERT_REQUEST_EVENTS: &str = "INSERT INTO request_events (request_id, at, staff_id, to_state, note) VALUES (?1, ?2, ?3, 'new', ?4)";

pub(super) const SETTLE_MONTH_INSERT_SETTLEMENTS: &str = "INSERT INTO settlements (month, merchant_id, redemptions, points, discounts_fen, minutes_owed, requests) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";

pub(super) const SETTLEMENT_SELECT_SETTLEMENTS: &str = "SELECT s.merchant_id, x.name, s.redemptions, s.points, s.discounts_fen, s.minutes_owed, s.requests
             FROM settlements s JOIN merchants x ON x.id = s.merchant_id WHERE s.month = ?1 ORDER BY x.code";

pub(super) const POST_MERCHANT_SERVICE_SELECT_MERCHANT_SERVICES: &str =
    "SELECT id FROM merchant_services WHERE uid = ?1";

pub(super) const POST_MERCHANT_SERVICE_INSERT_MERCHANT_SERVICES: &str = "INSERT INTO merchant_services (uid, request_id, merchant_id, provider_id, started_at, ended_at, minutes, points, confirmed_by, at, staff_id, transfer_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";

pub(super) const MONTH_DISCOUNTS_SELECT_REDEMPTIONS: &str = "SELECT coalesce(sum(value_fen), 0) FROM redemptions WHERE merchant_id = ?1 AND redeemed_at >= ?2 AND redeemed_at < ?3";
