import { contractFor } from '../src/domain/contract/contract.ts';
import { staffOfSender } from '../src/domain/contract/roster.ts';
import { appendFollowUp, decideFollowUp, isCourtesy, isFollowUpMarked, isThanks, namedTicket, newTicket, referenceUse } from '../src/domain/intake-rules.ts';
import { isFault, moreSevere, type Level } from '../src/domain/levels.ts';
import { replyTo, type IncomingMessage, type Outgoing } from '../src/domain/messages.ts';
import { messageCommit } from '../src/store/commit.ts';
import { hasNoWords, preview, truncate } from '../src/domain/message-text.ts';
import type { Ticket } from '../src/domain/ticket.ts';
import { coReportersOf, isOpen, reportedBy, reportersOf } from '../src/domain/ticket.ts';
import { joinReport, matchIncident } from '../src/domain/incident/incident.ts';
import { apply, type By } from '../src/domain/lifecycle.ts';
import { teamNotice } from '../src/views/team-notice.ts';
import { assigneeName, deadlineOf, levelName, statusName } from '../src/views/ticket.ts';
import { formatWindow } from '../src/views/time.ts';
import { zh } from '../src/views/zh.ts';
import { answerFromKnowledge } from './consult.ts';
import type { Services } from './services.ts';

/**
 * The most recently reported open tickets a new report is compared with (an incident being
 * reported now was reported recently). Each is read and parsed per report: 200 made a burst of
 * reports (an outage: the whole school writes at once) slower with every ticket, and 50 took 30 %
 * longer than 20 for 3,000 reports (docs/BENCHMARKS.md).
 */
const INCIDENT_CANDIDATES = 20;

/**
 * A message addressed to the bot that is not a command: becomes a ticket, is added to the
 * reporter's recent ticket, or gets a short friendly answer (LABELS.md `none`).
 */
export async function handleIntake(msg: IncomingMessage, text: string, addressed: boolean, s: Services): Promise<Outgoing[]> {
  const { policy } = s;
  const now = s.now();
  const origin = replyTo(msg);
  const say = (t: string): Outgoing[] => [{ dest: origin, msg: { text: t } }];
  const recent = await recentOpenTicket(msg, s);

  if (hasNoWords(text)) {
    // Images/files only: add to the recent ticket, or keep them for the next one.
    if (msg.attachments.length) {
      if (recent && now - lastActivityOf(recent, msg) <= policy.followUpWindow) return appendTo(recent, msg, '', s);
      const reply = say(zh.attachmentOnly);
      await s.pending.add(msg.platform, msg.chatId, msg.sender.userId, msg.attachments, messageCommit(msg, reply, 'attachments'), now);
      return reply;
    }
    if (!addressed) return [];
    return say(text.trim() && !isCourtesy(text) ? greetingFor(msg, s) : text.trim() ? zh.courtesy : zh.emptyHint(policy.bot.name));
  }

  // 谢谢 / 好的 / 收到: a short 不客气 to thanks, nothing to an acknowledgement; never stored, never the introduction.
  if (isCourtesy(text) && !isFollowUpMarked(text)) return addressed && isThanks(text) ? say(zh.courtesy) : [];

  const cut = truncate(text, policy.maxMessageChars);
  // A message that names #N or replies to the ticket's message belongs to ticket N, whenever it comes.
  const c = s.classify(cut.text);
  const ref = await referencedTicket(msg, cut.text, s);
  const use = ref && referenceUse(ref, now, policy);
  if (ref && use !== 'new') {
    const worse = use === 'append' && isFault(c.label as Level) && moreSevere(c.label as Level, ref.level) ? (c.label as Level) : undefined;
    return appendTo(ref, msg, cut.text, s, worse, cut.truncated, use === 'reopen');
  }
  const decision = decideFollowUp(c.label, cut.text, recent, now, policy, recent && lastActivityOf(recent, msg));

  // Un-addressed group chatter is not for the bot, unless it plainly adds to the sender's ticket.
  if (!addressed && !(decision.kind === 'append' && isFollowUpMarked(cut.text))) return [];
  if (decision.kind === 'append' && recent) return appendTo(recent, msg, cut.text, s, decision.escalateTo, cut.truncated);

  // One fault, one ticket: a report of a fault someone already reported joins their ticket.
  let maybeSame: number | undefined;
  if (decision.kind === 'new') {
    const candidates = (await s.store.reportedSince(now - policy.incident.joinWindow, INCIDENT_CANDIDATES)).filter((t) => !(decision.separate && t.n === recent?.n));
    const m = matchIncident(cut.text, c.label, { platform: msg.platform, chatId: msg.chatId, kind: msg.chatKind }, candidates, now, policy);
    if (m?.sameness === 'same') {
      const worse = isFault(c.label) && moreSevere(c.label, m.ticket.level) ? c.label : undefined;
      // Their own ticket, said again in other words: an addition, not a second reporter.
      if (reportedBy(m.ticket, msg.platform, msg.sender.userId)) return appendTo(m.ticket, msg, cut.text, s, worse, cut.truncated);
      const joined = await joinIncident(m.ticket, msg, cut.text, c.label, s);
      if (joined) return joined;
    } else if (m) maybeSame = m.ticket.n;
  }
  if (c.label === 'none' && addressed && decision.kind !== 'courtesy' && !isCourtesy(cut.text)) {
    const answered = await answerFromKnowledge(msg, cut.text, c, s);
    if (answered) return answered;
  }
  if (c.label === 'none' || decision.kind === 'courtesy') {
    if (!addressed) return [];
    return say(isCourtesy(cut.text) ? zh.courtesy : greetingFor(msg, s));
  }

  if (c.label === 'consult' && decision.kind === 'new') {
    const answered = await answerFromKnowledge(msg, cut.text, c, s);
    if (answered) return answered;
  }
  return openTicket(
    msg,
    {
      text: cut.text,
      label: c.label as Level,
      confidence: c.confidence,
      truncated: cut.truncated,
      prefix: '',
      ...(c.label === 'consult' ? { miss: true } : {}),
      ...(decision.kind === 'new' && decision.separate ? { separate: true } : {}),
      ...(maybeSame !== undefined ? { maybeSame } : {}),
    },
    s,
  );
}

