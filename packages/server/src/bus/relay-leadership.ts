import pg from 'pg';
import { sessionAlive, trySessionLock } from '../store/session-lock.js';

// Any constant works; it only has to be the same on every node. Distinct from the event-log and migration locks.
const RELAY_LOCK = 7_263_002;

export interface LeadershipOptions {
  /** How often a follower tries to take the lock, and a leader checks it still holds it. */
  retryMs?: number;
  /** Names the lock's session in pg_stat_activity, so operators (and tests) can see which node relays. */
  applicationName?: string;
  onChange: (leader: boolean) => void;
  onError?: (err: unknown) => void;
}

/**
 * Elects one relay across nodes with a PostgreSQL session advisory lock on a connection of its own. The lock lives as
 * long as that session: when the leader's process dies or loses the database, PostgreSQL ends the session and frees
 * the lock, and the next follower to try takes it over.
 */
export class RelayLeadership {
  private client: pg.Client | null = null;
  private leader = false;
  private timer: NodeJS.Timeout | null = null;
  private busy = false;
  private stopped = true;

  constructor(
    private readonly databaseUrl: string,
    private readonly opts: LeadershipOptions,
  ) {}

  get isLeader(): boolean {
    return this.leader;
  }

  start(): void {
    this.stopped = false;
    void this.tick();
    this.timer = setInterval(() => void this.tick(), this.opts.retryMs ?? 1000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    while (this.busy) await new Promise((r) => setTimeout(r, 5));
    // Closing the session releases the lock at once, so a follower takes over without waiting for a timeout.
    await this.drop();
  }

  private async tick(): Promise<void> {
    if (this.busy || this.stopped) return;
    this.busy = true;
    try {
      const client = await this.connection();
      if (this.leader) {
        // A leader whose session silently died would otherwise publish alongside the next one.
        await sessionAlive(client);
      } else {
        if ((await trySessionLock(client, RELAY_LOCK)) && !this.stopped) this.setLeader(true);
      }
    } catch (err) {
      this.opts.onError?.(err);
      await this.drop();
    } finally {
      this.busy = false;
    }
  }

  private async connection(): Promise<pg.Client> {
    if (this.client) return this.client;
    const client = new pg.Client({
      connectionString: this.databaseUrl,
      connectionTimeoutMillis: 3000,
      keepAlive: true,
      application_name: this.opts.applicationName ?? 'slotcast-relay',
    });
    client.on('error', () => {
      if (this.client === client) void this.drop();
    });
    client.on('end', () => {
      if (this.client === client) void this.drop();
    });
    await client.connect();
    this.client = client;
    return client;
  }

  private async drop(): Promise<void> {
    const client = this.client;
    this.client = null;
    this.setLeader(false);
    await client?.end().catch(() => {});
  }

  private setLeader(leader: boolean): void {
    if (this.leader === leader) return;
    this.leader = leader;
    this.opts.onChange(leader);
  }
}
