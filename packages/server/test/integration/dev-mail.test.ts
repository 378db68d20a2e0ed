import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { api } from '../support/world.js';

/** Without SMTP_URL (development) a mail is an .eml file in DATA_DIR/mail/ that a new user can open. */
describe('mail without SMTP_URL', () => {
  let server: TestServer;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'slotcast-mail-'));
    server = await startTestServer('pglite', { DATA_DIR: dataDir, PUBLIC_URL: 'http://localhost:3000' });
  });
  afterAll(async () => {
    await server?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('writes the verification mail, with its link, to DATA_DIR/mail/', async () => {
    const email = `dev-${Date.now()}@mail.test`;
    await api(server, 'POST', '/auth/register', { body: { email, password: 'a-long-enough-password', name: 'Dev' } });
    const dir = path.join(dataDir, 'mail');
    const files = await expect
      .poll(async () => (await readdir(dir).catch(() => [])).filter((f) => f.endsWith('.eml')), { timeout: 15_000 })
      .toHaveLength(1)
      .then(() => readdir(dir));
    const mail = await simpleParser(await readFile(path.join(dir, files[0]!)));
    expect(mail.to).toMatchObject({ value: [{ address: email }] });
    expect(mail.subject).toBe('Confirm your email address');
    expect(mail.text).toMatch(/http:\/\/localhost:3000\/\?verify=[\w-]{20,}/);
    expect(mail.html).toContain('http://localhost:3000/?verify=');
  });
});
