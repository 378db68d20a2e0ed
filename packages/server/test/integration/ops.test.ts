import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportedNames, findPromtool, parseExposition, runPromtool } from '../support/prometheus.js';
import { startTestServer, type TestServer } from '../support/server.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const ops = (...p: string[]) => path.join(root, 'ops', ...p);
const filesIn = (dir: string, ext: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith(ext))
    .map((f) => path.join(dir, f));

interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: { uid: string };
  targets?: { expr: string; refId: string }[];
}
interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  templating: { list: { name: string }[] };
}

const dashboards = filesIn(ops('grafana', 'dashboards'), '.json').map(
  (f) => [path.basename(f), JSON.parse(readFileSync(f, 'utf8')) as Dashboard] as const,
);
const ruleFiles = filesIn(ops('prometheus', 'rules'), '.yml');
const ruleText = ruleFiles.map((f) => readFileSync(f, 'utf8')).join('\n');
/** Each `expr:` of the rule files, block scalars included. */
const ruleExprs = [...ruleText.matchAll(/expr: (?:\|\n((?: {10}.*\n)+)|(.*))/g)].map((m) => (m[1] ?? m[2])!.trim());
const recorded = new Set([...ruleText.matchAll(/- record: (\S+)/g)].map((m) => m[1]!));
const alerts = [...ruleText.matchAll(/- alert: (\S+)/g)].map((m) => m[1]!);

const PROMQL_WORDS = new Set(
  `sum min max avg count stddev stdvar topk bottomk quantile count_values group by without on ignoring group_left
  group_right and or unless bool offset rate irate increase delta idelta deriv histogram_quantile clamp_min clamp_max
  abs ceil floor round sqrt exp ln log2 log10 time vector scalar label_replace label_join max_over_time
  min_over_time avg_over_time sum_over_time count_over_time absent absent_over_time changes resets sort sort_desc
  predict_linear timestamp inf nan`.split(/\s+/),
);

/** The metric names a PromQL expression reads (recorded series included). */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\boffset\s+\d+\w+/g, ' ')
    .replace(/\$\w+/g, ' ');
  return [...bare.matchAll(/[a-zA-Z_:][\w:]*/g)].map((m) => m[0]).filter((w) => !PROMQL_WORDS.has(w) && !/^\d/.test(w));
}

const promtool = findPromtool();

describe('ops/prometheus', () => {
  it.skipIf(!promtool)('passes `promtool check rules`', () => {
    const r = runPromtool(['check', 'rules', ...ruleFiles]);
    expect(r.output).toMatch(/SUCCESS/);
    expect(r.status, r.output).toBe(0);
  });

  it.skipIf(!promtool)('passes its unit tests (`promtool test rules`)', () => {
    const r = runPromtool(['test', 'rules', ...filesIn(ops('prometheus', 'tests'), '.yml')]);
    expect(r.status, r.output).toBe(0);
  });

  it.skipIf(!promtool)('has a scrape configuration example that passes `promtool check config`', () => {
    const r = runPromtool(['check', 'config', ops('prometheus', 'prometheus.yml')]);
    expect(r.status, r.output).toBe(0);
  });

  it('alerts on what docs/operations.md promises, each with a severity and a runbook section', () => {
    expect(alerts).toEqual(
      expect.arrayContaining([
        'SlotcastInstanceDown',
        'SlotcastConnectionDropSpike',
        'SlotcastDeliveryLatencyHigh',
        'SlotcastOutboxLag',
        'SlotcastResyncRateHigh',
        'SlotcastReplayFailures',
        'SlotcastHttp5xxErrorRate',
      ]),
    );
    const docs = readFileSync(path.join(root, 'docs', 'operations.md'), 'utf8');
    for (const alert of alerts) {
      expect(docs, alert).toMatch(new RegExp(`^#+ ${alert}$`, 'm'));
      expect(ruleText).toContain(`runbook: docs/operations.md#${alert.toLowerCase()}`);
    }
    expect(ruleText.match(/severity: (critical|warning)/g)).toHaveLength(alerts.length);
  });
});

