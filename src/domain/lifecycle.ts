import { clockCalendar, contractFor } from './contract/contract.ts';
import type { Policy } from './contract/policy.ts';
import { changeLevel } from './intake-rules.ts';
import type { Level } from './levels.ts';
import { breachOf } from './sla/breach.ts';
import { cancelClock, responseClock, startClock, stopClock, type BreachOf } from './sla/clocks.ts';
import { declinePause, endPause, pausableClocks, pausedSoFar, proposalLapsed, proposePause, resumePause, startPause, type ResumeWhy } from './sla/pause.ts';
import { isOpen, type Clock, type ClockName, type Ticket, type TicketEvent, type TicketStatus } from './ticket.ts';

/** The ticket state machine: pure; every illegal step is refused with a reason the views word. */

export type LifecycleAction =
  | { kind: 'ack' }
  | { kind: 'assign'; to: string; toName: string }
  /** `to`: the engineer who goes (上门 #N 张天慧); absent: the holder, else the one who dispatches. */
  | { kind: 'dispatch'; to?: string }
  | { kind: 'arrive' }
  | { kind: 'resolve'; text: string; parts: string[]; reportToken?: string }
  | { kind: 'backup'; text: string }
  | { kind: 'level'; level: Level; reason?: string }
  | { kind: 'note'; text: string }
  /** Words for the reporter, sent through the bot (回复 #N …): kept in the history. */
  | { kind: 'reply'; text: string }
  | { kind: 'close'; reason: string }
  | { kind: 'reopen' }
  | { kind: 'confirm' }
  | { kind: 'rate'; score: number; comment: string }
  | { kind: 'cancel' }
  /** 挂起: stop the clocks (or ask the reporter first, `consent`). */
  | { kind: 'pause'; reason: string; until?: number; consent: boolean }
  | { kind: 'pause-consent' }
  | { kind: 'pause-decline' }
  /** `at`: when it was due to end, for a timer that runs late (the pause is counted to then). */
  | { kind: 'resume'; why: ResumeWhy; at?: number };

export type By = TicketEvent['by'];

/** Why a step is refused (src/views/refusals.ts words it). */
export type Refusal =
  | { code: 'ended'; status: TicketStatus }
  | { code: 'already-acked' }
  | { code: 'already-assigned'; toName: string }
  | { code: 'already-dispatched' }
  | { code: 'already-arrived' }
  | { code: 'not-dispatched' }
  | { code: 'already-resolved' }
  | { code: 'resolution-missing' }
  | { code: 'backup-not-started' }
  | { code: 'backup-recorded' }
  | { code: 'same-level'; level: Level }
  | { code: 'note-missing' }
  | { code: 'reply-missing' }
  | { code: 'still-open' }
  | { code: 'already-confirmed' }
  | { code: 'confirm-too-early' }
  | { code: 'rate-too-early' }
  | { code: 'engineer-working' }
  | { code: 'already-paused'; proposed: boolean }
  /** `overdue`: clocks run, but every one is past its deadline (a pause would hide a breach). */
  | { code: 'nothing-to-pause'; overdue?: boolean }
  | { code: 'pause-cap' }
  /** The time it was to end by has already come (agreed too late, or a time in the past). */
  | { code: 'pause-until-past' }
  | { code: 'no-pause-proposed' }
  | { code: 'not-paused' };

export type Transition = { ok: true; ticket: Ticket } | { ok: false; n: number; refusal: Refusal };

const STATE_ACTIONS = new Set(['ack', 'assign', 'dispatch', 'arrive', 'resolve', 'backup', 'level', 'close', 'reopen', 'confirm', 'rate', 'cancel', 'pause-proposed', 'pause-declined', 'pause', 'resume']);

/**
 * The ticket's state version: how many state-changing steps it has had. A card shows the version it
 * was drawn at; a click on a card whose version is older acts on nothing (the buttons may be wrong).
 * Notes, follow-ups and reminders do not change it.
 */
export function stateVersion(t: Ticket): number {
  return t.history.filter((h) => STATE_ACTIONS.has(h.action)).length;
}


function withClocks(t: Ticket, f: (c: Clock) => Clock | undefined, names: ClockName[]): Ticket['clocks'] {
  const clocks = { ...t.clocks };
  for (const name of names) {
    const c = clocks[name];
    if (c && c.stoppedAt === undefined) {
      const next = f(c);
      if (next) clocks[name] = next;
    }
  }
  return clocks;
}

const ALL: ClockName[] = ['response', 'arrival', 'resolution', 'backup'];

/** Steps that end or move a clock: a running pause ends first, so they judge the moved deadlines. */
const RESUMES = new Set(['ack', 'assign', 'dispatch', 'arrive', 'resolve', 'backup', 'level', 'close', 'cancel']);

