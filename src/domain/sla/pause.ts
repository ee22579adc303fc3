import type { Calendar } from './calendar.ts';
import type { Clock, Ticket, TicketEvent } from '../ticket.ts';

/**
 * Pausing a ticket's clocks while the school makes it wait (等待备件, 等待学校开门): pure. While
 * paused every running clock stands still (its timers are not wanted: pendingSteps skips it); on
 * resume its deadline moves by the paused time (counted in the contract's calendar, capped by
 * policy per ticket) — unless it had already passed: a pause never turns a breach into "met".
 */

type By = TicketEvent['by'];

export interface PauseRequest {
  reason: string;
  /** When it resumes by itself (UTC ms), if the engineer said. */
  until?: number;
}

/** Clocks running now, which a pause stops. */
const running = (t: Ticket): Clock[] => Object.values(t.clocks).filter((c): c is Clock => !!c && c.stoppedAt === undefined);

/** The paused time already credited to a ticket's clocks. */
export function pausedSoFar(t: Ticket): number {
  return (t.pauses ?? []).reduce((s, p) => s + p.credited, 0);
}

/** Stops every running clock now (new schedule versions: their timers do nothing any more). */
export function startPause(t: Ticket, r: PauseRequest, by: By, now: number): Ticket {
  const clocks = { ...t.clocks };
  for (const c of running(t)) clocks[c.name] = { ...c, pausedAt: now, version: c.version + 1 };
  return {
    ...t,
    clocks,
    pause: { state: 'active', reason: r.reason, by, at: now, since: now, ...(r.until !== undefined ? { until: r.until } : {}) },
    updatedAt: now,
    history: [...t.history, { at: now, by, action: 'pause', detail: r.reason }],
  };
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
 * `maxTotal` at most), unless it had passed before the pause; new schedule versions, so the
 * timers are scheduled afresh from the new deadlines. `why`: who or what ended it (恢复, the
 * reporter writing again, the time the engineer gave).
 */
export function resumePause(t: Ticket, by: By, now: number, calendarOf: (c: Clock) => Calendar, maxTotal: number, why: 'command' | 'reporter' | 'time'): Ticket {
  const p = t.pause;
  if (!p || p.state !== 'active' || p.since === undefined) return t;
  const left = Math.max(0, maxTotal - pausedSoFar(t));
  const clocks = { ...t.clocks };
  let credited = 0; // as the ticket's first paused clock counts it (each clock moves in its own calendar)
  for (const c of Object.values(t.clocks)) {
    if (!c || c.pausedAt === undefined) continue;
    const { pausedAt, ...rest } = c;
    const cal = calendarOf(c);
    const mine = Math.min(left, Math.max(0, cal.between(p.since, now)));
    credited ||= mine;
    const passed = c.breach !== undefined || c.breachedAt !== undefined || pausedAt > c.dueAt || c.stoppedAt !== undefined;
    clocks[c.name] = { ...rest, dueAt: passed ? c.dueAt : cal.add(c.dueAt, mine), version: c.version + 1 };
  }
  const { pause: _p, ...base } = t;
  return {
    ...base,
    clocks,
    pauses: [...(t.pauses ?? []), { from: p.since, to: now, reason: p.reason, by: p.by.name, credited }],
    updatedAt: now,
    history: [...t.history, { at: now, by, action: 'resume', detail: why, pausedMs: credited }],
  };
}
