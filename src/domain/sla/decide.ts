import { contractFor } from '../contract/contract.ts';
import type { Policy } from '../contract/policy.ts';
import { membersWithRole } from '../contract/roster.ts';
import type { Clock, ClockName, Ticket } from '../ticket.ts';
import { breachOf } from './breach.ts';
import { onDuty } from './on-duty.ts';
import { clockSteps, repeatOf, type StepName, type TimerStep } from './schedule.ts';

/** How a notice speaks to a person: the one who has to act, the lead who follows up, the manager above. */
export type Role = 'assignee' | 'lead' | 'manager';

export interface Recipient {
  staffId: string;
  role: Role;
}

export interface Recipients {
  /** Roster ids told privately, each once, with the role the notice speaks to. */
  staff: Recipient[];
  /** Also posted in the team group. */
  team: boolean;
}

/** What a due timer says: one notice per recipient of the clock's state now. */
export interface TimerNotice {
  clock: Clock;
  /** The step the notice is worded by: the latest of `steps`. */
  step: StepName;
  /** The steps this notice stands for, in schedule order; all are marked fired together. */
  steps: StepName[];
  recipients: Recipients;
  /** The notice announces the breach (its step is among `steps`). */
  breachNew: boolean;
  /** Repeats whose time has come, these included (the counter of the notice). */
  repeats: number;
  /** The manager has been told of this clock (by its breach or its manager step, now or before). */
  managerTold: boolean;
  /** Folds missed steps or fires late: worded as the current state, with a note saying so. */
  catchUp: boolean;
}

export type TimerDecision = { act: false; reason: string } | ({ act: true } & TimerNotice);

type StepRef = Pick<TimerStep, 'clock' | 'step' | 'version'> & { at?: number };

/**
 * What a due timer should do, re-reading the ticket (DESIGN.md: act only if the clock is still open
 * and the schedule version matches, so stale or duplicated jobs do nothing).
 *
 * Catch-up (docs/sla.md): the notice stands for every step of the clock whose moment has come and
 * that was not sent yet — after downtime, a restore or a re-grade that makes a clock overdue, that
 * is several — so each person hears once where the clock stands, never the missed steps one by one.
 */
export function decideTimer(t: Ticket | undefined, ref: StepRef, now: number, p: Policy): TimerDecision {
  if (!t) return { act: false, reason: 'ticket gone' };
  const c = t.clocks[ref.clock];
  if (!c) return { act: false, reason: 'no such clock' };
  if (c.stoppedAt !== undefined) return { act: false, reason: 'clock stopped' };
  if (c.pausedAt !== undefined) return { act: false, reason: 'clock paused' };
  if (c.version !== ref.version) return { act: false, reason: 'stale schedule' };
  if (c.fired.includes(ref.step)) return { act: false, reason: 'already fired' };
  const contract = contractFor(p, t);
  const all = clockSteps(t.n, c, contract);
  const due = all.filter((s) => !c.fired.includes(s.step) && (s.at <= now || s.step === ref.step));
  const own = all.find((s) => s.step === ref.step);
  if (!own) return { act: false, reason: 'no such step' };
  const steps = due.map((s) => s.step);
  const latest = steps[steps.length - 1]!;
  const seen = [...c.fired, ...steps];
  // The lead's own ticket escalates to the manager from the approach step on.
  const leadHolds = membersWithRole(p, 'lead').some((m) => m.id === t.assignee);
  const managerToo = breachGoesToManager(p, t, ref.clock) || leadHolds;
  return {
    act: true,
    clock: c,
    step: latest,
    steps,
    recipients: merge(t, steps.map((s) => stepRecipients(t, ref.clock, s, now, p))),
    breachNew: steps.includes('breach'),
    repeats: Math.max(0, ...seen.map(repeatOf)),
    managerTold: seen.includes('manager') || (managerToo && seen.includes('breach') && membersWithRole(p, 'manager').length > 0),
    catchUp: steps.length > 1 || now - own.at > contract.reminders.catchUpGrace,
  };
}

/** The response breach of the lower levels stays with the lead; the on-site clocks' always reach the manager. */
function breachGoesToManager(p: Policy, t: Ticket, clock: ClockName): boolean {
  return clock !== 'response' || contractFor(p, t).reminders.managerLevels.includes(t.level);
}

/** Who one step speaks to. */
export function stepRecipients(t: Ticket, clock: ClockName, step: StepName, now: number, p: Policy): Recipients {
  const managers = membersWithRole(p, 'manager').map((m): Recipient => ({ staffId: m.id, role: 'manager' }));
  // The lead follows up, unless the ticket is his: then he is told as its assignee and the
  // escalation goes one level up, to the manager.
  const leads = membersWithRole(p, 'lead').flatMap((m): Recipient[] => (m.id === t.assignee ? [{ staffId: m.id, role: 'assignee' }, ...managers] : [{ staffId: m.id, role: 'lead' }]));
  switch (step) {
    case 'remind':
      return { staff: (t.assignee ? [t.assignee] : onDuty(p, now)).map((staffId) => ({ staffId, role: 'assignee' })), team: false };
    case 'approach':
      return { staff: leads, team: true };
    case 'breach':
      return { staff: [...leads, ...(breachGoesToManager(p, t, clock) ? managers : [])], team: true };
    case 'manager':
      return { staff: managers, team: managers.length > 0 };
    default:
      return { staff: leads, team: false };
  }
}

const RANK: Record<Role, number> = { assignee: 0, lead: 1, manager: 2 };

/** One entry per person (the holder always as assignee; otherwise the closest role), team if any step posts there. */
function merge(t: Ticket, rs: Recipients[]): Recipients {
  const by = new Map<string, Role>();
  for (const r of rs.flatMap((x) => x.staff)) {
    const role = r.staffId === t.assignee ? 'assignee' : r.role;
    const had = by.get(r.staffId);
    if (had === undefined || RANK[role] < RANK[had]) by.set(r.staffId, role);
  }
  return { staff: [...by].map(([staffId, role]) => ({ staffId, role })), team: rs.some((x) => x.team) };
}

/**
 * Marks steps fired — the ticket side of firing; the breach step records the breach as a fact (the
 * moment, the holder and who was on duty then). Undefined when the clock moved on meanwhile.
 */
export function markFired(t: Ticket, ref: Pick<TimerStep, 'clock' | 'version'>, steps: StepName[], now: number, p: Policy): Ticket | undefined {
  const c = t.clocks[ref.clock];
  if (!c || c.stoppedAt !== undefined || c.version !== ref.version || steps.some((s) => c.fired.includes(s))) return undefined;
  const breach = steps.includes('breach');
  const clock: Clock = { ...c, fired: [...c.fired, ...steps], ...(breach ? { breachedAt: c.breachedAt ?? c.dueAt, breach: c.breach ?? breachOf(t, c, p) } : {}) };
  const history = breach ? [...t.history, { at: now, by: { kind: 'bot' as const, id: 'bot', name: 'bot' }, action: 'breach', detail: ref.clock }] : t.history;
  return { ...t, clocks: { ...t.clocks, [ref.clock]: clock }, history, updatedAt: now };
}
