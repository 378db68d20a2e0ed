import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Fields that must never reach a log line: credentials, tokens, personal data. pino's wildcards match one level, so
 * the common nestings are listed (`{ body: { password } }`, `{ user: { email } }`, `{ req: { headers } }`).
 */
const SECRET_KEYS = ['password', 'newPassword', 'currentPassword', 'token', 'accessToken', 'refreshToken', 'email'];
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["set-cookie"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'authorization',
  '*.authorization',
  'handshake.auth',
  '*.handshake.auth',
  'secret',
  '*.secret',
  ...SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]),
];

export interface LogFileOptions {
  /** Base file name; pino-roll appends the date and a number (`slotcast.2025-01-31.1.log`). */
  path: string;
  /** Roll when the file reaches this size (`10m`, `500k`, `1g`). */
  size: string;
  /** Roll at least this often. */
  frequency: 'daily' | 'hourly';
  /** Rolled files to keep besides the current one. */
  keep: number;
}

export interface LoggerOptions {
  level: string;
  /** Human-readable output (pino-pretty): development on a TTY only. */
  pretty?: boolean;
  /** Write to rolling files instead of stdout. */
  file?: LogFileOptions;
  /** Write here instead (tests capture a real server's output this way). */
  destination?: DestinationStream;
}

/** The node's logger: JSON lines (one object per line), secrets redacted, to stdout, rolling files or a stream. */
export async function createLogger(opts: LoggerOptions): Promise<Logger> {
  const options: pino.LoggerOptions = {
    level: opts.level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: { service: 'slotcast', pid: process.pid },
  };
  if (opts.destination) return pino(options, opts.destination);
  if (opts.file) {
    const { default: pinoRoll } = await import('pino-roll');
    const stream = await pinoRoll({
      file: opts.file.path,
      size: opts.file.size,
      frequency: opts.file.frequency,
      dateFormat: opts.file.frequency === 'hourly' ? 'yyyy-MM-dd-HH' : 'yyyy-MM-dd',
      limit: { count: opts.file.keep },
      mkdir: true,
    });
    return pino(options, stream);
  }
  if (opts.pretty) {
    return pino({
      ...options,
      transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'HH:MM:ss.l' } },
    });
  }
  return pino(options);
}
