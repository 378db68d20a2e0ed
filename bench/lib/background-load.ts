import { setTimeout as sleep } from 'node:timers/promises';
import { startCpuMeter } from './cpu-meter.js';

// Above this share of the machine busy before we start, other work is likely to skew the figures.
const BUSY_MACHINE = 0.15;

/**
 * How busy the machine is with other work, sampled for one second before the run, 0..1. Warns on stderr when it is
 * busy enough to skew the figures.
 */
export async function checkBackgroundLoad(): Promise<number> {
  const meter = startCpuMeter();
  await sleep(1000);
  const background = meter().machineBusy;
  if (background > BUSY_MACHINE) {
    process.stderr.write(
      `warning: the machine was ${Math.round(background * 100)}% busy before the run; figures will be low\n`,
    );
  }
  return background;
}
