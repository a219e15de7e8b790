-- The dispute log (纠纷) and suggestions (建议), their contacts, and points
-- members owe when a penalty found too little to take.

CREATE TABLE disputes (
    id              INTEGER PRIMARY KEY,
    uid             TEXT NOT NULL UNIQUE,
    kind            TEXT NOT NULL CHECK (kind IN ('dispute', 'suggestion')),
    channel         TEXT NOT NULL CHECK (channel IN ('desk', 'phone', 'app')),
    category        TEXT CHECK (category IN ('quality', 'points', 'malicious', 'merchant', 'safety')),
    -- party A reported, party B is complained about; suggestions may name one member or none
    party_a         INTEGER REFERENCES members(id),
    party_b         INTEGER REFERENCES members(id),
    record_id       INTEGER REFERENCES service_records(id),
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
    outcome         TEXT CHECK (outcome IN ('provider_fault', 'requester_fault', 'mediated', 'violation', 'dismissed')),
    decision        TEXT CHECK (decision IS NULL OR json_valid(decision)),
    told_at         INTEGER,
    told_how        TEXT,
    told_by         INTEGER REFERENCES staff(id),
    reply           TEXT,
    replied_at      INTEGER,
    updated_at      INTEGER NOT NULL,
    CHECK (kind = 'suggestion' OR (category IS NOT NULL AND party_a IS NOT NULL AND party_b IS NOT NULL)),
    CHECK (party_a IS NULL OR party_b IS NULL OR party_a != party_b)
);
CREATE INDEX disputes_open ON disputes(decided_at, opened_at);
CREATE INDEX disputes_a ON disputes(party_a);
CREATE INDEX disputes_b ON disputes(party_b);
CREATE INDEX disputes_opened ON disputes(opened_at);

-- Each contact with a party: who, how, when, what they said.
CREATE TABLE dispute_contacts (
    id          INTEGER PRIMARY KEY,
    dispute_id  INTEGER NOT NULL REFERENCES disputes(id),
    party       TEXT NOT NULL CHECK (party IN ('a', 'b', 'other')),
    member_id   INTEGER REFERENCES members(id),
    at          INTEGER NOT NULL,
    staff_id    INTEGER REFERENCES staff(id),
    how         TEXT NOT NULL CHECK (how IN ('phone', 'visit', 'desk', 'app')),
    said        TEXT NOT NULL CHECK (length(trim(said)) > 0)
);
CREATE INDEX dispute_contacts_dispute ON dispute_contacts(dispute_id, at);

-- A penalty that found too little on the account takes what there is; the
-- rest is recorded here as owed, shown on the member for the station master.
CREATE TABLE owed (
    id          INTEGER PRIMARY KEY,
    member_id   INTEGER NOT NULL REFERENCES members(id),
    amount      INTEGER NOT NULL CHECK (amount > 0),
    reason      TEXT NOT NULL,
    source      TEXT,
    at          INTEGER NOT NULL
);
CREATE INDEX owed_member ON owed(member_id);
