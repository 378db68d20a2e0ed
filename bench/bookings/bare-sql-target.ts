import pg from 'pg';
import { EVENTS_CHANNEL } from '../../packages/server/src/store/event-log.js';
import type { Outcome } from '../lib/closed-loop.js';
import type { BenchWorld } from './fixtures.js';
import type { PlannedSlot } from './slot-plan.js';
import type { BookingRef, BookingTarget, CreateResult } from './target.js';

// The key the event log's append (migrations/006_append_events_function.sql) serialises appends with; the same lock
// makes the same critical section. Here it stays three statements, as a hand-written transaction would send them.
const APPEND_LOCK = 7_263_001;
const EXCLUSION_VIOLATION = '23P01';

const INSERT_BOOKING = `INSERT INTO bookings (vendor_id, resource_id, service_id, customer_id, status, start_at, end_at,
    block_start, block_end, note, price_minor, currency, updated_by_user, updated_by_role, expires_at)
  VALUES ($1, $2, $3, $4, 'requested', $5, $6, $5, $6, NULL, $7, $8, $4, 'customer', $9)
  RETURNING *`;
const LOCK_BOOKING = 'SELECT * FROM bookings WHERE id = $1 FOR UPDATE';
const CONFIRM_BOOKING = `UPDATE bookings SET status = 'confirmed', status_reason = NULL, updated_by_user = $3,
    updated_by_role = 'staff', expires_at = NULL, version = version + 1, updated_at = clock_timestamp()
  WHERE id = $1 AND version = $2
  RETURNING *`;
const INSERT_EVENT = `INSERT INTO events (type, booking_id, vendor_id, customer_id, resource_id, payload)
  VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`;

interface BookingRow {
  id: string;
  vendor_id: string;
  resource_id: string;
  service_id: string;
  customer_id: string;
  status: string;
  start_at: Date;
  end_at: Date;
  version: number;
  note: string | null;
  price_minor: string;
  currency: string;
  status_reason: string | null;
  updated_by_user: string | null;
  updated_by_role: string;
  created_at: Date;
  updated_at: Date;
}

/** The event payload Slotcast writes (booking, previous status, actor, reason), so the rows weigh the same. */
function eventPayload(b: BookingRow, previousStatus: string | null) {
  return JSON.stringify({
    booking: {
      id: b.id,
      vendorId: b.vendor_id,
      resourceId: b.resource_id,
      serviceId: b.service_id,
      customerId: b.customer_id,
      status: b.status,
      startAt: b.start_at.toISOString(),
      endAt: b.end_at.toISOString(),
      timezone: 'UTC',
      version: b.version,
      note: b.note,
      priceMinor: Number(b.price_minor),
      currency: b.currency,
      statusReason: b.status_reason,
      updatedBy: { userId: b.updated_by_user, role: b.updated_by_role },
      createdAt: b.created_at.toISOString(),
      updatedAt: b.updated_at.toISOString(),
    },
    previousStatus,
    actor: { userId: b.updated_by_user, role: b.updated_by_role },
    reason: null,
  });
}

/**
 * The same transactions as bare SQL through `pg`: nothing but the writes Slotcast's store makes and the event-log
 * append under its advisory lock. No HTTP, no authentication, no validation, no catalogue reads, no idempotency keys;
 * the gap between this and Slotcast is what everything else costs.
 */
export function bareSqlTarget(
  url: string,
  poolSize: number,
  world: BenchWorld,
): BookingTarget & { close(): Promise<void> } {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 5_000 });
  pool.on('error', () => {});
  let statements = 0;

  async function inTransaction<T>(fn: (q: (sql: string, params?: unknown[]) => Promise<pg.QueryResult>) => Promise<T>) {
    const client = await pool.connect();
    const q = (sql: string, params?: unknown[]) => {
      statements++;
      return client.query(sql, params);
    };
    try {
      await q('BEGIN');
      const out = await fn(q);
      await q('COMMIT');
      return out;
    } catch (err) {
      await q('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  async function appendEvent(
    q: (sql: string, params?: unknown[]) => Promise<pg.QueryResult>,
    type: string,
    b: BookingRow,
    previous: string | null,
  ) {
    await q('SELECT pg_advisory_xact_lock($1)', [APPEND_LOCK]);
    const ev = await q(INSERT_EVENT, [
      type,
      b.id,
      b.vendor_id,
      b.customer_id,
      b.resource_id,
      eventPayload(b, previous),
    ]);
    await q('SELECT pg_notify($1, $2)', [EVENTS_CHANNEL, String(ev.rows[0].id)]);
  }

  return {
    label: 'bare SQL',
    async create(slot: PlannedSlot, customer: number): Promise<CreateResult> {
      const customerId = world.customers[customer % world.customers.length]!.id;
      const end = new Date(slot.startAt.getTime() + world.service.durationMinutes * 60_000);
      try {
        const b = await inTransaction(async (q) => {
          const { rows } = await q(INSERT_BOOKING, [
            world.vendorId,
            slot.resourceId,
            world.service.id,
            customerId,
            slot.startAt,
            end,
            world.service.priceMinor,
            world.service.currency,
            new Date(Date.now() + 24 * 3_600_000),
          ]);
          const row = rows[0] as BookingRow;
          await appendEvent(q, 'booking.requested', row, null);
          return row;
        });
        return { outcome: 'ok', ref: { id: b.id, version: b.version } };
      } catch (err) {
        if ((err as { code?: string }).code === EXCLUSION_VIOLATION) return { outcome: 'conflict' };
        throw err;
      }
    },
    async confirm(ref: BookingRef): Promise<Outcome> {
      return inTransaction(async (q) => {
        const current = (await q(LOCK_BOOKING, [ref.id])).rows[0] as BookingRow | undefined;
        if (!current) throw new Error(`no booking ${ref.id}`);
        if (current.version !== ref.version || current.status !== 'requested') return 'conflict';
        const { rows } = await q(CONFIRM_BOOKING, [ref.id, ref.version, world.staff.id]);
        await appendEvent(q, 'booking.confirmed', rows[0] as BookingRow, current.status);
        return 'ok';
      });
    },
    statements: () => statements,
    close: () => pool.end(),
  };
}
