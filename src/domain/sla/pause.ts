import { clockCalendar, contractFor } from '../contract/contract.ts';
import type { Policy } from '../contract/policy.ts';
import type { Calendar } from './calendar.ts';
import type { Clock, ClockName, Ticket, TicketEvent } from '../ticket.ts';

/**
 * Pausing a ticket's clocks while the school makes it wait (等待备件, 等待学校开门): pure. While
 * paused every clock still within its window stands still (its timers are not wanted: pendingSteps
 * skips it); on resume its deadline moves by the paused time (counted in its calendar, capped by
 * policy per ticket). A clock whose deadline already passed is never paused: a pause cannot turn a
 * breach into "met", and its reminders to the team go on.
 */

type By = TicketEvent['by'];

export interface PauseRequest {
  reason: string;
  /** When it resumes by itself (UTC ms), if the engineer said. */
  until?: number;
}

/** Why a pause ended (shown in the history): 恢复, the reporter writing, the time given, the cap, another step. */
export type ResumeWhy = 'command' | 'reporter' | 'time' | 'cap' | 'step';

/** Clocks a pause may stop at `now`: running, no breach recorded, deadline not yet passed. */
export function pausableClocks(t: Ticket, now: number): Clock[] {
  return Object.values(t.clocks).filter((c): c is Clock => !!c && c.stoppedAt === undefined && c.breach === undefined && c.breachedAt === undefined && now <= c.dueAt);
}

/** The paused time already credited to a ticket's clocks. */
export function pausedSoFar(t: Ticket): number {
  return (t.pauses ?? []).reduce((s, p) => s + p.credited, 0);
}

/**
 * Stops every pausable clock now (new schedule versions: their timers do nothing any more). Each
 * paused clock keeps `latestDueAt`, its deadline should the pause run to the cap, and the pause
 * keeps `capAt`, the moment the cap runs out: the pause ends by itself then (jobs/sla-timers.ts).
 */
export function startPause(t: Ticket, r: PauseRequest, by: By, now: number, calendarOf: (c: Clock) => Calendar, maxTotal: number): Ticket {
  const left = Math.max(0, maxTotal - pausedSoFar(t));
  const clocks = { ...t.clocks };
  let capAt: number | undefined;
  for (const c of pausableClocks(t, now)) {
    const cal = calendarOf(c);
    clocks[c.name] = { ...c, pausedAt: now, latestDueAt: cal.add(c.dueAt, left), version: c.version + 1 };
    const end = cal.add(now, left);
    capAt = capAt === undefined ? end : Math.min(capAt, end);
  }
  return {
    ...t,
    clocks,
    pause: { state: 'active', reason: r.reason, by, at: now, since: now, ...(r.until !== undefined ? { until: r.until } : {}), ...(capAt !== undefined ? { capAt } : {}) },
    updatedAt: now,
    history: [...t.history, { at: now, by, action: 'pause', detail: r.reason }],
  };
}

/**
 * When a running pause ends by itself: the time the engineer gave or the cap, whichever comes
 * first. A pause stored before `capAt` was kept gets it from the policy (the contract's calendar).
 */
export function pauseEndsAt(t: Ticket, policy?: Policy): { at: number; why: 'time' | 'cap' } | undefined {
  const p = t.pause;
  if (p?.state !== 'active' || p.since === undefined) return undefined;
  let capAt = p.capAt;
  if (capAt === undefined && policy) capAt = contractFor(policy, t).calendar.add(p.since, Math.max(0, policy.pause.maxTotal - pausedSoFar(t)));
  if (capAt !== undefined && (p.until === undefined || capAt < p.until)) return { at: capAt, why: 'cap' };
  return p.until !== undefined ? { at: p.until, why: 'time' } : undefined;
}

/** A request the reporter can no longer usefully agree to: its resume time has come, or every deadline passed. */
export function proposalLapsed(t: Ticket, now: number): boolean {
  return t.pause?.state === 'proposed' && ((t.pause.until !== undefined && t.pause.until <= now) || !pausableClocks(t, now).length);
}

