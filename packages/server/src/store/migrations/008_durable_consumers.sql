-- Durable consumers are one mechanism now (bus/durable.ts): without a broker each follows the log from its row in
-- consumer_offsets, named as the consumer itself. The rows the former embedded durable consumers kept apart under
-- "bus:<name>" are no longer read; nothing used them in production, so they go rather than being carried over.
DELETE FROM consumer_offsets WHERE name LIKE 'bus:%';
