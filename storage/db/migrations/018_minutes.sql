-- 018: the minutes of a group's meetings. A text (Markdown) goes draft → submitted → validated; a
-- validated text never changes: a correction is a new draft that revises it, and the validated one
-- stays readable until the correction is validated in turn (then it is superseded). Animators
-- decide how far validated minutes reach: the group, every member of the association, or anyone
-- holding its public link.
CREATE TABLE minutes (
    id           INTEGER PRIMARY KEY,
    group_id     INTEGER NOT NULL REFERENCES grp(id) ON DELETE CASCADE,
    poll_id      INTEGER REFERENCES poll(id) ON DELETE SET NULL, -- the date poll of the meeting, if any
    event_uid    TEXT    NOT NULL DEFAULT '',                    -- the meeting's event in the agenda
    title        TEXT    NOT NULL,
    held_on      INTEGER NOT NULL,                               -- when the meeting took place
    body         TEXT    NOT NULL,
    -- Minutes may be a document of the group's folder rather than (or besides) the text: its path,
    -- and once validated the content validated, kept as long as the minutes even if the file
    -- changes or goes (a reference of its own, as files and versions hold theirs).
    document      TEXT    NOT NULL DEFAULT '',
    document_blob TEXT    NOT NULL DEFAULT '',
    document_size INTEGER NOT NULL DEFAULT 0,
    status       TEXT    NOT NULL CHECK (status IN ('draft', 'submitted', 'validated', 'superseded')),
    revises      INTEGER REFERENCES minutes(id) ON DELETE SET NULL,
    perimeter    TEXT    NOT NULL DEFAULT 'group' CHECK (perimeter IN ('group', 'members', 'public')),
    public_token TEXT    NOT NULL DEFAULT '',                    -- the public link, shown again to the group
    created_by   INTEGER REFERENCES person(id) ON DELETE SET NULL,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    submitted_by INTEGER REFERENCES person(id) ON DELETE SET NULL,
    submitted_at INTEGER NOT NULL DEFAULT 0,
    validated_by INTEGER REFERENCES person(id) ON DELETE SET NULL,
    validated_at INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX minutes_group ON minutes(group_id, status, held_on);
CREATE INDEX minutes_perimeter ON minutes(perimeter, status);
CREATE UNIQUE INDEX minutes_token ON minutes(public_token) WHERE public_token != '';
CREATE INDEX minutes_document_blob ON minutes(document_blob) WHERE document_blob != '';

-- The actions decided: once the minutes are validated, each becomes a task of the group's task
-- list (task_uid), assigned and due as written.
CREATE TABLE minutes_action (
    id         INTEGER PRIMARY KEY,
    minutes_id INTEGER NOT NULL REFERENCES minutes(id) ON DELETE CASCADE,
    what       TEXT    NOT NULL,
    assignee   TEXT    NOT NULL DEFAULT '', -- an e-mail address of the group's people
    due        INTEGER NOT NULL DEFAULT 0,  -- a day, 0 for none
    task_uid   TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX minutes_action_minutes ON minutes_action(minutes_id);
