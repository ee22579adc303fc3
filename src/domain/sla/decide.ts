import { contractFor } from '../contract/contract.ts';
import type { Policy } from '../contract/policy.ts';
import { membersWithRole } from '../contract/roster.ts';
import type { Clock, Ticket } from '../ticket.ts';
import { onDuty } from './on-duty.ts';
import type { TimerStep } from './schedule.ts';

export type TimerDecision =
  | { act: false; reason: string }
  | { act: true; clock: Clock; recipients: Recipients; breach: boolean; repeat: number };

export interface Recipients {
  /** Roster ids told privately. */
  staff: string[];
  /** Also posted in the team group. */
  team: boolean;
}

/**
 * What a due timer should do, re-reading the ticket (DESIGN.md: act only if the clock is still open
 * and the schedule version matches, so stale or duplicated jobs do nothing).
 */
export function decideTimer(t: Ticket | undefined, step: Pick<TimerStep, 'clock' | 'step' | 'version'>, now: number, p: Policy): TimerDecision {
  if (!t) return { act: false, reason: 'ticket gone' };
  const c = t.clocks[step.clock];
  if (!c) return { act: false, reason: 'no such clock' };
  if (c.stoppedAt !== undefined) return { act: false, reason: 'clock stopped' };
  if (c.version !== step.version) return { act: false, reason: 'stale schedule' };
  if (c.fired.includes(step.step)) return { act: false, reason: 'already fired' };
  const leads = membersWithRole(p, 'lead').map((m) => m.id);
  if (step.step === 'remind') {
    const staff = t.assignee ? [t.assignee] : onDuty(p, now);
    return { act: true, clock: c, recipients: { staff, team: false }, breach: false, repeat: 0 };
  }
  if (step.step === 'approach') return { act: true, clock: c, recipients: { staff: leads, team: true }, breach: false, repeat: 0 };
  if (step.step === 'breach') {
    const managerToo = step.clock !== 'response' || contractFor(p, t).reminders.managerLevels.includes(t.level);
    const managers = managerToo ? membersWithRole(p, 'manager').map((m) => m.id) : [];
    return { act: true, clock: c, recipients: { staff: unique([...leads, ...managers]), team: true }, breach: true, repeat: 0 };
  }
  const k = Number(step.step.replace('repeat', ''));
  return { act: true, clock: c, recipients: { staff: leads, team: false }, breach: false, repeat: k };
}

/** Marks a step fired (and the clock breached at its breach step) — the ticket side of firing. */
export function markFired(t: Ticket, step: Pick<TimerStep, 'clock' | 'step' | 'version'>, now: number): Ticket | undefined {
  const c = t.clocks[step.clock];
  if (!c || c.stoppedAt !== undefined || c.version !== step.version || c.fired.includes(step.step)) return undefined;
  const clock: Clock = { ...c, fired: [...c.fired, step.step], ...(step.step === 'breach' ? { breachedAt: c.dueAt } : {}) };
  const history = step.step === 'breach' ? [...t.history, { at: now, by: { kind: 'bot' as const, id: 'bot', name: 'bot' }, action: 'breach', detail: step.clock }] : t.history;
  return { ...t, clocks: { ...t.clocks, [step.clock]: clock }, history, updatedAt: now };
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}
