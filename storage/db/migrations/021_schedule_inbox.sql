-- 021: a person's scheduling inbox (RFC 6638) is a collection of its own kind, holding the iTIP
-- messages delivered to them. Widening the CHECK of collection.kind rebuilds nothing: SQLite's
-- documented way to loosen a CHECK is to rewrite the table's definition in the schema, which
-- leaves every row, index and foreign key as it is (a rebuild of collection would cascade-delete
-- every object through cal_object's foreign key).
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (kind IN (''calendar'', ''addressbook''))',
    'CHECK (kind IN (''calendar'', ''addressbook'', ''schedule-inbox''))')
    WHERE type = 'table' AND name = 'collection';
PRAGMA writable_schema = RESET;
