-- Facts, not words (issue 18): a merchant's monthly settlement row and each
-- service taken from it kept a description written in Chinese by the store
-- ("为…服务(结算 …)"). They now keep no words: the desk words them from the
-- facts the rows already hold (the month, the counts, the merchant) and the
-- month's discount in `settlements`. A taken service keeps its number among
-- the row's services (`service_no`), which its words named.
--
-- The description's check refused an empty text, and SQLite cannot change a
-- check in place, so the table is rebuilt as 0007 did; its references are
-- checked at the commit. A request a member or the desk asks for still needs
-- its description; only a settlement row and its taken services may be empty.
--
-- `requests` is not covered by the audit chain (docs/tamper-evidence.md) and
-- its description is not in the day bundle, so blanking the old rows' text
-- vouches for nothing new and changes no version headquarters holds.
PRAGMA defer_foreign_keys = ON;
CREATE TEMP TABLE requests_before AS SELECT * FROM requests;
DROP TABLE requests;
CREATE TABLE requests (
    id              INTEGER PRIMARY KEY,
    uid             TEXT NOT NULL UNIQUE,
    requester_id    INTEGER REFERENCES members(id),
    merchant_id     INTEGER REFERENCES merchants(id),
    type_id         INTEGER NOT NULL REFERENCES service_types(id),
    description     TEXT NOT NULL,
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
    settles         TEXT,
    services_owed   INTEGER CHECK (services_owed IS NULL OR services_owed > 0),
    services_left   INTEGER CHECK (services_left IS NULL OR (services_left >= 0 AND services_left <= services_owed)),
    minutes_left    INTEGER CHECK (minutes_left IS NULL OR minutes_left >= 0),
    parent_id       INTEGER,
    service_no      INTEGER CHECK (service_no IS NULL OR (parent_id IS NOT NULL AND service_no > 0)),
    CHECK (window_end > window_start),
    CHECK ((requester_id IS NULL) != (merchant_id IS NULL)),
    CHECK (length(trim(description)) > 0 OR settles IS NOT NULL OR parent_id IS NOT NULL)
);
INSERT INTO requests (id, uid, requester_id, merchant_id, type_id, description, place, window_start, window_end,
    minutes, urgent, channel, payer, state, helper_id, created_at, created_by, responded_at, matched_at,
    started_at, closed_at, record_id, cancel_reason, updated_at, settles, services_owed, services_left,
    minutes_left, parent_id, service_no)
SELECT id, uid, requester_id, merchant_id, type_id,
    CASE WHEN settles IS NOT NULL OR parent_id IS NOT NULL THEN '' ELSE description END,
    place, window_start, window_end,
    minutes, urgent, channel, payer, state, helper_id, created_at, created_by, responded_at, matched_at,
    started_at, closed_at, record_id, cancel_reason, updated_at, settles, services_owed, services_left,
    minutes_left, parent_id,
    -- the old words named the number; in the order taken it is the same
    -- unless a taken service was cancelled and given back before another
    CASE WHEN parent_id IS NOT NULL
         THEN row_number() OVER (PARTITION BY parent_id ORDER BY id) END
FROM requests_before
ORDER BY id;
DROP TABLE requests_before;
CREATE INDEX requests_open ON requests(state, created_at);
CREATE INDEX requests_created ON requests(created_at);
CREATE INDEX requests_helper ON requests(helper_id, window_start);
CREATE INDEX requests_updated ON requests(updated_at);
CREATE INDEX requests_merchant ON requests(merchant_id);
CREATE UNIQUE INDEX requests_settlement ON requests(merchant_id, settles)
    WHERE settles IS NOT NULL;
CREATE INDEX requests_parent ON requests(parent_id) WHERE parent_id IS NOT NULL;
CREATE TRIGGER requests_settlement_shape BEFORE INSERT ON requests
WHEN (NEW.services_owed IS NULL) != (NEW.services_left IS NULL)
  OR (NEW.services_owed IS NULL) != (NEW.minutes_left IS NULL)
  OR (NEW.services_owed IS NOT NULL AND (NEW.merchant_id IS NULL OR NEW.settles IS NULL))
BEGIN SELECT RAISE(ABORT, 'a settlement row carries its month and both counts'); END;
