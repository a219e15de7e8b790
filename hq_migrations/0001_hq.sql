-- Headquarters (总部): every station's rows, in PostgreSQL.
--
-- Stations write here only by inserting (see the README for the station
-- role's grants). Rows keep the station's own global ids (ULIDs) and, for
-- the two hash chains, the station's sequence numbers, so headquarters can
-- check each chain link by link. Members carry opaque ids only: no names,
-- phone or identity numbers ever leave the station.
--
-- Rows that change at the station (members, requests, disputes) are kept
-- as versions, one per `updated_at`: the current state is the newest
-- version (the views `members`, `requests`, `disputes`), and nothing here
-- is ever updated.
--
-- Times are the station's UTC milliseconds (bigint), as in the station file.

CREATE TABLE stations (
    id          integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    uid         text NOT NULL UNIQUE,
    -- street + community, e.g. JS01: one station per code
    code        text NOT NULL UNIQUE,
    kind        text NOT NULL CHECK (kind IN ('main', 'micro')),
    tz          text NOT NULL,
    name        text,
    first_seen  timestamptz NOT NULL DEFAULT now()
);

-- The ledger, as at the station: `seq` is the station's sequence number,
-- `id` the transfer's global id.
CREATE TABLE transfers (
    station_id  integer NOT NULL REFERENCES stations(id),
    seq         bigint NOT NULL CHECK (seq > 0),
    id          text NOT NULL UNIQUE,
    kind        text NOT NULL,
    amount      bigint NOT NULL CHECK (amount > 0),
    debit       text NOT NULL,
    credit      text NOT NULL,
    record_uid  text,
    source      text,
    reverses    text,
    idem_key    text,
    staff       text,
    approved_by text,
    at          bigint NOT NULL,
    memo        text,
    prev_hash   text NOT NULL,
    hash        text NOT NULL,
    PRIMARY KEY (station_id, seq)
);
CREATE INDEX transfers_at ON transfers (station_id, at);

-- The audit log, as at the station (`detail` is the station's JSON text,
-- kept byte for byte: it is hashed).
CREATE TABLE audit (
    station_id  integer NOT NULL REFERENCES stations(id),
    seq         bigint NOT NULL CHECK (seq > 0),
    uid         text NOT NULL UNIQUE,
    at          bigint NOT NULL,
    staff_id    bigint,
    action      text NOT NULL,
    entity      text NOT NULL,
    entity_id   text,
    detail      text NOT NULL,
    prev_hash   text NOT NULL,
    hash        text NOT NULL,
    PRIMARY KEY (station_id, seq)
);
CREATE INDEX audit_action ON audit (station_id, action, at);

-- Service records: immutable at the station, immutable here.
CREATE TABLE records (
    uid             text PRIMARY KEY,
    station_id      integer NOT NULL REFERENCES stations(id),
    provider        text NOT NULL,
    recipient       text NOT NULL,
    type_code       text NOT NULL,
    started_at      bigint NOT NULL,
    ended_at        bigint NOT NULL,
    minutes         integer NOT NULL CHECK (minutes > 0),
    points          bigint NOT NULL,
    payer           text NOT NULL,
    confirm_method  text NOT NULL,
    rating          smallint,
    entered_at      bigint NOT NULL
);
CREATE INDEX records_entered ON records (station_id, entered_at);
CREATE INDEX records_started ON records (station_id, started_at);

CREATE TABLE member_versions (
    uid             text NOT NULL,
    updated_at      bigint NOT NULL,
    station_id      integer NOT NULL REFERENCES stations(id),
    number          text,
    status          text NOT NULL,
    level           text NOT NULL,
    community       text NOT NULL,
    submitted_at    bigint NOT NULL,
    decided_at      bigint,
    blacklisted_at  bigint,
    PRIMARY KEY (uid, updated_at)
);
CREATE INDEX member_versions_submitted ON member_versions (station_id, submitted_at);
CREATE INDEX member_versions_decided ON member_versions (station_id, decided_at);

CREATE TABLE request_versions (
    uid             text NOT NULL,
    updated_at      bigint NOT NULL,
    station_id      integer NOT NULL REFERENCES stations(id),
    requester       text NOT NULL,
    type_code       text NOT NULL,
    urgent          boolean NOT NULL,
    state           text NOT NULL,
    helper          text,
    created_at      bigint NOT NULL,
    responded_at    bigint,
    matched_at      bigint,
    closed_at       bigint,
    PRIMARY KEY (uid, updated_at)
);
CREATE INDEX request_versions_created ON request_versions (station_id, created_at);

CREATE TABLE dispute_versions (
    uid             text NOT NULL,
    updated_at      bigint NOT NULL,
    station_id      integer NOT NULL REFERENCES stations(id),
    kind            text NOT NULL,
    category        text,
    party_a         text,
    party_b         text,
    opened_at       bigint NOT NULL,
    decided_at      bigint,
    outcome         text,
    told_at         bigint,
    PRIMARY KEY (uid, updated_at)
);
CREATE INDEX dispute_versions_opened ON dispute_versions (station_id, opened_at);
CREATE INDEX dispute_versions_decided ON dispute_versions (station_id, decided_at);

CREATE VIEW members AS
    SELECT DISTINCT ON (uid) * FROM member_versions ORDER BY uid, updated_at DESC;
CREATE VIEW requests AS
    SELECT DISTINCT ON (uid) * FROM request_versions ORDER BY uid, updated_at DESC;
CREATE VIEW disputes AS
    SELECT DISTINCT ON (uid) * FROM dispute_versions ORDER BY uid, updated_at DESC;

-- The station's own day summaries (each close; a reopened day closes again
-- as version 2), with the chain heads at the close.
CREATE TABLE day_summaries (
    station_id  integer NOT NULL REFERENCES stations(id),
    day         date NOT NULL,
    version     integer NOT NULL CHECK (version > 0),
    figures     text NOT NULL,
    ledger_seq  bigint NOT NULL,
    ledger_head text NOT NULL,
    audit_seq   bigint NOT NULL,
    audit_head  text NOT NULL,
    PRIMARY KEY (station_id, day, version)
);

