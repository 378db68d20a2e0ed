-- Devices a user asked to be told on: a browser's Web Push subscription, or an FCM / APNs device token.
CREATE TABLE push_subscriptions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  provider text NOT NULL CHECK (provider IN ('webpush', 'fcm', 'apns')),
  -- Web Push: the push service URL; FCM/APNs: the device token. One device is one endpoint.
  endpoint text NOT NULL UNIQUE,
  p256dh text,
  auth text,
  user_agent text,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_success_at timestamptz
);
CREATE INDEX push_subscriptions_user ON push_subscriptions (user_id);

-- One row per (device, event) that a push service accepted: a retried or redelivered event skips these devices.
CREATE TABLE push_deliveries (
  subscription_id uuid NOT NULL REFERENCES push_subscriptions(id) ON DELETE CASCADE,
  event_id bigint NOT NULL,
  sent_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (subscription_id, event_id)
);
CREATE INDEX push_deliveries_sent_at ON push_deliveries (sent_at);

