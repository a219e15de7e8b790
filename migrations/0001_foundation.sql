-- Foundation: the station, its settings, staff, the audit log and drafts.
-- Times are UTC milliseconds since the epoch; station time zone is in `station`.

CREATE TABLE station (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    uid         TEXT NOT NULL UNIQUE,
    street      TEXT NOT NULL CHECK (length(street) = 2 AND street GLOB '[A-Z][A-Z]'),
    community   TEXT NOT NULL CHECK (length(community) = 2 AND community GLOB '[0-9][0-9]'),
    kind        TEXT NOT NULL CHECK (kind IN ('main', 'micro')),
    name        TEXT NOT NULL CHECK (length(trim(name)) > 0),
    tz          TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);

CREATE TABLE settings (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL CHECK (json_valid(value))
) WITHOUT ROWID;

CREATE TABLE staff (
    id           INTEGER PRIMARY KEY,
    uid          TEXT NOT NULL UNIQUE,
    staff_no     TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL CHECK (length(trim(name)) > 0),
    role         TEXT NOT NULL CHECK (role IN ('liaison', 'master')),
    pin_hash     TEXT NOT NULL,
    active       INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    failed_pins  INTEGER NOT NULL DEFAULT 0,
    locked_until INTEGER,
    created_at   INTEGER NOT NULL
);

-- Every write of the app goes with one row here, in the same transaction.
-- Append-only and hash-chained like the ledger: `seq` is the order,
-- `hash` covers this row's fields and the previous row's hash.
CREATE TABLE audit_log (
    seq         INTEGER PRIMARY KEY,
    uid         TEXT NOT NULL UNIQUE,
    at          INTEGER NOT NULL,
    staff_id    INTEGER REFERENCES staff(id),
    action      TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   TEXT,
    detail      TEXT NOT NULL CHECK (json_valid(detail)),
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL UNIQUE
);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- Half-typed forms, saved as the staff member types, so a crash or a pulled
-- plug loses nothing. Scratch data: not audited, deleted once the form is saved.
CREATE TABLE drafts (
    staff_id    INTEGER NOT NULL REFERENCES staff(id),
    form        TEXT NOT NULL,
    data        TEXT NOT NULL CHECK (json_valid(data)),
    saved_at    INTEGER NOT NULL,
    PRIMARY KEY (staff_id, form)
) WITHOUT ROWID;