export function apply(t: Ticket, a: LifecycleAction, by: By, now: number, p: Policy): Transition {
  const contract = contractFor(p, t);
  if (RESUMES.has(a.kind)) t = endPause(t, by, now, p, 'step');
  // The event says who holds the ticket from now on when it changes (blame is by holder at a moment).
  const done = (patch: Partial<Ticket>, action: string, extra: Omit<TicketEvent, 'at' | 'by' | 'action'> = {}): Transition => ({
    ok: true,
    ticket: { ...t, ...patch, updatedAt: now, history: [...t.history, { at: now, by, action, ...extra, ...(patch.assignee && patch.assignee !== t.assignee ? { assignee: patch.assignee } : {}) }] },
  });
  const blame: BreachOf = (c) => breachOf(t, c, p);
  const calendarOf = (c: Clock) => clockCalendar(contract, c);
  const stop = (c: Clock) => stopClock(c, now, blame);
  const fail = (refusal: Refusal): Transition => ({ ok: false, n: t.n, refusal });
  const ended = fail({ code: 'ended', status: t.status });

  switch (a.kind) {
    case 'ack':
      if (t.status !== 'open') return t.status === 'acknowledged' ? fail({ code: 'already-acked' }) : ended;
      return done(
        { status: 'acknowledged', assignee: t.assignee ?? (by.kind === 'staff' ? by.id : undefined), clocks: withClocks(t, stop, ['response']) },
        'ack',
      );
    case 'assign':
      if (!isOpen(t)) return ended;
      if (t.assignee === a.to) return fail({ code: 'already-assigned', toName: a.toName });
      // Reassignment reschedules: new versions, already-fired steps stay fired.
      return done({ assignee: a.to, clocks: withClocks(t, (c) => ({ ...c, version: c.version + 1 }), ALL) }, 'assign', { detail: a.toName });
    case 'dispatch': {
      if (!['open', 'acknowledged'].includes(t.status)) return t.status === 'dispatched' || t.status === 'onsite' ? fail({ code: 'already-dispatched' }) : ended;
      const clocks = withClocks(t, stop, ['response']);
      // A second visit (after a reopen) starts the on-site clocks again under a new version, as
      // reopen does for the response clock: the steps' keys of the first visit were sent already
      // and a repeated key is not sent again (the engineer would hear nothing the second time).
      const again = (name: 'arrival' | 'resolution' | 'backup', window: number) => ({ ...startClock(name, now, window, contract.calendar), version: (t.clocks[name]?.version ?? 0) + 1 });
      clocks.arrival = again('arrival', contract.onsite.arrive);
      clocks.resolution = again('resolution', contract.onsite.resolve);
      clocks.backup = again('backup', contract.onsite.backup);
      return done({ status: 'dispatched', assignee: a.to ?? t.assignee ?? (by.kind === 'staff' ? by.id : undefined), clocks }, 'dispatch');
    }
    case 'arrive':
      if (t.status === 'onsite') return fail({ code: 'already-arrived' });
      if (t.status !== 'dispatched') return isOpen(t) ? fail({ code: 'not-dispatched' }) : ended;
      return done({ status: 'onsite', clocks: withClocks(t, stop, ['arrival']) }, 'arrive');
    case 'resolve': {
      if (!isOpen(t)) return t.status === 'resolved' ? fail({ code: 'already-resolved' }) : ended;
      if (!a.text) return fail({ code: 'resolution-missing' });
      let clocks = withClocks(t, stop, ['response', 'resolution']);
      clocks = { ...clocks, ...pickOpen(clocks, ['arrival', 'backup'], (c) => cancelClock(c, now, 'not-needed', blame)) };
      return done(
        { status: 'resolved', clocks, resolution: { at: now, by: by.id, text: a.text, parts: a.parts }, reportToken: t.reportToken ?? a.reportToken },
        'resolve',
        { detail: a.text, ...(a.parts.length ? { parts: a.parts } : {}) },
      );
    }
    case 'backup':
      if (!['dispatched', 'onsite'].includes(t.status)) return isOpen(t) ? fail({ code: 'backup-not-started' }) : ended;
      if (t.clocks.backup?.stoppedAt !== undefined) return fail({ code: 'backup-recorded' });
      return done({ clocks: withClocks(t, stop, ['backup']), backup: { at: now, by: by.id, text: a.text } }, 'backup', a.text ? { detail: a.text } : {});
    case 'level': {
      if (!isOpen(t)) return ended;
      if (t.level === a.level) return fail({ code: 'same-level', level: a.level });
      return { ok: true, ticket: changeLevel(t, a.level, now, p, by, a.reason) };
    }
    case 'note':
      if (!a.text) return fail({ code: 'note-missing' });
      return done({}, 'note', { detail: a.text });
    case 'reply':
      if (!a.text) return fail({ code: 'reply-missing' });
      return done({}, 'reply', { detail: a.text });
    case 'close':
      if (t.status === 'closed' || t.status === 'cancelled' || t.status === 'merged') return ended;
      return done({ status: 'closed', closeReason: a.reason, clocks: withClocks(t, (c) => cancelClock(c, now, 'cancelled', blame), ALL) }, 'close', a.reason ? { detail: a.reason } : {});
    case 'reopen': {
      if (isOpen(t)) return fail({ code: 'still-open' });
      if (t.status === 'merged') return ended; // its incident lives on in the ticket it was merged into
      const prev = t.clocks.response;
      // A breach of the first response stays a fact: the new clock carries it, so the ticket's
      // response counts as breached however fast the second one comes (KPIs count one per ticket).
      const kept = prev?.breach ? { breach: prev.breach, breachedAt: prev.breachedAt ?? prev.breach.at } : {};
      const response = { ...responseClock(contract, t.level, now), version: (prev?.version ?? 0) + 1, ...kept };
      return done({ status: 'open', clocks: { ...t.clocks, response } }, 'reopen');
    }
    case 'confirm':
      if (t.status === 'confirmed') return fail({ code: 'already-confirmed' });
      if (t.status !== 'resolved') return isOpen(t) ? fail({ code: 'confirm-too-early' }) : ended;
      return done({ status: 'confirmed', signoff: { at: now, by: by.id, name: by.name } }, 'confirm');
    case 'rate':
      if (!['resolved', 'confirmed', 'closed'].includes(t.status)) return fail({ code: 'rate-too-early' });
      return done({ rating: { at: now, score: a.score, comment: a.comment } }, 'rate', { score: a.score, ...(a.comment ? { detail: a.comment } : {}) });
    case 'pause': {
      if (!isOpen(t)) return ended;
      // A request that can no longer take effect (agreed too late) gives way to a new one.
      if (t.pause && !proposalLapsed(t, now)) return fail({ code: 'already-paused', proposed: t.pause.state === 'proposed' });
      if (!pausableClocks(t, now).length) return fail({ code: 'nothing-to-pause', overdue: Object.values(t.clocks).some((c) => c && c.stoppedAt === undefined) });
      if (pausedSoFar(t) >= p.pause.maxTotal) return fail({ code: 'pause-cap' });
      if (a.until !== undefined && a.until <= now) return fail({ code: 'pause-until-past' });
      const r = { reason: a.reason, ...(a.until !== undefined ? { until: a.until } : {}) };
      return { ok: true, ticket: a.consent ? proposePause(t, r, by, now) : startPause(t, r, by, now, calendarOf, p.pause.maxTotal) };
    }
    case 'pause-consent': {
      if (t.pause?.state !== 'proposed') return fail({ code: 'no-pause-proposed' });
      if (!isOpen(t)) return ended;
      // Agreed too late: the deadline passed meanwhile, or the time it was to end by has come.
      if (!pausableClocks(t, now).length) return fail({ code: 'nothing-to-pause', overdue: true });
      if (t.pause.until !== undefined && t.pause.until <= now) return fail({ code: 'pause-until-past' });
      const agreed: Ticket = { ...t, history: [...t.history, { at: now, by, action: 'pause-consent' }] };
      return { ok: true, ticket: startPause(agreed, { reason: t.pause.reason, ...(t.pause.until !== undefined ? { until: t.pause.until } : {}) }, t.pause.by, now, calendarOf, p.pause.maxTotal) };
    }
    case 'pause-decline':
      if (t.pause?.state !== 'proposed') return fail({ code: 'no-pause-proposed' });
      return { ok: true, ticket: declinePause(t, by, now) };
    case 'resume':
      if (t.pause?.state !== 'active') return fail({ code: 'not-paused' });
      if (!isOpen(t)) return ended;
      return { ok: true, ticket: resumePause(t, by, now, calendarOf, p.pause.maxTotal, a.why, a.at) };
    case 'cancel':
      if (!['open', 'acknowledged'].includes(t.status)) return isOpen(t) ? fail({ code: 'engineer-working' }) : ended;
      return done({ status: 'cancelled', clocks: withClocks(t, (c) => cancelClock(c, now, 'cancelled', blame), ALL) }, 'cancel');
  }
}

function pickOpen(clocks: Ticket['clocks'], names: ClockName[], f: (c: Clock) => Clock): Ticket['clocks'] {
  const out: Ticket['clocks'] = {};
  for (const name of names) {
    const c = clocks[name];
    if (c && c.stoppedAt === undefined) out[name] = f(c);
  }
  return out;
}
