//! The SQL of `corrections`, by name: the statements as SQLite reads them,
//! kept apart so `cargo fmt` formats the Rust that runs them.

pub(super) const ROW: &str =
    "SELECT c.id, c.kind, c.transfer_id, c.amount, c.reason, c.proposed_by, s.staff_no, s.name,
        c.proposed_at, c.outcome, d.staff_no, c.posted_transfer, c.direction,
        coalesce(ma.code, tc.code), coalesce(mm.name, tm.name),
        coalesce(ma.code, tc.code, 'pool'), coalesce(td.code, 'pool')
    FROM corrections c
    JOIN staff s ON s.id = c.proposed_by
    LEFT JOIN staff d ON d.id = c.decided_by
    LEFT JOIN accounts ma ON ma.member_id = c.member_id
    LEFT JOIN members mm ON mm.id = c.member_id
    LEFT JOIN transfers t ON t.id = c.transfer_id
    LEFT JOIN accounts tc ON tc.id = t.credit_account
    LEFT JOIN accounts td ON td.id = t.debit_account
    LEFT JOIN members tm ON tm.id = tc.member_id";

pub(super) const CLAIMED_SELECT_CORRECTIONS: &str =
    "SELECT coalesce(sum(amount), 0) FROM corrections
         WHERE transfer_id = ?1 AND outcome IS NULL";

pub(super) const CHECK_SELECT_TRANSFERS: &str =
    "SELECT amount, debit_account, credit_account FROM transfers WHERE id = ?1";

pub(super) const PROPOSE_CORRECTION_INSERT_CORRECTIONS: &str = "INSERT INTO corrections (kind, transfer_id, member_id, direction, amount, reason, proposed_by, proposed_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";

pub(super) const DECIDE_CORRECTION_UPDATE_CORRECTIONS: &str =
    "UPDATE corrections SET outcome = ?2, decided_by = ?3, decided_at = ?4, decision_note = ?5,
                        posted_transfer = ?6 WHERE id = ?1";

pub(super) const LOAD_SELECT_CORRECTIONS: &str =
    "SELECT proposed_by, kind, transfer_id, member_id, direction, amount, reason, outcome
             FROM corrections WHERE id = ?1";
