import type { Platform } from '../platform.ts';
import type { DateTime } from 'luxon';
import { ALWAYS, isWorkdayOf, OFFICIAL_DAYS, workCalendar, type Calendar } from '../sla/calendar.ts';
import type { Policy } from './policy.ts';
import { chatByPlatformId } from './roster.ts';

/** The id of the one contract a policy without `contracts` describes. */
export const MAIN_CONTRACT = 'main';

/**
 * One service contract: what was promised to one customer (levels and their windows, on-site
 * windows, the reminder schedule, the calendar the windows count in, inspections, the service
 * desk's details). The service team (roster, rota, team group) is the deployment's and is shared.
 * Code that judges or words a ticket reads these values through `contractFor(policy, ticket)`,
 * never from the policy directly, so several contracts later are a matter of configuration.
 */
export interface Contract {
  id: string;
  /** The customer, as reports name it. */
  name: string;
  timezone: string;
  /** What the windows count in: 7×24 for this contract (CONTRACT.md), or a business calendar of the policy. */
  calendar: Calendar;
  levels: Policy['levels'];
  onsite: Policy['onsite'];
  reminders: Policy['reminders'];
  inspections: Policy['inspections'];
  service: Policy['service'];
  /** The school's working days (its business calendar's, else China's official ones): inspections fall on them. */
  isWorkday(local: DateTime): boolean;
  /** A calendar by name (`24x7` or one of the policy's `calendars`); undefined: the contract's own. */
  calendarNamed(name: string | undefined): Calendar;
}

/** A ticket (by its contract id), a chat (by the policy's chats), or a contract id. */
export type ContractRef = string | { contract?: string } | { platform: Platform; chatId: string };

/**
 * Every contract of the policy. Today a policy is one implicit contract (`main`); built on every
 * call, because tests and the policy reload may replace parts of the policy object.
 */
export function contractsOf(p: Policy): Contract[] {
  return [
    {
      id: MAIN_CONTRACT,
      name: p.service.customer,
      timezone: p.timezone,
      calendar: calendarOf(p),
      levels: p.levels,
      onsite: p.onsite,
      reminders: p.reminders,
      inspections: p.inspections,
      service: p.service,
      isWorkday: (d) => isWorkdayOf(p.calendars[p.calendar] ?? OFFICIAL_DAYS, d),
      calendarNamed: (name) => (name === undefined ? calendarOf(p) : calendarOf({ ...p, calendar: name })),
    },
  ];
}

/**
 * The contract a ticket, a chat or an id belongs to. A chat no contract lists (a private chat, a
 * chat not yet in the policy) and an id the policy no longer has fall back to the first contract.
 */
export function contractFor(p: Policy, ref: ContractRef): Contract {
  const all = contractsOf(p);
  let id: string | undefined;
  if (typeof ref === 'string') id = ref;
  else if ('platform' in ref) id = chatByPlatformId(p, ref.platform, ref.chatId) ? MAIN_CONTRACT : undefined;
  else id = ref.contract;
  return all.find((c) => c.id === id) ?? all[0]!;
}

/** The calendar the policy's windows count in (`calendar:`, a name of `calendars:` or `24x7`). */
export function calendarOf(p: Policy): Calendar {
  const def = p.calendar === ALWAYS.name ? undefined : p.calendars[p.calendar];
  if (!def) return ALWAYS;
  // One calendar (and its day cache) per definition object: contractsOf runs on every call.
  let c = built.get(def);
  if (!c || c.name !== p.calendar || builtZone.get(def) !== p.timezone) {
    built.set(def, (c = workCalendar(p.calendar, def, p.timezone)));
    builtZone.set(def, p.timezone);
  }
  return c;
}
const built = new WeakMap<object, Calendar>();
const builtZone = new WeakMap<object, string>();

/** What a clock counts in: its own calendar (a level that says one), else the contract's. */
export function clockCalendar(c: Pick<Contract, 'calendarNamed'>, clock: { calendar?: string }): Calendar {
  return c.calendarNamed(clock.calendar);
}

/** The calendar a level's response window counts in, and the name to keep on its clock (absent: the contract's). */
export function levelCalendar(c: Pick<Contract, 'calendarNamed' | 'levels'>, level: keyof Contract['levels']): { calendar: Calendar; name?: string } {
  const name = c.levels[level].calendar;
  return { calendar: c.calendarNamed(name), ...(name ? { name } : {}) };
}
