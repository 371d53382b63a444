-- 019: a trash item's id is never given again. SQLite reuses the largest rowid once its row is
-- gone, so after a restore the next deletion took the restored item's id, and a trash page left
-- open restored (or purged) another item than the one shown. AUTOINCREMENT never reuses an id.
CREATE TABLE trash_new (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    group_id      INTEGER NOT NULL REFERENCES grp(id) ON DELETE CASCADE,
    original_path TEXT    NOT NULL,
    is_dir        INTEGER NOT NULL,
    size          INTEGER NOT NULL,
    deleted_at    INTEGER NOT NULL,
    deleted_by    INTEGER REFERENCES person(id) ON DELETE SET NULL
);
INSERT INTO trash_new (id, group_id, original_path, is_dir, size, deleted_at, deleted_by)
    SELECT id, group_id, original_path, is_dir, size, deleted_at, deleted_by FROM trash;
DROP TABLE trash;
ALTER TABLE trash_new RENAME TO trash;
CREATE INDEX trash_group ON trash(group_id, deleted_at);
CREATE INDEX trash_age ON trash(deleted_at);
