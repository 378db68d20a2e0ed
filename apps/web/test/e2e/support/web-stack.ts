import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Booking, Resource, Service, Slot, TokenPair, Vendor } from '@slotcast/protocol';
import type { Browser, Page } from 'playwright-core';
import { inject } from 'vitest';
import { CHROMIUM_PATH, chromiumAvailable, launchChromium } from './browser.js';
import { freePort, SlotcastProcess } from './slotcast-process.js';

/** Every demo account's password (the demo data's seed). */
export const DEMO_PASSWORD = 'slotcast-demo';

/**
 * Whether `suite` can run here: in CI a missing Chromium fails the run; on a developer's machine the suite is skipped,
 * loudly. Use as `describe.skipIf(!chromiumOrSkip('the … suite'))`.
 */
export function chromiumOrSkip(suite: string): boolean {
  if (chromiumAvailable()) return true;
  const msg = `Chromium not found at ${CHROMIUM_PATH}: ${suite} cannot run (apt-get install chromium)`;
  if (process.env.CI) throw new Error(msg);
  console.warn(`\n${'!'.repeat(100)}\n!! SKIPPED: ${msg}\n${'!'.repeat(100)}\n`);
  return false;
}

/** The production build of the web app, made once for the run by the e2e project's global setup. */
export function webDist(): string {
  const dist = inject('webDist');
  if (!dist) throw new Error('the web app was not built: run the e2e project (its global setup builds it)');
  return dist;
}

export interface FreeSlots {
  resourceId: string;
  serviceId: string;
  starts: string[];
}

export interface WebStackOptions {
  /** Names the temporary folder (`slotcast-e2e-<name>-…`), for a reader of a leftover one. */
  name: string;
  /** More server settings; given the stack's folder and port (e.g. for PUBLIC_URL or a CA file written there). */
  env?: (at: { tmp: string; port: number }) => Record<string, string>;
  /** PostgreSQL instead of the embedded PGlite. */
  databaseUrl?: string;
}

/**
 * One Slotcast node as `npm start` runs it (demo data, the built app) and one Chromium, with the calls a suite makes
 * around them: the REST API as a script would call it, a demo user's access token, and a sign-in as a person does it.
 */
export class WebStack {
  private constructor(
    readonly tmp: string,
    readonly server: SlotcastProcess,
    readonly browser: Browser,
  ) {}

  static async start(opts: WebStackOptions): Promise<WebStack> {
    const tmp = mkdtempSync(path.join(tmpdir(), `slotcast-e2e-${opts.name}-`));
    const port = await freePort();
    const server = new SlotcastProcess({
      port,
      dataDir: path.join(tmp, 'data'),
      webDist: webDist(),
      env: opts.env?.({ tmp, port }),
      databaseUrl: opts.databaseUrl,
    });
    try {
      await server.start();
      return new WebStack(tmp, server, await launchChromium());
    } catch (err) {
      await server.stop();
      rmSync(tmp, { recursive: true, force: true });
      throw err;
    }
  }

  get url(): string {
    return this.server.url;
  }

  /** `method path` under /api/v1 with an optional bearer token and JSON body; the parsed answer (null for 204). */
  readonly api = async <T>(method: string, p: string, token?: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${this.server.url}/api/v1${p}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${await res.text()}`);
    return (res.status === 204 ? null : await res.json()) as T;
  };

  /** A demo user's access token. */
  readonly login = async (email: string): Promise<string> =>
    (await this.api<TokenPair>('POST', '/auth/login', undefined, { email, password: DEMO_PASSWORD })).accessToken;

  /** Signs `email` in on the start page as a person does, and waits for the signed-in app. */
  readonly signIn = async (page: Page, email: string, origin = this.server.url): Promise<void> => {
    await page.goto(`${origin}/`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
  };

  /**
   * Free start times at the demo salon (Studio Mira: its first service, on its first resource) over the `days` days
   * that begin `fromDay` days from today; suites keep to days of their own so their bookings never meet.
   */
  async salonSlots(fromDay: number, days = 7): Promise<FreeSlots> {
    const salon = (await this.api<Vendor[]>('GET', '/vendors')).find((v) => v.slug === 'studio-mira')!;
    const [service] = await this.api<Service[]>('GET', `/vendors/${salon.id}/services`);
    const [resource] = await this.api<Resource[]>('GET', `/vendors/${salon.id}/resources`);
    const day = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
    const { slots } = await this.api<{ slots: Slot[] }>(
      'GET',
      `/resources/${resource!.id}/availability?serviceId=${service!.id}&from=${day(fromDay)}&to=${day(fromDay + days)}`,
    );
    return { resourceId: resource!.id, serviceId: service!.id, starts: slots.map((s) => s.startAt) };
  }

  /** A booking request, over the API, by the holder of `token` at the `index`th of `free`'s start times. */
  requestBooking(token: string, free: FreeSlots, index = 0): Promise<Booking> {
    const startAt = free.starts[index];
    if (!startAt) throw new Error(`no free start time #${index} (${free.starts.length} found)`);
    return this.api<Booking>('POST', '/bookings', token, {
      resourceId: free.resourceId,
      serviceId: free.serviceId,
      startAt,
    });
  }

  async stop(): Promise<void> {
    await this.browser.close();
    await this.server.stop();
    rmSync(this.tmp, { recursive: true, force: true });
  }
}
