-- 005: nothing deleted or overwritten is lost at once.
--
-- Trash: a deleted file or folder keeps its node rows, moved out of the live tree under the dir
-- '#<trash id>' (no live dir starts with '#', and '#' sorts before '/', so listings and tree ranges
-- never see them). Restoring moves them back; purging after the retention deletes them.
CREATE TABLE trash (
    id            INTEGER PRIMARY KEY,
    group_id      INTEGER NOT NULL REFERENCES grp(id) ON DELETE CASCADE,
    original_path TEXT    NOT NULL,
    is_dir        INTEGER NOT NULL,
    size          INTEGER NOT NULL,   -- bytes of the files it holds
    deleted_at    INTEGER NOT NULL,
    deleted_by    INTEGER REFERENCES person(id) ON DELETE SET NULL
);
CREATE INDEX trash_group ON trash(group_id, deleted_at);
CREATE INDEX trash_age ON trash(deleted_at);

-- Versions: the previous content of a file each time it is overwritten.
CREATE TABLE version (
    id          INTEGER PRIMARY KEY,
    node_id     INTEGER NOT NULL REFERENCES node(id) ON DELETE CASCADE,
    blob        TEXT    NOT NULL,
    size        INTEGER NOT NULL,
    etag        TEXT    NOT NULL,
    modified_at INTEGER NOT NULL,   -- when that content was written
    replaced_at INTEGER NOT NULL,   -- when it stopped being the current one
    replaced_by INTEGER REFERENCES person(id) ON DELETE SET NULL
);
CREATE INDEX version_node ON version(node_id, replaced_at);
CREATE INDEX version_blob ON version(blob);
CREATE INDEX version_age ON version(replaced_at);

-- What the trash and the versions of a group hold, next to used_bytes (its live files).
ALTER TABLE grp ADD COLUMN trash_bytes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE grp ADD COLUMN version_bytes INTEGER NOT NULL DEFAULT 0;
