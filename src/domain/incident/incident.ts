import { contractFor } from '../contract/contract.ts';
import type { Policy } from '../contract/policy.ts';
import { changeLevel } from '../intake-rules.ts';
import { isFault, moreSevere, type Level } from '../levels.ts';
import { cancelClock, startClock } from '../sla/clocks.ts';
import { breachOf } from '../sla/breach.ts';
import { isOpen, type Actor, type Attachment, type Clock, type CoReporter, type Ticket, type TicketEvent } from '../ticket.ts';
import { faultSignature } from './fault-signature.ts';
import { sameFault, wordingSimilarity, type Sameness } from './same-fault.ts';

/**
 * Incidents: one fault is one ticket however many teachers report it (PagerDuty's grouping,
 * Zammad's merge). Pure: which open ticket a new report is the same fault as, joining it, and the
 * staff's corrections 合并 / 拆分 (docs/DECISIONS.md, docs/sla.md).
 */

type By = TicketEvent['by'];

/** The last time anyone reported the ticket's fault: a continuing outage keeps gathering reports. */
export function lastReportAt(t: Ticket): number {
  return Math.max(t.createdAt, ...(t.coReporters ?? []).map((c) => c.at), ...t.followUps.map((f) => f.at));
}

export interface IncidentMatch {
  ticket: Ticket;
  sameness: Exclude<Sameness, 'different'>;
}

/**
 * The open ticket a new report (`text`, labelled `label`) is the same fault as, among `candidates`
 * (the contract's recent tickets): open faults last reported within `incident.joinWindow`, of the
 * same contract. "same" beats "maybe"; among equals the better-worded match, then the latest. A
 * bare "us too" (我们班也是, +1) goes to the latest incident in the writer's own chat.
 */
export function matchIncident(text: string, label: string, chat: Ticket['chat'], candidates: Ticket[], now: number, policy: Policy): IncidentMatch | undefined {
  if (policy.incident.joinWindow <= 0) return undefined; // joining switched off
  const contract = contractFor(policy, chat).id;
  const sig = faultSignature(text);
  if (!isFault(label) && !sig.meToo) return undefined;
  const live = candidates.filter((t) => isOpen(t) && isFault(t.level) && t.contract === contract && now - lastReportAt(t) <= policy.incident.joinWindow && now >= t.createdAt);
  if (!live.length) return undefined;
  if (sig.meToo && !sig.objects.size) {
    const here = live.filter((t) => t.chat.platform === chat.platform && t.chat.chatId === chat.chatId).sort((a, b) => lastReportAt(b) - lastReportAt(a));
    if (here[0]) return { ticket: here[0], sameness: 'same' };
  }
  let best: { t: Ticket; s: Sameness; sim: number } | undefined;
  for (const t of live) {
    const theirs = faultSignature([t.text, ...(t.coReporters ?? []).map((c) => c.text)].join('。'));
    const s = sameFault(faultSignature(t.text), sig) === 'same' ? 'same' : sameFault(theirs, sig);
    if (s === 'different') continue;
    const sim = wordingSimilarity(theirs, sig);
    const rank = (x: { s: Sameness; sim: number; t: Ticket }) => [x.s === 'same' ? 1 : 0, x.sim, lastReportAt(x.t)] as const;
    const cand = { t, s, sim };
    if (!best || compare(rank(cand), rank(best)) > 0) best = cand;
  }
  return best ? { ticket: best.t, sameness: best.s as IncidentMatch['sameness'] } : undefined;
}

function compare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

export interface Report {
  actor: Actor;
  chat: Ticket['chat'];
  messageId: string;
  at: number;
  text: string;
  attachments: Attachment[];
}

/**
 * Adds another teacher's report of the same fault: a co-reporter, their words and attachments. No
 * clock starts (the fault's timers run already); a more severe report raises the level as a
 * follow-up does. Re-joining the same message changes nothing.
 */
