import { later } from '../sla/deadline.ts';
import { LEVELS, type Level } from '../levels.ts';
import { attributedTo } from '../sla/breach.ts';
import { holders, reportersOf, type Clock, type ClockName, type Ticket } from '../ticket.ts';

/**
 * The contract's KPIs (5.3.2.2–5.3.2.4), pure. Definitions (docs/kpi.md):
 * - a clock counts once its outcome is known: met (milestone by the deadline) or breached (after it,
 *   still running past it, or ended without its milestone after it — a recorded breach is never
 *   undone). A running clock not yet due is pending, not met; not-needed and cancelled-in-time
 *   clocks are excluded;
 * - rate = met / (met + breached); undefined when nothing counts;
 * - sign-off: a finished ticket is unsigned only once its sign-off window has ended; inside it the
 *   ticket is pending;
 * - an incident is counted once: a ticket merged into another is left out (its reporters are the
 *   other's), a joined report is a reporter of its incident, never a ticket.
 */
export interface Rate {
  met: number;
  breached: number;
  /** Clocks still running within their deadline: no outcome yet. */
  pending: number;
  rate: number | undefined;
  /** Tickets whose clock was breached. */
  missed: number[];
}

export interface Kpis {
  /** Incidents: tickets, not counting those merged into another (their reporters count there). */
  tickets: number;
  /** Reports behind them: every reporter of every incident (≥ tickets). */
  reporters: number;
  response: Rate;
  arrival: Rate;
  resolution: Rate;
  backup: Rate;
  /** Resolution within its deadline for tickets that replaced parts (备件更换及时率). */
  spareParts: Rate;
  /** `pending`: finished, not rated, still inside the sign-off window (not a miss yet). */
  satisfaction: { average: number | undefined; rated: number; finished: number; pending: number; responseRate: number | undefined };
  /** `unsigned`: finished, not signed, window ended; `pending`: finished, not signed, window still open. */
  signoff: { signed: number; finished: number; unsigned: number[]; pending: number[]; rate: number | undefined };
}

export interface KpiOptions {
  /** How long after 已解决 the reporter has to sign (the contract's reminders.signoff); default: no window. */
  signoffWindow?: number;
}

export type ClockVerdict = 'met' | 'breached' | 'pending' | undefined;

export function verdict(c: Clock | undefined, now: number): ClockVerdict {
  if (!c) return undefined;
  if (c.outcome === 'met') return 'met';
  if (c.outcome === 'breached') return 'breached';
  // Stored before missed deadlines were kept as breaches: ended after its deadline is a miss.
  if (c.outcome === 'cancelled' || c.outcome === 'not-needed') return c.stoppedAt !== undefined && c.stoppedAt > c.dueAt ? 'breached' : undefined;
  // Paused: the deadline moves by the pause on resume, so only one passed before the pause is
  // missed, or the latest it can move to (the pause's cap) once that has passed too.
  if (c.pausedAt !== undefined) return c.breach || c.pausedAt > c.dueAt || (c.latestDueAt !== undefined && now > c.latestDueAt) ? 'breached' : 'pending';
  return c.breach || now > c.dueAt ? 'breached' : 'pending'; // running: only a passed deadline is known
}

type Pick = (t: Ticket) => Clock | undefined;

function rate(tickets: Ticket[], pick: Pick, now: number): Rate {
  let met = 0;
  let breached = 0;
  let pending = 0;
  const missed: number[] = [];
  for (const t of tickets) {
    const v = verdict(pick(t), now);
    if (v === 'met') met++;
    else if (v === 'pending') pending++;
    else if (v === 'breached') {
      breached++;
      missed.push(t.n);
    }
  }
  return { met, breached, pending, rate: met + breached ? met / (met + breached) : undefined, missed };
}

const FINISHED = new Set(['resolved', 'confirmed', 'closed']);

/**
 * KPIs of a set of tickets (the caller chooses which: a period, a level). `only` keeps the clocks
 * a figure is about (an engineer's: those attributed to them).
 */
export function kpis(all: Ticket[], now: number, o: KpiOptions = {}, only: (t: Ticket, c: Clock) => boolean = () => true): Kpis {
  // One fault is one incident however many reported it: a merged ticket lives on in its target.
  const tickets = all.filter((t) => t.status !== 'merged');
  const clock = (name: ClockName): Pick => (t) => {
    const c = t.clocks[name];
    return c && only(t, c) ? c : undefined;
  };
  const finished = tickets.filter((t) => t.resolution && FINISHED.has(t.status));
  const rated = finished.filter((t) => t.rating);
  const signed = finished.filter((t) => t.signoff);
  const open = (t: Ticket) => o.signoffWindow !== undefined && now < later(t.resolution!.at, o.signoffWindow);
  const ratingPending = finished.filter((t) => !t.rating && open(t)).length;
  const unsignedAll = finished.filter((t) => !t.signoff);
  const unsigned = unsignedAll.filter((t) => !open(t)).map((t) => t.n);
  const pending = unsignedAll.filter(open).map((t) => t.n);
  return {
    tickets: tickets.length,
    reporters: tickets.reduce((n, t) => n + reportersOf(t).length, 0),
    response: rate(tickets, clock('response'), now),
    arrival: rate(tickets, clock('arrival'), now),
    resolution: rate(tickets, clock('resolution'), now),
    backup: rate(tickets, clock('backup'), now),
    spareParts: rate(tickets.filter((t) => t.resolution?.parts.length), clock('resolution'), now),
    satisfaction: {
      average: rated.length ? rated.reduce((s, t) => s + t.rating!.score, 0) / rated.length : undefined,
      rated: rated.length,
      finished: finished.length,
      pending: ratingPending,
      responseRate: finished.length - ratingPending ? rated.length / (finished.length - ratingPending) : undefined,
    },
    signoff: { signed: signed.length, finished: finished.length, unsigned, pending, rate: signed.length + unsigned.length ? signed.length / (signed.length + unsigned.length) : undefined },
  };
}

export function kpisByLevel(tickets: Ticket[], now: number, o: KpiOptions = {}): Record<Level, Kpis> {
  return Object.fromEntries(LEVELS.map((l) => [l, kpis(tickets.filter((t) => t.level === l), now, o)])) as Record<Level, Kpis>;
}

/**
 * Per engineer: each clock's outcome goes to whoever held the ticket when it was decided — the
 * holder at the breach moment for a breach (the engineers on duty then, when nobody held it), at the
 * milestone for a met clock (src/domain/sla/breach.ts). `tickets` counts the tickets the engineer
 * held at some point or has an outcome of.
 */
export function kpisByEngineer(tickets: Ticket[], now: number, o: KpiOptions = {}): Record<string, Kpis> {
  const involved = (t: Ticket) => [...new Set([...holders(t), ...Object.values(t.clocks).flatMap((c) => (c ? attributedTo(t, c, now) : []))])];
  const ids = [...new Set(tickets.flatMap(involved))].sort();
  return Object.fromEntries(
    ids.map((id) => {
      const theirs = tickets.filter((t) => involved(t).includes(id));
      return [id, kpis(theirs, now, o, (t, c) => attributedTo(t, c, now).includes(id))];
    }),
  );
}
