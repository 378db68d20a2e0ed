#!/usr/bin/env node
// `npm test`: lint, layering rules, type-check, then every suite (unit, integration against real services with
// coverage, cluster faults, browser end-to-end).
// Suites that need a service check for it themselves: in CI (CI=true) a missing service fails the run; locally the
// suite says loudly what it could not run and why.
// Each suite also writes a JSON report to test-results/; the last lines printed name every failed test with the
// first lines of its error, so the tail of a long CI log says what failed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const results = 'test-results';
const report = (slug) => ['--reporter=default', '--reporter=json', `--outputFile.json=${results}/${slug}.json`];

const steps = [
  ['lint', 'npx', ['biome', 'check', '.']],
  ['layering rules (dependency-cruiser)', 'npm', ['run', '--silent', 'lint:deps']],
  ['typecheck', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']],
  ['typecheck web', 'npx', ['tsc', '-p', 'apps/web/tsconfig.json', '--noEmit']],
];
// Suites run one group after another: the cluster and browser suites start many processes, and on a small machine
// running them beside the integration suites would make each slower and flakier than it is.
const args = process.argv.slice(2);
if (args.length > 0) steps.push(['tests', 'npx', ['vitest', 'run', ...args, ...report('tests')], 'tests']);
else {
  steps.push(
    // One run, with coverage: the per-package thresholds are checked without running the suites twice.
    [
      'unit, component and integration tests with coverage',
      'node',
      ['scripts/coverage.mjs', ...report('suites')],
      'suites',
    ],
    [
      'cluster fault tests (PostgreSQL, Redis, RabbitMQ, HAProxy)',
      'npx',
      ['vitest', 'run', '--project', 'cluster', ...report('cluster')],
      'cluster',
    ],
    ['end-to-end tests (Chromium)', 'npx', ['vitest', 'run', '--project', 'e2e', ...report('e2e')], 'e2e'],
  );
}
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });

/** The failed tests of one suite's JSON report, each with the first lines of its first error. */
function failuresOf(slug) {
  const file = `${results}/${slug}.json`;
  if (!existsSync(file)) return [`  (no report at ${file}: the run ended before writing it)`];
  let json;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    return [`  (unreadable report ${file}: ${err.message})`];
  }
  const lines = [];
  const firstLines = (message) =>
    String(message ?? '')
      .split('\n')
      .filter((l) => l.trim() !== '' && !/node_modules|node:internal|new Promise/.test(l))
      .slice(0, 6)
      .map((l) => `      ${l.slice(0, 300)}`);
  for (const file of json.testResults ?? []) {
    const name = file.name.replace(`${process.cwd()}/`, '');
    const failed = (file.assertionResults ?? []).filter((t) => t.status === 'failed');
    for (const t of failed) lines.push(`  ✗ ${name} > ${t.fullName}`, ...firstLines(t.failureMessages?.[0]));
    if (failed.length === 0 && file.status === 'failed') lines.push(`  ✗ ${name}`, ...firstLines(file.message));
  }
  return lines;
}

const failed = [];
for (const [name, cmd, stepArgs, slug] of steps) {
  console.log(`\n=== ${name}: ${cmd} ${stepArgs.join(' ')}`);
  const r = spawnSync(cmd, stepArgs, { stdio: 'inherit' });
  if (r.status !== 0) failed.push([name, slug]);
}
if (failed.length) {
  console.error('\n=== what failed');
  for (const [name, slug] of failed) {
    console.error(`- ${name}`);
    if (!slug) continue;
    const lines = failuresOf(slug);
    console.error(
      lines.length
        ? lines.join('\n')
        : '  (every test passed: a threshold, an unhandled error or the runner failed; see above)',
    );
  }
  console.error(`\nnpm test failed: ${failed.map(([name]) => name).join(', ')}`);
  process.exit(1);
}
console.log('\nnpm test: all steps passed');
