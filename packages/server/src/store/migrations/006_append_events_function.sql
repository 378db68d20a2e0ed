-- The event log's append in one round trip: take the append lock, insert the batch, notify listeners. The lock is
-- transaction-scoped, so it is held from here until COMMIT: ids are therefore taken in commit order and a reader
-- following `id > cursor` never skips an event (docs/architecture.md). Call it as the last statement before COMMIT.
CREATE FUNCTION append_events(batch jsonb) RETURNS SETOF events
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(7263001);
  RETURN QUERY
    INSERT INTO events (type, booking_id, vendor_id, customer_id, resource_id, payload, user_id)
    SELECT x.type, x.booking_id, x.vendor_id, x.customer_id, x.resource_id, x.payload, x.user_id
      FROM jsonb_to_recordset(batch)
        AS x(type text, booking_id uuid, vendor_id uuid, customer_id uuid, resource_id uuid, payload jsonb, user_id uuid)
    RETURNING *;
  -- currval is this session's last id: the highest of the batch.
  PERFORM pg_notify('slotcast_events', currval(pg_get_serial_sequence('events', 'id'))::text);
END
$$;
