-- What customers tell vendors about themselves, and whether they share it.
ALTER TABLE users
  ADD COLUMN phone text,
  ADD COLUMN timezone text,
  ADD COLUMN share_phone boolean NOT NULL DEFAULT false,
  ADD COLUMN share_email boolean NOT NULL DEFAULT false;

-- A vendor's rules for customers moving their own bookings.
ALTER TABLE vendors
  ADD COLUMN reschedule_cutoff_minutes integer NOT NULL DEFAULT 120 CHECK (reschedule_cutoff_minutes >= 0),
  ADD COLUMN reschedule_needs_confirmation boolean NOT NULL DEFAULT false;

-- A booking's timeline reads its events by booking.
CREATE INDEX events_booking ON events (booking_id, id) WHERE booking_id IS NOT NULL;
