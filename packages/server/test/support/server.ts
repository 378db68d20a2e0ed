import pino, { type Logger } from 'pino';
import { createSlotcast, type Slotcast, type SlotcastOverrides } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { type DbKind, freshDb, type TestDb } from './databases.js';

/** The JWT secret of test servers (tests that sign their own tokens, e.g. push action tokens, need it). */
export const TEST_JWT_SECRET = 'test-secret-test-secret-test-secret-0123456789';

export interface TestServer {
  slotcast: Slotcast;
  url: string;
  testDb: TestDb;
  close(): Promise<void>;
}

/** A real Slotcast node on an ephemeral loopback port with a fresh database of `kind`. */
export async function startTestServer(
  kind: DbKind,
  env: Record<string, string> = {},
  now?: () => Date,
  /** A logger to capture the server's output, and other overrides (tracing, rate-limit store). */
  extra: { logger?: Logger } & Omit<SlotcastOverrides, 'db' | 'now'> = {},
): Promise<TestServer> {
  const testDb = await freshDb(kind);
  const config = loadConfig({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    JWT_SECRET: TEST_JWT_SECRET,
    DATA_DIR: '/tmp/slotcast-test',
    LOG_LEVEL: 'silent',
    // Suites make many requests and sockets from one address; the rate-limit suite turns limits back on.
    RATE_LIMITS_ENABLED: 'false',
    ...env,
  });
  const { logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }), ...overrides } = extra;
  const slotcast = await createSlotcast(config, logger, { ...overrides, db: testDb.db, now });
  const { url } = await slotcast.listen();
  return {
    slotcast,
    url,
    testDb,
    async close() {
      await slotcast.close();
      await testDb.drop();
    },
  };
}
