import { spawnSync } from 'node:child_process';

export interface Sample {
  labels: Record<string, string>;
  value: number;
}
export interface Family {
  type: string;
  samples: Map<string, Sample[]>;
}

/** The metric families of a text exposition, by name; samples by their full series name (`_bucket`, `_sum`, ...). */
export function parseExposition(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  let current: Family | null = null;
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) {
      current = { type: type[2]!, samples: new Map() };
      families.set(type[1]!, current);
      continue;
    }
    if (!line || line.startsWith('#') || !current) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`unparsable exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, k, v] of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[k!] = v!;
    const list = current.samples.get(m[1]!) ?? [];
    list.push({ labels, value: Number(m[3]) });
    current.samples.set(m[1]!, list);
  }
  return families;
}

/** The value of one series (labels must match those given), summed over the rest; 0 when absent. */
export function seriesValue(
  families: Map<string, Family>,
  series: string,
  labels: Record<string, string> = {},
): number {
  for (const f of families.values()) {
    const samples = f.samples.get(series);
    if (!samples) continue;
    return samples
      .filter((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))
      .reduce((sum, s) => sum + s.value, 0);
  }
  return 0;
}

/** Every series name a /metrics page can hold: each family name plus the histogram and summary suffixes. */
export function exportedNames(families: Map<string, Family>): Set<string> {
  const names = new Set<string>();
  for (const [name, f] of families) {
    names.add(name);
    if (f.type === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(name + s);
    if (f.type === 'summary') for (const s of ['_sum', '_count']) names.add(name + s);
  }
  return names;
}

/**
 * promtool (Debian's `prometheus` package). In CI it must exist: a missing one fails the suite. Locally a suite
 * without it skips its promtool checks and says so.
 */
export function findPromtool(): string | null {
  const r = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
  if (r.status === 0) return 'promtool';
  if (process.env.CI) throw new Error('promtool is missing; CI needs it (.ci/run installs the prometheus package)');
  console.warn(
    `\n${'!'.repeat(78)}\n!! NOT RUN: promtool checks (promtool not found; apt-get install prometheus).\n${'!'.repeat(78)}\n`,
  );
  return null;
}

export function runPromtool(args: string[], input?: string): { status: number | null; output: string } {
  const r = spawnSync('promtool', args, { input, encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}
