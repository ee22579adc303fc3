import type { Policy } from '../../src/domain/contract/policy.ts';
import { apply, type By, type LifecycleAction } from '../../src/domain/lifecycle.ts';
import type { Ticket } from '../../src/domain/ticket.ts';

/** Applies lifecycle steps in order, each at its moment; a refused step fails the test. */
export function applySteps(t: Ticket, steps: [LifecycleAction, number][], by: By, p: Policy): Ticket {
  for (const [a, at] of steps) {
    const r = apply(t, a, by, at, p);
    if (!r.ok) throw new Error(`step ${a.kind} refused: ${r.refusal.code}`);
    t = r.ticket;
  }
  return t;
}
