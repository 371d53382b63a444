-- 011: joining a group. A person asks (with a message); the group's animators validate or refuse
-- (with a reason); when the group requires membership, an administrator activates the validated
-- request, which needs the person's dues for the year to be paid. Nobody enters a group's space
-- unless its animators said yes.
CREATE TABLE access_request (
    id           INTEGER PRIMARY KEY,
    group_id     INTEGER NOT NULL REFERENCES grp(id) ON DELETE CASCADE,
    person_id    INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    message      TEXT    NOT NULL DEFAULT '',
    status       TEXT    NOT NULL CHECK (status IN ('pending', 'validated', 'refused', 'active')),
    created_at   INTEGER NOT NULL,
    decided_by   INTEGER REFERENCES person(id) ON DELETE SET NULL,
    decided_at   INTEGER NOT NULL DEFAULT 0,
    reason       TEXT    NOT NULL DEFAULT '',
    activated_by INTEGER REFERENCES person(id) ON DELETE SET NULL,
    activated_at INTEGER NOT NULL DEFAULT 0
);
-- One open request per person and group.
CREATE UNIQUE INDEX access_request_open ON access_request(group_id, person_id) WHERE status IN ('pending', 'validated');
CREATE INDEX access_request_status ON access_request(status);

-- Membership dues, one row per person and year.
CREATE TABLE dues (
    person_id    INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    year         INTEGER NOT NULL,
    amount_cents INTEGER NOT NULL,
    paid_at      INTEGER NOT NULL,
    source       TEXT    NOT NULL DEFAULT '',   -- "manual", "csv:<file>"
    PRIMARY KEY (person_id, year)
) WITHOUT ROWID;

-- Whether joining the group needs activation by an administrator (with dues), or animators decide alone.
ALTER TABLE grp ADD COLUMN requires_membership INTEGER NOT NULL DEFAULT 1;
