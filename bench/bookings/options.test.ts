import { describe, expect, it } from 'vitest';
import { DEFAULT_DATABASE_URL, parseOptions } from './options.js';

describe('parseOptions', () => {
  it('defaults to 16 in flight, 2000 operations, 20 seconds and the local test database', () => {
    expect(parseOptions([], {})).toEqual({
      concurrency: 16,
      count: 2000,
      seconds: 20,
      warmup: 200,
      resources: 50,
      customers: 8,
      poolSize: 10,
      databaseUrl: DEFAULT_DATABASE_URL,
      idempotencyKeys: true,
      serverLogLevel: 'silent',
      consumersElsewhere: false,
    });
  });

  it('takes flags over the environment', () => {
    const o = parseOptions(['--concurrency', '4', '--database-url', 'postgres://x@h/db', '--no-idempotency-key'], {
      BENCH_DATABASE_URL: 'postgres://env@h/db',
    });
    expect(o).toMatchObject({ concurrency: 4, databaseUrl: 'postgres://x@h/db', idempotencyKeys: false });
    expect(parseOptions(['--consumers-elsewhere'], {})?.consumersElsewhere).toBe(true);
    expect(parseOptions([], { BENCH_DATABASE_URL: 'postgres://env@h/db' })?.databaseUrl).toBe('postgres://env@h/db');
  });

  it('refuses values that would make the run unbounded or meaningless', () => {
    expect(() => parseOptions(['--concurrency', '0'], {})).toThrow('--concurrency must be an integer in 1..1024');
    expect(() => parseOptions(['--seconds', '1.5'], {})).toThrow('--seconds');
    expect(() => parseOptions(['--server-log-level', 'loud'], {})).toThrow('--server-log-level');
    expect(() => parseOptions(['--bogus'], {})).toThrow();
  });

  it('answers null for --help', () => {
    expect(parseOptions(['--help'], {})).toBeNull();
  });
});
