-- Members: the service catalog, registrations and their review, member
-- numbers, time cards, levels and their history, standing (warnings,
-- violations, bad credit, blacklist) and trust scores.

CREATE TABLE service_types (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name_zh     TEXT NOT NULL CHECK (length(trim(name_zh)) > 0),
    name_en     TEXT NOT NULL CHECK (length(trim(name_en)) > 0),
    tier        TEXT NOT NULL CHECK (tier IN ('basic', 'special')),
    active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at  INTEGER NOT NULL
);
INSERT INTO service_types (code, name_zh, name_en, tier, created_at) VALUES
    ('chat', '陪聊', 'chat', 'basic', 0),
    ('errand', '代购', 'errands', 'basic', 0),
    ('housework', '简单家政', 'simple housework', 'basic', 0),
    ('child_pickup', '接送儿童', 'child pick-up', 'special', 0),
    ('medical_escort', '协助就医', 'medical escort', 'special', 0),
    ('appliance_repair', '家电维修', 'appliance repair', 'special', 0);

-- The last sequence number given out per community: only ever grows, so a
-- number is never reused (not after a rejection, not after a withdrawal).
CREATE TABLE member_seq (
    street      TEXT NOT NULL,
    community   TEXT NOT NULL,
    last        INTEGER NOT NULL,
    PRIMARY KEY (street, community)
) WITHOUT ROWID;

CREATE TABLE members (
    id                  INTEGER PRIMARY KEY,
    uid                 TEXT NOT NULL UNIQUE,
    number              TEXT UNIQUE,
    name                TEXT NOT NULL CHECK (length(trim(name)) > 0),
    phone               TEXT NOT NULL,
    id_kind             TEXT NOT NULL CHECK (id_kind IN ('id_card', 'household')),
    -- keyed hash of the identity number (the number itself is never stored)
    id_hash             TEXT NOT NULL UNIQUE,
    id_masked           TEXT NOT NULL,
    residence_proof     TEXT NOT NULL CHECK (residence_proof IN ('rent', 'property', 'other')),
    street              TEXT NOT NULL,
    community           TEXT NOT NULL,
    building            TEXT NOT NULL,
    emergency_name      TEXT NOT NULL,
    emergency_phone     TEXT NOT NULL,
    filled_by_family    INTEGER NOT NULL DEFAULT 0,
    applicant_confirmed INTEGER NOT NULL DEFAULT 0,
    recommender_id      INTEGER REFERENCES members(id),
    recommender_signed  INTEGER NOT NULL DEFAULT 0,
    master_note         TEXT,
    channel             TEXT NOT NULL DEFAULT 'desk' CHECK (channel IN ('desk', 'online')),
    status              TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'deceased', 'withdrawn')),
    submitted_at        INTEGER NOT NULL,
    submitted_by        INTEGER REFERENCES staff(id),
    decided_at          INTEGER,
    decided_by          INTEGER REFERENCES staff(id),
    reject_reason       TEXT,
    notified_at         INTEGER,
    notified_by         INTEGER REFERENCES staff(id),
    notify_note         TEXT,
    level               TEXT NOT NULL DEFAULT 'ordinary' CHECK (level IN ('ordinary', 'star', 'honor')),
    level_since         INTEGER,
    upgrade_blocked_until INTEGER,
    frozen              INTEGER NOT NULL DEFAULT 0 CHECK (frozen IN (0, 1)),
    frozen_reason       TEXT,
    redeem_frozen_until INTEGER,
    blacklisted_at      INTEGER,
    blacklist_reason    TEXT,
    trust_score         INTEGER NOT NULL DEFAULT 100,
    heir_name           TEXT,
    heir_relation       TEXT,
    heir_phone          TEXT,
    heir_registered_at  INTEGER,
    ended_at            INTEGER,
    updated_at          INTEGER NOT NULL
);
CREATE INDEX members_status ON members(status, submitted_at);
CREATE INDEX members_recommender ON members(recommender_id);

-- What a member offers (intent) and needs, from the catalog.
CREATE TABLE member_services (
    member_id   INTEGER NOT NULL REFERENCES members(id),
    type_id     INTEGER NOT NULL REFERENCES service_types(id),
    role        TEXT NOT NULL CHECK (role IN ('offer', 'need')),
    PRIMARY KEY (member_id, type_id, role)
) WITHOUT ROWID;
CREATE INDEX member_services_type ON member_services(type_id, role);

-- Time cards (时光卡); a lost card is voided and a new one issued.
CREATE TABLE cards (
    id          INTEGER PRIMARY KEY,
    member_id   INTEGER NOT NULL REFERENCES members(id),
    serial      TEXT NOT NULL UNIQUE,
    issued_at   INTEGER NOT NULL,
    issued_by   INTEGER NOT NULL REFERENCES staff(id),
    voided_at   INTEGER,
    void_reason TEXT
);
CREATE INDEX cards_member ON cards(member_id);

-- Every change of level, with its reason; `month` is set by monthly runs.
CREATE TABLE level_history (
    id          INTEGER PRIMARY KEY,
    member_id   INTEGER NOT NULL REFERENCES members(id),
    at          INTEGER NOT NULL,
    old_level   TEXT NOT NULL,
    new_level   TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('monthly', 'downgrade', 'blacklist')),
    month       TEXT,
    reason      TEXT NOT NULL
);
CREATE INDEX level_history_member ON level_history(member_id, at);

-- One row per monthly level run (the 1st of the month, station time).
CREATE TABLE level_runs (
    month       TEXT PRIMARY KEY,
    run_at      INTEGER NOT NULL,
    run_by      INTEGER REFERENCES staff(id),
    changed     INTEGER NOT NULL
) WITHOUT ROWID;

-- Standing: warnings (and verified serious complaints), violations, bad credit.
CREATE TABLE warnings (
    id          INTEGER PRIMARY KEY,
    member_id   INTEGER NOT NULL REFERENCES members(id),
    kind        TEXT NOT NULL CHECK (kind IN ('warning', 'serious_complaint')),
    at          INTEGER NOT NULL,
    by_staff    INTEGER REFERENCES staff(id),
    reason      TEXT NOT NULL,
    source      TEXT
);
CREATE INDEX warnings_member ON warnings(member_id, at);

CREATE TABLE violations (
    id          INTEGER PRIMARY KEY,
    member_id   INTEGER NOT NULL REFERENCES members(id),
    severity    TEXT NOT NULL CHECK (severity IN ('minor', 'moderate', 'severe')),
    at          INTEGER NOT NULL,
    active_until INTEGER,
    by_staff    INTEGER REFERENCES staff(id),
    reason      TEXT NOT NULL,
    source      TEXT
);
CREATE INDEX violations_member ON violations(member_id, at);

CREATE TABLE bad_credit (
    id          INTEGER PRIMARY KEY,
    member_id   INTEGER NOT NULL REFERENCES members(id),
    at          INTEGER NOT NULL,
    active_until INTEGER NOT NULL,
    by_staff    INTEGER REFERENCES staff(id),
    reason      TEXT NOT NULL,
    source      TEXT
);
CREATE INDEX bad_credit_member ON bad_credit(member_id, at);

-- Trust score (信任分) changes; members.trust_score = 100 + their sum.
CREATE TABLE trust_events (
    id          INTEGER PRIMARY KEY,
    member_id   INTEGER NOT NULL REFERENCES members(id),
    at          INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    delta       INTEGER NOT NULL,
    note        TEXT,
    source      TEXT
);
CREATE INDEX trust_events_member ON trust_events(member_id, at);
CREATE INDEX trust_events_at ON trust_events(at);
