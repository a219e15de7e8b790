-- The daily routine: the opening checklist, the day's open and close, the
-- immutable day summaries, items to replenish, and the monthly callback list.

CREATE TABLE checklist_items (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('clean', 'equipment', 'tool')),
    name_zh     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    -- tools, first-aid items, walkers: how many should be there
    expected    INTEGER CHECK (expected IS NULL OR expected > 0),
    position    INTEGER NOT NULL,
    active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);
INSERT INTO checklist_items (kind, name_zh, name_en, expected, position) VALUES
    ('clean', '打扫卫生', 'cleaning', NULL, 1),
    ('equipment', '电脑', 'computer', NULL, 2),
    ('equipment', '打印机', 'printer', NULL, 3),
    ('tool', '螺丝刀', 'screwdrivers', 2, 4),
    ('tool', '创可贴', 'plasters', 20, 5),
    ('tool', '急救包', 'first-aid kit', 1, 6),
    ('tool', '血压计', 'blood-pressure meter', 1, 7),
    ('tool', '助行器', 'walkers', 2, 8);

-- One row per station day (station-local date). `day_start`/`day_end` are
-- the day's instants; while a day is closed (and not reopened) nothing more
-- is written on it, so its figures never change after the close.
CREATE TABLE station_days (
    day             TEXT PRIMARY KEY,
    day_start       INTEGER NOT NULL,
    day_end         INTEGER NOT NULL,
    opened_at       INTEGER,
    opened_by       INTEGER REFERENCES staff(id),
    late            INTEGER NOT NULL DEFAULT 0,
    checklist       TEXT CHECK (checklist IS NULL OR json_valid(checklist)),
    midday_staff    INTEGER REFERENCES staff(id),
    midday_at       INTEGER,
    -- set while the day is closed; reopening clears it (each close keeps
    -- its summary version and its audit row)
    closed_at       INTEGER,
    closed_by       INTEGER REFERENCES staff(id),
    story           TEXT,
    docs_locked     INTEGER NOT NULL DEFAULT 0,
    backup_path     TEXT,
    bundle_path     TEXT,
    reopened_at     INTEGER,
    reopened_by     INTEGER REFERENCES staff(id),
    reopen_reason   TEXT
) WITHOUT ROWID;
CREATE INDEX station_days_closed ON station_days(closed_at, day_start);

-- The day's figures as computed at close; never changed. Reopening and
-- closing again adds version 2.
CREATE TABLE day_summaries (
    day         TEXT NOT NULL,
    version     INTEGER NOT NULL,
    at          INTEGER NOT NULL,
    by_staff    INTEGER REFERENCES staff(id),
    figures     TEXT NOT NULL CHECK (json_valid(figures)),
    ledger_seq  INTEGER NOT NULL,
    ledger_head TEXT NOT NULL,
    audit_seq   INTEGER NOT NULL,
    audit_head  TEXT NOT NULL,
    PRIMARY KEY (day, version)
) WITHOUT ROWID;
CREATE TRIGGER day_summaries_no_update BEFORE UPDATE ON day_summaries
BEGIN SELECT RAISE(ABORT, 'day summaries are immutable'); END;
CREATE TRIGGER day_summaries_no_delete BEFORE DELETE ON day_summaries
BEGIN SELECT RAISE(ABORT, 'day summaries are immutable'); END;

-- A shortage found at opening: stays in the header until ticked.
CREATE TABLE replenish (
    id          INTEGER PRIMARY KEY,
    day         TEXT NOT NULL,
    item_id     INTEGER REFERENCES checklist_items(id),
    name        TEXT NOT NULL,
    missing     INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    done_at     INTEGER,
    done_by     INTEGER REFERENCES staff(id)
);
CREATE INDEX replenish_open ON replenish(done_at);

-- The monthly satisfaction callbacks: 20 members served this month, drawn
-- reproducibly, each called and the answer recorded.
CREATE TABLE callbacks (
    month       TEXT NOT NULL,
    member_id   INTEGER NOT NULL REFERENCES members(id),
    drawn_at    INTEGER NOT NULL,
    called_at   INTEGER,
    called_by   INTEGER REFERENCES staff(id),
    satisfied   INTEGER CHECK (satisfied IN (0, 1)),
    note        TEXT,
    PRIMARY KEY (month, member_id)
) WITHOUT ROWID;

CREATE INDEX requests_updated ON requests(updated_at);
CREATE INDEX members_updated ON members(updated_at);
CREATE INDEX disputes_updated ON disputes(updated_at);
CREATE INDEX members_submitted ON members(submitted_at);
CREATE INDEX members_decided ON members(decided_at);
CREATE INDEX disputes_decided ON disputes(decided_at);
