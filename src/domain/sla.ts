import { DateTime } from 'luxon';
import type { Policy } from './policy.ts';
import { membersWithRole } from './roster.ts';
import type { Clock, ClockName, Ticket } from './ticket.ts';
import { addMs } from './time-format.ts';

/** The steps of one clock: reminder, approaching, breach, then repeats after the breach. */
export type StepName = 'remind' | 'approach' | 'breach' | `repeat${number}`;

export interface TimerStep {
  n: number;
  clock: ClockName;
  step: StepName;
  version: number;
  /** When it is due, UTC ms. */
  at: number;
}

/** Deterministic BullMQ job id per (ticket, clock, step, schedule version); `-` separated (SDK-NOTES). */
export function timerJobId(s: Pick<TimerStep, 'n' | 'clock' | 'step' | 'version'>): string {
  return `sla-${s.n}-${s.clock}-${s.step}-v${s.version}`;
}

/** Every step of a clock's current schedule, fired or not. */
export function clockSteps(n: number, c: Clock, p: Policy): TimerStep[] {
  const window = c.dueAt - c.startedAt;
  const at = (fraction: number) => addMs(c.startedAt, Math.round(window * fraction));
  const base = { n, clock: c.name, version: c.version };
  const steps: TimerStep[] = [
    { ...base, step: 'remind', at: at(p.reminders.remind) },
    { ...base, step: 'approach', at: at(p.reminders.approach) },
    { ...base, step: 'breach', at: c.dueAt },
  ];
  for (let k = 1; k <= p.reminders.repeatMax; k++) steps.push({ ...base, step: `repeat${k}`, at: addMs(c.dueAt, k * p.reminders.repeatEvery) });
  return steps;
}

/** The timers that should exist for a ticket: unfired steps of its running clocks. */
export function pendingSteps(t: Ticket, p: Policy): TimerStep[] {
  const out: TimerStep[] = [];
  for (const c of Object.values(t.clocks)) {
    if (!c || c.stoppedAt !== undefined) continue;
    for (const s of clockSteps(t.n, c, p)) if (!c.fired.includes(s.step)) out.push(s);
  }
  return out;
}

/** Job ids of every step of every clock version in `before` that `after` no longer wants. */
export function obsoleteJobIds(before: Ticket | undefined, after: Ticket, p: Policy): string[] {
  if (!before) return [];
  const wanted = new Set(pendingSteps(after, p).map(timerJobId));
  return pendingSteps(before, p).map(timerJobId).filter((id) => !wanted.has(id));
}

export type TimerDecision =
  | { act: false; reason: string }
  | { act: true; clock: Clock; recipients: Recipients; breach: boolean; repeat: number };

export interface Recipients {
  /** Roster ids told privately. */
  staff: string[];
  /** Also posted in the team group. */
  team: boolean;
}

/**
 * What a due timer should do, re-reading the ticket (DESIGN.md: act only if the clock is still open
 * and the schedule version matches, so stale or duplicated jobs do nothing).
 */
export function decideTimer(t: Ticket | undefined, step: Pick<TimerStep, 'clock' | 'step' | 'version'>, now: number, p: Policy): TimerDecision {
  if (!t) return { act: false, reason: 'ticket gone' };
  const c = t.clocks[step.clock];
  if (!c) return { act: false, reason: 'no such clock' };
  if (c.stoppedAt !== undefined) return { act: false, reason: 'clock stopped' };
  if (c.version !== step.version) return { act: false, reason: 'stale schedule' };
  if (c.fired.includes(step.step)) return { act: false, reason: 'already fired' };
  const leads = membersWithRole(p, 'lead').map((m) => m.id);
  if (step.step === 'remind') {
    const staff = t.assignee ? [t.assignee] : onDuty(p, now);
    return { act: true, clock: c, recipients: { staff, team: false }, breach: false, repeat: 0 };
  }
  if (step.step === 'approach') return { act: true, clock: c, recipients: { staff: leads, team: true }, breach: false, repeat: 0 };
  if (step.step === 'breach') {
    const managerToo = step.clock !== 'response' || p.reminders.managerLevels.includes(t.level);
    const managers = managerToo ? membersWithRole(p, 'manager').map((m) => m.id) : [];
    return { act: true, clock: c, recipients: { staff: unique([...leads, ...managers]), team: true }, breach: true, repeat: 0 };
  }
  const k = Number(step.step.replace('repeat', ''));
  return { act: true, clock: c, recipients: { staff: leads, team: false }, breach: false, repeat: k };
}

/** Marks a step fired (and the clock breached at its breach step) — the ticket side of firing. */
export function markFired(t: Ticket, step: Pick<TimerStep, 'clock' | 'step' | 'version'>, now: number): Ticket | undefined {
  const c = t.clocks[step.clock];
  if (!c || c.stoppedAt !== undefined || c.version !== step.version || c.fired.includes(step.step)) return undefined;
  const clock: Clock = { ...c, fired: [...c.fired, step.step], ...(step.step === 'breach' ? { breachedAt: c.dueAt } : {}) };
  const history = step.step === 'breach' ? [...t.history, { at: now, by: { kind: 'bot' as const, id: 'bot', name: 'bot' }, action: 'breach', detail: step.clock }] : t.history;
  return { ...t, clocks: { ...t.clocks, [step.clock]: clock }, history, updatedAt: now };
}

/** Engineers on duty now: the rota entry covering this local time, else every engineer. */
export function onDuty(p: Policy, now: number): string[] {
  const local = DateTime.fromMillis(now, { zone: p.timezone });
  const hm = local.toFormat('HH:mm');
  for (const r of p.onDuty.rota) {
    const inDay = r.days.includes(local.weekday);
    const inHours = r.from <= r.to ? hm >= r.from && hm < r.to : hm >= r.from || hm < r.to;
    if (inDay && inHours) return r.engineers;
  }
  return p.onDuty.engineers ?? membersWithRole(p, 'engineer').map((m) => m.id);
}

/** Stops a clock at `at`: met when the milestone came by the deadline, breached otherwise. */
export function stopClock(c: Clock, at: number): Clock {
  const outcome = at <= c.dueAt ? 'met' : 'breached';
  return { ...c, stoppedAt: at, outcome, ...(outcome === 'breached' && c.breachedAt === undefined ? { breachedAt: c.dueAt } : {}) };
}

export function cancelClock(c: Clock, at: number, outcome: 'cancelled' | 'not-needed'): Clock {
  return { ...c, stoppedAt: at, outcome };
}

export function severityColor(t: Ticket): 'red' | 'orange' | 'yellow' | 'blue' | 'green' | 'grey' {
  return ({ L1: 'red', L2: 'orange', L3: 'yellow', L4: 'blue', consult: 'green', other: 'grey' } as const)[t.level];
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}
