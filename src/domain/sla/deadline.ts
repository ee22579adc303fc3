import { ALWAYS, type Calendar, type CalendarName } from './calendar.ts';

/**
 * The clock module: every deadline, reminder moment and "time left" of the bot is computed here,
 * over a calendar, from instants in UTC ms. Nothing else adds durations to instants.
 */

/** Injected everywhere that schedules or judges deadlines, so tests can move time. */
export type Now = () => number;

type Cal = Calendar | CalendarName;
/** A calendar by name is only ever `24x7`; business calendars come built from the policy (contractFor). */
const cal = (c: Cal): Calendar => {
  if (typeof c !== 'string') return c;
  if (c === ALWAYS.name) return ALWAYS;
  throw new Error(`calendar "${c}" must come from the policy (contractFor(p, …).calendar)`);
};

/** The instant a window of `windowMs` counted time, started at `start`, ends. */
export function deadline(start: number, windowMs: number, calendar: Cal): number {
  return cal(calendar).add(start, windowMs);
}

/** The moment `fraction` of a window from `start` to `due` has passed (reminder points: 2/3, 5/6). */
export function windowPoint(start: number, due: number, fraction: number, calendar: Cal): number {
  const c = cal(calendar);
  return c.add(start, Math.round(c.between(start, due) * fraction));
}

/** Counted time left until `due` at `now`; negative once it has passed. */
export function timeLeft(due: number, now: number, calendar: Cal): number {
  return cal(calendar).between(now, due);
}

/** An instant plus plain elapsed time, whatever the calendar (delays of messages, not deadlines). */
export function later(at: number, ms: number): number {
  return ALWAYS.add(at, ms);
}
