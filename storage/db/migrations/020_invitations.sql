-- 020: invitations to events (iTIP, RFC 5546, mailed as iMIP, RFC 6047): one row per event and
-- attendee, with what was last sent (its SEQUENCE), the answer, and until when its links answer.
-- The event itself stays the one truth: answering writes the attendee's PARTSTAT into it, and this
-- row says what the invitee was told, so that a change mails an update and a restart mails nothing
-- twice.
CREATE TABLE invitation (
    id            INTEGER PRIMARY KEY,
    collection_id INTEGER NOT NULL REFERENCES collection(id) ON DELETE CASCADE,
    uid           TEXT    NOT NULL,           -- the event's UID
    address       TEXT    NOT NULL,           -- the ATTENDEE's calendar address, as written (mailto:…)
    email         TEXT    NOT NULL DEFAULT '',-- where the mail goes, lower case; '' for a member without one
    name          TEXT    NOT NULL DEFAULT '',
    via           TEXT    NOT NULL DEFAULT '',-- the group's address (CUTYPE=GROUP) through which they are invited
    person_id     INTEGER REFERENCES person(id) ON DELETE SET NULL, -- the attendee's account, if any
    organizer_id  INTEGER REFERENCES person(id) ON DELETE SET NULL, -- who sent it
    summary       TEXT    NOT NULL DEFAULT '',
    starts_at     INTEGER NOT NULL,
    ends_at       INTEGER NOT NULL,           -- the links answer until then: the last occurrence's end
    sequence      INTEGER NOT NULL DEFAULT 0, -- the SEQUENCE last sent
    partstat      TEXT    NOT NULL DEFAULT 'NEEDS-ACTION',
    answered_at   INTEGER NOT NULL DEFAULT 0,
    cancelled_at  INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL,
    UNIQUE (collection_id, uid, address)
);
CREATE INDEX invitation_person ON invitation(person_id, ends_at) WHERE person_id IS NOT NULL;

-- The hashes of the answer links mailed (each mail carries a new one): they answer that invitation
-- only, without signing in.
CREATE TABLE invitation_link (
    hash          TEXT    PRIMARY KEY,
    invitation_id INTEGER NOT NULL REFERENCES invitation(id) ON DELETE CASCADE
);

-- A mail may carry an iTIP message (its METHOD inside), sent as text/calendar beside the text.
ALTER TABLE mail ADD COLUMN calendar TEXT NOT NULL DEFAULT '';

-- Whether invitations come by mail too (always on the home page and in calendar clients).
ALTER TABLE person ADD COLUMN invitations_by_mail INTEGER NOT NULL DEFAULT 1;