/** 转人工 / 没解决 after a knowledge-base answer: the question becomes a consult ticket. */
export async function handleHandoff(msg: IncomingMessage, addressed: boolean, s: Services): Promise<Outgoing[]> {
  const last = await s.answers.lastFor(msg.platform, msg.chatId, msg.sender.userId);
  if (!last) {
    return addressed ? [{ dest: replyTo(msg), msg: { text: zh.kb.handoffNone } }] : [];
  }
  const out = await openTicket(msg, { text: last.question, label: 'consult', confidence: 1, truncated: false, prefix: zh.kb.handoffPrefix, note: zh.history.handedOff(last.title) }, s);
  const n = await s.store.messageSeen(msg.platform, msg.messageId);
  if (n && /^\d+$/.test(n)) await s.answers.markHandedOff(last, Number(n));
  return out;
}

interface OpenTicket {
  text: string;
  label: Level;
  confidence: number;
  truncated: boolean;
  /** A first line for the reply (why a person is taking over). */
  prefix: string;
  /** Extra history entry. */
  note?: string;
  /** Written as an addition to the reporter's ticket, but a different fault: the reply says it is a new ticket. */
  separate?: boolean;
  /** A question the knowledge base could not answer reliably: the reply says a person takes it. */
  miss?: boolean;
  /** Perhaps the same fault as this ticket: the team notice says so, with a one-tap 合并. */
  maybeSame?: number;
}

