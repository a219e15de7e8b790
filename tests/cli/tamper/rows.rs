//! §2.1: every row that changes points or standing is vouched for.

use super::*;

/// What was done, the SQL that did it, and what `verify` must name.
const CASES: &[(&str, &str, &str)] = &[
    (
        "a service record's minutes doubled (figures fixed)",
        "UPDATE service_records SET minutes = minutes * 2 WHERE uid = 'r2';",
        "service_records 2",
    ),
    (
        "a service record's confirmation changed",
        "UPDATE service_records SET confirm_method = 'home_visit', book_page = NULL WHERE uid = 'r1';",
        "service_records 1",
    ),
    (
        "the newest service record's notes written",
        "UPDATE service_records SET notes = '补录' WHERE uid = 'r4';",
        "service_records 4",
    ),
    (
        "a service record deleted",
        "DELETE FROM service_records WHERE uid = 'r3';",
        "service_records 3: vouched for by the audit log but gone",
    ),
    (
        "a frozen member thawed",
        "UPDATE members SET frozen = 0, frozen_reason = NULL WHERE id = 3;",
        "members 3",
    ),
    (
        "a member made honor",
        "UPDATE members SET level = 'honor' WHERE id = 2;",
        "members 2",
    ),
    (
        "a pending application approved",
        "UPDATE members SET status = 'approved', number = 'JS01-0099' WHERE id = 5;",
        "members 5",
    ),
    (
        "a rejection undone",
        "UPDATE members SET status = 'pending', reject_reason = NULL WHERE id = 6;",
        "members 6",
    ),
    (
        "a death undone",
        "UPDATE members SET status = 'approved', ended_at = NULL WHERE id = 4;",
        "members 4",
    ),
    (
        "a member's upgrade block lifted",
        "UPDATE members SET upgrade_blocked_until = NULL, redeem_frozen_until = NULL WHERE id = 1;",
        "members 1",
    ),
    (
        "a correction's approver changed",
        "UPDATE corrections SET decided_by = 3, reason = '改' WHERE id = 1;",
        "corrections 1",
    ),
    (
        "a dispute's outcome changed",
        "UPDATE disputes SET outcome = 'dismissed' WHERE id = 1;",
        "disputes 1",
    ),
    ("a warning deleted", "DELETE FROM warnings;", "warnings 1"),
    (
        "a violation added",
        "INSERT INTO violations (member_id, severity, at, reason) VALUES (2, 'severe', 0, 'x');",
        "violations",
    ),
    (
        "bad credit shortened",
        "UPDATE bad_credit SET active_until = 0;",
        "bad_credit 1",
    ),
    (
        "points owed forgiven",
        "UPDATE owed SET amount = 1;",
        "owed 1",
    ),
    (
        "an estate given to an heir",
        "UPDATE estate_settlements SET kind = 'inheritance', heir_member_id = 2;",
        "estate_settlements 1",
    ),
    (
        "a level change made up",
        "INSERT INTO level_history (member_id, at, old_level, new_level, kind, reason) VALUES (2, 0, 'ordinary', 'honor', 'monthly', 'x');",
        "level_history 1",
    ),
    (
        "a closed day's figures changed",
        "UPDATE day_summaries SET figures = json_set(figures, '$.services', 99) WHERE day = '2026-11-23';",
        "day_summaries 2026-11-23/1",
    ),
    (
        "a closed day reopened",
        "UPDATE station_days SET closed_at = NULL WHERE day = '2026-11-23';",
        "station_days 2026-11-23",
    ),
];

/// §2.1: every table whose rows change points or standing. Each edit in
/// [`CASES`] passed `verify --full` before covers (the deleted record was
/// seen only by its transfer's dangling foreign key).
#[test]
fn an_edited_row_that_changes_points_or_standing_is_found() {
    let base = history();
    for (what, sql, said) in CASES {
        let db = copy(&base);
        tamper(&db.path, &format!("{sql}{FIX_FIGURES}"));
        let o = verify(&db.path);
        assert_eq!(
            o.status.code(),
            Some(1),
            "{what}: verify passed:\n{}",
            out(&o)
        );
        assert!(
            out(&o).contains(said),
            "{what}: wanted {said:?} in:\n{}",
            out(&o)
        );
    }
}
