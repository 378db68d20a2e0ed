import { describe, expect, it } from 'vitest';
import { type FanOutResult, medianRound } from './report.js';

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
