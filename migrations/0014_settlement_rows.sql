-- A merchant's monthly settlement is one request per merchant and month
-- (issue 16), not one row per service owed. The row carries the count of
-- services owed and of those not yet taken, and the minutes not yet taken;
-- its `minutes` is the length of the next service. Each match takes one
-- service: a request of its own (`parent_id` names the settlement row),
-- matched to the helper, recorded as before; the settlement row is done
-- when none are left, and a taken service whose match is cancelled is
-- given back to it. Rows from before this migration (one per service, the
-- counts NULL) stay valid and are matched as any request.
ALTER TABLE requests ADD COLUMN settles TEXT;
ALTER TABLE requests ADD COLUMN services_owed INTEGER
    CHECK (services_owed IS NULL OR services_owed > 0);
ALTER TABLE requests ADD COLUMN services_left INTEGER
    CHECK (services_left IS NULL OR (services_left >= 0 AND services_left <= services_owed));
ALTER TABLE requests ADD COLUMN minutes_left INTEGER
    CHECK (minutes_left IS NULL OR minutes_left >= 0);
-- written only as a copy of an existing row's id (INSERT … SELECT), so
-- without a REFERENCES clause, which SQLite would never let go of
ALTER TABLE requests ADD COLUMN parent_id INTEGER;

-- the counts come together, on a merchant's row only
CREATE TRIGGER requests_settlement_shape BEFORE INSERT ON requests
WHEN (NEW.services_owed IS NULL) != (NEW.services_left IS NULL)
  OR (NEW.services_owed IS NULL) != (NEW.minutes_left IS NULL)
  OR (NEW.services_owed IS NOT NULL AND (NEW.merchant_id IS NULL OR NEW.settles IS NULL))
BEGIN SELECT RAISE(ABORT, 'a settlement row carries its month and both counts'); END;

-- one settlement row per merchant and month
CREATE UNIQUE INDEX requests_settlement ON requests(merchant_id, settles)
    WHERE settles IS NOT NULL;
CREATE INDEX requests_parent ON requests(parent_id) WHERE parent_id IS NOT NULL;
