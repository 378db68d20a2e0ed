#!/usr/bin/env node
// `npm run cluster`: N Slotcast nodes behind HAProxy on this machine, against the local PostgreSQL, Redis and
// RabbitMQ (scale-out mode: RabbitMQ bus, Redis adapter). Everything listens on 127.0.0.1; Ctrl-C stops it all.
//
//   npm run cluster -- --nodes 3 --port 8080 --first-node-port 3001
//   DATABASE_URL=... REDIS_URL=... AMQP_URL=... npm run cluster
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const { values: args } = parseArgs({
  options: {
    nodes: { type: 'string', default: '3' },
    port: { type: 'string', default: '8080' },
    'first-node-port': { type: 'string', default: '3001' },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log('npm run cluster -- [--nodes 3] [--port 8080] [--first-node-port 3001]');
  process.exit(0);
}
const N = Number(args.nodes);
const LB_PORT = Number(args.port);
const FIRST = Number(args['first-node-port']);
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://slotcast:slotcast@127.0.0.1:5432/slotcast_cluster';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const dir = path.join(root, '.data/cluster');
mkdirSync(dir, { recursive: true });

const tcpOpen = (url, fallbackPort) =>
  new Promise((resolve) => {
    const u = new URL(url);
    const s = net.connect(Number(u.port || fallbackPort), u.hostname === 'localhost' ? '127.0.0.1' : u.hostname);
    s.setTimeout(1000);
    const done = (ok) => {
      s.destroy();
      resolve(ok);
    };
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
    s.once('timeout', () => done(false));
  });

const missing = [];
if (!(await tcpOpen(DATABASE_URL, 5432))) missing.push(`PostgreSQL at ${DATABASE_URL.replace(/:[^:@/]+@/, ':***@')}`);
if (!(await tcpOpen(REDIS_URL, 6379)))
  missing.push(`Redis at ${REDIS_URL} (redis-server --bind 127.0.0.1 --daemonize yes)`);
if (!(await tcpOpen(AMQP_URL, 5672)))
  missing.push(
    `RabbitMQ at ${AMQP_URL.replace(/:[^:@/]+@/, ':***@')} (RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 rabbitmq-server -detached)`,
  );
if (spawnSync('haproxy', ['-v']).status !== 0) missing.push('haproxy (apt-get install haproxy)');
if (missing.length) {
  console.error(`npm run cluster needs:\n  ${missing.join('\n  ')}`);
  process.exit(1);
}

// The database named in DATABASE_URL is created if it does not exist (the user needs CREATEDB).
const dbName = new URL(DATABASE_URL).pathname.slice(1);
const admin = new URL(DATABASE_URL);
admin.pathname = '/postgres';
const client = new pg.Client({ connectionString: admin.toString() });
await client.connect();
const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName]);
if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${pg.escapeIdentifier(dbName)}`);
await client.end();

// Every node must sign and verify with the same secret; it is kept so sessions survive a restart of the cluster.
const secretFile = path.join(dir, 'jwt-secret');
if (!existsSync(secretFile)) writeFileSync(secretFile, randomBytes(48).toString('base64url'), { mode: 0o600 });
const JWT_SECRET = readFileSync(secretFile, 'utf8').trim();

const children = new Set();
let stopping = false;
function stopAll(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  setTimeout(() => {
    for (const child of children) child.kill('SIGKILL');
    process.exit(code);
  }, 5000).unref();
  const wait = setInterval(() => {
    if ([...children].every((c) => c.exitCode !== null || c.signalCode !== null)) {
      clearInterval(wait);
      process.exit(code);
    }
  }, 100);
}
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => stopAll(0));

function startNode(i) {
  const id = `node${i}`;
  const log = openSync(path.join(dir, `${id}.log`), 'a');
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'packages/server/src/main.ts')], {
    cwd: root,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(FIRST + i - 1),
      NODE_ID: id,
      DATABASE_URL,
      REDIS_URL,
      AMQP_URL,
      JWT_SECRET,
      // HAProxy on this host is the one hop allowed to name the client (X-Forwarded-For).
      TRUST_PROXY: '127.0.0.1',
      // Demo data once, by the first node; the others find it there.
      DEMO_DATA: i === 1 ? (process.env.DEMO_DATA ?? 'true') : 'false',
    },
    stdio: ['ignore', log, log],
  });
  children.add(child);
  child.on('exit', (code, signal) => {
    children.delete(child);
    if (!stopping) console.error(`${id} exited (${signal ?? code}); see ${path.join(dir, `${id}.log`)}`);
  });
  return { id, url: `http://127.0.0.1:${FIRST + i - 1}` };
}

async function ready(url, ms = 60_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(1000) })).status === 200) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} not ready after ${ms} ms`);
}

// The first node migrates the database and seeds demo data before the others start.
const nodes = [startNode(1)];
await ready(nodes[0].url);
for (let i = 2; i <= N; i++) nodes.push(startNode(i));
await Promise.all(nodes.map((n) => ready(n.url)));

// HAProxy: ops/haproxy/haproxy.cfg with its server list replaced by these nodes.
const cfg = readFileSync(path.join(root, 'ops/haproxy/haproxy.cfg'), 'utf8').replace(
  /( *# BEGIN servers\n)[\s\S]*?( *# END servers)/,
  (_, begin, end) =>
    `${begin}${nodes.map((n) => `  server ${n.id} ${new URL(n.url).host} cookie ${n.id}`).join('\n')}\n${end}`,
);
const cfgFile = path.join(dir, 'haproxy.cfg');
writeFileSync(cfgFile, cfg);
copyFileSync(path.join(root, 'ops/haproxy/503.http'), path.join(dir, '503.http'));
const lbEnv = { ...process.env, SLOTCAST_LB_BIND: `127.0.0.1:${LB_PORT}` };
if (spawnSync('haproxy', ['-c', '-q', '-f', cfgFile], { env: lbEnv, stdio: 'inherit' }).status !== 0) stopAll(1);
const lbLog = openSync(path.join(dir, 'haproxy.log'), 'a');
const lb = spawn('haproxy', ['-db', '-f', cfgFile], { env: lbEnv, stdio: ['ignore', lbLog, lbLog] });
children.add(lb);
lb.on('exit', () => {
  children.delete(lb);
  if (!stopping) {
    console.error('haproxy exited; stopping');
    stopAll(1);
  }
});
await ready(`http://127.0.0.1:${LB_PORT}`, 15_000);

console.log(`Slotcast cluster: ${N} nodes behind HAProxy at http://127.0.0.1:${LB_PORT}`);
for (const n of nodes) console.log(`  ${n.id}  ${n.url}`);
console.log(`Logs in ${dir}. Ctrl-C stops everything.`);
