-- Speed at scale (100,000 members, 1,000,000 transfers).
--
-- `rev`: every change to a member (or to the services they offer) gives
-- the member the next revision number, so the helper ranking can keep all
-- members in memory and re-read only those changed since it last looked.
ALTER TABLE members ADD COLUMN rev INTEGER NOT NULL DEFAULT 0;
UPDATE members SET rev = id;
CREATE INDEX members_rev ON members(rev);
CREATE TRIGGER members_rev_insert AFTER INSERT ON members
BEGIN
    UPDATE members SET rev = (SELECT max(rev) FROM members) + 1 WHERE id = NEW.id;
END;
CREATE TRIGGER members_rev_update AFTER UPDATE ON members WHEN NEW.rev = OLD.rev
BEGIN
    UPDATE members SET rev = (SELECT max(rev) FROM members) + 1 WHERE id = NEW.id;
END;
CREATE TRIGGER member_services_rev_insert AFTER INSERT ON member_services
BEGIN
    UPDATE members SET rev = (SELECT max(rev) FROM members) + 1 WHERE id = NEW.member_id;
END;
CREATE TRIGGER member_services_rev_delete AFTER DELETE ON member_services
BEGIN
    UPDATE members SET rev = (SELECT max(rev) FROM members) + 1 WHERE id = OLD.member_id;
END;

-- The stats pane counts services on the day they were given.
CREATE INDEX records_started ON service_records(started_at);

-- Helpers who declined lately are ranked lower: the week's calls by time.
CREATE INDEX contacts_at ON contacts(at);
