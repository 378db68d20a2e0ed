import { hostname } from 'node:os';
import { z } from 'zod';
import { DEFAULT_POOL_BURST, DEFAULT_POOL_MAX_WAIT_MS, DEFAULT_POOL_QUEUE_LIMIT } from './store/postgres.js';

/** Push services of Chrome/Edge/Opera (FCM), Firefox (Mozilla autopush), Safari (Apple) and legacy Edge (WNS). */
export const DEFAULT_PUSH_ENDPOINT_HOSTS = [
  'fcm.googleapis.com',
  'android.googleapis.com',
  '*.push.services.mozilla.com',
  '*.push.apple.com',
  '*.notify.windows.com',
];

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

/**
 * Which peers may tell us the client's address (X-Forwarded-For): `false` (default, nobody: the socket address is
 * the client), a hop count (`1` = the nearest proxy), or addresses/CIDRs of the proxies (`10.0.0.0/8,127.0.0.1`).
 */
const trustProxy = z.string().transform((s, ctx): false | number | string[] => {
  const v = s.trim();
  if (v === '' || v === 'false' || v === '0') return false;
  if (/^\d+$/.test(v)) return Number(v);
  const items = v
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  const cidr = /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-f:]+)(\/\d{1,3})?$|^(loopback|linklocal|uniquelocal)$/i;
  const bad = items.filter((x) => !cidr.test(x));
  if (bad.length || !items.length) {
    ctx.addIssue({
      code: 'custom',
      message: `a hop count or a list of addresses/CIDRs, not ${bad.join(', ') || 'empty'}`,
    });
    return z.NEVER;
  }
  return items;
});

