-- The tool corner (工具角, issue 17): tools, first-aid items and walkers
-- lent to members.
--
-- The catalogue is the opening checklist's counted items (kind 'tool'):
-- each says how it is lent ('none': used up, not lent, like plasters),
-- which sets a loan's default period. A loan is a row written when lent
-- and closed once, when it comes back (good or damaged) or is lost or
-- broken; a loss also writes a write-off and takes one off the item's
-- count, with a note. Loans and write-offs are covered by the audit chain
-- (src/store/covers.rs); neither is ever deleted.
ALTER TABLE checklist_items ADD COLUMN lend TEXT NOT NULL DEFAULT 'none'
    CHECK (lend IN ('none', 'tool', 'first_aid', 'walker'));
UPDATE checklist_items SET lend = 'tool' WHERE kind = 'tool' AND name_en = 'screwdrivers';
UPDATE checklist_items SET lend = 'first_aid'
    WHERE kind = 'tool' AND name_en IN ('first-aid kit', 'blood-pressure meter');
UPDATE checklist_items SET lend = 'walker' WHERE kind = 'tool' AND name_en = 'walkers';

CREATE TABLE tool_loans (
    id          INTEGER PRIMARY KEY,
    item_id     INTEGER NOT NULL REFERENCES checklist_items(id),
    member_id   INTEGER NOT NULL REFERENCES members(id),
    lent_at     INTEGER NOT NULL,
    lent_by     INTEGER NOT NULL REFERENCES staff(id),
    -- station-local date, YYYY-MM-DD: overdue from the day after
    due_day     TEXT NOT NULL CHECK (due_day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    closed_at   INTEGER,
    closed_by   INTEGER REFERENCES staff(id),
    outcome     TEXT CHECK (outcome IN ('good', 'damaged', 'lost', 'broken')),
    note        TEXT NOT NULL DEFAULT '',
    CHECK ((closed_at IS NULL) = (outcome IS NULL))
);
CREATE INDEX tool_loans_open ON tool_loans(item_id) WHERE closed_at IS NULL;
CREATE INDEX tool_loans_member ON tool_loans(member_id);

CREATE TABLE tool_writeoffs (
    id          INTEGER PRIMARY KEY,
    item_id     INTEGER NOT NULL REFERENCES checklist_items(id),
    -- the loan it ended, when it was out
    loan_id     INTEGER REFERENCES tool_loans(id),
    kind        TEXT NOT NULL CHECK (kind IN ('lost', 'broken')),
    note        TEXT NOT NULL CHECK (length(trim(note)) > 0),
    -- the count before and after
    count_from  INTEGER NOT NULL,
    count_to    INTEGER NOT NULL CHECK (count_to = count_from - 1 AND count_to >= 0),
    at          INTEGER NOT NULL,
    by_staff    INTEGER NOT NULL REFERENCES staff(id)
);

CREATE TRIGGER tool_loans_no_delete BEFORE DELETE ON tool_loans
BEGIN SELECT RAISE(ABORT, 'loans are kept'); END;
-- a loan is closed once; what it was (item, member, when) never changes
CREATE TRIGGER tool_loans_closed_once BEFORE UPDATE ON tool_loans
WHEN OLD.closed_at IS NOT NULL OR NEW.item_id IS NOT OLD.item_id
    OR NEW.member_id IS NOT OLD.member_id OR NEW.lent_at IS NOT OLD.lent_at
    OR NEW.due_day IS NOT OLD.due_day
BEGIN SELECT RAISE(ABORT, 'a loan is closed once'); END;
CREATE TRIGGER tool_writeoffs_no_update BEFORE UPDATE ON tool_writeoffs
BEGIN SELECT RAISE(ABORT, 'write-offs are kept'); END;
CREATE TRIGGER tool_writeoffs_no_delete BEFORE DELETE ON tool_writeoffs
BEGIN SELECT RAISE(ABORT, 'write-offs are kept'); END;
