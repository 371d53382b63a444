-- 003: contents of the blob store that lost their last reference wait here until the collector
-- removes them. Inline contents are removed at once, in the transaction that drops the reference.
CREATE TABLE blob_orphan (
    key   TEXT    PRIMARY KEY,
    since INTEGER NOT NULL
) WITHOUT ROWID;
