import { describe, expect, it } from 'vitest';
import { type FanOutResult, medianRound, ratios, type ServerResult } from './report.js';

const round = (deliveriesPerSec: number) => ({ deliveriesPerSec }) as FanOutResult;

describe('medianRound', () => {
  it('takes the middle round by throughput, whatever order they ran in', () => {
    expect(medianRound([round(30), round(10), round(20)]).deliveriesPerSec).toBe(20);
  });

  it('takes the lower middle of an even count, so a lucky round does not flatter the figure', () => {
    expect(medianRound([round(40), round(10)]).deliveriesPerSec).toBe(10);
    expect(medianRound([round(5)]).deliveriesPerSec).toBe(5);
  });
});

describe('ratios', () => {
  const server = (deliveriesPerSec: number, serverCpuMsPer1k: number, clientCpuMsPer1k: number) =>
    ({
      memory: { heapPerSocket: 1, rssPerSocket: 1 },
      fanOutMedian: { deliveriesPerSec, serverCpuMsPer1k, clientCpuMsPer1k },
    }) as ServerResult;

  it('gives throughput as Slotcast over bare, and CPU per delivery (server + clients) as bare over Slotcast', () => {
    const r = ratios(server(90, 5, 7), server(45, 12, 12));
    expect(r.fanOut).toBe(2);
    expect(r.fanOutCpu).toBe(2);
  });
});
