-- A user's own choices: one row per category × channel they set; absent cells take the vendor's or role's default
-- (domain/notification-preferences.ts).
CREATE TABLE notification_preferences (
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  category text NOT NULL,
  channel text NOT NULL CHECK (channel IN ('in_app', 'push', 'email')),
  enabled boolean NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, category, channel)
);

-- A vendor's defaults for its staff.
CREATE TABLE vendor_notification_defaults (
  vendor_id uuid NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,
  category text NOT NULL,
  channel text NOT NULL CHECK (channel IN ('in_app', 'push', 'email')),
  enabled boolean NOT NULL,
  PRIMARY KEY (vendor_id, category, channel)
);

-- Quiet hours: the user's zone, windows as JSON (protocol QuietWindow[]), and the break-through horizon.
CREATE TABLE notification_settings (
  user_id uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  time_zone text NOT NULL,
  quiet_windows jsonb NOT NULL DEFAULT '[]',
  urgent_within_hours int,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Every change a user made to a cell, for the frequency report ("how often was this category turned off").
CREATE TABLE notification_preference_changes (
  id bigserial PRIMARY KEY,
  user_id uuid NOT NULL,
  category text NOT NULL,
  channel text NOT NULL,
  enabled boolean,
  changed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notification_preference_changes_category ON notification_preference_changes (category, changed_at);
