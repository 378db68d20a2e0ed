import { describe, expect, it } from 'vitest';
import { parseOptions } from './options.js';

describe('realtime bench options', () => {
  it('defaults to 10,000 sockets of which 1,000 staff of 50 vendors, 20,000 events in 3 rounds and 500 transitions/s', () => {
    const o = parseOptions([], {})!;
    expect(o).toMatchObject({ clients: 10_000, vendors: 50, events: 20_000, warmupEvents: 2000, rounds: 3, rate: 500 });
    expect(o).toMatchObject({ seconds: 10, clientProcesses: 5, notifier: 'local', quick: false, profile: false });
  });

  it('makes --quick a smoke run that keeps 20 staff per vendor, and lets explicit values win', () => {
    expect(parseOptions(['--quick'], {})).toMatchObject({
      clients: 1000,
      vendors: 5,
      events: 5000,
      rounds: 2,
      seconds: 3,
    });
    expect(parseOptions(['--quick', '--clients', '2000'], {})).toMatchObject({ clients: 2000, vendors: 10 });
  });

  it('refuses values it cannot run with, saying which', () => {
    expect(() => parseOptions(['--clients', '25000'], {})).toThrow(/--clients/);
    expect(() => parseOptions(['--clients', '100', '--vendors', '20'], {})).toThrow(
      /--vendors 20 is more than the 10 staff/,
    );
    expect(() => parseOptions(['--notifier', 'nowhere'], {})).toThrow(/--notifier/);
    expect(() => parseOptions(['--rate', '0'], {})).toThrow(/--rate/);
  });

  it('takes the database from the flag, else the environment, else the local default', () => {
    expect(parseOptions(['--database-url', 'postgres://a@h/db'], { BENCH_DATABASE_URL: 'x' })!.databaseUrl).toBe(
      'postgres://a@h/db',
    );
    expect(parseOptions([], { TEST_DATABASE_URL: 'postgres://t@h/db' })!.databaseUrl).toBe('postgres://t@h/db');
  });

  it('answers null for --help', () => {
    expect(parseOptions(['--help'], {})).toBeNull();
  });
});