async function openTicket(msg: IncomingMessage, o: OpenTicket, s: Services): Promise<Outgoing[]> {
  const { policy } = s;
  const now = s.now();
  const origin = replyTo(msg);
  const { n, existing } = await s.store.claimNumber(msg.platform, msg.messageId);
  if (existing && (await s.store.get(n))) return []; // stored by an attempt that died: its replies are replayed
  const pending = await s.pending.peek(msg.platform, msg.chatId, msg.sender.userId);
  const staff = staffOfSender(policy, msg.platform, msg.sender.userId, msg.staffId);
  let ticket = newTicket(
    {
      n,
      label: o.label,
      confidence: o.confidence,
      reporter: { platform: msg.platform, userId: msg.sender.userId, name: msg.sender.name, ...(staff ? { staffId: staff.id } : {}) },
      chat: { platform: msg.platform, chatId: msg.chatId, kind: msg.chatKind },
      text: o.text,
      truncated: o.truncated,
      attachments: [...pending.items, ...msg.attachments],
      messageId: msg.messageId,
      now,
    },
    policy,
  );
  if (o.note) ticket = { ...ticket, history: [...ticket.history, { at: now, by: { kind: 'bot', id: 'bot', name: policy.bot.name }, action: 'note', detail: o.note }] };

  const level = contractFor(policy, ticket).levels[ticket.level];
  const deadline = deadlineOf(policy, ticket, ticket.clocks.response!, now);
  const reply = zh.ticketCreated({
    n,
    levelName: level.name,
    window: formatWindow(level.response),
    deadline,
    isFault: isFault(ticket.level),
    bot: policy.bot.name,
    followUp: formatWindow(policy.followUpWindow),
    truncatedNotice: o.truncated ? zh.truncated(policy.maxMessageChars) : '',
    attachmentNotice: ticket.attachments.length ? zh.attachmentsKept(ticket.attachments.length) : '',
  });
  const prefix = [o.prefix, o.miss ? zh.kb.miss(n, level.name) : '', o.separate ? zh.incident.separate(n, level.name) : ''].filter(Boolean).join('\n');
  const out: Outgoing[] = [{ dest: origin, msg: { text: prefix ? `${prefix}\n${reply}` : reply } }];
  // Above the chat's storm limit the team hears of this ticket in the next summary instead.
  if ((await s.storm.admit(ticket, now)) === 'notice') out.push({ dest: { to: 'team' }, msg: teamNotice(policy, ticket, now, o.maybeSame) });
  // The ticket, the attachments it took and what it says are stored in one step.
  await s.store.save(ticket, { ...messageCommit(msg, out), ...(pending.items.length ? { consumed: [pending.key] } : {}) });
  await s.hooks.created?.(ticket);
  s.log.info({ ticket: n, ticketLevel: ticket.level, confidence: o.confidence, platform: msg.platform, chatKind: msg.chatKind }, 'ticket created');
  return out;
}

/** The teachers' greeting; staff get the short command list instead (they know who the bot is). */
function greetingFor(msg: IncomingMessage, s: Services): string {
  return staffOfSender(s.policy, msg.platform, msg.sender.userId, msg.staffId) ? zh.cmd.staffShort : zh.greeting(s.policy.bot.name);
}

/**
 * The ticket a message refers to: `#N` in its text, or the message it replies to (the report
 * itself, a follow-up, or a bot message naming #N). Only the reporter, or someone in the ticket's
 * own chat, can add to a ticket this way (not staff).
 */
async function referencedTicket(msg: IncomingMessage, text: string, s: Services): Promise<Ticket | undefined> {
  // Staff talk about tickets all the time; they add to one with 备注 / 回复, not by naming it.
  if (staffOfSender(s.policy, msg.platform, msg.sender.userId, msg.staffId)) return undefined;
  let n = namedTicket(text);
  if (n === undefined && msg.quoted) {
    const mark = await s.store.messageSeen(msg.platform, msg.quoted.messageId);
    const m = mark ? /^(?:\d+|(?:follow-up|join):(\d+))$/.exec(mark) : null;
    if (m) n = Number(m[1] ?? mark);
    else if (msg.quoted.fromBot && msg.quoted.text) n = namedTicket(msg.quoted.text);
  }
  if (n === undefined) return undefined;
  let t = await s.store.get(n);
  // A merged ticket's incident goes on in the ticket it was merged into.
  for (let hops = 0; t?.status === 'merged' && t.mergedInto !== undefined && hops < 5; hops++) t = await s.store.get(t.mergedInto);
  if (!t) return undefined;
  const reporter = reportedBy(t, msg.platform, msg.sender.userId);
  const sameChat = [t.chat, ...coReportersOf(t).map((c) => c.chat)].some((c) => c.platform === msg.platform && c.chatId === msg.chatId);
  return reporter || sameChat ? t : undefined;
}

