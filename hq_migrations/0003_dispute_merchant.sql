-- A merchant case's other party is a merchant (its code, as the station
-- keeps it in `merchant_ref`): carried by the day bundle now, so
-- headquarters sees who a merchant complaint is against. Versions from
-- older bundles have none. The view is made again to take the column
-- (a view's `*` is expanded when it is made).
ALTER TABLE dispute_versions ADD COLUMN merchant_ref text;
CREATE OR REPLACE VIEW disputes WITH (security_invoker = true) AS
    SELECT DISTINCT ON (station_id, uid) * FROM dispute_versions
    ORDER BY station_id, uid, updated_at DESC;
