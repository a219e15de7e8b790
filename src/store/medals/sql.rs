//! The SQL of `medals`, by name.

/// Each approved member's month: (?1, ?2] the span, ?3 one member or all.
pub(super) const NEIGHBOUR_FIGURES: &str = "SELECT m.id, coalesce(m.number, ''), m.name, m.trust_score, m.blacklisted_at IS NOT NULL,
        (SELECT count(*) FROM service_records s WHERE s.provider_id = m.id AND s.ended_at >= ?1 AND s.ended_at < ?2),
        (SELECT coalesce(sum(minutes), 0) FROM service_records s WHERE s.provider_id = m.id AND s.ended_at >= ?1 AND s.ended_at < ?2),
        (SELECT count(rating) FROM service_records s WHERE s.provider_id = m.id AND s.ended_at >= ?1 AND s.ended_at < ?2),
        (SELECT coalesce(sum(rating), 0) FROM service_records s WHERE s.provider_id = m.id AND s.ended_at >= ?1 AND s.ended_at < ?2),
        (SELECT count(*) FROM thank_you_letters t WHERE t.member_id = m.id AND t.at >= ?1 AND t.at < ?2),
        (SELECT count(*) FROM violations v WHERE v.member_id = m.id AND v.at >= ?1 AND v.at < ?2)
          + (SELECT count(*) FROM warnings w WHERE w.member_id = m.id AND w.at >= ?1 AND w.at < ?2)
     FROM members m WHERE m.status = 'approved' AND (?3 IS NULL OR m.id = ?3)";

/// Each merchant's year: its redemptions, ratings, violations, complaints
/// decided against it, prices over the rule.
pub(super) const MERCHANT_FIGURES: &str = "SELECT x.id, x.code, x.name, x.status = 'ended',
        (SELECT count(*) FROM redemptions r WHERE r.merchant_id = x.id AND r.redeemed_at >= ?1 AND r.redeemed_at < ?2),
        (SELECT count(*) FROM merchant_ratings g WHERE g.merchant_id = x.id AND g.at >= ?1 AND g.at < ?2),
        (SELECT coalesce(sum(stars), 0) FROM merchant_ratings g WHERE g.merchant_id = x.id AND g.at >= ?1 AND g.at < ?2),
        (SELECT count(*) FROM merchant_violations v WHERE v.merchant_id = x.id AND v.at >= ?1 AND v.at < ?2),
        (SELECT count(*) FROM disputes d WHERE d.merchant_ref = x.code AND d.decided_at >= ?1 AND d.decided_at < ?2
            AND d.outcome IN ('merchant_warning', 'merchant_suspension', 'merchant_deposit')),
        (SELECT count(*) FROM price_checks p WHERE p.merchant_id = x.id AND p.over_rule = 1 AND p.at >= ?1 AND p.at < ?2)
     FROM merchants x WHERE (?3 IS NULL OR x.id = ?3)";

pub(super) const AWARDED: &str = "SELECT 1 FROM medals WHERE kind = ?1 AND period = ?2 AND coalesce(member_id, merchant_id) = ?3";

pub(super) const INSERT_MEDAL: &str = "INSERT INTO medals (kind, period, member_id, merchant_id, reason, figures, awarded_at, awarded_by)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";

/// A medal with its holder; add a WHERE on `d`.
pub(super) const MEDALS: &str = "SELECT d.id, d.kind, d.period, coalesce(d.member_id, d.merchant_id),
        coalesce(m.number, x.code, ''), coalesce(m.name, x.name, ''), d.reason, d.awarded_at, coalesce(s.staff_no, '')
     FROM medals d LEFT JOIN members m ON m.id = d.member_id LEFT JOIN merchants x ON x.id = d.merchant_id
     LEFT JOIN staff s ON s.id = d.awarded_by";

/// The story wall: each closed day's story in the span.
pub(super) const YEAR_DAY_STORIES: &str = "SELECT day, story FROM station_days
     WHERE day_start >= ?1 AND day_start < ?2 AND story IS NOT NULL AND length(trim(story)) > 0 ORDER BY day";

/// The thank-you letters in the span, with who was thanked.
pub(super) const YEAR_LETTERS: &str =
    "SELECT t.at, m.name, t.text FROM thank_you_letters t JOIN members m ON m.id = t.member_id
     WHERE t.at >= ?1 AND t.at < ?2 ORDER BY t.at, t.id";
