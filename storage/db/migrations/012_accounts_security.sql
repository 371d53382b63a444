-- 012: two-factor sign-in (TOTP, RFC 6238) with single-use recovery codes, and erasure requests (GDPR).

-- The TOTP secret must be read back to compute codes, so it is stored as is, like the database's
-- other secrets at rest. enabled_at is 0 while enrolment waits for its first code; last_step is
-- the last time step accepted, so a code cannot be replayed.
CREATE TABLE totp (
    person_id  INTEGER PRIMARY KEY REFERENCES person(id) ON DELETE CASCADE,
    secret     TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    enabled_at INTEGER NOT NULL DEFAULT 0,
    last_step  INTEGER NOT NULL DEFAULT 0
);

-- Recovery codes carry 80 random bits, so a SHA-256 is enough to store them (like app passwords).
CREATE TABLE recovery_code (
    person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    hash      TEXT    NOT NULL,
    used_at   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (person_id, hash)
) WITHOUT ROWID;

-- A person's request to be erased, for administrators to act on. The e-mail is kept as text so the
-- request stays readable once the person is gone.
CREATE TABLE erasure_request (
    id         INTEGER PRIMARY KEY,
    person_id  INTEGER REFERENCES person(id) ON DELETE SET NULL,
    email      TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    done_at    INTEGER NOT NULL DEFAULT 0
);
