-- 023: a group's mailing lists. Who receives a list is never stored: it is computed by access when
-- a message goes out (the list's audience, people in force with an address), so that someone whose
-- dues lapse or who leaves stops receiving the next message without anybody editing a list.
CREATE TABLE list (
    id          INTEGER PRIMARY KEY,
    group_id    INTEGER NOT NULL REFERENCES grp(id) ON DELETE CASCADE,
    address     TEXT    NOT NULL UNIQUE,               -- the local part, lower case: atelier, bureau-annonces
    name        TEXT    NOT NULL,
    description TEXT    NOT NULL DEFAULT '',
    audience    TEXT    NOT NULL,                      -- who receives: all, members, animators (of the group), association
    posters     TEXT    NOT NULL,                      -- who posts freely: audience, animators, named
    others      TEXT    NOT NULL DEFAULT 'moderate',   -- anyone else's message: moderate, refuse
    reply_to    TEXT    NOT NULL DEFAULT 'list',       -- replies go to: list, author
    created_by  INTEGER REFERENCES person(id) ON DELETE SET NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX list_group ON list(group_id);

-- The people a list with posters = 'named' lets post (the president and the IT lead).
CREATE TABLE list_poster (
    list_id   INTEGER NOT NULL REFERENCES list(id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    PRIMARY KEY (list_id, person_id)
);

-- A person's choice for a list they receive: mute (nothing by mail; the archive stays readable)
-- or a daily digest. No row: every message.
CREATE TABLE list_pref (
    list_id   INTEGER NOT NULL REFERENCES list(id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    mode      TEXT    NOT NULL CHECK (mode IN ('mute', 'digest')),
    PRIMARY KEY (list_id, person_id)
);

-- Messages a list received, kept whole: stored before the LMTP answer, so nothing accepted is lost.
-- status: held (waiting for a moderator), distributed, rejected.
CREATE TABLE list_message (
    id          INTEGER PRIMARY KEY,
    list_id     INTEGER NOT NULL REFERENCES list(id) ON DELETE CASCADE,
    message_id  TEXT    NOT NULL,
    sender      TEXT    NOT NULL,
    sender_name TEXT    NOT NULL DEFAULT '',
    author_id   INTEGER REFERENCES person(id) ON DELETE SET NULL,
    subject     TEXT    NOT NULL DEFAULT '',
    body_text   TEXT    NOT NULL DEFAULT '',           -- the plain text, for the archive's search
    received_at INTEGER NOT NULL,
    status      TEXT    NOT NULL CHECK (status IN ('held', 'distributed', 'rejected')),
    decided_by  INTEGER REFERENCES person(id) ON DELETE SET NULL,
    decided_at  INTEGER NOT NULL DEFAULT 0,
    size        INTEGER NOT NULL,
    raw         BLOB    NOT NULL
);
-- A relay that retries after a lost answer hands the same Message-ID again: stored once.
CREATE UNIQUE INDEX list_message_once ON list_message(list_id, message_id);
CREATE INDEX list_message_archive ON list_message(list_id, status, received_at);

-- One copy of a distributed message to one person. The envelope sender names the delivery
-- (VERP), so that a bounce says which address failed.
CREATE TABLE list_delivery (
    id              INTEGER PRIMARY KEY,
    message_id      INTEGER NOT NULL REFERENCES list_message(id) ON DELETE CASCADE,
    person_id       INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    address         TEXT    NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    sent_at         INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX list_delivery_due ON list_delivery(sent_at, next_attempt_at);

-- Addresses that bounce: flagged on the person, for administrators to correct.
ALTER TABLE person ADD COLUMN bounced_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE person ADD COLUMN bounces INTEGER NOT NULL DEFAULT 0;
ALTER TABLE person ADD COLUMN bounce_reason TEXT NOT NULL DEFAULT '';

-- Keys the instance signs its own addresses and links with (a list's bounce addresses, its
-- one-click unsubscribe links), made on first use, travelling with the database.
CREATE TABLE secret (
    name  TEXT PRIMARY KEY,
    value BLOB NOT NULL
);
