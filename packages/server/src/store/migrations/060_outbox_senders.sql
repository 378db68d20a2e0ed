-- Push and email leave only through notification_outbox (workers/outbox-sender.ts). Every insert tells every node's
-- sender loop, on commit, that something may be due (one notification per statement; PostgreSQL folds repeats of one
-- transaction). A missed notification is only late: each node also sweeps on a bounded interval.
CREATE FUNCTION notify_outbox() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('slotcast_outbox', '');
  RETURN NULL;
END
$$;
CREATE TRIGGER notification_outbox_inserted AFTER INSERT ON notification_outbox
  FOR EACH STATEMENT EXECUTE FUNCTION notify_outbox();

-- Tries so far (a 429/5xx or network error defers the row by the back-off), and how the row ended: 'sent', or
-- 'failed' once the retries ran out. A row is done when sent_at is set, whatever its outcome.
ALTER TABLE notification_outbox ADD COLUMN attempts int NOT NULL DEFAULT 0;
ALTER TABLE notification_outbox ADD COLUMN outcome text CHECK (outcome IN ('sent', 'failed'));
CREATE INDEX notification_outbox_sent ON notification_outbox (sent_at) WHERE sent_at IS NOT NULL;

-- Why a row is held: quiet hours, the batching window (several within NOTIFY_BATCH_WINDOW_SECONDS become one), or a
-- staff member's hourly/daily digest. The digest's title depends on it.
ALTER TABLE notification_held ADD COLUMN reason text NOT NULL DEFAULT 'quiet'
  CHECK (reason IN ('quiet', 'batch', 'hourly', 'daily'));

-- One row per (device, outbox message) a push service accepted: a message claimed again (lease ran out, or a retry
-- for another device) skips these devices. Replaces push_deliveries, which was keyed by event for the old push worker.
CREATE TABLE push_sends (
  subscription_id uuid NOT NULL REFERENCES push_subscriptions(id) ON DELETE CASCADE,
  outbox_id bigint NOT NULL,
  sent_at timestamptz NOT NULL,
  PRIMARY KEY (outbox_id, subscription_id)
);
CREATE INDEX push_sends_sent_at ON push_sends (sent_at);
DROP TABLE push_deliveries;

-- A staff member's choice per category on push and email: each message at once (no row), or one digest an hour or a
-- day (domain/notification-frequency.ts).
CREATE TABLE notification_frequencies (
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  category text NOT NULL,
  frequency text NOT NULL CHECK (frequency IN ('hourly', 'daily')),
  PRIMARY KEY (user_id, category)
);
