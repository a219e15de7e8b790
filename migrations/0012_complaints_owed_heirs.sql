-- Issue 16's rules: a dispute's other party may be a merchant (with the
-- merchant outcomes), points owed after a penalty are taken back from
-- later earnings, and an honor member's heir need not be a member (an
-- account of their own, or the pool at their written request).

-- A merchant case names the merchant (its code, in `merchant_ref`) instead
-- of a second member; its outcomes are the merchant's. SQLite cannot change
-- a CHECK in place, so the table is rebuilt with the same columns (their
-- covers' hashes stay valid); its references are checked at the commit.
PRAGMA defer_foreign_keys = ON;
CREATE TEMP TABLE disputes_before AS SELECT * FROM disputes;
DROP TABLE disputes;
CREATE TABLE disputes (
    id              INTEGER PRIMARY KEY,
    uid             TEXT NOT NULL UNIQUE,
    kind            TEXT NOT NULL CHECK (kind IN ('dispute', 'suggestion')),
    channel         TEXT NOT NULL CHECK (channel IN ('desk', 'phone', 'app')),
    category        TEXT CHECK (category IN ('quality', 'points', 'malicious', 'merchant', 'safety')),
    -- party A reported, party B (or the merchant) is complained about;
    -- suggestions may name one member or none
    party_a         INTEGER REFERENCES members(id),
    party_b         INTEGER REFERENCES members(id),
    record_id       INTEGER REFERENCES service_records(id),
    -- the merchant complained about: its code (merchants.code)
    merchant_ref    TEXT,
    subject         TEXT NOT NULL CHECK (length(trim(subject)) > 0),
    reported_by     TEXT NOT NULL,
    opened_at       INTEGER NOT NULL,
    opened_by       INTEGER NOT NULL REFERENCES staff(id),
    hq_reported_at  INTEGER,
    hq_reported_to  TEXT,
    reviewed_at     INTEGER,
    review          TEXT,
    decided_at      INTEGER,
    decided_by      INTEGER REFERENCES staff(id),
    outcome         TEXT CHECK (outcome IN ('provider_fault', 'requester_fault', 'mediated', 'violation', 'dismissed',
                                            'merchant_warning', 'merchant_suspension', 'merchant_deposit')),
    decision        TEXT CHECK (decision IS NULL OR json_valid(decision)),
    told_at         INTEGER,
    told_how        TEXT,
    told_by         INTEGER REFERENCES staff(id),
    reply           TEXT,
    replied_at      INTEGER,
    updated_at      INTEGER NOT NULL,
    CHECK (kind = 'suggestion' OR (category IS NOT NULL AND party_a IS NOT NULL
                                   AND (party_b IS NULL) != (merchant_ref IS NULL))),
    CHECK (party_a IS NULL OR party_b IS NULL OR party_a != party_b)
);
INSERT INTO disputes SELECT * FROM temp.disputes_before;
DROP TABLE temp.disputes_before;
CREATE INDEX disputes_open ON disputes(decided_at, opened_at);
CREATE INDEX disputes_a ON disputes(party_a);
CREATE INDEX disputes_b ON disputes(party_b);
CREATE INDEX disputes_opened ON disputes(opened_at);
CREATE INDEX disputes_merchant ON disputes(merchant_ref, outcome);

-- What a member owed (`owed`) taken back from later earnings: one row per
-- take, with the penalty transfer that took it.
CREATE TABLE owed_taken (
    id          INTEGER PRIMARY KEY,
    member_id   INTEGER NOT NULL REFERENCES members(id),
    amount      INTEGER NOT NULL CHECK (amount > 0),
    transfer_id TEXT NOT NULL UNIQUE REFERENCES transfers(id),
    at          INTEGER NOT NULL
);
CREATE INDEX owed_taken_member ON owed_taken(member_id);

-- Accounts may now belong to an heir who is not a member ('h:<member no.>').
CREATE TEMP TABLE accounts_before AS SELECT * FROM accounts;
DROP TABLE accounts;
CREATE TABLE accounts (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('member', 'pool', 'merchant', 'heir')),
    -- stable across stations: 'pool', 'm:JS01-0001', 'x:<merchant code>', 'h:JS01-0001'
    code        TEXT NOT NULL UNIQUE,
    member_id   INTEGER UNIQUE REFERENCES members(id),
    merchant_id INTEGER UNIQUE,
    balance     INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    CHECK (kind != 'member' OR member_id IS NOT NULL)
);
INSERT INTO accounts SELECT * FROM temp.accounts_before;
DROP TABLE temp.accounts_before;

-- The heir of a settled estate as the documents name them: the account
-- opened for them (not a member), or their written request that the
-- points go to the station pool instead.
CREATE TABLE estate_heirs (
    id              INTEGER PRIMARY KEY,
    estate_id       INTEGER NOT NULL UNIQUE REFERENCES estate_settlements(id),
    name            TEXT NOT NULL CHECK (length(trim(name)) > 0),
    relation        TEXT NOT NULL CHECK (length(trim(relation)) > 0),
    kinship_proof   TEXT NOT NULL CHECK (length(trim(kinship_proof)) > 0),
    account_id      INTEGER UNIQUE REFERENCES accounts(id),
    written_request TEXT,
    CHECK ((account_id IS NULL) != (written_request IS NULL))
);
