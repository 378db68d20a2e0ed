import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import type { WorkerCounters } from './worker-counters.js';

export interface HttpAnswer {
  status: number;
  body: unknown;
}

const TIMEOUT_MS = 30_000;

/**
 * A keep-alive JSON client for the simulated users' REST calls, with one connection pool per loopback source address
 * (per-address rate limits then see several clients, as they would see many users). Times every request and counts
 * failures by the problem+json code, or the network error's code.
 */
export class LoadHttp {
  private readonly agents = new Map<string, http.Agent>();

  constructor(
    private readonly counters: WorkerCounters,
    private readonly maxSocketsPerAddress = 32,
  ) {}

  private agent(localAddress: string): http.Agent {
    let a = this.agents.get(localAddress);
    if (!a) {
      // Agent options reach net.connect: every connection of this pool leaves from localAddress.
      a = new http.Agent({ keepAlive: true, maxSockets: this.maxSocketsPerAddress, localAddress } as http.AgentOptions);
      this.agents.set(localAddress, a);
    }
    return a;
  }

  /** Resolves with the answer whatever its status (counted as an error unless 2xx); rejects on a network error. */
  async request(
    baseUrl: string,
    method: string,
    path: string,
    opts: { token?: string; body?: unknown; localAddress: string; idempotent?: boolean },
  ): Promise<HttpAnswer> {
    const base = new URL(baseUrl);
    const payload = opts.body === undefined ? undefined : Buffer.from(JSON.stringify(opts.body));
    const headers: Record<string, string> = { accept: 'application/json' };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.idempotent) headers['idempotency-key'] = randomUUID();
    if (payload) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(payload.length);
    }
    const started = performance.now();
    try {
      const answer = await new Promise<HttpAnswer>((resolve, reject) => {
        const req = http.request(
          {
            agent: this.agent(opts.localAddress),
            hostname: base.hostname,
            port: base.port,
            method,
            path,
            headers,
            timeout: TIMEOUT_MS,
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('error', reject);
            res.on('end', () => {
              const text = Buffer.concat(chunks).toString('utf8');
              let body: unknown = null;
              try {
                body = text ? JSON.parse(text) : null;
              } catch {
                body = text;
              }
              resolve({ status: res.statusCode ?? 0, body });
            });
          },
        );
        req.on('timeout', () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
        req.on('error', reject);
        req.end(payload);
      });
      this.counters.hist.http.recordMs(performance.now() - started);
      if (answer.status >= 200 && answer.status < 300) this.counters.counts.httpOk++;
      else {
        this.counters.counts.httpErrors++;
        const code = (answer.body as { code?: unknown } | null)?.code;
        this.counters.error(`http:${typeof code === 'string' ? code : `HTTP_${answer.status}`}`);
      }
      return answer;
    } catch (err) {
      this.counters.counts.httpErrors++;
      this.counters.error(`http:${(err as NodeJS.ErrnoException).code ?? 'NETWORK'}`);
      throw err;
    }
  }

  close(): void {
    for (const a of this.agents.values()) a.destroy();
    this.agents.clear();
  }
}
