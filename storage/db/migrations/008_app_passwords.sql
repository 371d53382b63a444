-- 008: a password per device (phone, laptop, sync client), named, revocable, shown once. It is a long
-- random secret, so a SHA-256 of it is enough to store (no slow hash needed), and checking it on
-- every DAV request costs a lookup.
CREATE TABLE app_password (
    id           INTEGER PRIMARY KEY,
    person_id    INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    name         TEXT    NOT NULL,
    hash         TEXT    NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX app_password_person ON app_password(person_id);
