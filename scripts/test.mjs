#!/usr/bin/env node
// `npm test`: lint, layering rules, type-check, then every suite (unit, integration against real services with
// coverage, cluster faults, browser end-to-end).
// Suites that need a service check for it themselves: in CI (CI=true) a missing service fails the run; locally the
// suite says loudly what it could not run and why.
import { spawnSync } from 'node:child_process';

const steps = [
  ['lint', 'npx', ['biome', 'check', '.']],
  ['layering rules (dependency-cruiser)', 'npm', ['run', '--silent', 'lint:deps']],
  ['typecheck', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']],
  ['typecheck web', 'npx', ['tsc', '-p', 'apps/web/tsconfig.json', '--noEmit']],
];
// Suites run one group after another: the cluster and browser suites start many processes, and on a small machine
// running them beside the integration suites would make each slower and flakier than it is.
const args = process.argv.slice(2);
if (args.length > 0) steps.push(['tests', 'npx', ['vitest', 'run', ...args]]);
else {
  steps.push(
    // One run, with coverage: the per-package thresholds are checked without running the suites twice.
    ['unit, component and integration tests with coverage', 'node', ['scripts/coverage.mjs']],
    ['cluster fault tests (PostgreSQL, Redis, RabbitMQ, HAProxy)', 'npx', ['vitest', 'run', '--project', 'cluster']],
    ['end-to-end tests (Chromium)', 'npx', ['vitest', 'run', '--project', 'e2e']],
  );
}
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