async function recentOpenTicket(msg: IncomingMessage, s: Services): Promise<Ticket | undefined> {
  const mine = await s.store.byReporter(msg.platform, msg.sender.userId, 5);
  // A joined teacher's details (是5号实训室) go to the incident they joined, like the first reporter's.
  const reporterHere = (t: Ticket) =>
    (t.chat.platform === msg.platform && t.chat.chatId === msg.chatId && t.reporter.userId === msg.sender.userId) ||
    coReportersOf(t).some((c) => c.actor.platform === msg.platform && c.actor.userId === msg.sender.userId && c.chat.chatId === msg.chatId);
  return mine.sort((a, b) => lastActivityOf(b, msg) - lastActivityOf(a, msg)).find((t) => isOpen(t) && reporterHere(t));
}

/** When this sender last wrote to the ticket: their report, join or follow-up. */
function lastActivityOf(t: Ticket, msg: IncomingMessage): number {
  const mine = coReportersOf(t).filter((c) => c.actor.userId === msg.sender.userId).map((c) => c.at);
  const own = t.reporter.userId === msg.sender.userId ? [t.createdAt] : [];
  const theirs = (f: Ticket['followUps'][number]) => (f.by ? f.by.id === msg.sender.userId : t.reporter.userId === msg.sender.userId);
  return Math.max(...own, ...mine, ...t.followUps.filter(theirs).map((f) => f.at));
}

/**
 * Joins another teacher's report to the open ticket of the same fault: one more reporter, no new
 * timers (a more severe report raises the level). The reporter hears which ticket and where it
 * stands; the team gets one short line. Undefined when the ticket ended meanwhile.
 */
async function joinIncident(target: Ticket, msg: IncomingMessage, text: string, label: string, s: Services): Promise<Outgoing[] | undefined> {
  const now = s.now();
  const pending = await s.pending.peek(msg.platform, msg.chatId, msg.sender.userId);
  const staff = staffOfSender(s.policy, msg.platform, msg.sender.userId, msg.staffId);
  const report = {
    actor: { platform: msg.platform, userId: msg.sender.userId, name: msg.sender.name, ...(staff ? { staffId: staff.id } : {}) },
    chat: { platform: msg.platform, chatId: msg.chatId, kind: msg.chatKind },
    messageId: msg.messageId,
    at: now,
    text,
    attachments: [...pending.items, ...msg.attachments],
  };
  const r = await s.store.change(target.n, (t) => {
    if (!isOpen(t)) return undefined;
    const next = joinReport(t, report, label, s.policy);
    const items = joinMessages(t, next, msg, text, s, now);
    return { next, items, commit: { ...messageCommit(msg, items, `join:${t.n}`), ...(pending.items.length ? { consumed: [pending.key] } : {}) } };
  });
  if (!r?.result) return undefined;
  await s.hooks.changed?.(r.before, r.after);
  s.log.info({ ticket: r.after.n, reporters: reportersOf(r.after).length, escalated: r.after.level !== r.before.level }, 'report joined an incident');
  return r.result.items;
}

function joinMessages(before: Ticket, after: Ticket, msg: IncomingMessage, text: string, s: Services, now: number): Outgoing[] {
  const p = s.policy;
  const level = levelName(p, after);
  const raised = after.level !== before.level;
  const progress = after.status === 'open' ? zh.incident.progressOpen : (zh.incident.progress[after.status]?.(assigneeName(p, after)) ?? statusName(after.status));
  let reply = zh.incident.joined({ n: after.n, levelName: level, progress });
  if (raised) reply += `\n${zh.incident.joinedRaised(level, deadlineOf(p, after, after.clocks.response!, now))}`;
  if (msg.attachments.length) reply += `\n${zh.attachmentsKept(msg.attachments.length)}`;
  const team = zh.incident.teamJoined({ n: after.n, total: reportersOf(after).length, who: msg.sender.name, text: preview(text, 60), levelNote: raised ? zh.teamNotice.levelRaised(level) : '' });
  return [
    { dest: replyTo(msg), msg: { text: reply } },
    { dest: { to: 'team' }, msg: { text: team } },
  ];
}

