import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { LoadResult } from '../result.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const pgUrl = inject('pgUrl');
const running = new Set<ChildProcess>();

/** Runs `npm run loadtest` as a user would (a process of its own, which forks workers and a server). */
function loadtest(args: string[], timeoutMs: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/load.ts', ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(child);
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    // SIGTERM lets the load test stop its own workers and server; SIGKILL if it does not go.
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    }, timeoutMs);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      running.delete(child);
      resolve({ code, output });
    });
  });
}

async function resultIn(dir: string, scenario: string): Promise<{ result: LoadResult; files: string[] }> {
  const files = await readdir(dir);
  const json = files.find((f) => f.startsWith(`load-${scenario}-`) && f.endsWith('.json'));
  if (!json) throw new Error(`no result in ${dir}: ${files.join(', ')}`);
  return { result: JSON.parse(await readFile(path.join(dir, json), 'utf8')) as LoadResult, files };
}

afterAll(() => {
  for (const child of running) child.kill('SIGKILL');
});

describe.skipIf(!pgUrl)('npm run loadtest (smoke, PostgreSQL)', () => {
  it('drives browse-book-cancel with a few hundred sockets: every event delivered once, reports written', async () => {
    const out = await mkdtemp(path.join(os.tmpdir(), 'slotcast-loadtest-'));
    try {
      const run = await loadtest(
        [
          ...['--scenario', 'browse-book-cancel', '--spawn-server', '--database-url', pgUrl!],
          ...['--clients', '300', '--ramp', '300', '--rate', '20', '--duration', '3', '--drain-seconds', '30'],
          ...['--out', out, '--label', 'smoke'],
        ],
        180_000,
      );
      expect(run.code, run.output).toBe(0);
      const { result, files } = await resultIn(out, 'browse-book-cancel');
      expect(result.connect).toMatchObject({ attempted: 300, live: 300, failed: 0 });
      expect(result.totals.transitions).toBeGreaterThan(0);
      expect(result.deliveries.delivered).toBeGreaterThan(0);
      expect(result.ledger).toMatchObject({ checked: 300, lost: 0, duplicated: 0, unexpected: 0, outOfOrder: 0 });
      expect(result.ledger!.expected).toBe(result.ledger!.received);
      const base = files.find((f) => f.endsWith('.json'))!.replace(/\.json$/, '');
      expect(files).toEqual(expect.arrayContaining([`${base}.txt`, `${base}.html`]));
      const html = await readFile(path.join(out, `${base}.html`), 'utf8');
      expect(html).toContain('<svg');
      expect(html).toContain('Delivery: meets');
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, 200_000);

  it('survives a small reconnect storm: each client replays exactly what it missed', async () => {
    const out = await mkdtemp(path.join(os.tmpdir(), 'slotcast-loadtest-'));
    try {
      const run = await loadtest(
        [
          ...['--scenario', 'reconnect-storm', '--spawn-server', '--database-url', pgUrl!],
          ...['--clients', '200', '--missed', '3', '--ramp', '300', '--drain-seconds', '30', '--out', out],
        ],
        180_000,
      );
      expect(run.code, run.output).toBe(0);
      const { result } = await resultIn(out, 'reconnect-storm');
      expect(result.storm).toMatchObject({ clients: 200, live: 200, failed: 0, appended: 600 });
      expect(result.deliveries.replayed).toBe(600);
      expect(result.ledger).toMatchObject({ checked: 200, expected: 600, lost: 0, duplicated: 0 });
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, 200_000);
});
