//! The tool corner's statements.

/// An item's columns: id, names, how it is lent, count, on loan, overdue
/// (`?1` in ITEMS_SELECT, `?2` in ITEM_SELECT: today, YYYY-MM-DD).
macro_rules! item_cols {
    ($today:literal) => {
        concat!(
            "SELECT c.id, c.name_zh, c.name_en, c.lend, c.expected,
                    (SELECT count(*) FROM tool_loans l WHERE l.item_id = c.id AND l.closed_at IS NULL),
                    (SELECT count(*) FROM tool_loans l WHERE l.item_id = c.id AND l.closed_at IS NULL
                        AND l.due_day < ",
            $today,
            ")
             FROM checklist_items c WHERE c.kind = 'tool' AND c.active = 1"
        )
    };
}

pub(super) const ITEMS_SELECT: &str = concat!(item_cols!("?1"), " ORDER BY c.position, c.id");

pub(super) const ITEM_SELECT: &str = concat!(item_cols!("?2"), " AND c.id = ?1");

pub(super) const LOAN_SELECT: &str = "SELECT l.id, l.item_id, c.name_zh, c.name_en, l.member_id, m.name,
        coalesce(m.number, ''), coalesce(m.phone, ''), l.lent_at, l.closed_at, l.due_day, l.outcome, l.note
     FROM tool_loans l JOIN checklist_items c ON c.id = l.item_id JOIN members m ON m.id = l.member_id";

/// A borrower's status, blacklisting, freezing, loans overdue (`?2`:
/// today) and walkers out.
pub(super) const BORROWER_SELECT: &str = "SELECT m.status, m.blacklisted_at IS NOT NULL, m.frozen,
        (SELECT count(*) FROM tool_loans l WHERE l.member_id = m.id AND l.closed_at IS NULL AND l.due_day < ?2),
        (SELECT count(*) FROM tool_loans l JOIN checklist_items c ON c.id = l.item_id
          WHERE l.member_id = m.id AND l.closed_at IS NULL AND c.lend = 'walker')
     FROM members m WHERE m.id = ?1";

pub(super) const ON_LOAN_BY_ITEM: &str =
    "SELECT item_id, count(*) FROM tool_loans WHERE closed_at IS NULL GROUP BY item_id";

pub(super) const LEND_INSERT: &str = "INSERT INTO tool_loans (item_id, member_id, lent_at, lent_by, due_day) VALUES (?1, ?2, ?3, ?4, ?5)";

pub(super) const CLOSE_UPDATE: &str =
    "UPDATE tool_loans SET closed_at = ?1, closed_by = ?2, outcome = ?3, note = ?4
     WHERE id = ?5 AND closed_at IS NULL";

pub(super) const WRITEOFF_INSERT: &str =
    "INSERT INTO tool_writeoffs (item_id, loan_id, kind, note, count_from, count_to, at, by_staff)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";

pub(super) const COUNT_UPDATE: &str = "UPDATE checklist_items SET expected = ?1 WHERE id = ?2";

/// The last one gone: the item leaves the checklist (its count kept as it
/// was, for when the station master buys another and turns it back on).
pub(super) const RETIRE_UPDATE: &str = "UPDATE checklist_items SET active = 0 WHERE id = ?1";

/// Loans overdue on a day (`?1`), for the header.
pub(super) const OVERDUE_COUNT: &str =
    "SELECT count(*) FROM tool_loans WHERE closed_at IS NULL AND due_day < ?1";
