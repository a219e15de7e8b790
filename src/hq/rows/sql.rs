//! The SQL of `rows`, by name: the statements as SQLite reads them,
//! kept apart so `cargo fmt` formats the Rust that runs them.

pub(super) const TRANSFERS_AT_SELECT_TRANSFERS: &str = "SELECT seq, prev_hash, hash, id, kind, amount, debit, credit, record_uid, source, reverses, idem_key, staff,
                approved_by, at, memo
         FROM transfers WHERE station_id = $1 AND seq = ANY($2) ORDER BY seq";

pub(super) const AUDIT_AT_SELECT_AUDIT: &str =
    "SELECT seq, prev_hash, hash, uid, at, staff_id, action, entity, entity_id, detail
         FROM audit WHERE station_id = $1 AND seq = ANY($2) ORDER BY seq";

pub(super) const INSERT_TRANSFERS_INSERT_TRANSFERS: &str = "INSERT INTO transfers (station_id, seq, id, kind, amount, debit, credit, record_uid, source, reverses, idem_key,
                staff, approved_by, at, memo, prev_hash, hash)
         SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::text[], $8::text[],
                $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::bigint[], $15::text[], $16::text[], $17::text[])
         ON CONFLICT DO NOTHING RETURNING id";

pub(super) const INSERT_AUDIT_INSERT_AUDIT: &str = "INSERT INTO audit (station_id, seq, uid, at, staff_id, action, entity, entity_id, detail, prev_hash, hash)
         SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::bigint[], $5::bigint[], $6::text[], $7::text[], $8::text[],
                $9::text[], $10::text[], $11::text[])
         ON CONFLICT DO NOTHING RETURNING uid";

pub(super) const RECORDS_SELECT_RECORDS: &str = "SELECT station_id, uid, provider, recipient, type_code, started_at, ended_at, minutes, points, payer,
                confirm_method, rating, entered_at
         FROM records WHERE uid = ANY($1)";

pub(super) const INSERT_RECORDS_INSERT_RECORDS: &str = "INSERT INTO records (station_id, uid, provider, recipient, type_code, started_at, ended_at, minutes, points,
                payer, confirm_method, rating, entered_at)
         SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::bigint[], $8::int[],
                $9::bigint[], $10::text[], $11::text[], $12::smallint[], $13::bigint[])
         ON CONFLICT DO NOTHING RETURNING uid";

pub(super) const MEMBER_VERSIONS_SELECT_MEMBER_VERSIONS: &str = "SELECT station_id, uid, number, status, level, community, submitted_at, decided_at, blacklisted_at, updated_at
         FROM member_versions WHERE station_id = $1 AND uid = ANY($2)";

pub(super) const INSERT_MEMBERS_INSERT_MEMBER_VERSIONS: &str = "INSERT INTO member_versions (station_id, uid, updated_at, number, status, level, community, submitted_at,
                decided_at, blacklisted_at)
         SELECT $1, * FROM unnest($2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[],
                $9::bigint[], $10::bigint[])";

pub(super) const REQUEST_VERSIONS_SELECT_REQUEST_VERSIONS: &str = "SELECT station_id, uid, requester, type_code, urgent, state, helper, created_at, responded_at, matched_at,
                closed_at, updated_at
         FROM request_versions WHERE station_id = $1 AND uid = ANY($2)";

pub(super) const INSERT_REQUESTS_INSERT_REQUEST_VERSIONS: &str = "INSERT INTO request_versions (station_id, uid, updated_at, requester, type_code, urgent, state, helper,
                created_at, responded_at, matched_at, closed_at)
         SELECT $1, * FROM unnest($2::text[], $3::bigint[], $4::text[], $5::text[], $6::boolean[], $7::text[],
                $8::text[], $9::bigint[], $10::bigint[], $11::bigint[], $12::bigint[])";

pub(super) const DISPUTE_VERSIONS_SELECT_DISPUTE_VERSIONS: &str = "SELECT station_id, uid, kind, category, party_a, party_b, opened_at, decided_at, outcome, told_at, updated_at, merchant_ref
         FROM dispute_versions WHERE station_id = $1 AND uid = ANY($2)";

pub(super) const INSERT_DISPUTES_INSERT_DISPUTE_VERSIONS: &str = "INSERT INTO dispute_versions (station_id, uid, updated_at, kind, category, party_a, party_b, opened_at,
                decided_at, outcome, told_at, merchant_ref)
         SELECT $1, * FROM unnest($2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[],
                $8::bigint[], $9::bigint[], $10::text[], $11::bigint[], $12::text[])";

pub(super) const SUMMARIES_SELECT_DAY_SUMMARIES: &str =
    "SELECT day::text, version, figures, ledger_seq, ledger_head, audit_seq, audit_head
         FROM day_summaries WHERE station_id = $1 AND day::text = ANY($2)";

pub(super) const INSERT_SUMMARY_INSERT_DAY_SUMMARIES: &str = "INSERT INTO day_summaries (station_id, day, version, figures, ledger_seq, ledger_head, audit_seq, audit_head)
         VALUES ($1, $2::text::date, $3, $4, $5, $6, $7, $8)";
