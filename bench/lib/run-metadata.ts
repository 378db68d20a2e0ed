import { execFileSync } from 'node:child_process';
import os from 'node:os';

export interface RunMetadata {
  date: string;
  node: string;
  platform: string;
  arch: string;
  cpus: number;
  cpuModel: string;
  totalMemoryGiB: number;
  /** Short commit hash, with `+dirty` when the working tree had uncommitted changes (figures then describe those too). */
  gitCommit: string | null;
}

/** Where and when a benchmark ran, so figures from different machines are not compared blindly. */
export function runMetadata(now = new Date()): RunMetadata {
  const cpus = os.cpus();
  return {
    date: now.toISOString(),
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
    arch: process.arch,
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    totalMemoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    gitCommit: gitCommit(),
  };
}

function gitCommit(): string | null {
  const git = (...args: string[]) =>
    execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    const head = git('rev-parse', '--short', 'HEAD');
    return git('status', '--porcelain', '--untracked-files=no') ? `${head}+dirty` : head;
  } catch {
    return null;
  }
}
