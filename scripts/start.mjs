#!/usr/bin/env node
// `npm start`: builds the web app when its sources are newer than the build, then runs one Slotcast node
// with the embedded defaults (PGlite in .data/, in-process bus, demo data) unless the environment says otherwise.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const web = path.join(root, 'apps/web');

function newest(dir) {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const p = path.join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

if (existsSync(path.join(web, 'package.json')) && existsSync(path.join(web, 'index.html'))) {
  const dist = path.join(web, 'dist/index.html');
  if (!existsSync(dist) || statSync(dist).mtimeMs < newest(web)) {
    console.log('Building the web app…');
    const r = spawnSync('npm', ['run', 'build', '--workspace', 'apps/web'], { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
  process.env.WEB_DIST ??= path.join(web, 'dist');
}

// The young generation's size as the container image sets it (docs/operations.md, "Node runtime settings").
const nodeFlags = ['--max-semi-space-size=32'];
const child = spawn(
  process.execPath,
  [...nodeFlags, '--import', 'tsx', path.join(root, 'packages/server/src/main.ts')],
  {
    cwd: root,
    stdio: 'inherit',
    env: process.env,
  },
);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
