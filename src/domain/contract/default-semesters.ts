import { DateTime } from 'luxon';
import { zone } from '../zone.ts';

export interface Semester {
  name: string;
  /** Local dates, YYYY-MM-DD, inclusive. */
  start: string;
  end: string;
}

/**
 * The usual Chinese academic calendar around `now`, for a policy that lists no semesters: autumn
 * 1 Sep – 20 Jan, spring 25 Feb – 10 Jul (a school adjusts them in the policy).
 */
export function defaultSemesters(now: number, tz: string): Semester[] {
  const y = DateTime.fromMillis(now, { zone: zone(tz) }).year;
  const out: Semester[] = [];
  for (const year of [y - 1, y, y + 1]) {
    out.push({ name: `${year}年春季学期`, start: `${year}-02-25`, end: `${year}-07-10` });
    out.push({ name: `${year}年秋季学期`, start: `${year}-09-01`, end: `${year + 1}-01-20` });
  }
  return out;
}
