//! The SQL of `report`, by name: the statements as SQLite reads them,
//! kept apart so `cargo fmt` formats the Rust that runs them.

pub(super) const REPORT_SELECT_STATIONS: &str =
    "SELECT id, code, coalesce(name, ''), kind, tz FROM stations
             WHERE $1::text IS NULL OR code = $1 ORDER BY code";

pub(super) const REPORT_SELECT_RECORDS: &str = "SELECT station_id, uid, provider, recipient, type_code, started_at, ended_at, minutes, points, payer,
                confirm_method, rating, entered_at
         FROM records WHERE station_id = ANY($1)
           AND ((entered_at >= $2 AND entered_at < $3) OR (started_at >= $2 AND started_at < $3))";

pub(super) const REPORT_SELECT_TRANSFERS: &str =
    "SELECT station_id, seq, prev_hash, hash, id, kind, amount, debit, credit, at
         FROM transfers WHERE station_id = ANY($1) AND at >= $2 AND at < $3";

pub(super) const REPORT_SELECT_REQUEST_VERSIONS: &str = "SELECT DISTINCT ON (station_id, uid) station_id, uid, requester, type_code, urgent, state, helper, created_at,
                responded_at, matched_at, closed_at, updated_at
         FROM request_versions WHERE station_id = ANY($1) AND created_at >= $2 AND created_at < $3
         ORDER BY station_id, uid, updated_at DESC";

pub(super) const REPORT_SELECT_DISPUTE_VERSIONS: &str = "SELECT DISTINCT ON (station_id, uid) station_id, uid, kind, category, party_a, party_b, opened_at, decided_at, outcome,
                told_at, updated_at, merchant_ref
         FROM dispute_versions WHERE station_id = ANY($1)
           AND ((opened_at >= $2 AND opened_at < $3) OR (decided_at >= $2 AND decided_at < $3))
         ORDER BY station_id, uid, updated_at DESC";

pub(super) const REPORT_SELECT_MEMBER_VERSIONS: &str = "SELECT DISTINCT ON (station_id, uid) station_id, uid, number, status, level, community, submitted_at, decided_at,
                blacklisted_at, updated_at
         FROM member_versions WHERE station_id = ANY($1)
           AND ((submitted_at >= $2 AND submitted_at < $3) OR (decided_at >= $2 AND decided_at < $3))
         ORDER BY station_id, uid, updated_at DESC";

pub(super) const REPORT_SELECT_DAY_SUMMARIES: &str = "SELECT DISTINCT ON (station_id, day) station_id, day::text, version, figures, ledger_seq, ledger_head,
                audit_seq, audit_head
         FROM day_summaries WHERE station_id = ANY($1) AND day >= $2::text::date AND day < $3::text::date
         ORDER BY station_id, day, version DESC";

pub(super) const REPORT_SELECT_AUDIT: &str =
    "SELECT station_id, seq, coalesce(entity_id, ''), detail FROM audit
         WHERE station_id = ANY($1) AND action = 'settings.set' ORDER BY station_id, seq";

pub(super) const REPORT_SELECT_AUDIT_2: &str =
    "SELECT station_id, seq, at, coalesce(entity_id, ''), detail FROM audit
         WHERE station_id = ANY($1) AND action = 'stats.callback' AND at >= $2 AND at < $3";

pub(super) const REPORT_SELECT_AUDIT_3: &str =
    "SELECT station_id, at, coalesce(entity_id, '') FROM audit
         WHERE station_id = ANY($1) AND action = 'dispute.open' AND at >= $2 AND at < $3";

pub(super) const REPORT_SELECT_AUDIT_4: &str =
    "SELECT station_id, at, coalesce(entity_id, ''), detail FROM audit
         WHERE station_id = ANY($1) AND action = 'dispute.contact' AND at >= $2 AND at < $3";
