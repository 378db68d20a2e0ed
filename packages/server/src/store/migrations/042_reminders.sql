-- Reminder offsets (minutes before start): a vendor's defaults, and a customer's own (null: the vendor's apply).
CREATE TABLE vendor_reminder_defaults (
  vendor_id uuid PRIMARY KEY REFERENCES vendors(id) ON DELETE CASCADE,
  offsets_minutes int[] NOT NULL
);
ALTER TABLE notification_settings ADD COLUMN reminder_offsets_minutes int[];

-- One durable job per booking × offset × start time: due_at = start_at - offset. Created when a booking is confirmed,
-- replaced when it moves (unsent rows of the old start are deleted), deleted when it is cancelled or declined. The
-- sender takes due rows FOR UPDATE SKIP LOCKED and sets sent_at in the transaction that makes the notification, so
-- each reminder is sent once however many nodes run the job.
CREATE TABLE reminders (
  id bigserial PRIMARY KEY,
  booking_id uuid NOT NULL REFERENCES bookings(id) ON DELETE CASCADE,
  customer_id uuid NOT NULL,
  offset_minutes int NOT NULL,
  start_at timestamptz NOT NULL,
  due_at timestamptz NOT NULL,
  sent_at timestamptz,
  UNIQUE (booking_id, offset_minutes, start_at)
);
CREATE INDEX reminders_due ON reminders (due_at) WHERE sent_at IS NULL;
