import { type ClosedLoopResult, runClosedLoop } from '../lib/closed-loop.js';
import { type CpuUsage, startCpuMeter } from '../lib/cpu-meter.js';
import { type LatencySummary, summarize } from '../lib/latency.js';
import type { SlotPlan } from './slot-plan.js';
import type { BookingRef, BookingTarget } from './target.js';

export interface ScenarioOptions {
  concurrency: number;
  count: number;
  seconds: number;
  warmup: number;
  signal: AbortSignal;
}

export interface PhaseResult extends LatencySummary {
  ok: number;
  conflicts: number;
  errors: number;
  errorSamples: string[];
  stoppedBy: ClosedLoopResult['stoppedBy'];
  /** SQL statements per operation started, background work of the node included. */
  statementsPerOp: number;
  cpu: CpuUsage;
}

export interface ScenarioResult {
  create: PhaseResult;
  confirm: PhaseResult;
}

async function phase(
  target: BookingTarget,
  op: (i: number) => Promise<'ok' | 'conflict'>,
  count: number,
  opts: ScenarioOptions,
): Promise<PhaseResult> {
  const statements0 = target.statements();
  const cpu = startCpuMeter();
  const loop = await runClosedLoop(op, {
    concurrency: opts.concurrency,
    count,
    maxMs: opts.seconds * 1000,
    signal: opts.signal,
  });
  const usage = cpu();
  const started = loop.ok + loop.conflicts + loop.errors;
  return {
    ...summarize(loop.latenciesMs, loop.elapsedMs),
    ok: loop.ok,
    conflicts: loop.conflicts,
    errors: loop.errors,
    errorSamples: loop.errorSamples,
    stoppedBy: loop.stoppedBy,
    statementsPerOp: started ? (target.statements() - statements0) / started : Number.NaN,
    cpu: usage,
  };
}

/** Creates `count` bookings, then confirms each one created; both at a fixed concurrency, after a warm-up of each. */
async function createThenConfirm(target: BookingTarget, plan: SlotPlan, count: number, opts: ScenarioOptions) {
  const refs: BookingRef[] = [];
  const create = await phase(
    target,
    async (i) => {
      const r = await target.create(plan.take(), i);
      if (r.outcome === 'ok') refs.push(r.ref);
      return r.outcome;
    },
    count,
    opts,
  );
  const confirm = await phase(target, (i) => target.confirm(refs[i]!), refs.length, opts);
  return { create, confirm };
}

export async function runScenario(
  target: BookingTarget,
  plan: SlotPlan,
  opts: ScenarioOptions,
): Promise<ScenarioResult> {
  if (opts.warmup > 0) await createThenConfirm(target, plan, opts.warmup, opts);
  return createThenConfirm(target, plan, opts.count, opts);
}
