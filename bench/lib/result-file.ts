import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** bench/results/, where the programs write their reports. */
export const RESULTS_DIR = new URL('../results/', import.meta.url);

/** An ISO date made safe for a file name: `2024-05-01T10-00-00-000Z`. */
export function fileTimestamp(isoDate: string): string {
  return isoDate.replace(/[:.]/g, '-');
}

/** Writes `report` as bench/results/<name>-<date>.json and returns the file's path. */
export async function writeResultFile(name: string, isoDate: string, report: unknown): Promise<string> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const file = new URL(`${name}-${fileTimestamp(isoDate)}.json`, RESULTS_DIR);
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
  return fileURLToPath(file);
}
