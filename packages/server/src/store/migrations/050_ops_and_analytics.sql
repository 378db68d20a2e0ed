-- The live operations view lists requests waiting for an answer, longest first, every few seconds.
CREATE INDEX IF NOT EXISTS bookings_requested_since ON bookings (created_at) WHERE status = 'requested';
CREATE INDEX IF NOT EXISTS bookings_start ON bookings (start_at);

-- Analytics rollups, kept by the analytics worker (workers/analytics-worker.ts) in the transaction that moves its
-- position in the log, so each event counts exactly once. Cells are per vendor, metric, day and hour in the zone of
-- the booking's resource: heatmaps sum them by weekday and hour, trends by day.
CREATE TABLE analytics_hourly (
  vendor_id uuid NOT NULL,
  metric text NOT NULL CHECK (metric IN ('made', 'held', 'confirmed', 'cancelled', 'no_show')),
  local_day date NOT NULL,
  hour smallint NOT NULL CHECK (hour BETWEEN 0 AND 23),
  n integer NOT NULL,
  PRIMARY KEY (vendor_id, metric, local_day, hour)
);
CREATE INDEX analytics_hourly_day ON analytics_hourly (metric, local_day);

-- One row per confirmation of a request: seconds from request to confirmation (medians need the values).
CREATE TABLE analytics_confirm_times (
  event_id bigint PRIMARY KEY,
  vendor_id uuid NOT NULL,
  local_day date NOT NULL,
  seconds integer NOT NULL
);
CREATE INDEX analytics_confirm_times_vendor_day ON analytics_confirm_times (vendor_id, local_day);
