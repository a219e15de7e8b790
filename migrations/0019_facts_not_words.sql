-- Facts, not words (issue 18): the store keeps what happened, the desk puts
-- it in words in its own language.
--
-- An item to replenish kept its name as the desk's language had it at the
-- opening (`replenish.name`); it now names its checklist item only, whose
-- names are kept in both languages. `replenish` is not covered by the audit
-- chain (docs/tamper-evidence.md), so rewriting its rows vouches for nothing
-- new. The day's own row (`station_days.checklist`, covered) is left as
-- written: its old `name` keys are not read, and new days keep ids only.
--
-- A row without its item (none is written so, but a file edited by hand
-- might hold one) gets an item of its own, out of use, named as it was.
INSERT INTO checklist_items (kind, name_zh, name_en, expected, position, active)
SELECT 'equipment', name, name, NULL,
       (SELECT coalesce(max(position), 0) FROM checklist_items) + row_number() OVER (ORDER BY min(id)),
       0
FROM replenish
WHERE item_id IS NULL OR item_id NOT IN (SELECT id FROM checklist_items)
GROUP BY name;

UPDATE replenish
SET item_id = (SELECT c.id FROM checklist_items c WHERE c.active = 0 AND c.name_zh = replenish.name
               ORDER BY c.id DESC LIMIT 1)
WHERE item_id IS NULL OR item_id NOT IN (SELECT id FROM checklist_items);

ALTER TABLE replenish DROP COLUMN name;
