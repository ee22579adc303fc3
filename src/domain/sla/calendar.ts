import chineseDays from 'chinese-days';
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

const knownYears = new Map<number, boolean>();

/**
 * Whether `chinese-days` has the official arrangement of `year` (the State Council publishes each
 * year's in November or December; a pinned package version knows the years up to its release).
 * Without it a calendar counts Monday–Friday and the digest warns (docs/sla.md).
 */
export function hasHolidayData(year: number): boolean {
  let known = knownYears.get(year);
  if (known === undefined) knownYears.set(year, (known = chineseDays.getHolidaysInRange(`${year}-01-01`, `${year}-12-31`, false).length > 0));
  return known;
}

const minutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Schools' days when no business calendar is configured: China's official working days. */
export const OFFICIAL_DAYS: WorkCalendarDef = { hours: ['00:00-24:00'], holidays: 'cn', daysOff: [], workdays: [] };

/** Whether a local date is a working day under a calendar definition (its own days first, then the official ones, then Monday–Friday). */
export function isWorkdayOf(def: WorkCalendarDef, d: DateTime): boolean {
  const iso = d.toISODate()!;
  if (def.workdays.includes(iso)) return true;
  if (def.daysOff.includes(iso)) return false;
  if (def.holidays === 'cn' && hasHolidayData(d.year)) return chineseDays.isWorkday(iso);
  return d.weekday <= 5;
}

/** A business calendar in a time zone (Asia/Shanghai has no DST; a UTC server changes nothing). */
export function workCalendar(name: string, def: WorkCalendarDef, tz: string): Calendar {
  const shifts = def.hours.map((h) => h.split('-').map(minutes) as [number, number]).sort((a, b) => a[0] - b[0]);
  const off = new Set(def.daysOff);
  const extra = new Set(def.workdays);
  const dayCache = new Map<string, boolean>();
  const isWorkday = (d: DateTime): boolean => {
    const iso = d.toISODate()!;
    let w = dayCache.get(iso);
    if (w === undefined) {
      w = extra.has(iso) ? true : off.has(iso) ? false : isWorkdayOf({ ...def, workdays: [], daysOff: [] }, d);
      if (dayCache.size > 5000) dayCache.clear();
      dayCache.set(iso, w);
    }
    return w;
  };
  /** The working intervals of the local day containing `day`, as UTC ms. */
  const intervals = (day: DateTime): [number, number][] =>
    isWorkday(day) ? shifts.map(([s, e]) => [day.plus({ minutes: s }).toMillis(), day.plus({ minutes: e }).toMillis()]) : [];
  const MAX_DAYS = 3660; // ten years without a working minute: a broken calendar, not a deadline

  return {
    name,
    add(from, ms) {
      if (ms <= 0) return from;
      let left = ms;
      let day = DateTime.fromMillis(from, { zone: zone(tz) }).startOf('day');
      for (let i = 0; i < MAX_DAYS; i++, day = day.plus({ days: 1 })) {
        for (const [s, e] of intervals(day)) {
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
      let day = DateTime.fromMillis(from, { zone: zone(tz) }).startOf('day');
      for (let i = 0; i < MAX_DAYS && day.toMillis() < to; i++, day = day.plus({ days: 1 }))
        for (const [s, e] of intervals(day)) sum += Math.max(0, Math.min(e, to) - Math.max(s, from));
      return sum;
    },
  };
}
