import type { Contract } from '../contract/contract.ts';
import { clockCalendar, contractFor } from '../contract/contract.ts';
import type { Policy } from '../contract/policy.ts';
import type { Clock, ClockName, Ticket } from '../ticket.ts';
import { deadline, windowPoint } from './deadline.ts';

/**
 * The steps of one clock: reminder, approaching, breach, repeats after the breach, then one summary
 * to the manager a repeat interval after the last repeat, after which the chain stops.
 */
export type StepName = 'remind' | 'approach' | 'breach' | `repeat${number}` | 'manager';

export interface TimerStep {
  n: number;
  clock: ClockName;
  step: StepName;
  version: number;
  /** When it is due, UTC ms. */
  at: number;
}

/**
 * Deterministic id per (ticket, clock, step, schedule version); `-` separated (SDK-NOTES). The key
 * a step's notice is sent under (sent once, whoever fires it), and the job id of a step in the
 * one-job-per-step layout of earlier versions (such jobs, left in Redis by an upgrade, still work).
 */
export function timerJobId(s: Pick<TimerStep, 'n' | 'clock' | 'step' | 'version'>): string {
  return `sla-${s.n}-${s.clock}-${s.step}-v${s.version}`;
}

/** The BullMQ job id of a running clock's schedule version: one job walks all its steps. */
export function clockJobId(s: Pick<TimerStep, 'n' | 'clock' | 'version'>): string {
  return `sla-${s.n}-${s.clock}-v${s.version}`;
}

/** Every step of a clock's current schedule under its ticket's contract, fired or not. */
export function clockSteps(n: number, c: Clock, contract: Contract): TimerStep[] {
  const r = contract.reminders;
  const cal = clockCalendar(contract, c);
  const base = { n, clock: c.name, version: c.version };
  const steps: TimerStep[] = [
    { ...base, step: 'remind', at: windowPoint(c.startedAt, c.dueAt, r.remind, cal) },
    { ...base, step: 'approach', at: windowPoint(c.startedAt, c.dueAt, r.approach, cal) },
    { ...base, step: 'breach', at: c.dueAt },
  ];
  for (let k = 1; k <= r.repeatMax; k++) steps.push({ ...base, step: `repeat${k}`, at: deadline(c.dueAt, k * r.repeatEvery, cal) });
  steps.push({ ...base, step: 'manager', at: deadline(c.dueAt, (r.repeatMax + 1) * r.repeatEvery, cal) });
  return steps;
}

/** The repeat number of a step (0 for the others). */
export function repeatOf(step: string): number {
  return /^repeat(\d+)$/.exec(step) ? Number(step.slice(6)) : 0;
}

/** The timers that should exist for a ticket: unfired steps of its running clocks. */
export function pendingSteps(t: Ticket, p: Policy): TimerStep[] {
  const contract = contractFor(p, t);
  const out: TimerStep[] = [];
  for (const c of Object.values(t.clocks)) {
    if (!c || c.stoppedAt !== undefined || c.pausedAt !== undefined) continue; // paused: no timers
    for (const s of clockSteps(t.n, c, contract)) if (!c.fired.includes(s.step)) out.push(s);
  }
  return out;
}

/**
 * What the timer jobs wait for: the next unfired step of each running clock. One job per clock
 * version waits for it, fires it (catching up any step due with it) and then waits for the one
 * after — not a job per step: a fifth of the Redis memory and of the writes per new ticket, and a
 * reply removes one job.
 */
export function nextSteps(t: Ticket, p: Policy): TimerStep[] {
  const next = new Map<ClockName, TimerStep>();
  for (const s of pendingSteps(t, p)) {
    const cur = next.get(s.clock);
    if (!cur || s.at < cur.at) next.set(s.clock, s);
  }
  return [...next.values()];
}

/** The unfired steps of one clock version (none when it stopped, paused or moved on). */
export function stepsOf(t: Ticket | undefined, clock: ClockName, version: number, p: Policy): TimerStep[] {
  const c = t?.clocks[clock];
  if (!t || !c || c.version !== version) return [];
  return pendingSteps(t, p).filter((s) => s.clock === clock);
}

/** The next unfired step of one clock version; undefined when it stopped, paused, moved on or has fired everything. */
export function nextStepOf(t: Ticket | undefined, clock: ClockName, version: number, p: Policy): TimerStep | undefined {
  return stepsOf(t, clock, version, p).reduce<TimerStep | undefined>((a, s) => (!a || s.at < a.at ? s : a), undefined);
}

/** Job ids of the clock versions `before` had timers for and `after` no longer wants. */
export function obsoleteJobIds(before: Ticket | undefined, after: Ticket, p: Policy): string[] {
  if (!before) return [];
  const wanted = new Set(nextSteps(after, p).map(clockJobId));
  return nextSteps(before, p).map(clockJobId).filter((id) => !wanted.has(id));
}