-- One row per applied batch (a sync batch or an ingested bundle), in the
-- batch's own transaction: the heads of both chains after it and `mark`,
-- the latest audit time received (rows changed up to it are here).
CREATE TABLE sync_acks (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    station_id  integer NOT NULL REFERENCES stations(id),
    acked_at    timestamptz NOT NULL DEFAULT now(),
    source      text NOT NULL,
    ledger_seq  bigint NOT NULL,
    ledger_head text NOT NULL,
    audit_seq   bigint NOT NULL,
    audit_head  text NOT NULL,
    mark        bigint,
    rows_in     integer NOT NULL
);
CREATE INDEX sync_acks_station ON sync_acks (station_id, id);

-- Per station: the last acknowledged sequence and chain head of each chain.
CREATE VIEW sync_state AS
    SELECT DISTINCT ON (a.station_id) s.uid AS station_uid, s.code, a.*
    FROM sync_acks a JOIN stations s ON s.id = a.station_id
    ORDER BY a.station_id, a.id DESC;

-- What a refused batch was refused for (a row that differs from the one
-- here, a gap or fork in a chain, …): written in its own transaction, after
-- the batch was rolled back.
CREATE TABLE alarms (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    station_uid text NOT NULL,
    station_code text,
    source      text NOT NULL,
    kind        text NOT NULL,
    detail      text NOT NULL
);

-- Nothing synced is ever changed or removed here either.
CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only at headquarters', TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER transfers_append_only BEFORE UPDATE OR DELETE ON transfers
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER transfers_no_truncate BEFORE TRUNCATE ON transfers
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER records_append_only BEFORE UPDATE OR DELETE ON records
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER member_versions_append_only BEFORE UPDATE OR DELETE ON member_versions
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER request_versions_append_only BEFORE UPDATE OR DELETE ON request_versions
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER dispute_versions_append_only BEFORE UPDATE OR DELETE ON dispute_versions
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER day_summaries_append_only BEFORE UPDATE OR DELETE ON day_summaries
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER sync_acks_append_only BEFORE UPDATE OR DELETE ON sync_acks
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER alarms_append_only BEFORE UPDATE OR DELETE ON alarms
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
