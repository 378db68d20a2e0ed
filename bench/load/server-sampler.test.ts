import { describe, expect, it } from 'vitest';
import { parsePrometheus, procSample } from './server-sampler.js';

describe('parsePrometheus', () => {
  it('sums a metric over its label sets and skips comments and non-numbers', () => {
    const m = parsePrometheus(
      [
        '# HELP slotcast_socket_connections Open sockets',
        '# TYPE slotcast_socket_connections gauge',
        'slotcast_socket_connections{node="a",transport="websocket"} 120',
        'slotcast_socket_connections{node="a",transport="polling"} 3',
        'process_resident_memory_bytes 1.5e8',
        'weird_metric NaN',
        '',
      ].join('\n'),
    );
    expect(m.get('slotcast_socket_connections')).toBe(123);
    expect(m.get('process_resident_memory_bytes')).toBe(150_000_000);
    expect(m.has('weird_metric')).toBe(false);
  });
});

describe('procSample', () => {
  it('reads CPU time and resident memory of a live process', async () => {
    const s = await procSample(process.pid);
    expect(s.cpuSeconds).toBeGreaterThan(0);
    expect(s.rssBytes).toBeGreaterThan(10 * 2 ** 20);
  });
});
