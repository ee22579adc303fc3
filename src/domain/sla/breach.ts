import type { Policy } from '../contract/policy.ts';
import { holderAt, type Breach, type Clock, type Ticket } from '../ticket.ts';
import { onDuty } from './on-duty.ts';

/**
 * The breach of a clock as a fact: the moment its deadline passed, who held the ticket then and who
 * was on duty then. Recorded once (at the breach step, or when the clock ends late) and never
 * rewritten by a later resolve, re-grade or re-assignment.
 */
export function breachOf(t: Ticket, c: Clock, p: Policy): Breach {
  const at = c.breachedAt ?? c.dueAt;
  const assignee = holderAt(t, at);
  return { at, ...(assignee ? { assignee } : {}), onDuty: onDuty(p, at) };
}

/**
 * Who a clock's outcome is attributed to: for a breach, the holder at the breach moment — or, when
 * nobody held the ticket then, the engineers on duty then; for a met clock, the holder at the
 * milestone; for a running one, the holder now.
 */
export function attributedTo(t: Ticket, c: Clock, now: number): string[] {
  const one = (id: string | undefined) => (id ? [id] : []);
  if (c.breach) return c.breach.assignee ? [c.breach.assignee] : c.breach.onDuty;
  const endedLate = c.stoppedAt !== undefined && c.stoppedAt > c.dueAt; // includes clocks stored as 无需 before breaches were kept
  if (c.outcome === 'breached' || endedLate || (c.stoppedAt === undefined && now > c.dueAt)) return one(holderAt(t, c.dueAt));
  return one(holderAt(t, c.stoppedAt ?? now));
}
