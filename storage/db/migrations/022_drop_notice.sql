-- 022: when a drop link last mailed its maker, so that a burst of drops (or someone posting in a
-- loop) sends one message per quiet period instead of one per batch.
ALTER TABLE share_link ADD COLUMN drop_mailed_at INTEGER NOT NULL DEFAULT 0;
