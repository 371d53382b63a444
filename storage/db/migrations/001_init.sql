-- 001: people, groups, roles, the file tree, dead properties, WebDAV locks, one-time tokens,
-- web sessions and the audit log. Times are Unix nanoseconds.

CREATE TABLE person (
    id                  INTEGER PRIMARY KEY,
    email               TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    name                TEXT    NOT NULL DEFAULT '',
    password_hash       TEXT    NOT NULL DEFAULT '',   -- argon2id PHC string; '' until the person sets one
    password_changed_at INTEGER NOT NULL DEFAULT 0,
    is_admin            INTEGER NOT NULL DEFAULT 0,
    suspended           INTEGER NOT NULL DEFAULT 0,
    created_at          INTEGER NOT NULL
);

-- "group" is an SQL keyword.
CREATE TABLE grp (
    id          INTEGER PRIMARY KEY,
    slug        TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL,
    quota_bytes INTEGER NOT NULL DEFAULT 0,   -- 0: no quota
    used_bytes  INTEGER NOT NULL DEFAULT 0,   -- sum of the group's file sizes
    created_at  INTEGER NOT NULL
);

CREATE TABLE membership (
    group_id   INTEGER NOT NULL REFERENCES grp(id) ON DELETE CASCADE,
    person_id  INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    role       TEXT    NOT NULL CHECK (role IN ('animator', 'member', 'guest')),
    granted_by INTEGER REFERENCES person(id) ON DELETE SET NULL,
    granted_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL DEFAULT 0,    -- 0: does not expire
    PRIMARY KEY (group_id, person_id)
);
CREATE INDEX membership_person ON membership(person_id);

-- The file tree of each group, as materialised paths: a node's path is dir + '/' + name, the root of a
-- group has dir '' and name ''. Moving a folder rewrites the dir of its descendants in one statement;
-- looking up a path is one index probe; listing a folder is one index range.
CREATE TABLE node (
    id           INTEGER PRIMARY KEY,
    group_id     INTEGER NOT NULL REFERENCES grp(id) ON DELETE CASCADE,
    dir          TEXT    NOT NULL,
    name         TEXT    NOT NULL,
    is_dir       INTEGER NOT NULL,
    blob         TEXT,                          -- SHA-256 hex of the content, files only
    size         INTEGER NOT NULL DEFAULT 0,
    content_type TEXT    NOT NULL DEFAULT '',
    etag         TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    modified_at  INTEGER NOT NULL,
    UNIQUE (group_id, dir, name)
);
CREATE INDEX node_blob ON node(blob) WHERE blob IS NOT NULL;

-- WebDAV dead properties: value is the whole property element as the client sent it, self-contained.
CREATE TABLE dead_prop (
    node_id INTEGER NOT NULL REFERENCES node(id) ON DELETE CASCADE,
    ns      TEXT    NOT NULL,
    name    TEXT    NOT NULL,
    value   BLOB    NOT NULL,
    PRIMARY KEY (node_id, ns, name)
) WITHOUT ROWID;

-- WebDAV locks live on paths, not nodes: a lock may be taken on a name not yet mapped.
CREATE TABLE dav_lock (
    token      TEXT    PRIMARY KEY,
    group_id   INTEGER NOT NULL REFERENCES grp(id) ON DELETE CASCADE,
    root       TEXT    NOT NULL,
    infinite   INTEGER NOT NULL,
    exclusive  INTEGER NOT NULL,
    owner      BLOB,
    person_id  INTEGER REFERENCES person(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX dav_lock_group ON dav_lock(group_id, root);

-- One-time links (first administrator, set password, invitations): only a hash of the token is kept.
CREATE TABLE onetime_token (
    hash       TEXT    PRIMARY KEY,
    purpose    TEXT    NOT NULL,
    person_id  INTEGER REFERENCES person(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);

-- Web sessions: only a hash of the cookie value is kept.
CREATE TABLE session (
    hash         TEXT    PRIMARY KEY,
    person_id    INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    user_agent   TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX session_person ON session(person_id);

-- Who did what, and who granted what to whom. actor is kept as text so the trail survives erasure.
CREATE TABLE audit (
    id       INTEGER PRIMARY KEY,
    at       INTEGER NOT NULL,
    actor_id INTEGER REFERENCES person(id) ON DELETE SET NULL,
    actor    TEXT    NOT NULL,
    action   TEXT    NOT NULL,
    target   TEXT    NOT NULL DEFAULT '',
    detail   TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX audit_at ON audit(at);
