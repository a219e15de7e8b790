-- Medals (issue 17): 月度暖心邻居 for a member and a month, 年度诚信商家
-- for a merchant and a year, awarded by the station master with a reason
-- and the figures they were proposed on. Kept for good (the notice board
-- and the year's story name them) and covered by the audit chain
-- (src/store/covers.rs).
CREATE TABLE medals (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('warm_neighbour', 'honest_merchant')),
    -- 'YYYY-MM' for the monthly medal, 'YYYY' for the annual one
    period          TEXT NOT NULL,
    member_id       INTEGER REFERENCES members(id),
    merchant_id     INTEGER REFERENCES merchants(id),
    reason          TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    -- the figures the proposal read (JSON), as they stood at the award
    figures         TEXT NOT NULL CHECK (json_valid(figures)),
    awarded_at      INTEGER NOT NULL,
    awarded_by      INTEGER NOT NULL REFERENCES staff(id),
    CHECK ((kind = 'warm_neighbour' AND member_id IS NOT NULL AND merchant_id IS NULL
            AND period GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]')
        OR (kind = 'honest_merchant' AND merchant_id IS NOT NULL AND member_id IS NULL
            AND period GLOB '[0-9][0-9][0-9][0-9]'))
);
CREATE UNIQUE INDEX medals_member ON medals(kind, period, member_id) WHERE member_id IS NOT NULL;
CREATE UNIQUE INDEX medals_merchant ON medals(kind, period, merchant_id) WHERE merchant_id IS NOT NULL;
CREATE TRIGGER medals_no_update BEFORE UPDATE ON medals
BEGIN SELECT RAISE(ABORT, 'a medal is awarded once'); END;
CREATE TRIGGER medals_no_delete BEFORE DELETE ON medals
BEGIN SELECT RAISE(ABORT, 'medals are kept'); END;
