import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';

export const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../../../..');
export const webRoot = path.join(repoRoot, 'apps/web');

/** A free loopback port, found by binding port 0 (kept for restarts, which must come back on the same port). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Builds the web app into `outDir` with the repository's Vite config. */
export function buildWebApp(outDir: string): void {
  const r = spawnSync(
    process.execPath,
    [
      path.join(repoRoot, 'node_modules/vite/bin/vite.js'),
      'build',
      '--outDir',
      outDir,
      '--emptyOutDir',
      '--logLevel',
      'warn',
    ],
    // Vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
    { cwd: webRoot, encoding: 'utf8', timeout: 180_000, env: { ...process.env, NODE_ENV: 'production' } },
  );
  if (r.status !== 0) throw new Error(`vite build failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
}

export interface SlotcastProcessOptions {
  port: number;
  dataDir: string;
  webDist: string;
  /** More settings (e.g. SMTP_URL, PUBLIC_URL, VAPID keys, NODE_EXTRA_CA_CERTS, a shorter OPS_SAMPLE_INTERVAL_SECONDS). */
  env?: Record<string, string>;
  /** PostgreSQL instead of the embedded PGlite (a multi-node deployment's database); demo data is seeded into it. */
  databaseUrl?: string;
}

/**
 * One Slotcast node as `npm start` runs it (embedded PGlite in `dataDir`, demo data, the built app), as a child
 * process on a loopback port, so a test can stop it and start it again on the same data and port.
 */
export class SlotcastProcess {
  private child: ChildProcess | null = null;
  private output: string[] = [];
  readonly url: string;

  constructor(private readonly opts: SlotcastProcessOptions) {
    this.url = `http://127.0.0.1:${opts.port}`;
  }

  async start(): Promise<void> {
    if (this.child) throw new Error('already running');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: String(this.opts.port),
      DATA_DIR: this.opts.dataDir,
      WEB_DIST: this.opts.webDist,
      DEMO_DATA: 'true',
      LOG_LEVEL: 'warn',
      ...this.opts.env,
    };
    // The embedded defaults: PGlite in dataDir, in-process bus and adapter, whatever the surrounding shell has set.
    for (const key of ['DATABASE_URL', 'REDIS_URL', 'AMQP_URL', 'JWT_SECRET']) delete env[key];
    if (this.opts.databaseUrl) env.DATABASE_URL = this.opts.databaseUrl;
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'packages/server/src/main.ts')], {
      cwd: repoRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const keep = (chunk: Buffer) => {
      this.output.push(chunk.toString());
      if (this.output.length > 400) this.output.splice(0, 100);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code) =>
        reject(new Error(`Slotcast exited with ${code} before it was ready:\n${this.log()}`)),
      ),
    );
    await Promise.race([this.waitReady(60_000), exited]);
  }

  /** SIGTERM: the server drains its sockets (clients are told to reconnect) and closes the database cleanly. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = null;
    if (child.exitCode !== null) return;
    const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await done;
    clearTimeout(timer);
  }

  log(): string {
    return this.output.join('');
  }

  private async waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      try {
        const res = await fetch(`${this.url}/readyz`);
        if (res.ok) return;
      } catch {
        // Not listening yet.
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`Slotcast was not ready within ${timeoutMs} ms:\n${this.log()}`);
  }
}
