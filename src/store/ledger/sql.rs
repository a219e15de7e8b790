//! The SQL of `ledger`, by name: the statements as SQLite reads them,
//! kept apart so `cargo fmt` formats the Rust that runs them.

pub(super) const MEMBER_ACCOUNT_INSERT_ACCOUNTS: &str =
    "INSERT INTO accounts (kind, code, member_id, created_at) VALUES ('member', ?1, ?2, ?3)";

pub(super) const SIDE_SELECT_ACCOUNTS: &str = "SELECT a.kind = 'member', a.balance,
                coalesce(m.frozen = 1 OR coalesce(m.redeem_frozen_until, 0) > ?2, 0),
                coalesce(m.blacklisted_at IS NOT NULL, 0)
         FROM accounts a LEFT JOIN members m ON m.id = a.member_id WHERE a.id = ?1";

pub(super) const ROW_AT_SELECT_TRANSFERS: &str =
    "SELECT t.id, t.kind, t.amount, d.code, c.code, r.uid, t.source, t.reverses, t.idem_key,
                s.staff_no, p.staff_no, t.at, t.memo
         FROM transfers t
         JOIN accounts d ON d.id = t.debit_account JOIN accounts c ON c.id = t.credit_account
         LEFT JOIN service_records r ON r.id = t.record_id
         LEFT JOIN staff s ON s.id = t.staff_id LEFT JOIN staff p ON p.id = t.approved_by
         WHERE t.seq = ?1";

pub(super) const POST_SELECT_TRANSFERS: &str =
    "SELECT seq, kind, amount, debit_account, credit_account FROM transfers WHERE idem_key = ?1";

pub(super) const POST_INSERT_TRANSFERS: &str = "INSERT INTO transfers (id, kind, amount, debit_account, credit_account, record_id, source, reverses, idem_key,
            staff_id, approved_by, at, memo, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)";

pub(super) const REVERSE_SELECT_TRANSFERS: &str =
    "SELECT amount, debit_account, credit_account, record_id FROM transfers WHERE id = ?1";

pub(super) const STATEMENT_SELECT_ACCOUNTS: &str = "SELECT balance FROM accounts WHERE id = ?1";

pub(super) const STATEMENT_SELECT_TRANSFERS: &str =
    "SELECT coalesce(sum(CASE WHEN credit_account = ?1 THEN amount ELSE -amount END), 0)
                 FROM transfers WHERE (debit_account = ?1 OR credit_account = ?1) AND seq < ?2";

pub(super) const STATEMENT_SELECT_TRANSFERS_2: &str = "SELECT t.seq, t.id, t.at, t.kind, t.amount, t.debit_account, t.credit_account,
                    CASE WHEN t.debit_account = ?1 THEN c.code ELSE d.code END,
                    CASE WHEN t.debit_account = ?1 THEN coalesce(mc.name, xc.name)
                         ELSE coalesce(md.name, xd.name) END,
                    t.record_id, s.staff_no || coalesce('/' || p.staff_no, ''), t.memo, t.reverses
             FROM (SELECT * FROM transfers WHERE debit_account = ?1 AND seq < ?2
                   UNION ALL SELECT * FROM transfers WHERE credit_account = ?1 AND seq < ?2
                   ORDER BY seq DESC LIMIT ?3) t
             JOIN accounts d ON d.id = t.debit_account JOIN accounts c ON c.id = t.credit_account
             LEFT JOIN members md ON md.id = d.member_id LEFT JOIN members mc ON mc.id = c.member_id
             LEFT JOIN merchants xd ON xd.id = d.merchant_id LEFT JOIN merchants xc ON xc.id = c.merchant_id
             LEFT JOIN staff s ON s.id = t.staff_id LEFT JOIN staff p ON p.id = t.approved_by
             ORDER BY t.seq DESC";

pub(super) const TOTALS_SELECT_TRANSFERS: &str = "SELECT coalesce(sum(CASE WHEN debit_account = ?3 THEN amount END), 0),
                    coalesce(sum(CASE WHEN kind IN ('service', 'redemption', 'merchant_redemption') AND debit_account != ?3 THEN amount END), 0),
                    coalesce(sum(CASE WHEN kind = 'service' THEN amount END), 0),
                    count(*)
             FROM transfers WHERE at >= ?1 AND at < ?2";

pub(super) const SET_FROZEN_UPDATE_MEMBERS: &str =
    "UPDATE members SET frozen = ?1, frozen_reason = ?2, updated_at = ?3 WHERE id = ?4";

pub(super) const VERIFY_LEDGER_SELECT_TRANSFERS: &str = "SELECT t.seq, t.id, t.kind, t.amount, t.debit_account, t.credit_account, rec.uid, t.source, t.reverses, t.idem_key,
                t.staff_id, t.approved_by, t.at, t.memo, t.prev_hash, t.hash
         FROM transfers t LEFT JOIN service_records rec ON rec.id = t.record_id
         ORDER BY t.seq";

pub(super) const VERIFY_LEDGER_SELECT_TRANSFERS_2: &str =
    "SELECT o.id, o.amount, sum(x.amount) FROM transfers x JOIN transfers o ON o.id = x.reverses
         GROUP BY o.id HAVING sum(x.amount) > o.amount";

pub(super) const VERIFY_LEDGER_SELECT_TRANSFERS_3: &str = "SELECT count(*) FROM transfers WHERE (kind IN ('reversal', 'dispute_split')) != (reverses IS NOT NULL)";
