-- The live operations view lists requests waiting for an answer, longest first, every few seconds.
CREATE INDEX IF NOT EXISTS bookings_requested_since ON bookings (created_at) WHERE status = 'requested';
CREATE INDEX IF NOT EXISTS bookings_start ON bookings (start_at);
