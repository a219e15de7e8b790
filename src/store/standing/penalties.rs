//! What a member's fault costs them: a violation, a warning, a bad-credit
//! record, each with its effects and audit row, inside the caller's write.

use super::*;

/// Record a violation with its effects (docs/rules.md §4): minor is archived only;
/// moderate freezes redemption for a week and blocks upgrades for 3 months;
/// severe blacklists for good. Only a station master records moderate or
/// severe ones.
///
/// Over 80 lines: one arm per severity, each writing its effects (archive, freeze,
/// upgrade block, blacklist) in the caller's transaction; read as the table of §4.
pub fn record_violation(
    c: Ctx<'_>,
    conn: &Connection,
    member_id: i64,
    severity: Severity,
    reason: &str,
    source: Option<&str>,
) -> StoreResult<()> {
    let Ctx { by, tz, at, .. } = c;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Refusal::at("reason", msg!("violation.reason_required")).into());
    }
    if severity != Severity::Minor && !by.is_master() {
        return Err(Refusal::at("severity", msg!("violation.master_only")).into());
    }
    let row = member_row(conn, member_id)?;
    if row.status != MemberStatus::Approved {
        return Err(Refusal::general(msg!("violation.not_member")).into());
    }
    let active_until = match severity {
        Severity::Minor => None,
        Severity::Moderate => Some(months_after(at, 3, tz)),
        Severity::Severe => None,
    };
    conn.execute(
        "INSERT INTO violations (member_id, severity, at, active_until, by_staff, reason, source) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![member_id, severity.as_str(), at, active_until, by.staff_id, reason, source],
    )?;
    let ev = match severity {
        Severity::Minor => TrustEvent::Minor,
        Severity::Moderate => TrustEvent::Moderate,
        Severity::Severe => TrustEvent::Severe,
    };
    match severity {
        Severity::Minor => {}
        Severity::Moderate => {
            let until = at + 7 * time::DAY_MS;
            conn.execute(
                "UPDATE members SET redeem_frozen_until = max(coalesce(redeem_frozen_until, 0), ?1), updated_at = ?2 WHERE id = ?3",
                params![until, at, member_id],
            )?;
        }
        Severity::Severe => {
            if row.blacklisted {
                return Err(Refusal::general(msg!("violation.already_blacklisted")).into());
            }
            conn.execute(
                "UPDATE members SET blacklisted_at = ?1, blacklist_reason = ?2, level = 'ordinary', level_since = ?1, updated_at = ?1 WHERE id = ?3",
                params![at, reason, member_id],
            )?;
            if row.level != Level::Ordinary {
                conn.execute(
                    "INSERT INTO level_history (member_id, at, old_level, new_level, kind, reason) VALUES (?1, ?2, ?3, 'ordinary', 'blacklist', ?4)",
                    params![member_id, at, row.level.as_str(), reason],
                )?;
            }
        }
    }
    // The effects above touch other columns than the trust score, so
    // moving the trust after them changes nothing that is saved.
    fault_logged(
        c,
        conn,
        member_id,
        ev,
        Some(reason),
        source,
        (
            "member.violation",
            json!({"severity": severity.as_str(), "reason": reason, "source": source}),
        ),
    )
}

/// A warning (or a verified serious complaint) on a member; may downgrade.
pub fn record_warning(
    c: Ctx<'_>,
    conn: &Connection,
    member_id: i64,
    serious: bool,
    reason: &str,
    source: Option<&str>,
) -> StoreResult<Option<DowngradeCause>> {
    let Ctx {
        by,
        settings,
        tz,
        at,
    } = c;
    conn.execute(
        "INSERT INTO warnings (member_id, kind, at, by_staff, reason, source) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![member_id, if serious { "serious_complaint" } else { "warning" }, at, by.staff_id, reason, source],
    )?;
    fault_logged(
        c,
        conn,
        member_id,
        TrustEvent::Warning,
        Some(reason),
        source,
        (
            "member.warning",
            json!({"serious": serious, "reason": reason, "source": source}),
        ),
    )?;
    apply_downgrade_if_due(conn, member_id, settings, tz, at)
}

/// A bad-credit record (requester at fault): blocks upgrades for a while.
pub fn record_bad_credit(
    c: Ctx<'_>,
    conn: &Connection,
    member_id: i64,
    reason: &str,
    source: Option<&str>,
) -> StoreResult<()> {
    let Ctx {
        settings, tz, at, ..
    } = c;
    let until = months_after(at, settings.bad_credit_months as i32, tz);
    conn.execute(
        "INSERT INTO bad_credit (member_id, at, active_until, by_staff, reason, source) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![member_id, at, until, c.by.staff_id, reason, source],
    )?;
    fault_logged(
        c,
        conn,
        member_id,
        TrustEvent::BadCredit,
        Some(reason),
        source,
        (
            "member.bad_credit",
            json!({"reason": reason, "until": until, "source": source}),
        ),
    )
}

/// Every fault moves the member's trust and leaves its audit row on the member.
fn fault_logged(
    c: Ctx<'_>,
    conn: &Connection,
    member_id: i64,
    ev: TrustEvent,
    note: Option<&str>,
    source: Option<&str>,
    (action, detail): (&str, serde_json::Value),
) -> StoreResult<()> {
    add_trust(conn, member_id, ev, &c.settings.trust, note, source, c.at)?;
    audit::log(
        conn,
        c.at,
        Some(c.by.staff_id),
        action,
        "member",
        member_id,
        detail,
    )?;
    Ok(())
}
