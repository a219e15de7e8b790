-- A station writes and reads only its own rows (PostgreSQL 15 or newer).
--
-- Headquarters assigns each station code to the PostgreSQL role its station
-- logs in with (`shiguang hq init --station-role ROLE --station CODE`), before
-- the station's first sync. That sync registers the station (its uid, under
-- its assigned code) with the public half of its signing key; a role can
-- register no other code, and cannot see or insert any other station's rows.
-- The role that owns these tables (the one running `hq init`, `hq ingest`,
-- `hq report`), and its members, see everything.
--
-- Row-level security is forced (the owner is held to the policies too) on
-- every table with a station's rows. No function here is SECURITY DEFINER:
-- the policies and triggers run as the role that writes, and they compare
-- `current_user` (the role in effect), never `session_user`. The trigger
-- functions name every table through their own schema (`TG_TABLE_SCHEMA`)
-- with `pg_temp` last on their search_path, so a temporary table of the same
-- name made by a station cannot stand in for headquarters' own.

-- Which role may sync which station code: written by headquarters only.
CREATE TABLE station_roles (
    code        text PRIMARY KEY CHECK (code ~ '^[A-Z]{2}[0-9]{2}$'),
    role        name NOT NULL,
    assigned_at timestamptz NOT NULL DEFAULT now()
);

-- The station's key (Ed25519, hex): bundles and syncs must carry this one.
-- Stations registered before this migration have none until headquarters
-- re-keys them (`shiguang hq rekey`).
ALTER TABLE stations
    ADD COLUMN public_key    text CHECK (public_key ~ '^[0-9a-f]{64}$'),
    ADD COLUMN registered_by name,
    ADD COLUMN registered_at timestamptz;

ALTER TABLE alarms ADD COLUMN raised_by name NOT NULL DEFAULT current_user;

-- A member, request or dispute belongs to one station: another station's
-- version of the same uid is its own row and never shadows this one.
ALTER TABLE member_versions DROP CONSTRAINT member_versions_pkey,
    ADD PRIMARY KEY (station_id, uid, updated_at);
ALTER TABLE request_versions DROP CONSTRAINT request_versions_pkey,
    ADD PRIMARY KEY (station_id, uid, updated_at);
ALTER TABLE dispute_versions DROP CONSTRAINT dispute_versions_pkey,
    ADD PRIMARY KEY (station_id, uid, updated_at);

-- The views read as the role that queries them (its rows only).
DROP VIEW members, requests, disputes, sync_state;
CREATE VIEW members WITH (security_invoker = true) AS
    SELECT DISTINCT ON (station_id, uid) * FROM member_versions
    ORDER BY station_id, uid, updated_at DESC;
CREATE VIEW requests WITH (security_invoker = true) AS
    SELECT DISTINCT ON (station_id, uid) * FROM request_versions
    ORDER BY station_id, uid, updated_at DESC;
CREATE VIEW disputes WITH (security_invoker = true) AS
    SELECT DISTINCT ON (station_id, uid) * FROM dispute_versions
    ORDER BY station_id, uid, updated_at DESC;
CREATE VIEW sync_state WITH (security_invoker = true) AS
    SELECT DISTINCT ON (a.station_id) s.uid AS station_uid, s.code, a.*
    FROM sync_acks a JOIN stations s ON s.id = a.station_id
    ORDER BY a.station_id, a.id DESC;

-- The latest audit time of a station (an acknowledgement's mark is checked
-- against it).
CREATE INDEX audit_at ON audit (station_id, at);

