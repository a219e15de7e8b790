-- The demand queue and helper matching; running figures on members that the
-- matching ranks by (kept in the same transaction as each record).

CREATE TABLE requests (
    id              INTEGER PRIMARY KEY,
    uid             TEXT NOT NULL UNIQUE,
    requester_id    INTEGER NOT NULL REFERENCES members(id),
    type_id         INTEGER NOT NULL REFERENCES service_types(id),
    description     TEXT NOT NULL CHECK (length(trim(description)) > 0),
    place           TEXT NOT NULL,
    window_start    INTEGER NOT NULL,
    window_end      INTEGER NOT NULL,
    minutes         INTEGER NOT NULL CHECK (minutes > 0),
    urgent          INTEGER NOT NULL DEFAULT 0 CHECK (urgent IN (0, 1)),
    channel         TEXT NOT NULL CHECK (channel IN ('walk_in', 'phone', 'app', 'mailbox')),
    payer           TEXT NOT NULL CHECK (payer IN ('recipient', 'pool')),
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
    -- set when the request is for serving a merchant (monthly settlement)
    merchant_ref    TEXT,
    updated_at      INTEGER NOT NULL,
    CHECK (window_end > window_start)
);
CREATE INDEX requests_open ON requests(state, created_at);
CREATE INDEX requests_created ON requests(created_at);
CREATE INDEX requests_helper ON requests(helper_id, window_start);

-- Every change of state, with who and when.
CREATE TABLE request_events (
    id          INTEGER PRIMARY KEY,
    request_id  INTEGER NOT NULL REFERENCES requests(id),
    at          INTEGER NOT NULL,
    staff_id    INTEGER REFERENCES staff(id),
    from_state  TEXT,
    to_state    TEXT NOT NULL,
    note        TEXT
);
CREATE INDEX request_events_request ON request_events(request_id, at);

-- Each helper called for a request, and what they said.
CREATE TABLE contacts (
    id          INTEGER PRIMARY KEY,
    request_id  INTEGER NOT NULL REFERENCES requests(id),
    helper_id   INTEGER NOT NULL REFERENCES members(id),
    at          INTEGER NOT NULL,
    staff_id    INTEGER REFERENCES staff(id),
    outcome     TEXT NOT NULL CHECK (outcome IN ('accepted', 'declined', 'no_answer')),
    note        TEXT
);
CREATE INDEX contacts_request ON contacts(request_id, at);
CREATE INDEX contacts_helper ON contacts(helper_id, at);

-- Running figures of each member as a provider (ratings received, positive
-- ratings, minutes served), maintained with every record so that ranking
-- helpers never sums the records; `verify` checks them against the records.
ALTER TABLE members ADD COLUMN stat_ratings INTEGER NOT NULL DEFAULT 0;
ALTER TABLE members ADD COLUMN stat_positive INTEGER NOT NULL DEFAULT 0;
ALTER TABLE members ADD COLUMN stat_minutes INTEGER NOT NULL DEFAULT 0;
UPDATE members SET
    stat_ratings = (SELECT count(rating) FROM service_records WHERE provider_id = members.id),
    stat_positive = (SELECT coalesce(sum(rating >= 4), 0) FROM service_records WHERE provider_id = members.id),
    stat_minutes = (SELECT coalesce(sum(minutes), 0) FROM service_records WHERE provider_id = members.id);
CREATE INDEX members_level ON members(level, status);
CREATE INDEX members_building ON members(building);
