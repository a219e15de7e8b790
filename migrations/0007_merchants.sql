-- Merchants: the registry, offers, redemptions (a member → merchant
-- transfer each), ratings, price checks, violations with the deposit, and
-- the monthly settlement that turns last month's discounts into service
-- hours members give the merchant. Money is in fen (1/100 yuan), whole.

CREATE TABLE merchants (
    id              INTEGER PRIMARY KEY,
    -- per station, 'S001'; the ledger account is 'x:JS01-S001'
    code            TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL CHECK (length(trim(name)) > 0),
    kind            TEXT NOT NULL CHECK (kind IN ('supermarket', 'restaurant', 'barber', 'pharmacy', 'housekeeping', 'other')),
    address         TEXT NOT NULL,
    distance_m      INTEGER NOT NULL CHECK (distance_m >= 0),
    contact_name    TEXT NOT NULL,
    contact_phone   TEXT NOT NULL,
    -- the one person at the merchant who redeems points (核销员)
    redeemer        TEXT NOT NULL,
    -- ordinary members redeem only at their own community's merchants
    community       TEXT NOT NULL,
    agreement_from  TEXT NOT NULL,
    agreement_to    TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'ended')),
    status_reason   TEXT,
    -- a moderate violation pauses orders until then
    paused_until    INTEGER,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    CHECK (agreement_to >= agreement_from)
);
CREATE UNIQUE INDEX merchants_name ON merchants(name);

CREATE TABLE merchant_offers (
    id              INTEGER PRIMARY KEY,
    merchant_id     INTEGER NOT NULL REFERENCES merchants(id),
    text            TEXT NOT NULL CHECK (length(trim(text)) > 0),
    points          INTEGER NOT NULL CHECK (points > 0),
    value_fen       INTEGER NOT NULL CHECK (value_fen > 0),
    valid_from      TEXT NOT NULL,
    valid_to        TEXT NOT NULL,
    -- the merchant's discounts per month, all offers together
    monthly_cap_fen INTEGER NOT NULL CHECK (monthly_cap_fen > 0),
    not_combined    INTEGER NOT NULL DEFAULT 0 CHECK (not_combined IN (0, 1)),
    note            TEXT,
    withdrawn_at    INTEGER,
    created_at      INTEGER NOT NULL,
    CHECK (valid_to >= valid_from)
);
CREATE INDEX offers_merchant ON merchant_offers(merchant_id);

