-- A sent message whose link was followed (UX-3 frequency report): the first time only. Kept apart from the outbox
-- row, which senders claim and mark; a push click can be recorded here the same way.
CREATE TABLE notification_opens (
  outbox_id bigint PRIMARY KEY REFERENCES notification_outbox(id) ON DELETE CASCADE,
  opened_at timestamptz NOT NULL
);
