import type { Clock, ClockName } from '../ticket.ts';
import type { CalendarName } from './calendar.ts';
import { deadline } from './deadline.ts';

/** Starts a clock at `at` whose deadline is `window` of counted time later. */
export function startClock(name: ClockName, at: number, window: number, calendar: CalendarName): Clock {
  return { name, startedAt: at, dueAt: deadline(at, window, calendar), version: 1, fired: [] };
}

/** Stops a clock at `at`: met when the milestone came by the deadline, breached otherwise. */
export function stopClock(c: Clock, at: number): Clock {
  const outcome = at <= c.dueAt ? 'met' : 'breached';
  return { ...c, stoppedAt: at, outcome, ...(outcome === 'breached' && c.breachedAt === undefined ? { breachedAt: c.dueAt } : {}) };
}

export function cancelClock(c: Clock, at: number, outcome: 'cancelled' | 'not-needed'): Clock {
  return { ...c, stoppedAt: at, outcome };
}
