import pg from 'pg';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string | null;
  }
}

export const DEFAULT_TEST_DATABASE_URL = 'postgres://slotcast:slotcast@127.0.0.1:5432/postgres';

/**
 * Finds the real services the integration suites need. In CI a missing service fails the run;
 * locally the suites that need it are skipped and this says so loudly, before and after the run.
 */
export default async function setup(project: TestProject) {
  const url = process.env.TEST_DATABASE_URL ?? DEFAULT_TEST_DATABASE_URL;
  let pgUrl: string | null = url;
  let why = '';
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (err) {
    pgUrl = null;
    why = (err as Error).message;
  } finally {
    await client.end().catch(() => {});
  }
  if (!pgUrl) {
    const msg = `PostgreSQL is not reachable at ${url.replace(/:[^:@/]+@/, ':***@')} (${why}).`;
    if (process.env.CI) throw new Error(`${msg} CI needs it: .ci/run starts it.`);
    const banner = `\n${'!'.repeat(78)}\n!! NOT RUN: the PostgreSQL variants of the integration suites.\n!! ${msg}\n!! Start PostgreSQL or set TEST_DATABASE_URL; the PGlite variants still run.\n${'!'.repeat(78)}\n`;
    console.warn(banner);
    project.provide('pgUrl', null);
    return () => console.warn(banner);
  }
  project.provide('pgUrl', pgUrl);
}
