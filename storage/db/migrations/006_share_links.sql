-- 006: links that open a file or a folder to people outside the association. A link points at a
-- node, so it follows renames and moves, and stops working when the node goes to the trash.
CREATE TABLE share_link (
    id            INTEGER PRIMARY KEY,
    token         TEXT    NOT NULL UNIQUE,   -- shown again to the group, like Nextcloud's
    group_id      INTEGER NOT NULL REFERENCES grp(id) ON DELETE CASCADE,
    node_id       INTEGER NOT NULL REFERENCES node(id) ON DELETE CASCADE,
    kind          TEXT    NOT NULL CHECK (kind IN ('read', 'drop')),  -- drop: upload only, lists nothing
    password_hash TEXT    NOT NULL DEFAULT '',
    expires_at    INTEGER NOT NULL DEFAULT 0,  -- 0: never
    created_by    INTEGER REFERENCES person(id) ON DELETE SET NULL,
    created_at    INTEGER NOT NULL,
    revoked_at    INTEGER NOT NULL DEFAULT 0,
    downloads     INTEGER NOT NULL DEFAULT 0,
    uploads       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX share_link_group ON share_link(group_id);
