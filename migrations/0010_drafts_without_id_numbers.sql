-- Drafts of the registration form kept the ID number as typed, so it sat in
-- the file, its WAL, freed pages and every backup (issue 15). A draft now
-- keeps only the last four characters; old drafts are cut down the same way.
-- Connections run with secure_delete on, so the old text is overwritten,
-- not merely unlinked; the VACUUM asked for below rewrites the file without
-- the freed pages older deletions left behind.
UPDATE drafts
   SET data = CASE
       WHEN length(trim(json_extract(data, '$.id_number'))) >= 8
       THEN json_set(json_remove(data, '$.id_number'), '$."id_number#tail"',
                     substr(trim(json_extract(data, '$.id_number')), -4))
       ELSE json_remove(data, '$.id_number')
   END
 WHERE form = 'members.register'
   AND json_valid(data)
   AND json_type(data, '$.id_number') IS NOT NULL;

-- Work the program does once, outside the migration's transaction.
CREATE TABLE maintenance_due (
    task TEXT PRIMARY KEY
);
INSERT INTO maintenance_due (task) VALUES ('vacuum_if_ids_were_typed');
