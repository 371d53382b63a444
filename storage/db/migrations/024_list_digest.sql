-- 024: when each list last sent its daily digest (0: never; the list's creation counts as the start).
ALTER TABLE list ADD COLUMN digest_at INTEGER NOT NULL DEFAULT 0;