-- Ids come from the sequence: an id given with OVERRIDING SYSTEM VALUE
-- would let a station take the id the next station gets, or put its
-- acknowledgement last for good. Times and roles are the server's.
CREATE FUNCTION hq_stamp() RETURNS trigger LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    drawn bigint;
BEGIN
    BEGIN
        drawn := currval(pg_get_serial_sequence(
            format('%I.%I', TG_TABLE_SCHEMA, TG_TABLE_NAME), 'id'));
    EXCEPTION WHEN object_not_in_prerequisite_state THEN
        -- no id drawn in this session yet: this one was not
        drawn := NULL;
    END;
    IF NEW.id IS DISTINCT FROM drawn THEN
        RAISE EXCEPTION '%: ids come from the sequence', TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF TG_TABLE_NAME = 'stations' THEN
        NEW.first_seen := now();
        NEW.registered_at := now();
        NEW.registered_by := current_user;
    ELSIF TG_TABLE_NAME = 'alarms' THEN
        NEW.at := now();
        NEW.raised_by := current_user;
    ELSIF TG_TABLE_NAME = 'sync_acks' THEN
        NEW.acked_at := now();
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER stations_stamp BEFORE INSERT ON stations
    FOR EACH ROW EXECUTE FUNCTION hq_stamp();
CREATE TRIGGER alarms_stamp BEFORE INSERT ON alarms
    FOR EACH ROW EXECUTE FUNCTION hq_stamp();
CREATE TRIGGER sync_acks_stamp BEFORE INSERT ON sync_acks
    FOR EACH ROW EXECUTE FUNCTION hq_stamp();

-- An acknowledgement says what headquarters has: its heads are rows here
-- with those hashes, its mark no later than the latest audit row here, and
-- it never goes back from the one before. So no one acknowledges rows that
-- were not sent, nor rewinds a station's heads.
CREATE FUNCTION hq_check_ack() RETURNS trigger LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    genesis constant text := repeat('0', 64);
    last_ledger bigint;
    last_audit bigint;
    last_mark bigint;
    ok boolean;
BEGIN
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I.stations WHERE id = $1)', TG_TABLE_SCHEMA)
        INTO ok USING NEW.station_id;
    IF NOT ok THEN
        -- not a station this role sees: row-level security refuses the row
        RETURN NEW;
    END IF;
    EXECUTE format('SELECT ledger_seq, audit_seq, mark FROM %I.sync_acks
                    WHERE station_id = $1 ORDER BY id DESC LIMIT 1', TG_TABLE_SCHEMA)
        INTO last_ledger, last_audit, last_mark USING NEW.station_id;
    IF last_ledger IS NOT NULL AND (NEW.ledger_seq < last_ledger OR NEW.audit_seq < last_audit
            OR (last_mark IS NOT NULL AND (NEW.mark IS NULL OR NEW.mark < last_mark))) THEN
        RAISE EXCEPTION 'sync_acks: the acknowledgement goes back (ledger % < %, audit % < %)',
            NEW.ledger_seq, last_ledger, NEW.audit_seq, last_audit
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF NEW.ledger_seq = 0 THEN
        ok := NEW.ledger_head = genesis;
    ELSE
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I.transfers
                        WHERE station_id = $1 AND seq = $2 AND hash = $3)', TG_TABLE_SCHEMA)
            INTO ok USING NEW.station_id, NEW.ledger_seq, NEW.ledger_head;
    END IF;
    IF NOT ok THEN
        RAISE EXCEPTION 'sync_acks: ledger seq % with that hash is not here', NEW.ledger_seq
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF NEW.audit_seq = 0 THEN
        ok := NEW.audit_head = genesis;
    ELSE
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I.audit
                        WHERE station_id = $1 AND seq = $2 AND hash = $3)', TG_TABLE_SCHEMA)
            INTO ok USING NEW.station_id, NEW.audit_seq, NEW.audit_head;
    END IF;
    IF NOT ok THEN
        RAISE EXCEPTION 'sync_acks: audit seq % with that hash is not here', NEW.audit_seq
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF NEW.mark IS NOT NULL THEN
        EXECUTE format('SELECT $2 <= max(at) FROM %I.audit WHERE station_id = $1', TG_TABLE_SCHEMA)
            INTO ok USING NEW.station_id, NEW.mark;
        IF ok IS NOT TRUE THEN
            RAISE EXCEPTION 'sync_acks: the mark % is later than any audit row here', NEW.mark
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    END IF;
    RETURN NEW;
