import { hasHolidayData } from '../sla/calendar.ts';
import { DateTime } from 'luxon';
import { asOf } from '../as-of.ts';
import { contractFor, contractsOf } from '../contract/contract.ts';
import type { Policy } from '../contract/policy.ts';
import { inspectionStatus, type InspectionRecord, type InspectionStatus } from '../inspections.ts';
import { holderAt, isOpen, type Clock, type Ticket } from '../ticket.ts';
import { kpis, verdict, type Kpis } from './kpi.ts';
import { zone } from '../zone.ts';

export interface DigestInput {
  /**
   * The moment the digest is for (it reports the local day before): the digest is as of then —
   * tickets created later are left out, events later are undone (src/domain/as-of.ts).
   */
  now: number;
  /** Tickets created since the start of the previous month at least, and every ticket open at `now` (or simply all). */
  tickets: Ticket[];
  /** Recorded inspection visits (巡检完成). */
  inspections?: InspectionRecord[];
  /** Messages that could not be delivered after every retry. */
  failedSends?: number;
  /** The contract the digest is about (default: the policy's first); only its tickets count. */
  contract?: string;
}

export interface DigestPeriods {
  /** Start of the local day the digest is posted on (UTC ms). */
  today: number;
  /** Start of the local day it reports. */
  yesterday: number;
  monthStart: number;
  weekStart: number;
  isMonday: boolean;
}

/** `digest.time` (HH:mm or HH:mm:ss) on the local date `date` (YYYY-MM-DD): when that day's digest is posted. Undefined for an invalid date. */
export function digestMoment(date: string, time: string, tz: string): number | undefined {
  const d = DateTime.fromISO(date, { zone: zone(tz) });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !d.isValid) return undefined;
  const [h = 0, m = 0, s = 0] = time.split(':').map(Number);
  return d.set({ hour: h, minute: m, second: s, millisecond: 0 }).toMillis();
}

/**
 * The last digest moment at or before `now` (+ `slack`, for a job that fires a little early): the
 * moment a scheduled run is for, however late it runs.
 */
export function latestDigestMoment(now: number, time: string, tz: string, slack = 0): number {
  const local = DateTime.fromMillis(now + slack, { zone: zone(tz) });
  const today = digestMoment(local.toISODate()!, time, tz)!;
  return today <= now + slack ? today : digestMoment(local.minus({ days: 1 }).toISODate()!, time, tz)!;
}

/** The periods a digest covers, in the policy's time zone. */
export function digestPeriods(now: number, tz: string): DigestPeriods {
  const today = DateTime.fromMillis(now, { zone: zone(tz) }).startOf('day');
  const yesterday = today.minus({ days: 1 });
  return {
    today: today.toMillis(),
    yesterday: yesterday.toMillis(),
    monthStart: yesterday.startOf('month').toMillis(),
    weekStart: today.minus({ days: 7 }).toMillis(),
    isMonday: today.weekday === 1,
  };
}

/** The numbers of a daily digest (src/views/digest.ts words them). */
export interface DigestData {
  now: number;
  contract: string;
  periods: DigestPeriods;
  /** Created yesterday. */
  created: Ticket[];
  /** Resolved, closed or cancelled yesterday. */
  closed: Ticket[];
  /** Every open ticket, by number. */
  open: Ticket[];
  /** Clocks whose deadline fell yesterday and was missed, with who held the ticket at that moment. */
  breaches: { t: Ticket; c: Clock; holder: string | undefined }[];
  /** Month to date (tickets created this month before today). */
  month: Kpis;
  /** On Mondays: the last seven days. */
  week?: { created: Ticket[]; closed: Ticket[]; kpis: Kpis };
  inspections?: InspectionStatus;
  failedSends: number;
  /** From 1 December: the year whose official holidays the business calendar does not know yet (it would count Monday–Friday). */
  holidaysUnknown?: number;
}

function inRange(at: number, from: number, to: number): boolean {
  return at >= from && at < to;
}

const CLOSING = new Set(['resolve', 'close', 'cancel']);

/**
 * The daily digest: yesterday's new and closed tickets, every open ticket, yesterday's breaches,
 * month-to-date KPIs; on Mondays last week too. Pure: the caller loads the tickets.
 */
export function digestData(input: DigestInput, p: Policy): DigestData {
  const { now } = input;
  const contract = input.contract ? contractFor(p, input.contract) : contractsOf(p)[0]!;
  // As the tickets stood at the digest moment: later tickets absent, later events undone.
  // A ticket merged into another is that incident: counted, listed and blamed there only.
  const tickets = input.tickets.filter((t) => contractFor(p, t).id === contract.id).flatMap((t) => asOf(t, now, p) ?? []).filter((t) => t.status !== 'merged');
  const d = digestPeriods(now, contract.timezone);
  const closedIn = (from: number, to: number) => tickets.filter((t) => t.history.some((h) => CLOSING.has(h.action) && inRange(h.at, from, to)));
  const createdIn = (from: number, to: number) => tickets.filter((t) => inRange(t.createdAt, from, to));
  // A breach is dated by its moment (kept through a later re-grade) and blamed on the holder then.
  const breaches = tickets.flatMap((t) =>
    Object.values(t.clocks)
      .filter((c): c is Clock => !!c && verdict(c, now) === 'breached' && inRange(c.breach?.at ?? c.breachedAt ?? c.dueAt, d.yesterday, d.today))
      .map((c) => ({ t, c, holder: c.breach ? c.breach.assignee : holderAt(t, c.dueAt) })),
  );
  const o = { signoffWindow: contract.reminders.signoff };
  const inspections = inspectionStatus(contract, now, (input.inspections ?? []).filter((r) => r.at <= now));
  return {
    now,
    contract: contract.id,
    periods: d,
    created: createdIn(d.yesterday, d.today),
    closed: closedIn(d.yesterday, d.today),
    open: tickets.filter(isOpen).sort((a, b) => a.n - b.n),
    breaches,
    month: kpis(createdIn(d.monthStart, d.today), now, o),
    ...(d.isMonday ? { week: { created: createdIn(d.weekStart, d.today), closed: closedIn(d.weekStart, d.today), kpis: kpis(createdIn(d.weekStart, d.today), now, o) } } : {}),
    ...(inspections ? { inspections } : {}),
    failedSends: input.failedSends ?? 0,
    ...holidayWarning(p, now, contract.timezone),
  };
}

/** A business calendar on China's holidays that lacks next year's arrangement, from 1 December on. */
function holidayWarning(p: Policy, now: number, tz: string): { holidaysUnknown?: number } {
  const def = p.calendars[p.calendar];
  if (!def || def.holidays !== 'cn') return {};
  const local = DateTime.fromMillis(now, { zone: zone(tz) });
  const year = local.month === 12 ? local.year + 1 : local.year;
  return hasHolidayData(year) ? {} : { holidaysUnknown: year };
}

/**
 * Whether the digest is posted at `now` (policy digest.skipHolidays): always on the school's working
 * days; on its days off only when something cannot wait — an open L1/L2, or a deadline missed the day before.
 */
export function digestDue(d: DigestData, p: Policy): boolean {
  if (!p.digest.skipHolidays) return true;
  const c = contractFor(p, d.contract);
  if (c.isWorkday(DateTime.fromMillis(d.now, { zone: zone(c.timezone) }))) return true;
  return d.open.some((t) => t.level === 'L1' || t.level === 'L2') || d.breaches.length > 0;
}
