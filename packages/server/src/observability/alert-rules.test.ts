import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ALERT_RULES_FILE, indicator, loadAlertThresholds, parseAlertThresholds } from './alert-rules.js';

describe('alert thresholds read from the Prometheus rules', () => {
  it('reads each watched alert of ops/prometheus/rules with its threshold, severity and duration', () => {
    expect(loadAlertThresholds()).toEqual({
      eventLoopLag: { alert: 'SlotcastEventLoopLagHigh', above: 0.2, severity: 'warning', forMs: 600_000 },
      outboxLag: { alert: 'SlotcastOutboxLag', above: 30, severity: 'critical', forMs: 120_000 },
      dbPoolWaiting: { alert: 'SlotcastDatabasePoolExhausted', above: 0, severity: 'warning', forMs: 300_000 },
      instanceDown: { alert: 'SlotcastInstanceDown', above: 0, severity: 'critical', forMs: 60_000 },
    });
  });

  it('follows a changed threshold in the rules file (one definition)', () => {
    const text = readFileSync(DEFAULT_ALERT_RULES_FILE, 'utf8').replace(
      '(slotcast_outbox_lag_seconds) > 30',
      '(slotcast_outbox_lag_seconds) > 45',
    );
    expect(parseAlertThresholds(text).outboxLag.above).toBe(45);
  });

  it('fails at start when a watched alert is missing', () => {
    const text = readFileSync(DEFAULT_ALERT_RULES_FILE, 'utf8').replace('alert: SlotcastOutboxLag', 'alert: Renamed');
    expect(() => parseAlertThresholds(text)).toThrow('SlotcastOutboxLag is missing');
  });

  it('colours an indicator green at the threshold, and by the severity above it', () => {
    const t = loadAlertThresholds();
    expect(indicator('outbox', 30, t.outboxLag)).toMatchObject({
      level: 'green',
      rule: expect.stringContaining('> 30'),
    });
    expect(indicator('outbox', 31, t.outboxLag).level).toBe('red');
    expect(indicator('lag', 0.25, t.eventLoopLag).level).toBe('amber');
    expect(indicator('lag', null, t.eventLoopLag)).toMatchObject({
      level: 'amber',
      rule: 'SlotcastEventLoopLagHigh: no value',
    });
  });
});