export function joinReport(t: Ticket, r: Report, label: string, policy: Policy): Ticket {
  if ((t.coReporters ?? []).some((c) => c.messageId === r.messageId && c.chat.platform === r.chat.platform)) return t;
  const co: CoReporter = { actor: r.actor, chat: r.chat, messageId: r.messageId, at: r.at, text: r.text, via: 'join' };
  const next: Ticket = {
    ...t,
    coReporters: [...(t.coReporters ?? []), co],
    attachments: [...t.attachments, ...r.attachments],
    updatedAt: r.at,
    history: [...t.history, { at: r.at, by: { kind: 'user', id: r.actor.userId, name: r.actor.name }, action: 'join', ...(r.text ? { detail: r.text } : {}) }],
  };
  return isFault(label) && moreSevere(label, t.level) ? changeLevel(next, label, r.at, policy, { kind: 'bot', id: 'bot', name: policy.bot.name }) : next;
}

/**
 * A co-reporter's 撤销: they take back their report (it was something else, or it works for them
 * again); the incident goes on for the others. Unchanged when they are not a co-reporter.
 */
export function leaveIncident(t: Ticket, platform: Actor['platform'], userId: string, name: string, now: number): Ticket {
  const mine = (c: CoReporter) => c.actor.platform === platform && c.actor.userId === userId;
  if (!(t.coReporters ?? []).some(mine)) return t;
  return {
    ...t,
    coReporters: (t.coReporters ?? []).filter((c) => !mine(c)),
    updatedAt: now,
    history: [...t.history, { at: now, by: { kind: 'user', id: userId, name }, action: 'leave' }],
  };
}

export type MergeRefusal = 'same-ticket' | 'source-ended' | 'target-ended' | 'already-merged';

/**
 * 合并 #source #target: the source's reporters, words and attachments go to the target, which
 * takes the more severe level; the source ends as `merged` with every running clock cancelled (its
 * timers are then removed) and points to the target. The target keeps its own clocks: it is the
 * incident being worked on.
 */
export function mergeTickets(source: Ticket, target: Ticket, by: By, now: number, policy: Policy): { ok: true; source: Ticket; target: Ticket } | { ok: false; refusal: MergeRefusal } {
  if (source.n === target.n) return { ok: false, refusal: 'same-ticket' };
  if (source.status === 'merged') return { ok: false, refusal: 'already-merged' };
  if (!isOpen(source)) return { ok: false, refusal: 'source-ended' };
  if (!isOpen(target)) return { ok: false, refusal: 'target-ended' };
  const brought: CoReporter[] = [
    { actor: source.reporter, chat: source.chat, messageId: source.messageId, at: source.createdAt, text: source.text, via: 'merge', from: source.n },
    ...(source.coReporters ?? []).map((c) => ({ ...c, via: 'merge' as const, from: c.from ?? source.n })),
  ];
  const known = (c: CoReporter) => (target.coReporters ?? []).some((k) => k.messageId === c.messageId && k.chat.platform === c.chat.platform);
  const words = [source.text, ...source.followUps.filter((f) => f.text && f.splitTo === undefined).map((f) => f.text)].join('；');
  let merged: Ticket = {
    ...target,
    coReporters: [...(target.coReporters ?? []), ...brought.filter((c) => !known(c))],
    attachments: [...target.attachments, ...source.attachments],
    updatedAt: now,
    history: [...target.history, { at: now, by, action: 'merge', ticket: source.n, detail: words }],
  };
  if (isFault(source.level) && moreSevere(source.level, target.level)) merged = changeLevel(merged, source.level, now, policy, by);
  const blame = (c: Clock) => breachOf(source, c, policy);
  const clocks = { ...source.clocks };
  for (const [name, c] of Object.entries(clocks)) if (c && c.stoppedAt === undefined) clocks[name as keyof typeof clocks] = cancelClock(c, now, 'cancelled', blame);
  const closed: Ticket = {
    ...source,
    status: 'merged',
    mergedInto: target.n,
    clocks,
    updatedAt: now,
    history: [...source.history, { at: now, by, action: 'merged-into', ticket: target.n }],
  };
  return { ok: true, source: closed, target: merged };
}

