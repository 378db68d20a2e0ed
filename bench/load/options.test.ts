import { describe, expect, it } from 'vitest';
import { parseLoadOptions } from './options.js';

const parse = (args: string) => parseLoadOptions(args.split(' ').filter(Boolean), {});

describe('parseLoadOptions', () => {
  it('applies per-scenario defaults and spreads clients over enough workers', () => {
    const o = parse('--scenario idle --spawn-server --clients 39000')!;
    expect(o).toMatchObject({ scenario: 'idle', spawn: true, servers: 1, clients: 39_000, vendors: 195, workers: 7 });
    expect(parse('--scenario flood --spawn-server')!.rate).toBe(10);
    expect(parse('--scenario staff --spawn-server')!.rate).toBe(50);
  });

  it('takes several target URLs, comma-separated or repeated, and needs the target’s secret', () => {
    const o = parse(
      '--scenario idle --url http://127.0.0.1:1,http://127.0.0.1:2 --url http://127.0.0.1:3 --jwt-secret s',
    )!;
    expect(o.urls).toHaveLength(3);
    expect(() => parse('--scenario idle --url http://127.0.0.1:1')).toThrow(/jwt-secret/);
  });

  it('refuses ambiguous or impossible runs with a clear message', () => {
    expect(() => parse('--scenario nope --spawn-server')).toThrow(/--scenario must be one of/);
    expect(() => parse('--scenario idle')).toThrow(/--spawn-server or --url/);
    expect(() => parse('--scenario staff --spawn-server --server-kind bare')).toThrow(/idle scenario only/);
    expect(() => parse('--scenario staff --spawn-server --baseline')).toThrow(/--baseline/);
    expect(() => parse('--scenario idle --spawn-server --clients 40000 --workers 2')).toThrow(/at least 3 workers/);
    expect(() => parse('--scenario idle --spawn-server --ramp 0')).toThrow(/--ramp/);
    expect(() => parse('--scenario idle --spawn-server --server-env NOPE')).toThrow(/KEY=VALUE/);
  });

  it('returns null for --help', () => {
    expect(parse('--help')).toBeNull();
  });
});