async function appendTo(recent: Ticket, msg: IncomingMessage, text: string, s: Services, escalateTo?: Level, truncated = false, reopen = false): Promise<Outgoing[]> {
  const now = s.now();
  const isReporter = recent.reporter.platform === msg.platform && recent.reporter.userId === msg.sender.userId;
  const staff = staffOfSender(s.policy, msg.platform, msg.sender.userId, msg.staffId);
  const by: By = staff ? { kind: 'staff', id: staff.id, name: staff.name } : { kind: 'user', id: msg.sender.userId, name: msg.sender.name };
  // The follow-up, the message's mark and what it says are stored in one step.
  const r = await s.store.change(recent.n, (t) => {
    let base = t;
    const reopening = reopen && !isOpen(t);
    if (reopening) {
      const o = apply(t, { kind: 'reopen' }, by, now, s.policy);
      if (!o.ok) return undefined;
      base = o.ticket;
    }
    // The reporter writing again ends a pause (the school is ready again): clocks run from now.
    if (base.pause?.state === 'active' && reportedBy(base, msg.platform, msg.sender.userId)) {
      const o = apply(base, { kind: 'resume', why: 'reporter' }, by, now, s.policy);
      if (o.ok) base = o.ticket;
    }
    const next = appendFollowUp(base, text, msg.messageId, msg.attachments, now, s.policy, escalateTo, isReporter ? undefined : by, { platform: msg.platform, chatId: msg.chatId, kind: msg.chatKind });
    const items = followUpMessages(t, next, msg, text, s, now, escalateTo, truncated, reopening);
    if (t.pause?.state === 'active' && !next.pause) items.push({ dest: { to: 'team' }, msg: { text: zh.pause.resumed({ n: t.n, paused: formatWindow(next.pauses?.at(-1)?.credited ?? 0), deadline: '' }) } });
    return { next, items, commit: messageCommit(msg, items, `follow-up:${t.n}`) };
  });
  if (!r?.result) return [];
  await s.hooks.changed?.(r.before, r.after);
  s.log.info({ ticket: r.after.n, escalated: !!escalateTo }, 'follow-up added');
  return r.result.items;
}

/** The reporter's confirmation and the team's line for a follow-up. */
function followUpMessages(before: Ticket, after: Ticket, msg: IncomingMessage, text: string, s: Services, now: number, escalateTo: Level | undefined, truncated: boolean, reopened = false): Outgoing[] {
  const level = levelName(s.policy, after);
  const origin = replyTo(msg);
  let reply = escalateTo
    ? zh.followUpEscalated({ n: after.n, from: levelName(s.policy, before), to: level, deadline: deadlineOf(s.policy, after, after.clocks.response!, now) })
    : zh.followUpAdded({ n: after.n, levelName: level });
  if (reopened) reply = `${zh.reporter.reopened(after.n)}\n${reply}`;
  if (truncated) reply += `\n${zh.truncated(s.policy.maxMessageChars)}`;
  if (msg.attachments.length) reply += `\n${zh.attachmentsKept(msg.attachments.length)}`;
  const levelNote = escalateTo ? zh.teamNotice.levelRaised(level) : reopened ? zh.teamNotice.reopened(deadlineOf(s.policy, after, after.clocks.response!, now)) : '';
  const noticeText = zh.teamNotice.followUp({ n: after.n, reporter: msg.sender.name, text: text ? preview(text, 300) : zh.attachmentsKept(msg.attachments.length), levelNote });
  return [
    { dest: origin, msg: { text: reply } },
    { dest: { to: 'team' }, msg: { text: noticeText } },
  ];
}
