#!/usr/bin/env node
// `npm run coverage` (and the suites step of `npm test`): the unit, web and integration projects in one Vitest run
// with V8 coverage, then line and branch coverage per package. Vitest fails the run when a package is below its
// threshold in vitest.config.ts; the HTML report is in coverage/index.html.
import { spawnSync } from 'node:child_process';

const run = spawnSync(
  'npx',
  [
    'vitest',
    'run',
    '--coverage',
    '--project',
    'unit',
    '--project',
    'web',
    '--project',
    'integration',
    ...process.argv.slice(2),
  ],
  { stdio: 'inherit' },
);
spawnSync('node', ['scripts/coverage-report.mjs'], { stdio: 'inherit' });
process.exit(run.status ?? 1);
