-- 002: small contents live in the database. A 4 KiB upload then costs one row in the group-committed
-- transaction instead of a file creation, a rename and two fsyncs on the file system, whose journal
-- serialises them. Still addressed by SHA-256: a node's blob is looked up here first.
CREATE TABLE inline_blob (
    key  TEXT PRIMARY KEY,
    data BLOB NOT NULL
) WITHOUT ROWID;
