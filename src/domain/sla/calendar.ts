// The package's own data, read directly: its functions take a date's weekday in the process's
// time zone (a server west of UTC sees Saturday 5 Dec 2026 as a working day); ours come from luxon.
import official from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import { DateTime } from 'luxon';
import { zone } from '../zone.ts';

/**
 * Calendars a window can count in: `24x7` (calendar time: this contract, CONTRACT.md) or a named
 * business calendar of the policy (`calendars:` — working hours on working days: weekdays and
 * China's 调休 make-up days, minus public holidays, from the `chinese-days` package, plus a
 * school's own days off and extra working days). Pure: the holiday data is the package's, offline.
 */
export type CalendarName = string;

/**
 * How a calendar counts time: `add` moves forward by an amount of counted time, `between` measures
 * the counted time from one instant to another (negative when the second comes first).
 */
export interface Calendar {
  readonly name: CalendarName;
  add(from: number, ms: number): number;
  between(from: number, to: number): number;
}

// Calendar time is zone-free; UTC spares luxon a system-zone lookup per step.
const UTC = { zone: 'utc' } as const;

export const ALWAYS: Calendar = {
  name: '24x7',
  add: (from, ms) => DateTime.fromMillis(from, UTC).plus({ milliseconds: ms }).toMillis(),
  between: (from, to) => DateTime.fromMillis(to, UTC).diff(DateTime.fromMillis(from, UTC)).as('milliseconds'),
};

/** A business calendar as the policy writes it. */
export interface WorkCalendarDef {
  /** Working hours of a working day, local time: `08:00-12:00`, `14:00-18:00` (split shifts). */
  hours: string[];
  /** `cn`: China's public holidays and make-up working days; `none`: Monday–Friday only. */
  holidays: 'cn' | 'none';
  /** Extra days off (寒暑假, 校庆), `YYYY-MM-DD`. */
  daysOff: string[];
  /** Extra working days, `YYYY-MM-DD`. */
  workdays: string[];
}

const HOLIDAYS = new Set(Object.keys(official.holidays));
const MAKEUP_DAYS = new Set(Object.keys(official.workdays));
const YEARS = new Set([...HOLIDAYS].map((d) => Number(d.slice(0, 4))));

/**
 * Whether `chinese-days` has the official arrangement of `year` (the State Council publishes each
 * year's in November or December; a pinned package version knows the years up to its release).
 * Without it a calendar counts Monday–Friday and the digest warns (docs/sla.md).
 */
export function hasHolidayData(year: number): boolean {
  return YEARS.has(year);
}

const minutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Schools' days when no business calendar is configured: China's official working days. */
export const OFFICIAL_DAYS: WorkCalendarDef = { hours: ['00:00-24:00'], holidays: 'cn', daysOff: [], workdays: [] };

/**
 * Whether a local date (`YYYY-MM-DD`, ISO weekday 1–7) is a working day under a calendar
 * definition: its own days first, then the official arrangement, then Monday–Friday.
 */
function isWorkdayOn(def: WorkCalendarDef, iso: string, weekday: number, extra: ReadonlySet<string>, off: ReadonlySet<string>): boolean {
  if (extra.has(iso)) return true;
  if (off.has(iso)) return false;
  if (def.holidays === 'cn' && hasHolidayData(Number(iso.slice(0, 4)))) {
    if (HOLIDAYS.has(iso)) return false;
    if (MAKEUP_DAYS.has(iso)) return true;
  }
  return weekday <= 5;
}

/** Whether a local date is a working day under a calendar definition (its own days first, then the official ones, then Monday–Friday). */
export function isWorkdayOf(def: WorkCalendarDef, d: DateTime): boolean {
  return isWorkdayOn(def, d.toISODate()!, d.weekday, new Set(def.workdays), new Set(def.daysOff));
}

const DAY = 86_400_000;
const MAX_DAYS = 3660; // ten years without a working minute: a broken calendar, not a deadline

/**
 * A business calendar in a time zone (Asia/Shanghai has no DST; a UTC server changes nothing).
 * Days are walked by their number since 1970-01-01 in local time, each day's working intervals
 * computed once and cached: a deadline across a long holiday costs a few map lookups, not luxon
 * date arithmetic per day (pendingSteps computes a dozen points per dispatched ticket).
 */
export function workCalendar(name: string, def: WorkCalendarDef, tz: string): Calendar {
  const shifts = def.hours.map((h) => h.split('-').map(minutes) as [number, number]).sort((a, b) => a[0] - b[0]);
  const off = new Set(def.daysOff);
  const extra = new Set(def.workdays);
  const z = zone(tz);
  /** Local midnight (UTC ms) of local day number `d`. */
  const midnight = (d: number): number => {
    const wall = d * DAY;
    const guess = wall - z.offset(wall) * 60_000;
    return wall - z.offset(guess) * 60_000;
  };
  /** The local day number of an instant. */
  const dayOf = (at: number): number => Math.floor((at + z.offset(at) * 60_000) / DAY);
  const cache = new Map<number, readonly [number, number][]>();
  const NONE: readonly [number, number][] = [];
  /** The working intervals of local day `d`, as UTC ms. */
  const intervals = (d: number): readonly [number, number][] => {
    let out = cache.get(d);
    if (out === undefined) {
      const start = midnight(d);
      // The date from the day number itself (UTC arithmetic on wall-clock days): right even where
      // a DST change skips local midnight, whose nearest instant falls on the day before.
      const iso = DateTime.fromMillis(d * DAY, UTC).toISODate()!;
      const weekday = ((((d + 3) % 7) + 7) % 7) + 1; // 1970-01-01 was a Thursday (ISO 4)
      out = isWorkdayOn(def, iso, weekday, extra, off) ? shifts.map(([s, e]) => [start + s * 60_000, start + e * 60_000] as [number, number]) : NONE;
      if (cache.size > 20_000) cache.clear();
      cache.set(d, out);
    }
    return out;
  };

  return {
    name,
    add(from, ms) {
      if (ms <= 0) return from;
      let left = ms;
      const first = dayOf(from);
      for (let d = first; d < first + MAX_DAYS; d++) {
        for (const [s, e] of intervals(d)) {
          const start = Math.max(s, from);
          if (start >= e) continue;
          if (e - start >= left) return start + left;
          left -= e - start;
        }
      }
      throw new Error(`calendar ${name}: no working time within ${MAX_DAYS} days`);
    },
    between(from, to) {
      if (to < from) return -this.between(to, from);
      let sum = 0;
      const first = dayOf(from);
      const last = Math.min(dayOf(to), first + MAX_DAYS);
      for (let d = first; d <= last; d++) for (const [s, e] of intervals(d)) sum += Math.max(0, Math.min(e, to) - Math.max(s, from));
      return sum;
    },
  };
}
