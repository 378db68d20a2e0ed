import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { copyFileSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { freePort, scratchDir, TOOLS, waitFor } from './services.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../../../', import.meta.url));
const MAIN = path.join(ROOT, 'packages/server/src/main.ts');
const HAPROXY_DIR = path.join(ROOT, 'ops/haproxy');

/** Every process this module started and that still runs, so a failed setup leaves none behind. */
const live = new Set<ChildProcess>();
function track(p: ChildProcess): ChildProcess {
  live.add(p);
  p.once('exit', () => live.delete(p));
  return p;
}
export async function killAllStarted(): Promise<void> {
  await Promise.all(
    [...live].map((p) => {
      const exited = new Promise((r) => p.once('exit', r));
      p.kill('SIGKILL');
      return exited;
    }),
  );
}

/** What a node is started with beside the defaults; without REDIS_URL and AMQP_URL it runs embedded. */
export interface NodeEnv {
  DATABASE_URL: string;
  REDIS_URL?: string;
  AMQP_URL?: string;
  [key: string]: string | undefined;
}

/** One Slotcast node as its own process (`main.ts`, as in production), restartable on the same port. */
export class NodeProcess {
  private proc: ChildProcess | null = null;
  constructor(
    readonly id: string,
    readonly port: number,
    private readonly env: NodeEnv,
    private readonly logFile: string,
  ) {}
  get url() {
    return `http://127.0.0.1:${this.port}`;
  }
  get running() {
    return this.proc !== null && this.proc.exitCode === null && this.proc.signalCode === null;
  }
  async start(): Promise<void> {
    const out = openSync(this.logFile, 'a');
    this.proc = track(
      spawn(process.execPath, ['--import', 'tsx', MAIN], {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH,
          NODE_ENV: 'test',
          HOST: '127.0.0.1',
          PORT: String(this.port),
          NODE_ID: this.id,
          // Its database sessions carry its name (pg_stat_activity.application_name), so a test can tell whose they are.
          PGAPPNAME: this.id,
          JWT_SECRET: 'cluster-secret-cluster-secret-cluster-secret-0123',
          LOG_LEVEL: process.env.CLUSTER_LOG_LEVEL ?? 'warn',
          RATE_LIMITS_ENABLED: 'false',
          SHUTDOWN_DELAY_MS: '0',
          // The test's HAProxy on loopback is the load balancer; only it may name the client.
          TRUST_PROXY: '127.0.0.1',
          DATA_DIR: path.dirname(this.logFile),
          ...this.env,
        },
        stdio: ['ignore', out, out],
      }),
    );
    await this.ready();
  }
  async ready(ms = 40_000): Promise<void> {
    await waitFor(
      `${this.id} /readyz`,
      async () => {
        if (!this.running) throw new Error(`${this.id} exited; see ${this.logFile}`);
        return (await fetch(`${this.url}/readyz`, { signal: AbortSignal.timeout(1000) })).status === 200;
      },
      ms,
      200,
    );
  }
  /** SIGKILL: no drain, no goodbye; its sockets and its database sessions just vanish. */
  async kill(): Promise<void> {
    const p = this.proc;
    if (!p || !this.running) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGKILL');
    await exited;
  }
  async stop(): Promise<void> {
    const p = this.proc;
    if (!p || !this.running) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGTERM');
    const t = setTimeout(() => p.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(t);
  }
}

/** Copies ops/haproxy/haproxy.cfg with its server list replaced by `servers`, as scripts/cluster.mjs does. */
export function haproxyConfig(servers: { name: string; address: string }[]): string {
  const cfg = readFileSync(path.join(HAPROXY_DIR, 'haproxy.cfg'), 'utf8');
  const lines = servers.map((s) => `  server ${s.name} ${s.address} cookie ${s.name}`).join('\n');
  const replaced = cfg.replace(/( *# BEGIN servers\n)[\s\S]*?( *# END servers)/, `$1${lines}\n$2`);
  if (replaced === cfg) throw new Error('haproxy.cfg has no BEGIN/END servers markers');
  return replaced;
}

export class HaproxyProcess {
  private proc: ChildProcess | null = null;
  private readonly dir = scratchDir('haproxy');
  constructor(
    readonly port: number,
    private readonly servers: { name: string; address: string }[],
  ) {}
  get url() {
    return `http://127.0.0.1:${this.port}`;
  }
  async start(): Promise<void> {
    const cfg = path.join(this.dir, 'haproxy.cfg');
    writeFileSync(cfg, haproxyConfig(this.servers));
    copyFileSync(path.join(HAPROXY_DIR, '503.http'), path.join(this.dir, '503.http'));
    const env = { ...process.env, SLOTCAST_LB_BIND: `127.0.0.1:${this.port}` };
    await run(TOOLS.haproxy, ['-c', '-q', '-f', cfg], { env });
    const out = openSync(path.join(this.dir, 'haproxy.log'), 'a');
    this.proc = track(spawn(TOOLS.haproxy, ['-db', '-f', cfg], { env, stdio: ['ignore', out, out] }));
    await waitFor(
      'haproxy',
      async () => (await fetch(`${this.url}/healthz`, { signal: AbortSignal.timeout(1000) })).status === 200,
      20_000,
    );
  }
  async stop(): Promise<void> {
    const p = this.proc;
    this.proc = null;
    if (!p || p.exitCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGKILL');
    await exited;
  }
}

/** N node processes on free loopback ports behind one HAProxy. */
export async function startCluster(n: number, env: NodeEnv, logDir: string) {
  const nodes: NodeProcess[] = [];
  for (let i = 1; i <= n; i++)
    nodes.push(new NodeProcess(`node${i}`, await freePort(), env, path.join(logDir, `node${i}.log`)));
  // The first migrates the database; the others then start side by side.
  await nodes[0]!.start();
  await Promise.all(nodes.slice(1).map((node) => node.start()));
  const lb = new HaproxyProcess(
    await freePort(),
    nodes.map((node) => ({ name: node.id, address: `127.0.0.1:${node.port}` })),
  );
  await lb.start();
  return {
    nodes,
    lb,
    async stop() {
      await lb.stop();
      await Promise.all(nodes.map((node) => node.kill()));
    },
  };
}
