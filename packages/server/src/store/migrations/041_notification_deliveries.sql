-- What push and email senders pick up: one row per message to send on a channel, either a single notification or a
-- digest of those held through quiet hours. Senders claim due rows with FOR UPDATE SKIP LOCKED and a lease
-- (store/deliveries-repo.ts), so two nodes never take the same row at once, and mark them sent.
CREATE TABLE notification_outbox (
  id bigserial PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  channel text NOT NULL CHECK (channel IN ('push', 'email')),
  kind text NOT NULL CHECK (kind IN ('single', 'digest')),
  -- single: the category; digest: null (it may mix categories).
  category text,
  booking_id uuid,
  title text NOT NULL,
  body text NOT NULL,
  -- How many notifications this message stands for (1 for a single).
  items int NOT NULL,
  -- Makes creation idempotent: 'event:<source event id>' for a single, 'digest:<first held row id>' for a digest.
  dedupe_key text NOT NULL,
  due_at timestamptz NOT NULL,
  claimed_until timestamptz,
  sent_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (user_id, channel, dedupe_key)
);
CREATE INDEX notification_outbox_due ON notification_outbox (channel, due_at) WHERE sent_at IS NULL;

-- Notifications held through quiet hours, per channel, until hold_until; the digest job folds each user × channel
-- group that is due into one outbox row and deletes them, in one transaction.
CREATE TABLE notification_held (
  id bigserial PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  channel text NOT NULL CHECK (channel IN ('push', 'email')),
  category text NOT NULL,
  source_event_id bigint NOT NULL,
  booking_id uuid,
  title text NOT NULL,
  body text NOT NULL,
  hold_until timestamptz NOT NULL,
  UNIQUE (user_id, channel, source_event_id)
);
CREATE INDEX notification_held_due ON notification_held (hold_until);
