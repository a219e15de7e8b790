-- Content hashes of the rows that change points or standing (service
-- records, members' standing, corrections, disputes, warnings, violations,
-- bad credit, level changes, estates, owed points, redemptions, merchant
-- services, station days, day summaries), bound into the audit chain: each
-- audit row written with such a change lists here the hash of every row it
-- changed, as the row is after the write, and carries the digest of that
-- list as the first key of its `detail` (`{"covers":"<digest>",…}`), so the
-- list is covered by the audit row's own chained hash. `verify` recomputes
-- every covered row and compares it with the newest hash here. See
-- src/store/covers.rs. Rows written before this migration are vouched for
-- by one baseline audit row (`audit.baseline`) that the migration writes.
CREATE TABLE audit_covers (
    entity      TEXT NOT NULL,
    -- the row's key: its integer id, or text ('2026-11-23', '2026-11-23/1')
    entity_id   NOT NULL,
    seq         INTEGER NOT NULL,
    hash        BLOB NOT NULL,
    PRIMARY KEY (entity, entity_id, seq)
) WITHOUT ROWID;
-- the audit chain's walk reads each audit row's list in this order
CREATE INDEX audit_covers_seq ON audit_covers(seq, entity, entity_id, hash);

CREATE TRIGGER audit_covers_no_update BEFORE UPDATE ON audit_covers
BEGIN SELECT RAISE(ABORT, 'audit_covers is append-only'); END;
CREATE TRIGGER audit_covers_no_delete BEFORE DELETE ON audit_covers
BEGIN SELECT RAISE(ABORT, 'audit_covers is append-only'); END;
