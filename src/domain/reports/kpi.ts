import { LEVELS, type Level } from '../levels.ts';
import type { Clock, ClockName, Ticket } from '../ticket.ts';

/**
 * The contract's KPIs (5.3.2.2–5.3.2.4), pure. Definitions (docs/kpi.md):
 * - a clock counts once its outcome is known: met (milestone by the deadline) or breached (after it,
 *   or still running past the deadline). A running clock not yet due is excluded, not counted as met;
 *   cancelled and not-needed clocks are excluded;
 * - rate = met / (met + breached); undefined when nothing counts.
 */
export interface Rate {
  met: number;
  breached: number;
  rate: number | undefined;
  /** Tickets whose clock was breached. */
  missed: number[];
}

export interface Kpis {
  tickets: number;
  response: Rate;
  arrival: Rate;
  resolution: Rate;
  backup: Rate;
  /** Resolution within its deadline for tickets that replaced parts (备件更换及时率). */
  spareParts: Rate;
  satisfaction: { average: number | undefined; rated: number; finished: number; responseRate: number | undefined };
  signoff: { signed: number; finished: number; rate: number | undefined };
}

export type ClockVerdict = 'met' | 'breached' | undefined;

export function verdict(c: Clock | undefined, now: number): ClockVerdict {
  if (!c) return undefined;
  if (c.outcome === 'met') return 'met';
  if (c.outcome === 'breached') return 'breached';
  if (c.outcome === 'cancelled' || c.outcome === 'not-needed') return undefined;
  return now > c.dueAt ? 'breached' : undefined; // running: only a passed deadline is known
}

function rate(tickets: Ticket[], pick: (t: Ticket) => Clock | undefined, now: number): Rate {
  let met = 0;
  let breached = 0;
  const missed: number[] = [];
  for (const t of tickets) {
    const v = verdict(pick(t), now);
    if (v === 'met') met++;
    else if (v === 'breached') {
      breached++;
      missed.push(t.n);
    }
  }
  return { met, breached, rate: met + breached ? met / (met + breached) : undefined, missed };
}

const FINISHED = new Set(['resolved', 'confirmed', 'closed']);

/** KPIs of a set of tickets (the caller chooses which: a period, a level, an engineer). */
export function kpis(tickets: Ticket[], now: number): Kpis {
  const clock = (name: ClockName) => (t: Ticket) => t.clocks[name];
  const finished = tickets.filter((t) => t.resolution && FINISHED.has(t.status));
  const rated = finished.filter((t) => t.rating);
  const signed = finished.filter((t) => t.signoff);
  return {
    tickets: tickets.length,
    response: rate(tickets, clock('response'), now),
    arrival: rate(tickets, clock('arrival'), now),
    resolution: rate(tickets, clock('resolution'), now),
    backup: rate(tickets, clock('backup'), now),
    spareParts: rate(tickets.filter((t) => t.resolution?.parts.length), clock('resolution'), now),
    satisfaction: {
      average: rated.length ? rated.reduce((s, t) => s + t.rating!.score, 0) / rated.length : undefined,
      rated: rated.length,
      finished: finished.length,
      responseRate: finished.length ? rated.length / finished.length : undefined,
    },
    signoff: { signed: signed.length, finished: finished.length, rate: finished.length ? signed.length / finished.length : undefined },
  };
}

export function kpisByLevel(tickets: Ticket[], now: number): Record<Level, Kpis> {
  return Object.fromEntries(LEVELS.map((l) => [l, kpis(tickets.filter((t) => t.level === l), now)])) as Record<Level, Kpis>;
}

/** Per engineer: the tickets they were in charge of (assignee). */
export function kpisByEngineer(tickets: Ticket[], now: number): Record<string, Kpis> {
  const ids = [...new Set(tickets.map((t) => t.assignee).filter((x): x is string => !!x))].sort();
  return Object.fromEntries(ids.map((id) => [id, kpis(tickets.filter((t) => t.assignee === id), now)]));
}
