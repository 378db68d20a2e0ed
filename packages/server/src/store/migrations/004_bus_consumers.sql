-- Durable bus consumers record each event they handled, so a redelivered message is recognised by its event id.
CREATE TABLE bus_receipts (
  consumer text NOT NULL,
  event_id bigint NOT NULL,
  handled_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, event_id)
);
CREATE INDEX bus_receipts_handled_at ON bus_receipts (handled_at);

-- Events a consumer without a broker gave up on after its last retry (with a broker: its dead-letter queue).
CREATE TABLE bus_dead_letters (
  consumer text NOT NULL,
  event_id bigint NOT NULL,
  attempts int NOT NULL,
  error text NOT NULL,
  failed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, event_id)
);
