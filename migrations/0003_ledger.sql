-- Service records and the points ledger: double-entry, append-only,
-- hash-chained. Balances are maintained by trigger in the same transaction
-- as each transfer, and always equal the sum of transfers (`verify` checks).

-- The debit side of a transfer gives up the points, the credit side
-- receives them (member balances are what the time bank owes its members).
CREATE TABLE accounts (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('member', 'pool', 'merchant')),
    -- stable across stations: 'pool', 'm:JS01-0001', 'x:<merchant code>'
    code        TEXT NOT NULL UNIQUE,
    member_id   INTEGER UNIQUE REFERENCES members(id),
    merchant_id INTEGER UNIQUE,
    balance     INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    CHECK (kind != 'member' OR member_id IS NOT NULL)
);
INSERT INTO accounts (id, kind, code, created_at) VALUES (1, 'pool', 'pool', 0);

CREATE TABLE service_records (
    id              INTEGER PRIMARY KEY,
    -- chosen when the form was opened, so a double key-press or a retry
    -- after a crash posts once
    uid             TEXT NOT NULL UNIQUE,
    content_hash    TEXT NOT NULL,
    request_id      INTEGER,
    provider_id     INTEGER NOT NULL REFERENCES members(id),
    recipient_id    INTEGER NOT NULL REFERENCES members(id),
    type_id         INTEGER NOT NULL REFERENCES service_types(id),
    started_at      INTEGER NOT NULL,
    ended_at        INTEGER NOT NULL,
    minutes         INTEGER NOT NULL CHECK (minutes > 0),
    payer           TEXT NOT NULL CHECK (payer IN ('recipient', 'pool')),
    points          INTEGER NOT NULL CHECK (points > 0),
    confirm_method  TEXT NOT NULL CHECK (confirm_method IN ('desk', 'online', 'home_visit')),
    book_page       TEXT,
    photo_ref       TEXT,
    rating          INTEGER CHECK (rating BETWEEN 1 AND 5),
    notes           TEXT,
    late_reason     TEXT,
    entered_at      INTEGER NOT NULL,
    entered_by      INTEGER NOT NULL REFERENCES staff(id),
    CHECK (provider_id != recipient_id),
    CHECK (ended_at > started_at)
);
CREATE INDEX records_provider ON service_records(provider_id, ended_at);
CREATE INDEX records_recipient ON service_records(recipient_id, ended_at);
CREATE INDEX records_ended ON service_records(ended_at);
CREATE INDEX records_entered ON service_records(entered_at);
CREATE INDEX records_method ON service_records(confirm_method, ended_at);

CREATE TRIGGER records_no_update BEFORE UPDATE ON service_records
BEGIN SELECT RAISE(ABORT, 'service records are immutable; correct them by reversal'); END;
CREATE TRIGGER records_no_delete BEFORE DELETE ON service_records
BEGIN SELECT RAISE(ABORT, 'service records are immutable; correct them by reversal'); END;

CREATE TABLE transfers (
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
    hash            TEXT NOT NULL UNIQUE,
    CHECK (debit_account != credit_account)
);
CREATE INDEX transfers_debit ON transfers(debit_account, seq);
CREATE INDEX transfers_credit ON transfers(credit_account, seq);
CREATE INDEX transfers_at ON transfers(at);
CREATE INDEX transfers_reverses ON transfers(reverses);
CREATE INDEX transfers_record ON transfers(record_id);

CREATE TRIGGER transfers_no_update BEFORE UPDATE ON transfers
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER transfers_no_delete BEFORE DELETE ON transfers
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;

-- The last line of defence behind the app's own checks: a member account
-- never goes below zero.
CREATE TRIGGER transfers_no_negative BEFORE INSERT ON transfers
WHEN (SELECT kind = 'member' AND balance < NEW.amount FROM accounts WHERE id = NEW.debit_account)
BEGIN SELECT RAISE(ABORT, 'a member account may not go below zero'); END;

CREATE TRIGGER transfers_balance AFTER INSERT ON transfers
BEGIN
    UPDATE accounts SET balance = balance - NEW.amount WHERE id = NEW.debit_account;
    UPDATE accounts SET balance = balance + NEW.amount WHERE id = NEW.credit_account;
END;


-- Thank-you letters (感谢信), recorded against a service.
CREATE TABLE thank_you_letters (
    id          INTEGER PRIMARY KEY,
    record_id   INTEGER NOT NULL REFERENCES service_records(id),
    member_id   INTEGER NOT NULL REFERENCES members(id),
    text        TEXT NOT NULL CHECK (length(trim(text)) > 0),
    photo_ref   TEXT,
    at          INTEGER NOT NULL,
    by_staff    INTEGER REFERENCES staff(id)
);
CREATE INDEX thank_you_member ON thank_you_letters(member_id, at);

-- The weekly spot check of online-confirmed records (≥ 10 %).
CREATE TABLE spot_checks (
    record_id   INTEGER PRIMARY KEY REFERENCES service_records(id),
    week        TEXT NOT NULL,
    result      TEXT CHECK (result IN ('verified', 'failed')),
    note        TEXT,
    checked_at  INTEGER,
    checked_by  INTEGER REFERENCES staff(id)
);
CREATE INDEX spot_checks_week ON spot_checks(week);

-- Inheritance and clearance documents (the transfer itself is in `transfers`).
CREATE TABLE estate_settlements (
    id              INTEGER PRIMARY KEY,
    member_id       INTEGER NOT NULL UNIQUE REFERENCES members(id),
    kind            TEXT NOT NULL CHECK (kind IN ('inheritance', 'clearance')),
    heir_member_id  INTEGER REFERENCES members(id),
    death_certificate TEXT,
    kinship_proof   TEXT,
    transfer_id     TEXT REFERENCES transfers(id),
    at              INTEGER NOT NULL,
    by_staff        INTEGER NOT NULL REFERENCES staff(id)
);
