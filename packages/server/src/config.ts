import { hostname } from 'node:os';
import { z } from 'zod';
import { DEFAULT_POOL_QUEUE_LIMIT } from './store/postgres.js';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
/** A rate as `points/seconds`: `60/60` is 60 per minute. */
const rate = z
  .string()
  .regex(/^\d+\/\d+$/, 'a rate such as 60/60 (points per seconds)')
  .transform((s) => {
    const [points, duration] = s.split('/').map(Number) as [number, number];
    return { points, duration };
  })
  .refine((r) => r.points >= 1 && r.duration >= 1, 'points and seconds must be at least 1');
const list = z.string().transform((s) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean),
);

/** Every setting Slotcast reads from the environment, parsed once at start. docs/operations.md lists them. */
const ConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** PostgreSQL connection string; without it the embedded PGlite database in DATA_DIR is used. */
  DATABASE_URL: z.url().optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /** Requests that may wait for a database connection; more are shed with 503 and Retry-After. */
  DATABASE_POOL_QUEUE: z.coerce.number().int().min(1).max(100_000).default(DEFAULT_POOL_QUEUE_LIMIT),
  DATA_DIR: z.string().default('.data'),
  JWT_SECRET: z.string().min(32, 'JWT_SECRET must be at least 32 characters').optional(),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(10).max(86_400).default(900),
  REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /** A rotated refresh token still works this long after its use (a lost response, two tabs); later reuse revokes. */
  REFRESH_REUSE_GRACE_SECONDS: z.coerce.number().int().min(0).max(300).default(10),
  /** Origins allowed to open sockets and call the API from a browser; the server's own origin is always allowed. */
  ALLOWED_ORIGINS: list.default([]),
  EVENT_RETENTION_HOURS: z.coerce
    .number()
    .min(1)
    .max(24 * 365)
    .default(24 * 7),
  EXPIRY_SWEEP_SECONDS: z.coerce.number().min(1).max(3600).default(15),
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(10 * 1024 * 1024)
    .default(64 * 1024),
  DEMO_DATA: bool.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Socket.IO Redis adapter (scale-out); unset = in-memory adapter. */
  REDIS_URL: z.url().optional(),
  /** RabbitMQ event bus (scale-out); unset = in-process bus. */
  AMQP_URL: z.url().optional(),
  /** Run the durable workers (notifications) on this node; false where other nodes run them. */
  WORKERS_ENABLED: bool.default(true),
  /** Serve the built web app from this folder; empty disables it. */
  WEB_DIST: z.string().optional(),
  // Operations (docs/operations.md): node name, log files, metrics, shutdown, rate limits, tracing.
  /** Names this node in metrics and logs; default `<hostname>-<pid>`. */
  NODE_ID: z.string().min(1).max(100).optional(),
  /** How often this node pushes its live operations sample to admins (observability/ops-publisher.ts). */
  OPS_SAMPLE_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(300).default(5),
  /** The Prometheus alert rules whose thresholds colour the live view; default: ops/prometheus/rules in the repo. */
  ALERT_RULES_FILE: z.string().optional(),
  /** Log to rolling files at this path instead of stdout. */
  LOG_FILE: z.string().min(1).optional(),
  LOG_FILE_SIZE: z
    .string()
    .regex(/^\d+[kmg]?$/i, 'a size such as 500k, 100m or 1g')
    .default('100m'),
  LOG_FILE_FREQUENCY: z.enum(['daily', 'hourly']).default('daily'),
  LOG_FILE_KEEP: z.coerce.number().int().min(1).max(1000).default(14),
  /** When set, GET /metrics needs `Authorization: Bearer <METRICS_TOKEN>`. */
  METRICS_TOKEN: z.string().min(16, 'METRICS_TOKEN must be at least 16 characters').optional(),
  /** How long /readyz fails before sockets are told to go and the server stops (load balancers notice meanwhile). */
  SHUTDOWN_DELAY_MS: z.coerce.number().int().min(0).max(60_000).optional(),
  RATE_LIMITS_ENABLED: bool.default(true),
  RATE_LIMIT_HTTP_AUTH: rate.prefault('60/60'),
  RATE_LIMIT_HTTP_MUTATIONS: rate.prefault('300/60'),
  RATE_LIMIT_HTTP_READS: rate.prefault('1200/60'),
  RATE_LIMIT_SOCKET_HANDSHAKES: rate.prefault('60/60'),
  RATE_LIMIT_SOCKETS_PER_USER: z.coerce.number().int().min(1).max(10_000).default(20),
  RATE_LIMIT_SOCKET_FOLLOW: rate.prefault('120/60'),
  RATE_LIMIT_SOCKET_UNFOLLOW: rate.prefault('120/60'),
  RATE_LIMIT_SOCKET_AUTH_REFRESH: rate.prefault('10/60'),
  RATE_LIMIT_SOCKET_FLOOD_REJECTIONS: z.coerce.number().int().min(1).max(10_000).default(20),
  RATE_LIMIT_TIGHTEN_LAG_MS: z.coerce.number().min(1).max(60_000).default(200),
  RATE_LIMIT_TIGHTEN_CONNECTIONS: z.coerce.number().int().min(1).default(20_000),
  RATE_LIMIT_TIGHTEN_DIVISOR: z.coerce.number().int().min(1).max(100).default(2),
  RATE_LIMIT_RELAX_SECONDS: z.coerce.number().min(0).max(3600).default(30),
  /** `otlp` or `console` registers the OpenTelemetry SDK at start; `none` leaves the API a no-op. */
  OTEL_TRACES_EXPORTER: z.enum(['none', 'otlp', 'console']).default('none'),
  OTEL_SERVICE_NAME: z.string().min(1).default('slotcast'),
});

export type Config = z.infer<typeof ConfigSchema> & { demoData: boolean; nodeId: string; shutdownDelayMs: number };

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  if (c.NODE_ENV === 'production' && !c.JWT_SECRET) {
    throw new Error('Invalid configuration:\n  JWT_SECRET: required in production (at least 32 characters)');
  }
  return {
    ...c,
    demoData: c.DEMO_DATA ?? c.NODE_ENV === 'development',
    nodeId: c.NODE_ID ?? `${hostname()}-${process.pid}`,
    // Behind a load balancer, give its health checks time to see /readyz fail before connections are closed.
    shutdownDelayMs: c.SHUTDOWN_DELAY_MS ?? (c.NODE_ENV === 'production' ? 5000 : 0),
  };
}
