import { Counter, Gauge, type Registry } from 'prom-client';
import type { PoolStats } from '../store/db.js';

/**
 * The database pool as Prometheus reads it on scrape: connections by state, the queue's bounds, the wait a request
 * arriving now should expect, and how many were shed. `pool` is undefined until the pool exists.
 */
export function registerPoolGauges(registers: Registry[], pool: () => PoolStats | undefined): void {
  new Gauge({
    name: 'slotcast_db_pool_connections',
    help: 'Database pool connections by state (total, idle, waiting = callers queued for one)',
    labelNames: ['state'],
    registers,
    collect() {
      const p = pool();
      if (!p) return;
      this.set({ state: 'total' }, p.total);
      this.set({ state: 'idle' }, p.idle);
      this.set({ state: 'waiting' }, p.waiting);
    },
  });
  new Gauge({
    name: 'slotcast_db_pool_queue_limit',
    help: 'Callers that may wait for a database connection; beyond it requests are shed with 503 and Retry-After',
    registers,
    collect() {
      const p = pool();
      if (p && Number.isFinite(p.queueLimit)) this.set(p.queueLimit);
    },
  });
  new Gauge({
    name: 'slotcast_db_pool_expected_wait_seconds',
    help: 'How long a request arriving now should expect to wait for a database connection (queue × mean hold time)',
    registers,
    collect() {
      const p = pool();
      if (p) this.set(p.expectedWaitMs / 1000);
    },
  });
  new Gauge({
    name: 'slotcast_db_pool_max_wait_seconds',
    help: 'DATABASE_POOL_MAX_WAIT_MS: requests expected to wait longer for a connection are shed with 503 and Retry-After',
    registers,
    collect() {
      const p = pool();
      if (p && Number.isFinite(p.maxWaitMs)) this.set(p.maxWaitMs / 1000);
    },
  });
  new Counter({
    name: 'slotcast_db_pool_shed_total',
    help: 'Requests refused with 503 SERVICE_UNAVAILABLE: expected to wait too long for a database connection, or the queue was full',
    registers,
    collect() {
      const p = pool();
      if (!p) return;
      // The pool counts; mirror its total (it only grows).
      this.reset();
      this.inc(p.shed);
    },
  });
}