/** What 拆分 can take out of a ticket: its follow-ups and the other teachers' reports, numbered from 1. */
export interface SplitPart {
  index: number;
  kind: 'follow-up' | 'report';
  at: number;
  text: string;
  messageId: string;
  actor: Actor;
  chat: Ticket['chat'];
}

export function splitParts(t: Ticket): SplitPart[] {
  const followUpEvents = t.history.filter((h) => h.action === 'follow-up');
  const authorOf = (i: number): Actor => {
    // A teacher other than the reporter wrote it: they report the split-out fault (staff notes stay the reporter's).
    const by = t.followUps[i]!.by ?? followUpEvents[i]?.by;
    return by?.kind === 'user' && by.id !== t.reporter.userId ? { platform: t.chat.platform, userId: by.id, name: by.name } : t.reporter;
  };
  const parts: Omit<SplitPart, 'index'>[] = [
    ...t.followUps.flatMap((f, i) => (f.splitTo === undefined && f.text ? [{ kind: 'follow-up' as const, at: f.at, text: f.text, messageId: f.messageId, actor: authorOf(i), chat: t.chat }] : [])),
    ...(t.coReporters ?? []).filter((c) => c.text).map((c) => ({ kind: 'report' as const, at: c.at, text: c.text, messageId: c.messageId, actor: c.actor, chat: c.chat })),
  ];
  return parts.map((p, i) => ({ ...p, index: i + 1 }));
}

/** The part `拆分 #N <what>` means: its number in the list, or the one whose words contain `what`. */
export function pickPart(t: Ticket, what: string): SplitPart | undefined {
  const parts = splitParts(t);
  const w = what.trim();
  if (/^\d{1,3}$/.test(w)) return parts.find((p) => p.index === Number(w));
  if (!w) return parts.length === 1 ? parts[0] : undefined;
  return parts.find((p) => p.text.includes(w)) ?? parts.find((p) => w.includes(p.text));
}

/**
 * 拆分: the part becomes ticket `n`, reported by whoever wrote it, when they wrote it — its
 * response clock runs from that moment (it may be due already: the timers then fire at once).
 * The source keeps the words, marked as split out; a split report's writer stops being its
 * co-reporter.
 */
export function splitOut(source: Ticket, part: SplitPart, n: number, label: Level, confidence: number, by: By, now: number, policy: Policy): { source: Ticket; created: Ticket } {
  const contract = contractFor(policy, part.chat);
  const created: Ticket = {
    n,
    contract: contract.id,
    level: label,
    status: 'open',
    reporter: part.actor,
    chat: part.chat,
    text: part.text,
    truncated: false,
    classification: { label, confidence },
    followUps: [],
    attachments: [],
    createdAt: part.at,
    updatedAt: now,
    messageId: part.messageId,
    clocks: { response: startClock('response', part.at, contract.levels[label].response, contract.calendar) },
    history: [
      { at: part.at, by: { kind: 'user', id: part.actor.userId, name: part.actor.name }, action: 'created', classified: { label, confidence } },
      { at: now, by, action: 'split-from', ticket: source.n },
    ],
  };
  let followUps = source.followUps;
  let coReporters = source.coReporters;
  if (part.kind === 'follow-up') followUps = followUps.map((f) => (f.messageId === part.messageId && f.at === part.at ? { ...f, splitTo: n } : f));
  else coReporters = (coReporters ?? []).filter((c) => c.messageId !== part.messageId);
  const next: Ticket = {
    ...source,
    followUps,
    ...(coReporters ? { coReporters } : {}),
    updatedAt: now,
    history: [...source.history, { at: now, by, action: 'split', ticket: n, detail: part.text }],
  };
  return { source: next, created };
}
