#!/usr/bin/env node
// `npm test`: lint, type-check, then every suite (unit, integration against real services, browser end-to-end).
// Suites that need a service check for it themselves: in CI (CI=true) a missing service fails the run; locally the
// suite says loudly what it could not run and why.
import { spawnSync } from 'node:child_process';

const steps = [
  ['lint', 'npx', ['biome', 'check', '.']],
  ['typecheck', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']],
  ['tests', 'npx', ['vitest', 'run', ...process.argv.slice(2)]],
];
const failed = [];
for (const [name, cmd, args] of steps) {
  console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) failed.push(name);
}
if (failed.length) {
  console.error(`\nnpm test failed: ${failed.join(', ')}`);
  process.exit(1);
}
console.log('\nnpm test: all steps passed');
