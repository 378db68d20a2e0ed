CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE vendors (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  slug text NOT NULL UNIQUE,
  auto_confirm boolean NOT NULL DEFAULT false,
  cancellation_cutoff_minutes integer NOT NULL DEFAULT 120,
  request_ttl_minutes integer NOT NULL DEFAULT 60,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email text NOT NULL UNIQUE,
  name text NOT NULL,
  password_hash text NOT NULL,
  role text NOT NULL CHECK (role IN ('customer', 'staff', 'admin')),
  vendor_id uuid REFERENCES vendors(id),
  is_owner boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((role = 'staff') = (vendor_id IS NOT NULL))
);

CREATE TABLE resources (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  vendor_id uuid NOT NULL REFERENCES vendors(id),
  name text NOT NULL,
  timezone text NOT NULL,
  slot_interval_minutes integer NOT NULL CHECK (slot_interval_minutes > 0),
  weekly_hours jsonb NOT NULL,
  exceptions jsonb NOT NULL DEFAULT '[]',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX resources_vendor ON resources (vendor_id);

CREATE TABLE services (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  vendor_id uuid NOT NULL REFERENCES vendors(id),
  name text NOT NULL,
  duration_minutes integer NOT NULL CHECK (duration_minutes > 0),
  buffer_before_minutes integer NOT NULL DEFAULT 0 CHECK (buffer_before_minutes >= 0),
  buffer_after_minutes integer NOT NULL DEFAULT 0 CHECK (buffer_after_minutes >= 0),
  price_minor bigint NOT NULL CHECK (price_minor >= 0),
  currency char(3) NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX services_vendor ON services (vendor_id);

CREATE TABLE service_resources (
  service_id uuid NOT NULL REFERENCES services(id),
  resource_id uuid NOT NULL REFERENCES resources(id),
  PRIMARY KEY (service_id, resource_id)
);

CREATE TABLE bookings (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  vendor_id uuid NOT NULL REFERENCES vendors(id),
  resource_id uuid NOT NULL REFERENCES resources(id),
  service_id uuid NOT NULL REFERENCES services(id),
  customer_id uuid NOT NULL REFERENCES users(id),
  status text NOT NULL CHECK (status IN ('requested', 'confirmed', 'declined', 'cancelled', 'expired', 'checked_in', 'no_show', 'completed')),
  start_at timestamptz NOT NULL,
  end_at timestamptz NOT NULL,
  -- The interval the resource is held, buffers included; the exclusion constraint works on this.
  block_start timestamptz NOT NULL,
  block_end timestamptz NOT NULL,
  version integer NOT NULL DEFAULT 1,
  note text,
  price_minor bigint NOT NULL,
  currency char(3) NOT NULL,
  status_reason text,
  updated_by_user uuid,
  updated_by_role text NOT NULL,
  expires_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (end_at > start_at AND block_start <= start_at AND block_end >= end_at),
  -- No two bookings that hold their slot may overlap on one resource: the database, not the code, guarantees it.
  CONSTRAINT bookings_no_overlap EXCLUDE USING gist (
    resource_id WITH =,
    tstzrange(block_start, block_end, '[)') WITH &&
  ) WHERE (status IN ('requested', 'confirmed', 'checked_in'))
);
CREATE INDEX bookings_vendor_start ON bookings (vendor_id, start_at, id);
CREATE INDEX bookings_customer_start ON bookings (customer_id, start_at, id);
CREATE INDEX bookings_resource_start ON bookings (resource_id, start_at);
CREATE INDEX bookings_expiring ON bookings (expires_at) WHERE status = 'requested';

-- The durable event log (transactional outbox). Rows are appended in the transaction that makes the change,
-- under an advisory lock, so ids are assigned in commit order and a reader of `id > cursor` never skips one.
CREATE TABLE events (
  id bigserial PRIMARY KEY,
  type text NOT NULL,
  booking_id uuid,
  vendor_id uuid,
  customer_id uuid,
  resource_id uuid,
  payload jsonb NOT NULL,
  occurred_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  published_at timestamptz
);
CREATE INDEX events_vendor ON events (vendor_id, id);
CREATE INDEX events_customer ON events (customer_id, id);
CREATE INDEX events_unpublished ON events (id) WHERE published_at IS NULL;

-- Highest event id removed by retention; a replay cursor below it cannot be served.
CREATE TABLE event_log_state (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  pruned_through bigint NOT NULL DEFAULT 0
);
INSERT INTO event_log_state DEFAULT VALUES;

CREATE TABLE sessions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  revoked_reason text
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Rotating refresh tokens, stored hashed; one session is one rotation family.
CREATE TABLE refresh_tokens (
  token_hash text PRIMARY KEY,
  session_id uuid NOT NULL REFERENCES sessions(id),
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);

CREATE TABLE idempotency_keys (
  user_id uuid NOT NULL,
  key text NOT NULL,
  method text NOT NULL,
  path text NOT NULL,
  request_hash text NOT NULL,
  status_code integer NOT NULL,
  response jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
