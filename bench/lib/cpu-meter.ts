import os from 'node:os';
import { type EventLoopUtilization, performance } from 'node:perf_hooks';

export interface CpuUsage {
  /** CPU time of this process (server and load generator alike) per second of wall time, in cores. */
  processCores: number;
  /** Share of the machine's CPU time that was busy (this process, PostgreSQL and everything else), 0..1. */
  machineBusy: number;
  /** Share of wall time the event loop was busy running JavaScript rather than waiting, 0..1. */
  eventLoopUtilization: number;
}

function machineTimes(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const { times } of os.cpus()) {
    const sum = times.user + times.nice + times.sys + times.irq + times.idle;
    total += sum;
    busy += sum - times.idle;
  }
  return { busy, total };
}

/** Starts measuring; the returned function reports the usage since the start. */
export function startCpuMeter(): () => CpuUsage {
  const wall0 = performance.now();
  const cpu0 = process.cpuUsage();
  const machine0 = machineTimes();
  const elu0: EventLoopUtilization = performance.eventLoopUtilization();
  return () => {
    const wallMs = performance.now() - wall0;
    const cpu = process.cpuUsage(cpu0);
    const machine = machineTimes();
    const total = machine.total - machine0.total;
    return {
      processCores: wallMs > 0 ? (cpu.user + cpu.system) / 1000 / wallMs : 0,
      machineBusy: total > 0 ? (machine.busy - machine0.busy) / total : 0,
      eventLoopUtilization: performance.eventLoopUtilization(elu0).utilization,
    };
  };
}
