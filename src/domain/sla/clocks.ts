import type { Breach, Clock, ClockName } from '../ticket.ts';
import type { Calendar, CalendarName } from './calendar.ts';
import type { Contract } from '../contract/contract.ts';
import type { Level } from '../levels.ts';
import { deadline } from './deadline.ts';

/** Works out the breach record of a clock whose deadline passed (src/domain/sla/breach.ts). */
export type BreachOf = (c: Clock) => Breach;

/** Starts a clock at `at` whose deadline is `window` of counted time later. */
export function startClock(name: ClockName, at: number, window: number, calendar: Calendar | CalendarName): Clock {
  return { name, startedAt: at, dueAt: deadline(at, window, calendar), version: 1, fired: [] };
}

/** A clock whose deadline has passed, or whose breach is already recorded, ends breached. */
function breached(c: Clock, at: number, breachOf: BreachOf): Clock {
  return { ...c, stoppedAt: at, outcome: 'breached', breachedAt: c.breachedAt ?? c.dueAt, breach: c.breach ?? breachOf(c) };
}

/** Stops a clock at `at`: met when the milestone came by the deadline, breached otherwise. */
export function stopClock(c: Clock, at: number, breachOf: BreachOf): Clock {
  if (c.breach !== undefined || at > c.dueAt) return breached(c, at, breachOf);
  return { ...c, stoppedAt: at, outcome: 'met' };
}

/**
 * Ends a clock whose milestone will not come (resolved remotely, closed, cancelled). A deadline
 * that already passed unmet stays a breach, whatever happens later; only a clock still within its
 * window becomes `not-needed` or `cancelled`.
 */
export function cancelClock(c: Clock, at: number, outcome: 'cancelled' | 'not-needed', breachOf: BreachOf): Clock {
  if (c.breach !== undefined || at > c.dueAt) return { ...breached(c, at, breachOf), unmet: true };
  return { ...c, stoppedAt: at, outcome };
}

/** A level's response clock from `at`: in the level's own calendar when it names one (levels.X.calendar). */
export function responseClock(contract: Pick<Contract, 'levels' | 'calendarNamed'>, level: Level, at: number): Clock {
  const name = contract.levels[level].calendar;
  return { ...startClock('response', at, contract.levels[level].response, contract.calendarNamed(name)), ...(name ? { calendar: name } : {}) };
}
