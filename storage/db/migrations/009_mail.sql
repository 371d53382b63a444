-- 009: outgoing mail waits here until it is sent, so that a restart or an unreachable mail server
-- loses nothing. Without a mail server configured, this table is the outbox administrators read.
CREATE TABLE mail (
    id              INTEGER PRIMARY KEY,
    to_addr         TEXT    NOT NULL,
    subject         TEXT    NOT NULL,
    body            TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    sent_at         INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX mail_pending ON mail(sent_at, next_attempt_at);
