-- A leaner file (issue 19): no index nobody reads, and one index the
-- desk's search reads instead of the whole members table.
--
-- The chain hashes of `transfers` and `audit_log` were declared UNIQUE, so
-- SQLite kept an index of each (about 80 bytes a row, a tenth of the file at
-- a million transfers) that no query reads: rows are found by their seq,
-- their id or their uid, and a repeated hash could only come from a broken
-- hash function — `verify` recomputes every link anyway. SQLite cannot drop
-- the index of a UNIQUE column, so both tables are rebuilt without it, each
-- by one copy: a new table, the rows copied in seq order, the old table
-- dropped, the new one renamed. Their indexes and append-only triggers are
-- made again after the copy (the balance trigger must not run for rows the
-- accounts already hold). Nothing a row holds changes, so no hash changes.
-- The runner has foreign keys off meanwhile (a dropped table is then not
-- emptied row by row) and checks every reference before the commit; other
-- tables' references to `transfers(id)` hold, as `id` keeps its UNIQUE.

CREATE TABLE transfers_lean (
    seq             INTEGER PRIMARY KEY,
    id              TEXT NOT NULL UNIQUE,
    kind            TEXT NOT NULL CHECK (kind IN ('service', 'redemption', 'merchant_redemption', 'settlement',
                        'penalty', 'dispute_split', 'inheritance', 'clearance', 'reversal', 'adjustment')),
    amount          INTEGER NOT NULL CHECK (amount > 0),
    debit_account   INTEGER NOT NULL REFERENCES accounts(id),
    credit_account  INTEGER NOT NULL REFERENCES accounts(id),
    record_id       INTEGER REFERENCES service_records(id),
    source          TEXT,
    reverses        TEXT REFERENCES transfers(id),
    idem_key        TEXT UNIQUE,
    staff_id        INTEGER REFERENCES staff(id),
    approved_by     INTEGER REFERENCES staff(id),
    at              INTEGER NOT NULL,
    memo            TEXT,
    prev_hash       TEXT NOT NULL,
    hash            TEXT NOT NULL,
    CHECK (debit_account != credit_account)
);
INSERT INTO transfers_lean (seq, id, kind, amount, debit_account, credit_account, record_id, source,
                            reverses, idem_key, staff_id, approved_by, at, memo, prev_hash, hash)
SELECT seq, id, kind, amount, debit_account, credit_account, record_id, source,
       reverses, idem_key, staff_id, approved_by, at, memo, prev_hash, hash
FROM transfers ORDER BY seq;
DROP TABLE transfers;
ALTER TABLE transfers_lean RENAME TO transfers;

CREATE INDEX transfers_debit ON transfers(debit_account, seq);
CREATE INDEX transfers_credit ON transfers(credit_account, seq);
CREATE INDEX transfers_at ON transfers(at);
CREATE INDEX transfers_reverses ON transfers(reverses);
CREATE INDEX transfers_record ON transfers(record_id);
CREATE TRIGGER transfers_no_update BEFORE UPDATE ON transfers
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER transfers_no_delete BEFORE DELETE ON transfers
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER transfers_no_negative BEFORE INSERT ON transfers
WHEN (SELECT kind = 'member' AND balance < NEW.amount FROM accounts WHERE id = NEW.debit_account)
BEGIN SELECT RAISE(ABORT, 'a member account may not go below zero'); END;
CREATE TRIGGER transfers_balance AFTER INSERT ON transfers
BEGIN
    UPDATE accounts SET balance = balance - NEW.amount WHERE id = NEW.debit_account;
    UPDATE accounts SET balance = balance + NEW.amount WHERE id = NEW.credit_account;
END;

CREATE TABLE audit_log_lean (
    seq         INTEGER PRIMARY KEY,
    uid         TEXT NOT NULL UNIQUE,
    at          INTEGER NOT NULL,
    staff_id    INTEGER REFERENCES staff(id),
    action      TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   TEXT,
    detail      TEXT NOT NULL CHECK (json_valid(detail)),
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
INSERT INTO audit_log_lean (seq, uid, at, staff_id, action, entity, entity_id, detail, prev_hash, hash)
SELECT seq, uid, at, staff_id, action, entity, entity_id, detail, prev_hash, hash
FROM audit_log ORDER BY seq;
DROP TABLE audit_log;
ALTER TABLE audit_log_lean RENAME TO audit_log;

CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- The desk's search reads every member's number, name, phone, building,
-- status and level once at start: from this index (a fifth of the table's
-- pages) instead of the whole rows. Name first, so no query that filters by
-- status or level is drawn to it from the indexes made for those.
CREATE INDEX members_search ON members(name, number, building, phone, status, level);
