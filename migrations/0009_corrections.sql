-- Corrections with four eyes: a reversal or an adjustment entered by one
-- staff member waits here until a different station master approves it;
-- only then is a transfer posted, carrying both (staff_id = who entered it,
-- approved_by = who approved it). Decided rows never change again.
CREATE TABLE corrections (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('reversal', 'adjustment')),
    -- reversal: the transfer undone (in part or whole)
    transfer_id     TEXT REFERENCES transfers(id),
    -- adjustment: whose account, and which way ('credit' gives the member
    -- points from the pool, 'debit' takes them back to the pool)
    member_id       INTEGER REFERENCES members(id),
    direction       TEXT CHECK (direction IN ('credit', 'debit')),
    amount          INTEGER NOT NULL CHECK (amount > 0),
    reason          TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    proposed_by     INTEGER NOT NULL REFERENCES staff(id),
    proposed_at     INTEGER NOT NULL,
    outcome         TEXT CHECK (outcome IN ('approved', 'refused', 'withdrawn')),
    decided_by      INTEGER REFERENCES staff(id),
    decided_at      INTEGER,
    decision_note   TEXT,
    posted_transfer TEXT REFERENCES transfers(id),
    CHECK ((kind = 'reversal') = (transfer_id IS NOT NULL)),
    CHECK ((kind = 'adjustment') = (member_id IS NOT NULL AND direction IS NOT NULL)),
    CHECK ((outcome IS NULL) = (decided_by IS NULL)),
    CHECK (outcome IS NULL OR outcome = 'withdrawn' OR decided_by != proposed_by),
    CHECK ((outcome = 'approved') = (posted_transfer IS NOT NULL))
);
CREATE INDEX corrections_open ON corrections(proposed_at) WHERE outcome IS NULL;

CREATE TRIGGER corrections_decided_once BEFORE UPDATE ON corrections
WHEN OLD.outcome IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a decided correction is final'); END;
CREATE TRIGGER corrections_no_delete BEFORE DELETE ON corrections
BEGIN SELECT RAISE(ABORT, 'corrections are kept'); END;
