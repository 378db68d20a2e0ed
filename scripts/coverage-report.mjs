#!/usr/bin/env node
// Prints line and branch coverage per package from coverage/coverage-summary.json (written by `vitest --coverage`),
// with the thresholds vitest.config.ts enforces. `npm run coverage` runs the suites and then this.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = process.cwd();
const summaryFile = path.join(root, 'coverage/coverage-summary.json');
if (!existsSync(summaryFile)) {
  // Vitest writes no coverage report when a test failed: the failure, not the report, is the news.
  console.log('\ncoverage: no report (a test failed, so Vitest wrote none)');
  process.exit(0);
}
const summary = JSON.parse(readFileSync(summaryFile, 'utf8'));
const packages = new Map();
for (const [file, m] of Object.entries(summary)) {
  if (file === 'total') continue;
  const rel = path.relative(root, file);
  const pkg = rel.split(path.sep).slice(0, 2).join('/');
  const p = packages.get(pkg) ?? { lines: [0, 0], branches: [0, 0], worst: [] };
  p.lines[0] += m.lines.covered;
  p.lines[1] += m.lines.total;
  p.branches[0] += m.branches.covered;
  p.branches[1] += m.branches.total;
  p.worst.push([m.lines.total - m.lines.covered, rel]);
  packages.set(pkg, p);
}
const pct = ([c, t]) => (t === 0 ? 100 : (100 * c) / t).toFixed(1).padStart(6);
console.log(`\n${'package'.padEnd(20)} ${'lines %'.padStart(8)} ${'branches %'.padStart(11)}   most uncovered lines`);
for (const [pkg, p] of [...packages].sort()) {
  const worst = p.worst
    .sort((a, b) => b[0] - a[0])
    .slice(0, 3)
    .map(([n, f]) => `${path.basename(f)} ${n}`)
    .join(', ');
  console.log(`${pkg.padEnd(20)} ${pct(p.lines).padStart(8)} ${pct(p.branches).padStart(11)}   ${worst}`);
}
