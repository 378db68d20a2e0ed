import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';

/**
 * A V8 CPU profile of one stretch of a child process (a fan-out round, with `--profile`): the process-wide one of
 * `--cpu-prof` is dominated by connecting, and a client process serves both servers' rounds.
 */
export class RoundProfile {
  private session: Session | null = null;

  async start(): Promise<void> {
    if (this.session) return;
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
    this.session = session;
  }

  /** Stops the profile and writes it to `file` (nothing when none was started). */
  async stop(file: string): Promise<void> {
    const session = this.session;
    if (!session) return;
    this.session = null;
    const { profile } = await session.post('Profiler.stop');
    await writeFile(file, JSON.stringify(profile));
    session.disconnect();
  }
}
