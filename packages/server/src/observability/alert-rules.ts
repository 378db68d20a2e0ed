import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { HealthIndicator, HealthLevel } from '@slotcast/protocol';
import { parse } from 'yaml';

/**
 * The Prometheus alert rules (ops/prometheus/rules/slotcast-alerts.yml) are the one definition of what is unhealthy:
 * the live operations view reads their thresholds here, at start, instead of keeping numbers of its own.
 */

export const DEFAULT_ALERT_RULES_FILE = fileURLToPath(
  new URL('../../../../ops/prometheus/rules/slotcast-alerts.yml', import.meta.url),
);

export interface AlertThreshold {
  alert: string;
  /** The value above which the alert's expression is true. */
  above: number;
  severity: 'warning' | 'critical';
  /** The rule's `for`, in milliseconds. */
  forMs: number;
}

/** The alerts the live view evaluates, by what they watch. */
export const WATCHED_ALERTS = {
  eventLoopLag: 'SlotcastEventLoopLagHigh',
  outboxLag: 'SlotcastOutboxLag',
  dbPoolWaiting: 'SlotcastDatabasePoolExhausted',
  instanceDown: 'SlotcastInstanceDown',
} as const;
export type WatchedAlert = keyof typeof WATCHED_ALERTS;
export type AlertThresholds = Record<WatchedAlert, AlertThreshold>;

interface RulesFile {
  groups: { rules: { alert?: string; expr: string; for?: string; labels?: { severity?: string } }[] }[];
}

function durationMs(d: string | undefined): number {
  if (!d) return 0;
  const m = /^(\d+)(ms|s|m|h)$/.exec(d);
  if (!m) throw new Error(`alert rules: cannot read the duration "${d}"`);
  return Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
}

/** Reads the watched alerts' thresholds; fails fast when one is missing or its expression has changed shape. */
export function parseAlertThresholds(text: string): AlertThresholds {
  const file = parse(text) as RulesFile;
  const rules = new Map(file.groups.flatMap((g) => g.rules).map((r) => [r.alert, r]));
  const out = {} as AlertThresholds;
  for (const [key, alert] of Object.entries(WATCHED_ALERTS) as [WatchedAlert, string][]) {
    const rule = rules.get(alert);
    if (!rule) throw new Error(`alert rules: ${alert} is missing`);
    const severity = rule.labels?.severity;
    if (severity !== 'warning' && severity !== 'critical') throw new Error(`alert rules: ${alert} has no severity`);
    // `expr > N` (the value is above N), or `up == 0` (the instance-down rule: a sample that stops coming).
    const above = /^[^\n]*>\s*([0-9.]+)\s*$/m.exec(rule.expr.trim());
    const down = /==\s*0\s*$/.test(rule.expr.trim());
    if (!above && !down) throw new Error(`alert rules: cannot read the threshold of ${alert}`);
    out[key] = { alert, above: above ? Number(above[1]) : 0, severity, forMs: durationMs(rule.for) };
  }
  return out;
}

export function loadAlertThresholds(file = DEFAULT_ALERT_RULES_FILE): AlertThresholds {
  return parseAlertThresholds(readFileSync(file, 'utf8'));
}

const LEVEL: Record<AlertThreshold['severity'], HealthLevel> = { warning: 'amber', critical: 'red' };

/**
 * An indicator from a value and its alert: green at or under the threshold, the alert's severity above it. The view
 * is instantaneous: the rule's `for` is left to Prometheus, and is named in `rule` so a reader knows.
 */
export function indicator(name: string, value: number | null, t: AlertThreshold): HealthIndicator {
  const level: HealthLevel = value === null ? 'amber' : value > t.above ? LEVEL[t.severity] : 'green';
  const forText = t.forMs ? ` for ${t.forMs / 1000}s` : '';
  const rule = value === null ? `${t.alert}: no value` : `${t.alert}: > ${t.above}${forText} (${t.severity})`;
  return { name, level, value, rule };
}
