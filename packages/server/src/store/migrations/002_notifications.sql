-- Private events: addressed to one user only (their notifications), never to a vendor's staff or admins.
ALTER TABLE events ADD COLUMN user_id uuid;
CREATE INDEX events_user ON events (user_id, id) WHERE user_id IS NOT NULL;

CREATE TABLE notifications (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users(id),
  -- The booking event this notification was made from; with user_id it makes creation idempotent.
  source_event_id bigint NOT NULL,
  booking_id uuid,
  category text NOT NULL,
  priority smallint NOT NULL,
  title text NOT NULL,
  body text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  read_at timestamptz,
  UNIQUE (user_id, source_event_id)
);
CREATE INDEX notifications_user_created ON notifications (user_id, created_at DESC, id);
CREATE INDEX notifications_user_unread ON notifications (user_id) WHERE read_at IS NULL;

-- Durable positions of log consumers (workers that must see every event once, across restarts).
CREATE TABLE consumer_offsets (
  name text PRIMARY KEY,
  last_event_id bigint NOT NULL
);
