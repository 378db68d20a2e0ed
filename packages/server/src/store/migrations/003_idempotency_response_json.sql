-- A replayed response must be the first response byte for byte: json keeps the text as stored (jsonb reorders keys).
ALTER TABLE idempotency_keys ALTER COLUMN response TYPE json USING response::json;
