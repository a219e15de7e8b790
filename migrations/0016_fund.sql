-- The fund (共管账户, issue 17): the station's money in fen, apart from the
-- points. Every row is chained like the points ledger (domain/fund.rs:
-- entry_hash) and carries the balance after it, never below zero. An
-- expense waits in fund_expenses until three different staff members have
-- signed it (fund_signatures), then one row posts it. All three tables are
-- covered by the audit chain too (src/store/covers.rs).
CREATE TABLE fund_expenses (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('materials', 'trust_gift', 'subsidy_out', 'other_out')),
    amount_fen      INTEGER NOT NULL CHECK (amount_fen > 0),
    -- who is paid
    party           TEXT NOT NULL CHECK (length(trim(party)) > 0),
    -- what for
    purpose         TEXT NOT NULL CHECK (length(trim(purpose)) > 0),
    activity_id     INTEGER REFERENCES activities(id),
    proposed_at     INTEGER NOT NULL,
    proposed_by     INTEGER NOT NULL REFERENCES staff(id),
    -- the fund row that posted it, once the last signature was given
    posted_seq      INTEGER
);
CREATE INDEX fund_expenses_pending ON fund_expenses(posted_seq);

CREATE TABLE fund_signatures (
    id              INTEGER PRIMARY KEY,
    expense_id      INTEGER NOT NULL REFERENCES fund_expenses(id),
    staff_id        INTEGER NOT NULL REFERENCES staff(id),
    signed_at       INTEGER NOT NULL,
    UNIQUE (expense_id, staff_id)
);

CREATE TABLE fund_entries (
    seq             INTEGER PRIMARY KEY,
    at              INTEGER NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('fee', 'subsidy_in', 'gift_in', 'deduction',
                        'materials', 'trust_gift', 'subsidy_out', 'other_out')),
    -- signed: income positive, expense negative
    amount_fen      INTEGER NOT NULL CHECK (amount_fen != 0),
    balance_fen     INTEGER NOT NULL CHECK (balance_fen >= 0),
    party           TEXT NOT NULL,
    purpose         TEXT NOT NULL,
    member_id       INTEGER REFERENCES members(id),
    merchant_id     INTEGER REFERENCES merchants(id),
    activity_id     INTEGER REFERENCES activities(id),
    expense_id      INTEGER UNIQUE REFERENCES fund_expenses(id),
    staff_id        INTEGER NOT NULL REFERENCES staff(id),
    prev_hash       TEXT NOT NULL,
    hash            TEXT NOT NULL
);
CREATE INDEX fund_entries_at ON fund_entries(at);

CREATE TRIGGER fund_entries_no_update BEFORE UPDATE ON fund_entries
BEGIN SELECT RAISE(ABORT, 'the fund is append-only'); END;
CREATE TRIGGER fund_entries_no_delete BEFORE DELETE ON fund_entries
BEGIN SELECT RAISE(ABORT, 'the fund is append-only'); END;
CREATE TRIGGER fund_signatures_no_update BEFORE UPDATE ON fund_signatures
BEGIN SELECT RAISE(ABORT, 'a signature stands'); END;
CREATE TRIGGER fund_signatures_no_delete BEFORE DELETE ON fund_signatures
BEGIN SELECT RAISE(ABORT, 'a signature stands'); END;
CREATE TRIGGER fund_expenses_no_delete BEFORE DELETE ON fund_expenses
BEGIN SELECT RAISE(ABORT, 'an expense is kept'); END;
-- only the posting is ever written to an expense, once
CREATE TRIGGER fund_expenses_posted_once BEFORE UPDATE ON fund_expenses
WHEN OLD.posted_seq IS NOT NULL OR NEW.posted_seq IS NULL
    OR NEW.kind IS NOT OLD.kind OR NEW.amount_fen IS NOT OLD.amount_fen
    OR NEW.party IS NOT OLD.party OR NEW.purpose IS NOT OLD.purpose
    OR NEW.activity_id IS NOT OLD.activity_id OR NEW.proposed_at IS NOT OLD.proposed_at
    OR NEW.proposed_by IS NOT OLD.proposed_by
BEGIN SELECT RAISE(ABORT, 'an expense is posted once and never changed'); END;
