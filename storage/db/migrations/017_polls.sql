-- 017: date polls of a group's meetings, modelled on iCalendar's VPOLL (draft-ietf-calext-vpoll):
-- a poll offers slots (its items, each with a POLL-ITEM-ID), each voter answers every slot with a
-- RESPONSE (100 yes, 50 if need be, 0 no), and closing it keeps the chosen slot and the event it
-- became in the group's agenda.
CREATE TABLE poll (
    id          INTEGER PRIMARY KEY,
    group_id    INTEGER NOT NULL REFERENCES grp(id) ON DELETE CASCADE,
    uid         TEXT    NOT NULL UNIQUE,
    title       TEXT    NOT NULL,
    description TEXT    NOT NULL DEFAULT '',
    kind        TEXT    NOT NULL DEFAULT '',
    location    TEXT    NOT NULL DEFAULT '',
    visio       TEXT    NOT NULL DEFAULT '',
    deadline    INTEGER NOT NULL,
    created_by  INTEGER REFERENCES person(id) ON DELETE SET NULL,
    created_at  INTEGER NOT NULL,
    closed_at   INTEGER NOT NULL DEFAULT 0,
    closed_by   INTEGER REFERENCES person(id) ON DELETE SET NULL,
    chosen_slot INTEGER NOT NULL DEFAULT 0,
    event_uid   TEXT    NOT NULL DEFAULT '',
    reminded_at INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX poll_group ON poll(group_id, closed_at, deadline);
CREATE INDEX poll_open ON poll(closed_at, reminded_at, deadline);

CREATE TABLE poll_slot (
    id       INTEGER PRIMARY KEY,
    poll_id  INTEGER NOT NULL REFERENCES poll(id) ON DELETE CASCADE,
    start_at INTEGER NOT NULL,
    end_at   INTEGER NOT NULL,
    place    TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX poll_slot_poll ON poll_slot(poll_id, start_at);

-- The people asked. Someone who joins the group later answers from the page and is added then.
CREATE TABLE poll_voter (
    poll_id     INTEGER NOT NULL REFERENCES poll(id) ON DELETE CASCADE,
    person_id   INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    answered_at INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (poll_id, person_id)
);

-- The hashes of the personal answer links mailed to voters (the opening mail's, the reminder's):
-- each works signed out while the poll is open and its person may answer in the group.
CREATE TABLE poll_link (
    hash      TEXT    PRIMARY KEY,
    poll_id   INTEGER NOT NULL,
    person_id INTEGER NOT NULL,
    FOREIGN KEY (poll_id, person_id) REFERENCES poll_voter(poll_id, person_id) ON DELETE CASCADE
);

CREATE TABLE poll_answer (
    slot_id   INTEGER NOT NULL REFERENCES poll_slot(id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    response  INTEGER NOT NULL,
    PRIMARY KEY (slot_id, person_id)
);
