import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import amqp from 'amqplib';

const run = promisify(execFile);

/** The programs the cluster suite drives; each is a Debian package (.ci/run installs them). */
export const TOOLS = {
  haproxy: '/usr/sbin/haproxy',
  'redis-server': '/usr/bin/redis-server',
  'rabbitmq-server': '/usr/lib/rabbitmq/bin/rabbitmq-server',
  rabbitmqctl: '/usr/lib/rabbitmq/bin/rabbitmqctl',
  pg_createcluster: '/usr/bin/pg_createcluster',
  pg_ctlcluster: '/usr/bin/pg_ctlcluster',
} as const;

export function missingTools(): string[] {
  const missing: string[] = Object.entries(TOOLS)
    .filter(([, p]) => !existsSync(p))
    .map(([name]) => name);
  if (process.getuid?.() !== 0) missing.push('root (to create a PostgreSQL cluster)');
  return missing;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false>,
  ms = 30_000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    await sleep(everyMs);
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}${last ? ` (${(last as Error).message})` : ''}`);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function tcpOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = new Socket();
    s.setTimeout(500);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
    s.once('timeout', () => {
      s.destroy();
      resolve(false);
    });
    s.connect(port, '127.0.0.1');
  });
}

export function scratchDir(name: string): string {
  return mkdtempSync(path.join(tmpdir(), `slotcast-${name}-`));
}

/** A Redis server of the suite's own, on a port of its own, without persistence; restartable. */
export class PrivateRedis {
  private proc: ChildProcess | null = null;
  constructor(readonly port: number) {}
  get url() {
    return `redis://127.0.0.1:${this.port}`;
  }
  async start(): Promise<void> {
    this.proc = spawn(
      TOOLS['redis-server'],
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'],
      { stdio: 'ignore' },
    );
    await waitFor('redis', () => tcpOpen(this.port), 10_000);
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

/**
 * A RabbitMQ node of the suite's own (own node name, ports, data directory and epmd), so stopping it disturbs no
 * other broker on the machine. Restart is stop_app/start_app: connections drop and transient queues go, as in a
 * broker restart, in a third of the time of a cold start.
 */
export class PrivateRabbit {
  private proc: ChildProcess | null = null;
  private readonly dir: string;
  private readonly node: string;
  constructor(
    readonly port: number,
    private readonly distPort: number,
    private readonly epmdPort: number,
  ) {
    this.dir = scratchDir('rabbitmq');
    this.node = `slotcast-test-${port}@localhost`;
  }
  get url() {
    return `amqp://guest:guest@127.0.0.1:${this.port}`;
  }
  private env() {
    return {
      ...process.env,
      HOME: this.dir,
      RABBITMQ_NODENAME: this.node,
      RABBITMQ_DIST_PORT: String(this.distPort),
      ERL_EPMD_ADDRESS: '127.0.0.1',
      ERL_EPMD_PORT: String(this.epmdPort),
      RABBITMQ_MNESIA_BASE: path.join(this.dir, 'mnesia'),
      RABBITMQ_LOG_BASE: path.join(this.dir, 'log'),
      RABBITMQ_ENABLED_PLUGINS_FILE: path.join(this.dir, 'enabled_plugins'),
      RABBITMQ_CONFIG_FILE: path.join(this.dir, 'rabbitmq.conf'),
      RABBITMQ_SERVER_ERL_ARGS: '-kernel inet_dist_use_interface {127,0,0,1}',
    };
  }
  async start(): Promise<void> {
    writeFileSync(path.join(this.dir, 'enabled_plugins'), '[].\n');
    writeFileSync(
      path.join(this.dir, 'rabbitmq.conf'),
      `listeners.tcp.1 = 127.0.0.1:${this.port}\nloopback_users = none\nlog.console = false\nlog.file.level = warning\n`,
    );
    this.proc = spawn(TOOLS['rabbitmq-server'], [], { env: this.env(), stdio: 'ignore', detached: true });
    await this.accepting(90_000);
  }
  /** The port opens before the broker has booted: wait for a whole AMQP handshake. */
  private async accepting(ms: number): Promise<void> {
    await waitFor(
      'rabbitmq to accept AMQP connections',
      async () => {
        if (!(await tcpOpen(this.port))) return false;
        const conn = await amqp.connect(this.url, { timeout: 2000 });
        await conn.close();
        return true;
      },
      ms,
      250,
    );
  }
  private async ctl(...args: string[]): Promise<void> {
    await run(TOOLS.rabbitmqctl, ['-n', this.node, ...args], { env: this.env(), timeout: 60_000 });
  }
  /** Stops the broker application: every connection drops, the node stays up for start(). */
  async pause(): Promise<void> {
    await this.ctl('stop_app');
  }
  async resume(): Promise<void> {
    await this.ctl('start_app');
    await this.accepting(60_000);
  }
  async stop(): Promise<void> {
    const p = this.proc;
    this.proc = null;
    if (p?.pid) {
      try {
        process.kill(-p.pid, 'SIGKILL');
      } catch {}
    }
    // epmd runs detached from the node; it answers a kill request on its own port once the node is gone.
    for (let i = 0; i < 20 && (await tcpOpen(this.epmdPort)); i++) {
      await run('epmd', ['-port', String(this.epmdPort), '-kill'], { env: this.env() }).catch(() => {});
      await sleep(100);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A PostgreSQL cluster of the suite's own (pg_createcluster, trust on loopback, fsync off), stoppable at will. */
export class PrivatePostgres {
  readonly version: string;
  readonly name: string;
  constructor(readonly port: number) {
    this.version =
      readdirSync('/usr/lib/postgresql')
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(a) - Number(b))
        .at(-1) ?? '15';
    this.name = `slotcast-test-${port}`;
  }
  url(database = 'postgres') {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }
  async create(): Promise<void> {
    await run(TOOLS.pg_createcluster, [
      this.version,
      this.name,
      '-p',
      String(this.port),
      '-o',
      'fsync=off',
      '-o',
      'max_connections=200',
      '--start-conf=manual',
      '--',
      '--auth-host=trust',
      '--auth-local=trust',
    ]);
    writeFileSync(
      `/etc/postgresql/${this.version}/${this.name}/conf.d/slotcast-test.conf`,
      "listen_addresses = '127.0.0.1'\n",
    );
    await this.start();
  }
  async start(): Promise<void> {
    await run(TOOLS.pg_ctlcluster, [this.version, this.name, 'start']);
  }
  async stop(): Promise<void> {
    await run(TOOLS.pg_ctlcluster, [this.version, this.name, 'stop', '-m', 'fast']);
  }
  async drop(): Promise<void> {
    await run('pg_dropcluster', [this.version, this.name, '--stop']).catch(() => {});
  }
}
