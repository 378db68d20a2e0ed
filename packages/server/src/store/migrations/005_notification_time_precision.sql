-- Notification pages are keyset cursors over (created_at, id) that travel as JSON with millisecond ISO times; a
-- timestamp with microseconds would fall between a cursor and the next page. Store what the cursor can carry.
UPDATE notifications SET created_at = date_trunc('milliseconds', created_at);
ALTER TABLE notifications ALTER COLUMN created_at SET DEFAULT date_trunc('milliseconds', now());
ALTER TABLE notifications ADD CONSTRAINT notifications_created_at_ms CHECK (created_at = date_trunc('milliseconds', created_at));