/** The engineer asks; the reporter must agree before anything stops (policy pause.needsConsent). */
export function proposePause(t: Ticket, r: PauseRequest, by: By, now: number): Ticket {
  return {
    ...t,
    pause: { state: 'proposed', reason: r.reason, by, at: now, ...(r.until !== undefined ? { until: r.until } : {}) },
    updatedAt: now,
    history: [...t.history, { at: now, by, action: 'pause-proposed', detail: r.reason }],
  };
}

export function declinePause(t: Ticket, by: By, now: number): Ticket {
  const { pause: _p, ...rest } = t;
  return { ...rest, updatedAt: now, history: [...t.history, { at: now, by, action: 'pause-declined', ...(t.pause ? { detail: t.pause.reason } : {}) }] };
}

/**
 * Resumes: each paused clock's deadline moves by the paused time in its calendar (what is left of
 * `maxTotal` at most), and the clock remembers the credit (`credit`: 改级 recomputes a deadline
 * from the clock's start and adds it back); new schedule versions, so the timers are scheduled
 * afresh from the new deadlines. The pause record keeps each clock's deadline before the move, so
 * a report of an earlier moment can undo it (src/domain/as-of.ts).
 */
export function resumePause(t: Ticket, by: By, now: number, calendarOf: (c: Clock) => Calendar, maxTotal: number, why: ResumeWhy, endedAt = now): Ticket {
  const p = t.pause;
  if (!p || p.state !== 'active' || p.since === undefined) return t;
  // `endedAt`: when it was due to end (a timer run late, after downtime); never past the time the
  // engineer gave, however it ends: the wait is counted to then, not to when the bot got round to it.
  const to = Math.max(p.since, Math.min(now, endedAt, p.until ?? Infinity));
  const left = Math.max(0, maxTotal - pausedSoFar(t));
  const clocks = { ...t.clocks };
  const moved: NonNullable<PauseRecord['clocks']> = {};
  let credited: number | undefined; // as the ticket's first paused clock counts it (each clock moves in its own calendar)
  for (const c of Object.values(t.clocks)) {
    if (!c || c.pausedAt === undefined) continue;
    const { pausedAt, latestDueAt: _l, ...rest } = c;
    const cal = calendarOf(c);
    const mine = Math.min(left, Math.max(0, cal.between(p.since, to)));
    credited ??= mine;
    // Stored by a version that paused overdue clocks too: a deadline passed before the pause stays put.
    const passed = c.breach !== undefined || c.breachedAt !== undefined || pausedAt > c.dueAt || c.stoppedAt !== undefined;
    if (passed) clocks[c.name] = { ...rest, version: c.version + 1 };
    else {
      clocks[c.name] = { ...rest, dueAt: cal.add(c.dueAt, mine), credit: (c.credit ?? 0) + mine, version: c.version + 1 };
      moved[c.name] = { dueBefore: c.dueAt, credit: mine };
    }
  }
  const { pause: _p, ...base } = t;
  return {
    ...base,
    clocks,
    pauses: [...(t.pauses ?? []), { from: p.since, to, reason: p.reason, by: p.by.name, credited: credited ?? 0, ...(Object.keys(moved).length ? { clocks: moved } : {}) }],
    updatedAt: now,
    history: [...t.history, { at: now, by, action: 'resume', detail: why, pausedMs: credited ?? 0 }],
  };
}

type PauseRecord = NonNullable<Ticket['pauses']>[number];

/**
 * Ends whatever pause a ticket has before a step that moves or ends its clocks (接单, 改级, 合并,
 * 解决 …): a running one resumes (the step then judges the moved deadlines), a proposed one lapses.
 */
export function endPause(t: Ticket, by: By, now: number, p: Policy, why: ResumeWhy = 'step'): Ticket {
  if (!t.pause) return t;
  if (t.pause.state === 'proposed') return declinePause(t, by, now);
  const contract = contractFor(p, t);
  return resumePause(t, by, now, (c) => clockCalendar(contract, c), p.pause.maxTotal, why);
}

/** The pause credit of clock `name` from the ticket's pauses after the first `done` (to undo them as of an earlier moment). */
export function creditAfter(t: Ticket, name: ClockName, done: number): number {
  return (t.pauses ?? []).slice(done).reduce((s, x) => s + (x.clocks?.[name]?.credit ?? 0), 0);
}
