-- 015: a group's bookmarks (the links page): the addresses its members keep at hand — the shared pad,
-- the association's site, a form. Only http and https addresses are stored (checked by access).
CREATE TABLE group_link (
    id         INTEGER PRIMARY KEY,
    group_id   INTEGER NOT NULL REFERENCES grp(id) ON DELETE CASCADE,
    title      TEXT    NOT NULL,
    url        TEXT    NOT NULL,
    note       TEXT    NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES person(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX group_link_group ON group_link(group_id, title);