END
$$;

-- after hq_stamp (triggers fire in name order)
CREATE TRIGGER sync_acks_t_check BEFORE INSERT ON sync_acks
    FOR EACH ROW EXECUTE FUNCTION hq_check_ack();

-- A day summary names the chain heads of its close: rows here, with those
-- hashes (as the sync checks before it sends one).
CREATE FUNCTION hq_check_summary() RETURNS trigger LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    genesis constant text := repeat('0', 64);
    ok boolean;
BEGIN
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I.stations WHERE id = $1)', TG_TABLE_SCHEMA)
        INTO ok USING NEW.station_id;
    IF NOT ok THEN
        -- not a station this role sees: row-level security refuses the row
        RETURN NEW;
    END IF;
    EXECUTE format('SELECT (($2 = 0 AND $3 = $6) OR EXISTS (SELECT 1 FROM %1$I.transfers
                        WHERE station_id = $1 AND seq = $2 AND hash = $3))
                    AND (($4 = 0 AND $5 = $6) OR EXISTS (SELECT 1 FROM %1$I.audit
                        WHERE station_id = $1 AND seq = $4 AND hash = $5))', TG_TABLE_SCHEMA)
        INTO ok USING NEW.station_id, NEW.ledger_seq, NEW.ledger_head, NEW.audit_seq,
            NEW.audit_head, genesis;
    IF NOT ok THEN
        RAISE EXCEPTION 'day_summaries: the chain heads of % v% are not here', NEW.day, NEW.version
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER day_summaries_check BEFORE INSERT ON day_summaries
    FOR EACH ROW EXECUTE FUNCTION hq_check_summary();

-- Row-level security. The owner of the tables (and its members) sees and
-- writes everything; every other role only what its assigned codes allow.
CREATE POLICY station_own ON station_roles FOR SELECT
    USING (role = current_user);
CREATE POLICY station_own ON stations FOR SELECT
    USING (code IN (SELECT r.code FROM station_roles r WHERE r.role = current_user));
-- the first sync registers the station, under a code assigned to the role
CREATE POLICY station_register ON stations FOR INSERT
    WITH CHECK (public_key IS NOT NULL
        AND code IN (SELECT r.code FROM station_roles r WHERE r.role = current_user));
CREATE POLICY station_raise ON alarms FOR INSERT
    WITH CHECK (raised_by = current_user);

DO $$
DECLARE
    t text;
    owner name;
BEGIN
    FOREACH t IN ARRAY ARRAY['transfers', 'audit', 'records', 'member_versions',
            'request_versions', 'dispute_versions', 'day_summaries', 'sync_acks'] LOOP
        EXECUTE format('CREATE POLICY station_own ON %I FOR SELECT USING (station_id IN (
            SELECT s.id FROM stations s JOIN station_roles r ON r.code = s.code
            WHERE r.role = current_user))', t);
        EXECUTE format('CREATE POLICY station_insert ON %I FOR INSERT WITH CHECK (station_id IN (
            SELECT s.id FROM stations s JOIN station_roles r ON r.code = s.code
            WHERE r.role = current_user))', t);
    END LOOP;
    FOREACH t IN ARRAY ARRAY['station_roles', 'stations', 'transfers', 'audit', 'records',
            'member_versions', 'request_versions', 'dispute_versions', 'day_summaries',
            'sync_acks', 'alarms'] LOOP
        SELECT r.rolname INTO owner FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner
            WHERE c.oid = t::regclass;
        EXECUTE format('CREATE POLICY hq_admin ON %I TO %I USING (true) WITH CHECK (true)', t, owner);
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    END LOOP;
END
$$;
