import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { missingTools } from './support/services.js';

declare module 'vitest' {
  export interface ProvidedContext {
    clusterMissing: string[];
  }
}

/**
 * The cluster suite starts its own PostgreSQL cluster, Redis, RabbitMQ node, HAProxy and Slotcast processes. In CI a
 * missing program fails the run; locally the suite is skipped and this says so loudly, before and after the run.
 */
export default function setup(project: TestProject) {
  const missing = missingTools();
  project.provide('clusterMissing', missing);
  if (missing.length === 0) {
    dropStaleClusters();
    return;
  }
  const msg = `missing: ${missing.join(', ')}`;
  if (process.env.CI) throw new Error(`The cluster suite cannot run (${msg}). CI needs them: .ci/run installs them.`);
  const banner = `\n${'!'.repeat(78)}\n!! NOT RUN: the cluster fault suite (packages/server/test/cluster).\n!! ${msg}\n!! apt-get install haproxy redis-server rabbitmq-server postgresql, and run as root.\n${'!'.repeat(78)}\n`;
  console.warn(banner);
  return () => console.warn(banner);
}

/**
 * PostgreSQL clusters a killed run of this suite left behind (named `slotcast-test-<port>`). Only old ones: another
 * run on this machine may be using a fresh one right now.
 */
function dropStaleClusters() {
  const lines = execFileSync('pg_lsclusters', ['--no-header'], { encoding: 'utf8' }).split('\n');
  for (const [version, name] of lines.map((l) => l.trim().split(/\s+/))) {
    if (!version || !name?.startsWith('slotcast-test-')) continue;
    const made = statSync(`/etc/postgresql/${version}/${name}`, { throwIfNoEntry: false })?.mtimeMs ?? 0;
    if (Date.now() - made > 30 * 60_000) {
      try {
        execFileSync('pg_dropcluster', [version, name, '--stop'], { stdio: 'ignore' });
      } catch {}
    }
  }
}
