import { contractFor } from '../contract/contract.ts';
import type { Policy } from '../contract/policy.ts';
import { changeLevel } from '../intake-rules.ts';
import { isFault, moreSevere, type Level } from '../levels.ts';
import { cancelClock, responseClock } from '../sla/clocks.ts';
import { breachOf } from '../sla/breach.ts';
import { endPause } from '../sla/pause.ts';
import { coReportersOf, isOpen, reportedBy, type Actor, type Attachment, type Clock, type CoReporter, type Ticket, type TicketEvent } from '../ticket.ts';
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
/** How many joined reports (after the first) describe an incident when a new report is compared with it. */
const DESCRIBED_BY = 8;

export function matchIncident(text: string, label: string, chat: Ticket['chat'], candidates: Ticket[], now: number, policy: Policy): IncidentMatch | undefined {
  if (policy.incident.joinWindow <= 0) return undefined; // joining switched off
  const contract = contractFor(policy, chat).id;
  const sig = faultSignature(text);
  if (!isFault(label) && !sig.meToo) return undefined;
  const live = candidates.filter((t) => isOpen(t) && isFault(t.level) && t.contract === contract && now - lastReportAt(t) <= policy.incident.joinWindow && now >= t.createdAt);
  if (!live.length) return undefined;
  if (sig.meToo && !sig.objects.size) {
    // "Us too" says nothing of its own: only an incident talked about in the writer's chat is meant.
    const inChat = (t: Ticket) => [t.chat, ...coReportersOf(t).map((c) => c.chat)].some((c) => c.platform === chat.platform && c.chatId === chat.chatId);
    const here = live.filter(inChat).sort((a, b) => lastReportAt(b) - lastReportAt(a));
    return here[0] ? { ticket: here[0], sameness: 'same' } : undefined;
  }
  let best: { t: Ticket; s: Sameness; sim: number } | undefined;
  for (const t of live) {
    // The incident as its first reports describe it: a big incident's later reports add little,
    // and its text (so its remembered signature) stays the same while more teachers join.
    const theirs = faultSignature([t.text, ...coReportersOf(t).slice(0, DESCRIBED_BY).map((c) => c.text)].join('。'));
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

/** Whether 合并 #source #target may start: both open, two tickets. */
export function mergeRefusal(source: Ticket, target: Ticket): MergeRefusal | undefined {
  if (source.n === target.n) return 'same-ticket';
  if (source.status === 'merged') return source.mergedInto === target.n ? undefined : 'already-merged';
  if (!isOpen(source)) return 'source-ended';
  if (!isOpen(target)) return 'target-ended';
  return undefined;
}

/**
 * 合并, the source's side: it ends as `merged` with every running clock cancelled (its timers are
 * then removed) and points to the target; a pause it had ends first (its time is on the record).
 * Already merged into the target: unchanged.
 */
export function markMerged(ticket: Ticket, into: number, by: By, now: number, policy: Policy): Ticket {
  if (ticket.status === 'merged') return ticket;
  const source = endPause(ticket, by, now, policy, 'step');
  const blame = (c: Clock) => breachOf(source, c, policy);
  const clocks = { ...source.clocks };
  for (const [name, c] of Object.entries(clocks)) if (c && c.stoppedAt === undefined) clocks[name as keyof typeof clocks] = cancelClock(c, now, 'cancelled', blame);
  return { ...source, status: 'merged', mergedInto: into, clocks, updatedAt: now, history: [...source.history, { at: now, by, action: 'merged-into', ticket: into }] };
}

/**
 * 合并, the target's side: the source's reporters (its first reporter and co-reporters, each
 * marked as from the source) become the target's co-reporters, unless they report it already; the
 * first time, also its words (one 合并 entry in the history), attachments and a more severe level.
 * Idempotent: run again with the source as it is later, it adds only reporters still missing (a
 * retry after a crash, a teacher who joined the source meanwhile). The target keeps its clocks.
 */
export function absorbInto(target: Ticket, source: Ticket, by: By, now: number, policy: Policy): Ticket {
  const recorded = target.history.some((h) => h.action === 'merge' && h.ticket === source.n);
  const known = (c: CoReporter) => reportedBy(target, c.actor.platform, c.actor.userId) || (target.coReporters ?? []).some((k) => k.messageId === c.messageId && k.chat.platform === c.chat.platform);
  const brought = [
    { actor: source.reporter, chat: source.chat, messageId: source.messageId, at: source.createdAt, text: source.text, via: 'merge' as const, from: source.n },
    ...coReportersOf(source).map((c) => ({ ...c, via: 'merge' as const, from: source.n })),
  ].filter((c, i, all) => !known(c) && all.findIndex((x) => x.actor.platform === c.actor.platform && x.actor.userId === c.actor.userId) === i);
  if (recorded && !brought.length) return target;
  const words = [source.text, ...source.followUps.filter((f) => f.text && f.splitTo === undefined).map((f) => f.text)].join('；');
  let next: Ticket = {
    ...target,
    coReporters: [...(target.coReporters ?? []), ...brought],
    attachments: recorded ? target.attachments : [...target.attachments, ...source.attachments],
    updatedAt: now,
    history: recorded ? target.history : [...target.history, { at: now, by, action: 'merge', ticket: source.n, detail: words }],
  };
  if (!recorded && isFault(source.level) && moreSevere(source.level, target.level)) next = changeLevel(next, source.level, now, policy, by);
  return next;
}

/** Both sides of 合并 at once (pure; the handler writes them one after the other). */
export function mergeTickets(source: Ticket, target: Ticket, by: By, now: number, policy: Policy): { ok: true; source: Ticket; target: Ticket } | { ok: false; refusal: MergeRefusal } {
  const refusal = source.status === 'merged' ? 'already-merged' : mergeRefusal(source, target);
  if (refusal) return { ok: false, refusal };
  return { ok: true, source: markMerged(source, target.n, by, now, policy), target: absorbInto(target, source, by, now, policy) };
}

/**
 * What 拆分 can take out of a ticket: its follow-ups and the other teachers' reports, numbered from 1
 * in the order they were written. Parts split out already keep their number (`splitTo`), so the
 * numbers a person saw in the list still mean the same parts when they type one.
 */
export interface SplitPart {
  index: number;
  kind: 'follow-up' | 'report';
  at: number;
  text: string;
  messageId: string;
  actor: Actor;
  chat: Ticket['chat'];
  splitTo?: number;
}

export function splitParts(t: Ticket): SplitPart[] {
  const followUpEvents = t.history.filter((h) => h.action === 'follow-up');
  const authorOf = (i: number): Actor => {
    // A teacher other than the reporter wrote it: they report the split-out fault (staff notes stay the reporter's).
    const by = t.followUps[i]!.by ?? followUpEvents[i]?.by;
    return by?.kind === 'user' && by.id !== t.reporter.userId ? { platform: (t.followUps[i]!.chat ?? t.chat).platform, userId: by.id, name: by.name } : t.reporter;
  };
  const parts: Omit<SplitPart, 'index'>[] = [
    ...t.followUps.flatMap((f, i) => (f.text ? [{ kind: 'follow-up' as const, at: f.at, text: f.text, messageId: f.messageId, actor: authorOf(i), chat: f.chat ?? t.chat, ...(f.splitTo !== undefined ? { splitTo: f.splitTo } : {}) }] : [])),
    ...(t.coReporters ?? []).filter((c) => c.text).map((c) => ({ kind: 'report' as const, at: c.at, text: c.text, messageId: c.messageId, actor: c.actor, chat: c.chat, ...(c.splitTo !== undefined ? { splitTo: c.splitTo } : {}) })),
  ];
  // Stable: by time, then follow-ups before reports written the same millisecond.
  return parts
    .map((p, i) => ({ p, i }))
    .sort((a, b) => a.p.at - b.p.at || a.i - b.i)
    .map(({ p }, i) => ({ ...p, index: i + 1 }));
}

/** The part `拆分 #N <what>` means: its number in the list, or the one whose words contain `what` (not one split out already). */
export function pickPart(t: Ticket, what: string): SplitPart | undefined {
  const parts = splitParts(t);
  const open = parts.filter((p) => p.splitTo === undefined);
  const w = what.trim();
  if (/^\d{1,3}$/.test(w)) return open.find((p) => p.index === Number(w));
  if (!w) return open.length === 1 ? open[0] : undefined;
  return open.find((p) => p.text.includes(w)) ?? open.find((p) => w.includes(p.text));
}

/**
 * 拆分: the part becomes ticket `n`, reported by whoever wrote it, when they wrote it — its
 * response clock runs from that moment (it may be due already: the timers then fire at once).
 * The source keeps the words, marked as split out; a split report's writer stops being its
 * co-reporter (kept in the list, marked, so 拆分's numbers never shift).
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
    clocks: { response: responseClock(contract, label, part.at) },
    history: [
      { at: part.at, by: { kind: 'user', id: part.actor.userId, name: part.actor.name }, action: 'created', classified: { label, confidence } },
      { at: now, by, action: 'split-from', ticket: source.n },
    ],
  };
  let followUps = source.followUps;
  let coReporters = source.coReporters;
  if (part.kind === 'follow-up') followUps = followUps.map((f) => (f.messageId === part.messageId && f.at === part.at ? { ...f, splitTo: n } : f));
  else coReporters = (coReporters ?? []).map((c) => (c.messageId === part.messageId ? { ...c, splitTo: n } : c));
  const next: Ticket = {
    ...source,
    followUps,
    ...(coReporters ? { coReporters } : {}),
    updatedAt: now,
    history: [...source.history, { at: now, by, action: 'split', ticket: n, detail: part.text }],
  };
  return { source: next, created };
}
