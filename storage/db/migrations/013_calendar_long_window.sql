-- 013: a time-range query costs what its result costs, not the calendar's history. The window index
-- (collection_id, first_start) alone makes a range late in the calendar read every earlier object.
-- Objects whose window spans at most a week (single events, floating ones widened by ±14 h included)
-- are found by first_start between the range's start minus a week and its end; the few long ones
-- (recurring series, unbounded ones, tasks spanning months) by this partial index, which holds last_end
-- and unbounded too, so that long objects out of the range are skipped without reading their rows.
-- The expression must stay identical to isLongWindow in storage/db/object.go, or SQLite will not use
-- the index.
CREATE INDEX cal_object_long ON cal_object(collection_id, first_start, last_end, unbounded)
    WHERE unbounded OR last_end - first_start > 604800;
