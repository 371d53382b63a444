-- 014: what must reach the partner association's copy. A content enters the outbox in the
-- transaction that first references it (so nothing acknowledged can be forgotten by a crash), and
-- leaves it once the partner holds it; a content nobody uses any more is queued for deletion on the
-- partner, not before a grace period (database copies shipped meanwhile still reference it).
CREATE TABLE replica_outbox (
    key         TEXT    NOT NULL PRIMARY KEY,
    op          TEXT    NOT NULL CHECK (op IN ('put', 'delete')),
    size        INTEGER NOT NULL DEFAULT 0,
    enqueued_at INTEGER NOT NULL,
    not_before  INTEGER NOT NULL DEFAULT 0,
    attempts    INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT    NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE INDEX replica_outbox_due ON replica_outbox (not_before, enqueued_at);

-- Small named values of the replication: the naming key of partner objects, markers.
CREATE TABLE replica_meta (
    name  TEXT NOT NULL PRIMARY KEY,
    value BLOB NOT NULL
) WITHOUT ROWID;
