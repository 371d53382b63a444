-- 007: a group publishes a folder, read-only, to another group or to every member of the
-- association, without copying it: the folder stays where it is and its readers see it change.
CREATE TABLE publication (
    id          INTEGER PRIMARY KEY,
    group_id    INTEGER NOT NULL REFERENCES grp(id) ON DELETE CASCADE,   -- the publisher
    node_id     INTEGER NOT NULL REFERENCES node(id) ON DELETE CASCADE,  -- the folder
    audience_id INTEGER REFERENCES grp(id) ON DELETE CASCADE,           -- NULL: every member
    created_by  INTEGER REFERENCES person(id) ON DELETE SET NULL,
    created_at  INTEGER NOT NULL,
    UNIQUE (node_id, audience_id)
);
CREATE INDEX publication_group ON publication(group_id);
CREATE INDEX publication_audience ON publication(audience_id);
