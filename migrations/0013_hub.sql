-- The station as the community's hub (issue 17).
--
-- Activities (活动): the plan (驿站活动策划表) and who signed up and came.
-- A participant's attendance changes points (the activity's rule, a
-- 'service' transfer from the pool with source 'activity:<id>') or, for a
-- public-good (公益) activity, only the hours served that the levels count:
-- both tables are covered by the audit chain (src/store/covers.rs).
CREATE TABLE activities (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('market', 'tea', 'intergen', 'merchant_week',
                        'relay', 'trust_day', 'other')),
    -- empty: the kind's name (a regular activity)
    title           TEXT NOT NULL,
    starts_at       INTEGER NOT NULL,
    ends_at         INTEGER NOT NULL,
    place           TEXT NOT NULL,
    aim             TEXT NOT NULL,
    leads           TEXT NOT NULL,
    materials       TEXT NOT NULL,
    cost_fen        INTEGER NOT NULL CHECK (cost_fen >= 0),
    -- one merchant's name per line
    merchants       TEXT NOT NULL,
    -- 0: a public-good activity, attendance earns no points
    points_per_hour INTEGER NOT NULL CHECK (points_per_hour BETWEEN 0 AND 30),
    created_at      INTEGER NOT NULL,
    created_by      INTEGER NOT NULL REFERENCES staff(id),
    CHECK (ends_at > starts_at)
);
CREATE INDEX activities_starts ON activities(starts_at);

CREATE TABLE activity_attendance (
    id              INTEGER PRIMARY KEY,
    activity_id     INTEGER NOT NULL REFERENCES activities(id),
    member_id       INTEGER NOT NULL REFERENCES members(id),
    signed_at       INTEGER NOT NULL,
    signed_by       INTEGER NOT NULL REFERENCES staff(id),
    attended_at     INTEGER,
    attended_by     INTEGER REFERENCES staff(id),
    minutes         INTEGER NOT NULL DEFAULT 0 CHECK (minutes >= 0),
    points          INTEGER NOT NULL DEFAULT 0 CHECK (points >= 0),
    transfer_id     TEXT REFERENCES transfers(id),
    UNIQUE (activity_id, member_id),
    CHECK ((attended_at IS NULL) = (minutes = 0))
);
CREATE INDEX activity_attendance_member ON activity_attendance(member_id);

CREATE TRIGGER activities_no_delete BEFORE DELETE ON activities
BEGIN SELECT RAISE(ABORT, 'activities are kept'); END;
CREATE TRIGGER activity_attendance_no_delete BEFORE DELETE ON activity_attendance
BEGIN SELECT RAISE(ABORT, 'attendance is kept'); END;
-- an attendance once recorded stands (its points are in the ledger)
CREATE TRIGGER activity_attendance_attended_once BEFORE UPDATE ON activity_attendance
WHEN OLD.attended_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'an attendance is recorded once'); END;
