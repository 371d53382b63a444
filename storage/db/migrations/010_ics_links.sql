-- 010: public read-only subscription links to a calendar ("all the known dates" for people outside
-- the group, pasted into their own agenda). The token is kept, not only a hash, because members with
-- write access are shown the link again (CalendarServer's publish-url), as with share links. At most
-- one link of a calendar is in force; revoked links stay for the record.
CREATE TABLE ics_link (
    id            INTEGER PRIMARY KEY,
    token         TEXT    NOT NULL UNIQUE,
    collection_id INTEGER NOT NULL REFERENCES collection(id) ON DELETE CASCADE,
    created_by    INTEGER REFERENCES person(id) ON DELETE SET NULL,
    created_at    INTEGER NOT NULL,
    revoked_at    INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX ics_link_active ON ics_link(collection_id) WHERE revoked_at = 0;
