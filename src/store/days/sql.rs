//! The SQL of `days`, by name: the statements as SQLite reads them,
//! kept apart so `cargo fmt` formats the Rust that runs them.

pub(super) const REFUSE_IF_CLOSED_SELECT_STATION_DAYS: &str =
    "SELECT day FROM station_days WHERE closed_at IS NOT NULL
               AND ?1 >= day_start AND ?1 < day_end";

pub(super) const STATION_DAY_SELECT_STATION_DAYS: &str = "SELECT d.opened_at, o.name, d.late, m.name, d.closed_at, d.reopened_at, d.backup_path, d.bundle_path
             FROM station_days d LEFT JOIN staff o ON o.id = d.opened_by LEFT JOIN staff m ON m.id = d.midday_staff WHERE d.day = ?1";

pub(super) const STATION_DAY_SELECT_DAY_SUMMARIES: &str =
    "SELECT version, figures FROM day_summaries WHERE day = ?1 ORDER BY version DESC LIMIT 1";

pub(super) const CHECKLIST_SELECT_CHECKLIST_ITEMS: &str = "SELECT id, kind, name_zh, name_en, expected, active, lend FROM checklist_items ORDER BY position, id";

pub(super) const SAVE_CHECKLIST_ITEM_UPDATE_CHECKLIST_ITEMS: &str = "UPDATE checklist_items SET kind = ?1, name_zh = ?2, name_en = ?3, expected = ?4, active = ?5, lend = ?6 WHERE id = ?7";

pub(super) const SAVE_CHECKLIST_ITEM_INSERT_CHECKLIST_ITEMS: &str = "INSERT INTO checklist_items (kind, name_zh, name_en, expected, lend, position) VALUES (?1, ?2, ?3, ?4, ?5, (SELECT coalesce(max(position), 0) + 1 FROM checklist_items))";

pub(super) const UNCLOSED_BEFORE_SELECT_STATION_DAYS: &str = "SELECT max(day) FROM station_days WHERE opened_at IS NOT NULL AND closed_at IS NULL AND day < ?1";

pub(super) const OPEN_DAY_INSERT_STATION_DAYS: &str = "INSERT INTO station_days (day, day_start, day_end, opened_at, opened_by, late, checklist) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";

pub(super) const OPEN_DAY_INSERT_REPLENISH: &str =
    "INSERT INTO replenish (day, item_id, missing, created_at) VALUES (?1, ?2, ?3, ?4)";

pub(super) const MIDDAY_DUTY_UPDATE_STATION_DAYS: &str = "UPDATE station_days SET midday_staff = ?1, midday_at = ?2 WHERE day = ?3 AND opened_at IS NOT NULL";

pub(super) const OPEN_REPLENISH_SELECT_REPLENISH: &str =
    "SELECT r.id, c.name_zh, c.name_en, r.missing, r.day FROM replenish r JOIN checklist_items c ON c.id = r.item_id
     WHERE r.done_at IS NULL ORDER BY r.id";

pub(super) const CHECKLIST_NAMES_SELECT_CHECKLIST_ITEMS: &str =
    "SELECT name_zh, name_en FROM checklist_items WHERE id = ?1";

pub(super) const REPLENISHED_UPDATE_REPLENISH: &str =
    "UPDATE replenish SET done_at = ?1, done_by = ?2 WHERE id = ?3 AND done_at IS NULL";

pub(super) const CLOSE_DAY_VIA_UPDATE_STATION_DAYS: &str = "UPDATE station_days SET closed_at = ?1, closed_by = ?2, story = ?3, docs_locked = ?4, backup_path = ?5, bundle_path = ?6 WHERE day = ?7";

pub(super) const REOPEN_DAY_UPDATE_STATION_DAYS: &str = "UPDATE station_days SET closed_at = NULL, closed_by = NULL, reopened_at = ?1, reopened_by = ?2, reopen_reason = ?3 WHERE day = ?4";

pub(super) const DAY_BUNDLE_TEXT_SELECT_DAY_SUMMARIES: &str = "SELECT version, figures, ledger_seq, ledger_head, audit_seq, audit_head FROM day_summaries WHERE day = ?1 ORDER BY version DESC LIMIT 1";

pub(super) const SEED_CLOSED_DAY_INSERT_STATION_DAYS: &str = "INSERT INTO station_days (day, day_start, day_end, opened_at, opened_by, late, checklist, midday_staff, midday_at, closed_at, closed_by, story, docs_locked)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, '[]', ?5, ?4, ?7, ?5, ?8, 1)";
