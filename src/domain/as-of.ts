import { contractFor, levelCalendar } from './contract/contract.ts';
import type { Policy } from './contract/policy.ts';
import { deadline } from './sla/deadline.ts';
import { creditAfter } from './sla/pause.ts';
import { holderAt, type Clock, type Ticket, type TicketEvent, type TicketStatus } from './ticket.ts';

/**
 * A ticket as it stood at `at` (UTC ms), rebuilt from its history: pure. Undefined when the ticket
 * did not exist yet. Events after `at` are dropped and what they did is undone:
 * - status, level and holder are replayed from the history;
 * - resolution, backup, sign-off and rating after `at` give way to the last such event at or
 *   before it (rebuilt from the event), else disappear; so do close reason and sign-off reminder;
 * - a clock stopped after `at` runs again; a breach recorded after `at` is unrecorded (the clock is
 *   still judged breached if its deadline had passed by `at`); a response deadline moved by a
 *   re-grade after `at` is recomputed for the level of the time (with the policy's current windows);
 * - pauses are as they stood: one begun after `at` is undone, one resumed after `at` still runs
 *   and has not moved the deadlines yet (each pause record keeps the deadline before its move).
 * Approximated: a clock started after `at` (上门, or a 重开 that restarted the response clock) is
 * dropped — the clock it replaced is not stored, so its earlier state is lost; attachments, fired
 * timer steps and clock versions are kept as they are now (they carry no time).
 */
export function asOf(t: Ticket, at: number, p: Policy): Ticket | undefined {
  if (t.createdAt > at) return undefined;
  const later = t.history.filter((h) => h.at > at);
  if (!later.length && t.updatedAt <= at) return t;
  const history = t.history.filter((h) => h.at <= at);
  const lastBefore = (action: string): TicketEvent | undefined => history.findLast((h) => h.action === action);
  const changedLater = (action: string) => later.some((h) => h.action === action);

  const status = later.some((h) => STATUS_AFTER.has(h.action)) ? replayStatus(history) : t.status;
  const firstRegrade = later.find((h) => h.action === 'level' && h.level);
  const level = firstRegrade?.level?.from ?? t.level;
  const assignee = later.some((h) => h.assignee !== undefined) ? holderAt(t, at) : t.assignee;

  const pause = pauseAsOf(t, history);
  // Every ended pause has its record and its `resume` event, in order: the records of the
  // resumes up to `at` are the pauses done by then (a late timer's record ends before its event).
  const pausesDone = history.filter((h) => h.action === 'resume').length;
  const clocks: Ticket['clocks'] = {};
  for (const c of Object.values(t.clocks)) {
    if (!c || c.startedAt > at) continue;
    clocks[c.name] = clockAsOf(t, c, at, history, firstRegrade, level, p, pause, pausesDone);
  }
  const pauses = t.pauses?.slice(0, pausesDone);

  const { resolution: _r, backup: _b, signoff: _s, rating: _g, closeReason: _c, signoffRemindedAt: _m, assignee: _a, coReporters: _co, mergedInto: _mi, pause: _p, pauses: _ps, ...rest } = t;
  // Other reporters as they had come by then: joined by their report's time, merged-in by the 合并.
  const mergedBy = (from: number | undefined) => history.some((h) => h.action === 'merge' && h.ticket === from);
  const splitBy = (n: number) => history.some((h) => h.action === 'split' && h.ticket === n);
  const coReporters = t.coReporters
    ?.filter((c) => (c.via === 'join' ? c.at <= at : mergedBy(c.from)))
    .map(({ splitTo, ...c }) => (splitTo !== undefined && splitBy(splitTo) ? { ...c, splitTo } : c));
  const mergedInto = status === 'merged' ? t.mergedInto : undefined;
  const resolution = t.resolution && t.resolution.at > at ? fromEvent(lastBefore('resolve'), (h) => ({ at: h.at, by: h.by.id, text: h.detail ?? '', parts: h.parts ?? [] })) : t.resolution;
  const backup = t.backup && t.backup.at > at ? fromEvent(lastBefore('backup'), (h) => ({ at: h.at, by: h.by.id, text: h.detail ?? '' })) : t.backup;
  const signoff = t.signoff && t.signoff.at > at ? fromEvent(lastBefore('confirm'), (h) => ({ at: h.at, by: h.by.id, name: h.by.name })) : t.signoff;
  const rating = t.rating && t.rating.at > at ? fromEvent(lastBefore('rate'), (h) => ({ at: h.at, score: h.score ?? 0, comment: h.detail ?? '' })) : t.rating;
  const closeReason = status !== 'closed' ? undefined : changedLater('close') ? (lastBefore('close')?.detail ?? '') : t.closeReason;
  const signoffRemindedAt = t.signoffRemindedAt !== undefined && t.signoffRemindedAt <= at ? t.signoffRemindedAt : undefined;
  return {
    ...rest,
    status,
    level,
    ...(assignee !== undefined ? { assignee } : {}),
    ...(resolution ? { resolution } : {}),
    ...(backup ? { backup } : {}),
    ...(signoff ? { signoff } : {}),
    ...(rating ? { rating } : {}),
    ...(closeReason !== undefined ? { closeReason } : {}),
    ...(signoffRemindedAt !== undefined ? { signoffRemindedAt } : {}),
    ...(coReporters?.length ? { coReporters } : {}),
    ...(mergedInto !== undefined ? { mergedInto } : {}),
    ...(pause ? { pause } : {}),
    ...(pauses?.length ? { pauses } : {}),
    followUps: t.followUps.filter((f) => f.at <= at).map(({ splitTo, ...f }) => (splitTo !== undefined && splitBy(splitTo) ? { ...f, splitTo } : f)),
    clocks,
    history,
    updatedAt: Math.min(t.updatedAt, Math.max(t.createdAt, ...history.map((h) => h.at))),
  };
}