CREATE TABLE redemptions (
    id              INTEGER PRIMARY KEY,
    -- fixed when the form opened (or from the import row): posted once
    uid             TEXT NOT NULL UNIQUE,
    merchant_id     INTEGER NOT NULL REFERENCES merchants(id),
    offer_id        INTEGER NOT NULL REFERENCES merchant_offers(id),
    member_id       INTEGER NOT NULL REFERENCES members(id),
    count           INTEGER NOT NULL CHECK (count > 0),
    points          INTEGER NOT NULL CHECK (points > 0),
    value_fen       INTEGER NOT NULL CHECK (value_fen > 0),
    -- when the member redeemed (a merchant's log may come days later) …
    redeemed_at     INTEGER NOT NULL,
    -- … and when it was posted here (the transfer's time)
    at              INTEGER NOT NULL,
    staff_id        INTEGER REFERENCES staff(id),
    transfer_id     TEXT NOT NULL REFERENCES transfers(id),
    -- 'desk', or 'import <file>:<line>'
    source          TEXT NOT NULL
);
CREATE INDEX redemptions_merchant ON redemptions(merchant_id, redeemed_at);
CREATE INDEX redemptions_offer ON redemptions(offer_id, redeemed_at);
CREATE INDEX redemptions_member ON redemptions(member_id, at);
CREATE TRIGGER redemptions_no_update BEFORE UPDATE ON redemptions
BEGIN SELECT RAISE(ABORT, 'redemptions are immutable; correct them by reversal'); END;
CREATE TRIGGER redemptions_no_delete BEFORE DELETE ON redemptions
BEGIN SELECT RAISE(ABORT, 'redemptions are immutable; correct them by reversal'); END;

CREATE TABLE merchant_ratings (
    id              INTEGER PRIMARY KEY,
    merchant_id     INTEGER NOT NULL REFERENCES merchants(id),
    member_id       INTEGER NOT NULL REFERENCES members(id),
    stars           INTEGER NOT NULL CHECK (stars BETWEEN 1 AND 5),
    note            TEXT,
    at              INTEGER NOT NULL,
    staff_id        INTEGER REFERENCES staff(id)
);
CREATE INDEX ratings_merchant ON merchant_ratings(merchant_id);

-- The trust handbook: member price ≤ purchase price + 5 %.
CREATE TABLE price_checks (
    id              INTEGER PRIMARY KEY,
    merchant_id     INTEGER NOT NULL REFERENCES merchants(id),
    item            TEXT NOT NULL CHECK (length(trim(item)) > 0),
    purchase_fen    INTEGER NOT NULL CHECK (purchase_fen > 0),
    member_fen      INTEGER NOT NULL CHECK (member_fen > 0),
    invoice_ref     TEXT NOT NULL CHECK (length(trim(invoice_ref)) > 0),
    checked_by      TEXT NOT NULL,
    over_rule       INTEGER NOT NULL CHECK (over_rule IN (0, 1)),
    at              INTEGER NOT NULL,
    staff_id        INTEGER REFERENCES staff(id)
);
CREATE INDEX price_checks_merchant ON price_checks(merchant_id, at);

CREATE TABLE merchant_violations (
    id              INTEGER PRIMARY KEY,
    merchant_id     INTEGER NOT NULL REFERENCES merchants(id),
    severity        TEXT NOT NULL CHECK (severity IN ('minor', 'moderate', 'severe')),
    reason          TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    at              INTEGER NOT NULL,
    staff_id        INTEGER REFERENCES staff(id),
    -- minor: to be fixed within a day
    fix_by          INTEGER,
    resolved_at     INTEGER
);
CREATE INDEX violations_merchant ON merchant_violations(merchant_id, at);

-- The deposit is yuan, not points: a running account of its own.
CREATE TABLE merchant_deposit (
    id              INTEGER PRIMARY KEY,
    merchant_id     INTEGER NOT NULL REFERENCES merchants(id),
    at              INTEGER NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('paid', 'deduction', 'dividend_pool', 'refund')),
    amount_fen      INTEGER NOT NULL CHECK (amount_fen != 0),
    reason          TEXT NOT NULL,
    violation_id    INTEGER REFERENCES merchant_violations(id),
    staff_id        INTEGER REFERENCES staff(id)
);
CREATE INDEX deposit_merchant ON merchant_deposit(merchant_id, at);
CREATE TRIGGER deposit_no_update BEFORE UPDATE ON merchant_deposit
BEGIN SELECT RAISE(ABORT, 'the deposit account is append-only'); END;
CREATE TRIGGER deposit_no_delete BEFORE DELETE ON merchant_deposit
BEGIN SELECT RAISE(ABORT, 'the deposit account is append-only'); END;

-- One settlement per month for the whole station; its lines per merchant.
CREATE TABLE settlement_runs (
    month           TEXT PRIMARY KEY,
    at              INTEGER NOT NULL,
    staff_id        INTEGER REFERENCES staff(id),
    file            TEXT
) WITHOUT ROWID;
CREATE TABLE settlements (
    month           TEXT NOT NULL REFERENCES settlement_runs(month),
    merchant_id     INTEGER NOT NULL REFERENCES merchants(id),
    redemptions     INTEGER NOT NULL,
    points          INTEGER NOT NULL,
    discounts_fen   INTEGER NOT NULL,
    minutes_owed    INTEGER NOT NULL,
    requests        INTEGER NOT NULL,
    PRIMARY KEY (month, merchant_id)
) WITHOUT ROWID;
CREATE TRIGGER settlements_no_update BEFORE UPDATE ON settlements
BEGIN SELECT RAISE(ABORT, 'a settlement is done once'); END;

-- Service given to a merchant (a settlement request fulfilled): the
-- merchant's points pay the helper.
CREATE TABLE merchant_services (
    id              INTEGER PRIMARY KEY,
    uid             TEXT NOT NULL UNIQUE,
    request_id      INTEGER NOT NULL,
    merchant_id     INTEGER NOT NULL REFERENCES merchants(id),
    provider_id     INTEGER NOT NULL REFERENCES members(id),
    started_at      INTEGER NOT NULL,
    ended_at        INTEGER NOT NULL,
    minutes         INTEGER NOT NULL CHECK (minutes > 0),
    points          INTEGER NOT NULL CHECK (points > 0),
    -- who at the merchant confirmed the work
    confirmed_by    TEXT NOT NULL CHECK (length(trim(confirmed_by)) > 0),
    at              INTEGER NOT NULL,
    staff_id        INTEGER REFERENCES staff(id),
    transfer_id     TEXT NOT NULL REFERENCES transfers(id),
    CHECK (ended_at > started_at)
);
CREATE INDEX merchant_services_provider ON merchant_services(provider_id, ended_at);
CREATE TRIGGER merchant_services_no_update BEFORE UPDATE ON merchant_services
BEGIN SELECT RAISE(ABORT, 'service records are immutable; correct them by reversal'); END;

INSERT INTO service_types (code, name_zh, name_en, tier, created_at) VALUES
    ('merchant_work', '商家服务', 'merchant work', 'basic', 0);

-- Requests may now come from a merchant (the monthly settlement) instead of
-- a member: exactly one of the two. SQLite cannot drop NOT NULL in place,
-- so the table is rebuilt; its references are checked at the commit.
PRAGMA defer_foreign_keys = ON;
CREATE TEMP TABLE requests_before AS SELECT * FROM requests;
DROP TABLE requests;
CREATE TABLE requests (
    id              INTEGER PRIMARY KEY,
    uid             TEXT NOT NULL UNIQUE,
    requester_id    INTEGER REFERENCES members(id),
    merchant_id     INTEGER REFERENCES merchants(id),
    type_id         INTEGER NOT NULL REFERENCES service_types(id),
    description     TEXT NOT NULL CHECK (length(trim(description)) > 0),
    place           TEXT NOT NULL,
    window_start    INTEGER NOT NULL,
    window_end      INTEGER NOT NULL,
    minutes         INTEGER NOT NULL CHECK (minutes > 0),
    urgent          INTEGER NOT NULL DEFAULT 0 CHECK (urgent IN (0, 1)),
    channel         TEXT NOT NULL CHECK (channel IN ('walk_in', 'phone', 'app', 'mailbox', 'settlement')),
    payer           TEXT NOT NULL CHECK (payer IN ('recipient', 'pool', 'merchant')),
    state           TEXT NOT NULL CHECK (state IN ('new', 'responded', 'matched', 'in_service', 'done', 'cancelled')),
    helper_id       INTEGER REFERENCES members(id),
    created_at      INTEGER NOT NULL,
    created_by      INTEGER REFERENCES staff(id),
    responded_at    INTEGER,
    matched_at      INTEGER,
    started_at      INTEGER,
    closed_at       INTEGER,
    record_id       INTEGER REFERENCES service_records(id),
    cancel_reason   TEXT,
    updated_at      INTEGER NOT NULL,
    CHECK (window_end > window_start),
    CHECK ((requester_id IS NULL) != (merchant_id IS NULL))
);
INSERT INTO requests (id, uid, requester_id, type_id, description, place, window_start, window_end, minutes,
    urgent, channel, payer, state, helper_id, created_at, created_by, responded_at, matched_at, started_at,
    closed_at, record_id, cancel_reason, updated_at)
SELECT id, uid, requester_id, type_id, description, place, window_start, window_end, minutes,
    urgent, channel, payer, state, helper_id, created_at, created_by, responded_at, matched_at, started_at,
    closed_at, record_id, cancel_reason, updated_at
FROM requests_before;
DROP TABLE requests_before;
CREATE INDEX requests_open ON requests(state, created_at);
CREATE INDEX requests_created ON requests(created_at);
CREATE INDEX requests_helper ON requests(helper_id, window_start);
CREATE INDEX requests_updated ON requests(updated_at);
CREATE INDEX requests_merchant ON requests(merchant_id);
