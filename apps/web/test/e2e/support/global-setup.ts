import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { chromiumAvailable } from './browser.js';
import { buildWebApp } from './slotcast-process.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The production build of the web app every end-to-end suite serves (read-only; '' when Chromium is missing). */
    webDist: string;
  }
}

/**
 * Builds the web app once for the whole end-to-end run: every suite's server serves the same production build, which
 * no suite writes to. Without Chromium (and outside CI) the suites skip themselves, so nothing is built.
 */
export default function setup(project: TestProject) {
  if (!chromiumAvailable() && !process.env.CI) {
    project.provide('webDist', '');
    return;
  }
  const tmp = mkdtempSync(path.join(tmpdir(), 'slotcast-e2e-web-'));
  const dist = path.join(tmp, 'dist');
  buildWebApp(dist);
  project.provide('webDist', dist);
  return () => rmSync(tmp, { recursive: true, force: true });
}
