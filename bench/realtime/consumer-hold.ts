import pg from 'pg';

export interface ConsumerHold {
  /** The consumers held (rows of consumer_offsets). */
  names: string[];
  /** Moves the consumers past every event so far (as if the other node had handled them) and lets go. */
  release(): Promise<void>;
}

/**
 * Plays "another node runs the durable workers" (notifications): holds their offset rows locked, which a node's
 * durable consumer (bus/log-cursor-consumer.ts, FOR UPDATE SKIP LOCKED) takes to mean another node is the active
 * consumer, so it writes nothing. The fan-out
 * measurement uses this to time the gateway rather than notification writes, which the bare server does not do
 * either. Resolves to null when the node has no consumers.
 */
export async function holdConsumers(url: string): Promise<ConsumerHold | null> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let names: string[];
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<{ name: string }>('SELECT name FROM consumer_offsets ORDER BY name FOR UPDATE');
    names = rows.map((r) => r.name);
    if (names.length === 0) throw new Error('no consumers');
  } catch {
    await client.end().catch(() => {});
    return null;
  }
  return {
    names,
    async release() {
      try {
        await client.query(
          'UPDATE consumer_offsets SET last_event_id = (SELECT coalesce(max(id), 0) FROM events) WHERE name = ANY($1)',
          [names],
        );
        await client.query('COMMIT');
      } finally {
        await client.end().catch(() => {});
      }
    },
  };
}