/** Every setting Slotcast reads from the environment, parsed once at start. docs/operations.md lists them. */
const ConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /**
   * Connections the kernel may hold for this listener before the node accepts them (Node's own default is 511). A
   * reconnect storm opens thousands at once; past the backlog the kernel drops them and clients retransmit 1, 3, 7 s
   * later. The kernel caps it at net.core.somaxconn.
   */
  LISTEN_BACKLOG: z.coerce.number().int().min(1).max(1_000_000).default(16_384),
  /** PostgreSQL connection string; without it the embedded PGlite database in DATA_DIR is used. */
  DATABASE_URL: z.url().optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /** Requests that may wait for a database connection; more are shed with 503 and Retry-After. */
  DATABASE_POOL_QUEUE: z.coerce.number().int().min(1).max(100_000).default(DEFAULT_POOL_QUEUE_LIMIT),
  /**
   * The longest wait for a database connection a request is admitted to, estimated from the queue and how long
   * connections are held; once DATABASE_POOL_BURST wait, a request expected to wait longer is shed with 503.
   */
  DATABASE_POOL_MAX_WAIT_MS: z.coerce.number().int().min(1).max(600_000).default(DEFAULT_POOL_MAX_WAIT_MS),
  /** Requests always queued for a connection, whatever their expected wait: a burst is served, not shed. */
  DATABASE_POOL_BURST: z.coerce.number().int().min(0).max(100_000).default(DEFAULT_POOL_BURST),
  DATA_DIR: z.string().default('.data'),
  JWT_SECRET: z.string().min(32, 'JWT_SECRET must be at least 32 characters').optional(),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(10).max(86_400).default(900),
  REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /** A rotated refresh token still works this long after its use (a lost response, two tabs); later reuse revokes. */
  REFRESH_REUSE_GRACE_SECONDS: z.coerce.number().int().min(0).max(300).default(10),
  /** Origins allowed to open sockets and call the API from a browser; the server's own origin is always allowed. */
  ALLOWED_ORIGINS: list.default([]),
  /** Proxies trusted to report the client address; off by default (see trustProxy above and docs/security.md). */
  TRUST_PROXY: trustProxy.prefault('false'),
  EVENT_RETENTION_HOURS: z.coerce
    .number()
    .min(1)
    .max(24 * 365)
    .default(24 * 7),
  EXPIRY_SWEEP_SECONDS: z.coerce.number().min(1).max(3600).default(15),
  /** How often each node releases notifications held (quiet hours, batching window, hourly/daily digests). */
  DIGEST_SWEEP_SECONDS: z.coerce.number().min(1).max(3600).default(30),
  /** How often each node sends due reminders. */
  REMINDER_SWEEP_SECONDS: z.coerce.number().min(1).max(3600).default(30),
  /**
   * Push and email to one user within this many seconds of the previous one are folded into one message at the end
   * of the window ("Studio Mira: 4 new requests"); the first after a quiet spell goes at once. 0 turns batching off.
   */
  NOTIFY_BATCH_WINDOW_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
  /**
   * Each node's sender loop is woken on commit (LISTEN/NOTIFY); this sweep bounds the wait for what a notification
   * cannot announce: a lease that ran out, a lost listener connection.
   */
  OUTBOX_SWEEP_SECONDS: z.coerce.number().min(0.1).max(3600).default(5),
  /** Sent (or failed) push and email messages are kept this long (the frequency report reads them), then pruned. */
  OUTBOX_RETENTION_DAYS: z.coerce.number().min(1).max(3650).default(30),
  /** How long a sender owns claimed messages; after it, another node sends them (once more, same Message-ID). */
  OUTBOX_LEASE_SECONDS: z.coerce.number().min(1).max(3600).default(60),
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
  /**
   * With PostgreSQL, run those workers in a worker thread of the node's process (own event loop, heap and GC), so
   * they never hold up socket frames; the embedded database (PGlite) keeps them on the main thread. `auto`: when the
   * process has at least 4 cores (app.ts WORKERS_THREAD_MIN_CORES) (on fewer, the second busy thread takes CPU from the sockets'
   * thread and the database as much as it gives back: docs/performance.md, "Workers in a thread of their own").
   */
  WORKERS_THREAD: z
    .enum(['auto', 'true', 'false', '1', '0', 'yes', 'no'])
    .default('auto')
    .transform((v) => (v === 'auto' ? ('auto' as const) : v === 'true' || v === '1' || v === 'yes')),
  /** The workers thread's own connections to PostgreSQL (beside DATABASE_POOL_SIZE). */
  WORKERS_DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(50).default(5),
  /**
   * The workers thread's nice value (Linux: per thread). 0 by default: a niced thread on short cores lets pushes it
   * has sent wait longer to be recorded, so a crash repeats more of them (docs/performance.md).
   */
  WORKERS_THREAD_NICE: z.coerce.number().int().min(0).max(19).default(0),
  /** Outgoing mail (verification, password reset): `smtp://user:pass@host:587`. Unset: written to DATA_DIR/mail/. */
  SMTP_URL: z.url().optional(),
  MAIL_FROM: z.string().min(3).default('Slotcast <no-reply@localhost>'),
  /** The origin links in mails point to; default `http://HOST:PORT`. */
  PUBLIC_URL: z.url().optional(),
  /** New sign-ups verify their email address before they can book. */
  EMAIL_VERIFICATION: bool.default(true),
  /** Serve the built web app from this folder; empty disables it. */
  WEB_DIST: z.string().optional(),
  // Operations (docs/operations.md): node name, log files, metrics, shutdown, rate limits, tracing.
  /** Names this node in metrics and logs; default `<hostname>-<pid>`. */
  NODE_ID: z.string().min(1).max(100).optional(),
  /** How often this node pushes its live operations sample to admins (observability/ops-publisher.ts). */
  OPS_SAMPLE_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(300).default(5),
  /** How often a node adds its sockets' activity to the engagement rollups. */
  ANALYTICS_ACTIVITY_FLUSH_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
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
  /**
   * Handshake authentications (token and session checks) at once on this node; the rest wait their turn. Session
   * checks in flight in the same event-loop turn share one query. 256 at once showed no gain in the storms measured
   * (docs/performance.md, "Reconnect storm").
   */
  SOCKET_HANDSHAKE_CONCURRENCY: z.coerce.number().int().min(1).max(10_000).default(32),
  /**
   * The longest a handshake is expected to wait for its turn (the queue ahead of it over the rate the node clears
   * them); past it the node refuses at once with RATE_LIMITED and a retry time of its own. 0 (default): never; measured
   * slower in storms (docs/performance.md).
   */
  SOCKET_HANDSHAKE_MAX_WAIT_MS: z.coerce.number().int().min(0).max(60_000).default(0),
  /**
   * Replays (reconnecting sockets reading what they missed) at once on this node. Their reads in the same tick share
   * one statement, so more at once means fewer, larger reads.
   */
  SOCKET_REPLAY_CONCURRENCY: z.coerce.number().int().min(1).max(10_000).default(200),
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
  // Push (docs/push.md). Web Push keys are generated into DATA_DIR outside production when unset.
  VAPID_PUBLIC_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_-]{80,90}$/, 'a base64url P-256 public key')
    .optional(),
  VAPID_PRIVATE_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_-]{40,45}$/, 'a base64url P-256 private key')
    .optional(),
  /** The contact push services may use about this sender: a `mailto:` or `https:` URL. */
  VAPID_SUBJECT: z
    .string()
    .regex(/^(mailto:|https:)/, 'a mailto: or https: URL')
    .default('mailto:push@slotcast.invalid'),
  /** Path of a Firebase service-account JSON key; enables FCM HTTP v1. */
  FCM_SERVICE_ACCOUNT_FILE: z.string().min(1).optional(),
  FCM_API_URL: z.url().default('https://fcm.googleapis.com'),
  /** APNs: the .p8 key file, its key id, the team id and the app's bundle id (all four enable APNs). */
  APNS_KEY_FILE: z.string().min(1).optional(),
  APNS_KEY_ID: z.string().min(1).optional(),
  APNS_TEAM_ID: z.string().min(1).optional(),
  APNS_TOPIC: z.string().min(1).optional(),
  APNS_URL: z.url().default('https://api.push.apple.com'),
  /**
   * Hosts a Web Push subscription may point at, comma-separated; `*.example.com` matches its subdomains, `*` any host.
   * The default is the browsers' push services: the server never posts to an address a user made up.
   */
  PUSH_ENDPOINT_HOSTS: z
    .string()
    .default(DEFAULT_PUSH_ENDPOINT_HOSTS.join(','))
    .transform((s) =>
      s
        .split(',')
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean),
    ),
  /** Waits before retrying a push a service refused with 429/5xx, one per retry. */
  PUSH_RETRY_DELAYS_MS: z
    .string()
    .regex(/^\d+(,\d+)*$/, 'milliseconds separated by commas')
    .transform((s) => s.split(',').map(Number))
    .default([2_000, 15_000, 60_000, 300_000]),
  /**
   * Pushes in flight per node, and connections kept per push service: enough to hide the push services' latency (and
   * a busy machine's scheduling delays), few enough not to flood one.
   */
  PUSH_SEND_CONCURRENCY: z.coerce.number().int().min(1).max(1024).default(64),
  /** Lifetime of the Confirm/Decline/Cancel tokens inside a push; idempotency keys outlive it (24 h). */
  PUSH_ACTION_TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(12 * 3600)
    .default(6 * 3600),
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
  if (Boolean(c.VAPID_PUBLIC_KEY) !== Boolean(c.VAPID_PRIVATE_KEY)) {
    throw new Error('Invalid configuration:\n  VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY: set both or neither');
  }
  const apns = [c.APNS_KEY_FILE, c.APNS_KEY_ID, c.APNS_TEAM_ID, c.APNS_TOPIC].filter(Boolean).length;
  if (apns !== 0 && apns !== 4) {
    throw new Error(
      'Invalid configuration:\n  APNS_KEY_FILE, APNS_KEY_ID, APNS_TEAM_ID, APNS_TOPIC: set all four or none',
    );
  }
  return {
    ...c,
    demoData: c.DEMO_DATA ?? c.NODE_ENV === 'development',
    nodeId: c.NODE_ID ?? `${hostname()}-${process.pid}`,
    // Behind a load balancer, give its health checks time to see /readyz fail before connections are closed.
    shutdownDelayMs: c.SHUTDOWN_DELAY_MS ?? (c.NODE_ENV === 'production' ? 5000 : 0),
  };
}
