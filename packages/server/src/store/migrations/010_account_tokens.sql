-- Email verification and password reset. Accounts count as verified unless a sign-up marks them otherwise
-- (EMAIL_VERIFICATION): those that exist already, demo and seeded ones, staff created by a vendor.
ALTER TABLE users ADD COLUMN email_verified_at timestamptz DEFAULT now();

-- Single-use tokens of emailed links, stored as their SHA-256 only.
CREATE TABLE account_tokens (
  token_hash text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  purpose text NOT NULL CHECK (purpose IN ('verify_email', 'reset_password')),
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);
CREATE INDEX account_tokens_user ON account_tokens (user_id, purpose);
