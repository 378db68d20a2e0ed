-- A durable consumer with a broker that asks to start at the beginning of the log (`startAt: 'beginning'`, the
-- analytics worker) gets the retained log copied into its queue once: the events up to `through_event_id` (the log's
-- head just after its queue was first bound; later events reach the queue through the exchange), by one node at a
-- time, resuming after `copied_through`. Events copied twice (a crash between publish and commit, an event also
-- routed live) are dropped by the consumer's receipts.
CREATE TABLE durable_backfills (
  consumer text PRIMARY KEY,
  through_event_id bigint NOT NULL,
  copied_through bigint NOT NULL DEFAULT 0,
  finished_at timestamptz
);