describe('ops/grafana', () => {
  it('provisions three dashboards: realtime, bookings, platform', () => {
    expect(dashboards.map(([, d]) => d.uid).sort()).toEqual([
      'slotcast-bookings',
      'slotcast-platform',
      'slotcast-realtime',
    ]);
  });

  it.each(dashboards)('%s is a well-formed dashboard', (_file, d) => {
    expect(d.title).toMatch(/^Slotcast — /);
    expect(d.templating.list.map((v) => v.name)).toEqual(['datasource', 'job', 'instance']);
    const ids = d.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of d.panels) {
      expect(p.gridPos.x + p.gridPos.w, p.title).toBeLessThanOrEqual(24);
      if (p.type === 'row') continue;
      expect(p.datasource?.uid, p.title).toBe('\u0024{datasource}');
      expect(p.targets?.length, p.title).toBeGreaterThan(0);
      for (const t of p.targets!) {
        expect(t.expr, p.title).toMatch(/\S/);
        // Every query is scoped to the chosen job and instances.
        expect(t.expr, p.title).toContain('job=~"$job", instance=~"$instance"');
      }
    }
  });
});

describe('every metric the dashboards and rules query is one the server exports', () => {
  let server: TestServer;
  let exported: Set<string>;

  beforeAll(async () => {
    server = await startTestServer('pglite');
    exported = exportedNames(parseExposition(await (await fetch(`${server.url}/metrics`)).text()));
  });
  afterAll(async () => {
    await server?.close();
  });

  it('finds the metric names in a query', () => {
    expect(
      metricNames(
        'sum by (job, le) (rate(slotcast_http_request_duration_seconds_bucket{route=~"/a.*"}[5m])) / on(job) up offset 5m',
      ),
    ).toEqual(['slotcast_http_request_duration_seconds_bucket', 'up']);
  });

  it('holds for the dashboards', () => {
    const queried = new Set(
      dashboards.flatMap(([, d]) => d.panels.flatMap((p) => (p.targets ?? []).flatMap((t) => metricNames(t.expr)))),
    );
    queried.add('slotcast_node_info'); // the template variables' source
    const missing = [...queried].filter((n) => n !== 'up' && !exported.has(n));
    expect(missing).toEqual([]);
    expect(queried.size).toBeGreaterThan(25);
  });

  it('holds for the recording and alerting rules (recorded series come from the recording rules)', () => {
    const queried = new Set(ruleExprs.flatMap(metricNames));
    const missing = [...queried].filter((n) => n !== 'up' && !exported.has(n) && !recorded.has(n));
    expect(missing).toEqual([]);
    for (const n of queried) if (n.includes(':')) expect(recorded.has(n), n).toBe(true);
  });

  it('and docs/operations.md describes every slotcast_ metric the server exports', () => {
    const docs = readFileSync(path.join(root, 'docs', 'operations.md'), 'utf8');
    const families = [...exported].filter((n) => n.startsWith('slotcast_') && !/_(bucket|sum|count)$/.test(n));
    const undocumented = families.filter((n) => !docs.includes(`\`${n}\``));
    expect(undocumented).toEqual([]);
  });
});

describe('docs/operations.md', () => {
  it('lists every setting config.ts reads', () => {
    const config = readFileSync(path.join(root, 'packages', 'server', 'src', 'config.ts'), 'utf8');
    const schema = config.slice(config.indexOf('const ConfigSchema'), config.indexOf('export type Config'));
    const settings = [...schema.matchAll(/^ {2}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]!);
    expect(settings.length).toBeGreaterThan(30);
    const docs = readFileSync(path.join(root, 'docs', 'operations.md'), 'utf8');
    expect(settings.filter((s) => !docs.includes(`\`${s}\``))).toEqual([]);
  });
});
