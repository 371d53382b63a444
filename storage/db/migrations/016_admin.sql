-- 016: what administrators need beyond the schema so far.

-- An administrator may require a new password at the next sign-in (a leak, an old password): the
-- web sign-in then goes through the set-password step first, and DAV clients using the account
-- password are refused until it is done. Setting a password clears it.
ALTER TABLE person ADD COLUMN password_must_change INTEGER NOT NULL DEFAULT 0;

-- When a guest was told that their access ends soon, so that the warning is sent once; a new grant
-- (a new end date) clears it.
ALTER TABLE membership ADD COLUMN expiry_warned_at INTEGER NOT NULL DEFAULT 0;

