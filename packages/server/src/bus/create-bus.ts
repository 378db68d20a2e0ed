import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Db } from '../store/db.js';
import { openPostgres } from '../store/postgres.js';
import { AmqpBus } from './amqp-bus.js';
import { type BusMetrics, noBusMetrics } from './bus-metrics.js';
import { EmbeddedBus } from './embedded-bus.js';
import type { NodeBus } from './node-bus.js';

/** The bus the configuration asks for: RabbitMQ with AMQP_URL (PostgreSQL required), else the embedded one. */
export function createBus(
  config: Pick<Config, 'AMQP_URL' | 'DATABASE_URL'> & { nodeId: string },
  db: Db,
  logger: Logger,
  metrics: BusMetrics = noBusMetrics,
): NodeBus {
  if (!config.AMQP_URL) {
    const url = config.DATABASE_URL;
    // The tailer's own connection: its reads never queue behind writers for the shared pool.
    const openReader = url && db.kind === 'postgres' ? () => openPostgres(url, { poolSize: 1 }) : undefined;
    return new EmbeddedBus(db, { logger, metrics, openReader });
  }
  if (!config.DATABASE_URL) throw new Error('AMQP_URL needs DATABASE_URL: the embedded database serves one node only');
  return new AmqpBus({
    db,
    databaseUrl: config.DATABASE_URL,
    amqpUrl: config.AMQP_URL,
    nodeId: config.nodeId,
    logger: logger.child({ component: 'bus' }),
    metrics,
  });
}
