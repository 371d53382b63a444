-- 004: agendas, task lists and address books (CalDAV/CardDAV). Times are Unix nanoseconds, except the
-- time window of calendar objects, in Unix seconds (the unit of a time-range query).

-- A collection belongs to a group (every member sees it) or to one person (personal). Its revision
-- grows by one at every change of its objects: it is the ctag, and the sync-token's counter.
CREATE TABLE collection (
    id          INTEGER PRIMARY KEY,
    group_id    INTEGER REFERENCES grp(id) ON DELETE CASCADE,
    person_id   INTEGER REFERENCES person(id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,                 -- URL segment
    kind        TEXT    NOT NULL CHECK (kind IN ('calendar', 'addressbook')),
    components  TEXT    NOT NULL DEFAULT '',      -- 'VEVENT', 'VTODO', 'VEVENT,VTODO'; '' for address books
    displayname TEXT    NOT NULL DEFAULT '',
    color       TEXT    NOT NULL DEFAULT '',
    description TEXT    NOT NULL DEFAULT '',
    sort_order  INTEGER NOT NULL DEFAULT 0,
    timezone    TEXT    NOT NULL DEFAULT '',      -- a VCALENDAR holding one VTIMEZONE, as sent
    revision    INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    CHECK ((group_id IS NULL) <> (person_id IS NULL))
);
CREATE UNIQUE INDEX collection_group_name ON collection(group_id, kind, name) WHERE group_id IS NOT NULL;
CREATE UNIQUE INDEX collection_person_name ON collection(person_id, kind, name) WHERE person_id IS NOT NULL;

-- Calendar objects and vCards, stored as the client sent them. first_start/last_end bound every
-- instance (with floating times widened by ±14 h); unbounded marks endless recurrences, whose last_end
-- means nothing. A time-range query reads this window from the index and parses only the candidates.
CREATE TABLE cal_object (
    id            INTEGER PRIMARY KEY,
    collection_id INTEGER NOT NULL REFERENCES collection(id) ON DELETE CASCADE,
    name          TEXT    NOT NULL,
    uid           TEXT    NOT NULL,
    component     TEXT    NOT NULL,               -- VEVENT, VTODO, VJOURNAL or VCARD
    etag          TEXT    NOT NULL,
    data          BLOB    NOT NULL,
    first_start   INTEGER NOT NULL,
    last_end      INTEGER NOT NULL,
    unbounded     INTEGER NOT NULL DEFAULT 0,
    modified_at   INTEGER NOT NULL,
    UNIQUE (collection_id, name),
    UNIQUE (collection_id, uid)
);
CREATE INDEX cal_object_window ON cal_object(collection_id, first_start);

-- The change log of RFC 6578: the latest change of each name, with the revision it was made at.
-- Deleted names stay as tombstones, so that a client's old sync-token learns of the deletion; an
-- incremental sync reads only the rows after its revision.
CREATE TABLE cal_change (
    collection_id INTEGER NOT NULL REFERENCES collection(id) ON DELETE CASCADE,
    name          TEXT    NOT NULL,
    revision      INTEGER NOT NULL,
    deleted       INTEGER NOT NULL,
    PRIMARY KEY (collection_id, name)
) WITHOUT ROWID;
CREATE INDEX cal_change_revision ON cal_change(collection_id, revision);

-- People whose personal collections were made (lazily, at their first discovery), so that a person who
-- deletes them all does not get them back.
CREATE TABLE calendar_home (
    person_id  INTEGER PRIMARY KEY REFERENCES person(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL
);

-- Groups that existed before this migration get what CreateGroup now gives every new group.
INSERT INTO collection (group_id, name, kind, components, displayname, created_at)
    SELECT id, 'agenda', 'calendar', 'VEVENT', name || ' — agenda', created_at FROM grp;
INSERT INTO collection (group_id, name, kind, components, displayname, created_at)
    SELECT id, 'taches', 'calendar', 'VTODO', name || ' — tâches', created_at FROM grp;
INSERT INTO collection (group_id, name, kind, components, displayname, created_at)
    SELECT id, 'contacts', 'addressbook', '', name || ' — contacts', created_at FROM grp;