/** The status each state step leaves a ticket in (src/domain/lifecycle.ts). */
const STATUS_AFTER = new Map<string, TicketStatus>([
  ['ack', 'acknowledged'],
  ['dispatch', 'dispatched'],
  ['arrive', 'onsite'],
  ['resolve', 'resolved'],
  ['close', 'closed'],
  ['reopen', 'open'],
  ['confirm', 'confirmed'],
  ['cancel', 'cancelled'],
  ['merged-into', 'merged'],
]);

function replayStatus(history: TicketEvent[]): TicketStatus {
  let s: TicketStatus = 'open';
  for (const h of history) s = STATUS_AFTER.get(h.action) ?? s;
  return s;
}

function fromEvent<T>(h: TicketEvent | undefined, f: (h: TicketEvent) => T): T | undefined {
  return h ? f(h) : undefined;
}

/**
 * The pause as it stood at the end of `history` (the events up to `at`): asked for, running since
 * its `pause` event, or none (resumed, declined, lapsed). The time it was to end by is known only
 * for the pause the ticket still has.
 */
function pauseAsOf(t: Ticket, history: TicketEvent[]): Ticket['pause'] {
  let pause: Ticket['pause'];
  for (const h of history) {
    if (h.action === 'pause-proposed') pause = { state: 'proposed', reason: h.detail ?? '', by: h.by, at: h.at };
    // startPause keeps the asker as `by` (the reporter only agreed) and the pause's start as `at`.
    else if (h.action === 'pause') pause = { state: 'active', reason: h.detail ?? pause?.reason ?? '', by: pause?.by ?? h.by, at: h.at, since: h.at };
    else if (h.action === 'resume' || h.action === 'pause-declined') pause = undefined;
  }
  const now = t.pause;
  if (!pause || !now) return pause;
  // The same pause still on the ticket: its resume time and cap too.
  const same = now.state === pause.state && (pause.state === 'active' ? now.since === pause.since : now.at === pause.at);
  if (same && (now.until !== undefined || now.capAt !== undefined)) return { ...pause, ...(now.until !== undefined ? { until: now.until } : {}), ...(now.capAt !== undefined ? { capAt: now.capAt } : {}) };
  return pause;
}

function clockAsOf(t: Ticket, c: Clock, at: number, history: TicketEvent[], firstRegrade: TicketEvent | undefined, levelAt: Ticket['level'], p: Policy, pause: Ticket['pause'], pausesDone: number): Clock {
  if (c.stoppedAt !== undefined && c.stoppedAt <= at) return c; // ended by then: as it is
  const { stoppedAt: _s, outcome: _o, unmet: _u, breach, breachedAt, pausedAt: _pa, latestDueAt: _ld, credit: _cr, ...running } = c;
  // A breach counts as recorded by `at` only if its breach step fired by then.
  const recorded = history.some((h) => h.action === 'breach' && h.detail === c.name && h.at >= c.startedAt);
  // Pauses that ended after `at` had not moved the deadline yet.
  const later = (t.pauses ?? []).slice(pausesDone);
  const credit = (c.credit ?? 0) - creditAfter(t, c.name, pausesDone);
  let dueAt = later.find((x) => x.clocks?.[c.name])?.clocks?.[c.name]?.dueBefore ?? c.dueAt;
  // 改级 recomputes a running response deadline (changeLevel): undo the first re-grade after `at`.
  if (c.name === 'response' && firstRegrade && firstRegrade.at >= c.startedAt && (c.stoppedAt === undefined || c.stoppedAt > firstRegrade.at)) {
    const contract = contractFor(p, t);
    const cal = levelCalendar(contract, levelAt).calendar;
    dueAt = cal.add(deadline(c.startedAt, contract.levels[levelAt].response, cal), credit);
  }
  // Paused at `at`: by the pause running then, if it had stopped this clock (it moved it, or still holds it).
  const since = pause?.state === 'active' ? pause.since : undefined;
  const held = since !== undefined && (c.pausedAt === since || (t.pauses ?? []).some((x) => x.from === since && x.clocks?.[c.name]));
  return {
    ...running,
    dueAt,
    ...(credit > 0 ? { credit } : {}),
    ...(held ? { pausedAt: since, ...(c.pausedAt === since && c.latestDueAt !== undefined ? { latestDueAt: c.latestDueAt } : {}) } : {}),
    ...(recorded && breach ? { breach } : {}),
    ...(recorded && breachedAt !== undefined ? { breachedAt } : {}),
  };
}
