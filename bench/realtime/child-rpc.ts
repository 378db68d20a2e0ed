import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Request/response over the IPC channel of a forked benchmark process. The parent keeps every child it started in one
 * registry and kills them all on exit, on a signal and on error, so no server or client outlives a run.
 */

type Request = { rpc: number; method: string; params: unknown };
type Reply = { rpc: number; ok: true; result: unknown } | { rpc: number; ok: false; error: string };
type Ready = { ready: true; info: unknown };

const ROOT = new URL('../../', import.meta.url);
const live = new Set<ChildProcess>();

function killAllNow() {
  for (const child of live) child.kill('SIGKILL');
}
process.once('exit', killAllNow);

export class Child {
  private next = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private exited = false;
  private readonly exit: Promise<void>;

  private constructor(
    readonly name: string,
    private readonly proc: ChildProcess,
  ) {
    this.exit = new Promise((resolve) => {
      proc.once('exit', (code, signal) => {
        this.exited = true;
        live.delete(proc);
        for (const p of this.pending.values()) p.reject(new Error(`${name} exited (${signal ?? code}) mid-call`));
        this.pending.clear();
        resolve();
      });
    });
    proc.on('message', (m: Reply | Ready) => {
      if (!('rpc' in m)) return;
      const p = this.pending.get(m.rpc);
      if (!p) return;
      this.pending.delete(m.rpc);
      if (m.ok) p.resolve(m.result);
      else p.reject(new Error(`${name}: ${m.error}`));
    });
  }

  /** Forks `module` (a .ts file, run through tsx with --expose-gc) and waits for it to say it is ready. */
  static async start<Info>(
    name: string,
    module: URL,
    args: string[] = [],
    env: Record<string, string> = {},
    execArgv: string[] = [],
    timeoutMs = 60_000,
  ): Promise<{ child: Child; info: Info }> {
    const proc = fork(fileURLToPath(module), args, {
      cwd: fileURLToPath(ROOT),
      execArgv: ['--import', import.meta.resolve('tsx'), '--expose-gc', ...profileArgs(), ...execArgv],
      env: { ...process.env, ...env },
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    live.add(proc);
    const child = new Child(name, proc);
    const info = await new Promise<Info>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name} not ready after ${timeoutMs} ms`)), timeoutMs);
      proc.on('message', (m: Reply | Ready) => {
        if ('ready' in m) {
          clearTimeout(timer);
          resolve(m.info as Info);
        }
      });
      void child.exit.then(() => {
        clearTimeout(timer);
        reject(new Error(`${name} exited before it was ready`));
      });
    }).catch(async (err) => {
      await child.kill();
      throw err;
    });
    return { child, info };
  }

  call<T>(method: string, params: unknown = null, timeoutMs = 60_000): Promise<T> {
    if (this.exited) return Promise.reject(new Error(`${this.name} has exited`));
    const rpc = this.next++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(rpc);
        reject(new Error(`${this.name}: ${method} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(rpc, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.proc.send({ rpc, method, params } satisfies Request);
    });
  }

  /** SIGTERM, then SIGKILL if it is still there after `graceMs`; resolves once it has exited. */
  async kill(graceMs = 3000): Promise<void> {
    if (this.exited) return;
    this.proc.kill('SIGTERM');
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), graceMs);
    await this.exit;
    clearTimeout(timer);
  }
}

/**
 * `BENCH_CPU_PROF_DIR=dir` profiles every child (servers and load generator workers alike) with V8's `--cpu-prof`;
 * each writes its `.cpuprofile` into `dir` when it exits (also on SIGTERM, see serveRpc).
 */
function profileArgs(): string[] {
  const dir = process.env.BENCH_CPU_PROF_DIR;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

/** Kills every child still running (used on the way out of a failed run). */
export async function killAll(): Promise<void> {
  killAllNow();
  await new Promise((r) => setTimeout(r, 50));
}

export type Handlers = Record<string, (params: never) => unknown>;

/**
 * The child side: answers requests with the handlers and tells the parent it is ready. Exits when the parent goes
 * away (the IPC channel closes), so an orphan never keeps ports or sockets open.
 */
export function serveRpc(handlers: Handlers, info: unknown = null): void {
  process.on('message', (m: Request) => {
    const handler = handlers[m.method];
    Promise.resolve()
      .then(() => {
        if (!handler) throw new Error(`no method ${m.method}`);
        return handler(m.params as never);
      })
      .then(
        (result) => process.send?.({ rpc: m.rpc, ok: true, result } satisfies Reply),
        (err: unknown) =>
          process.send?.({
            rpc: m.rpc,
            ok: false,
            error: err instanceof Error ? (err.stack ?? err.message) : String(err),
          } satisfies Reply),
      );
  });
  process.once('disconnect', () => process.exit(0));
  process.send?.({ ready: true, info } satisfies Ready);
}
