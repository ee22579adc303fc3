import { contractFor, levelCalendar } from './contract/contract.ts';
import type { Policy } from './contract/policy.ts';
import { isFault, moreSevere, type Label, type Level } from './levels.ts';
import { responseClock } from './sla/clocks.ts';
import { deadline } from './sla/deadline.ts';
import { endPause } from './sla/pause.ts';
import { isOpen, type Actor, type Attachment, type Ticket } from './ticket.ts';
import { faultSignature } from './incident/fault-signature.ts';
import { sameFault } from './incident/same-fault.ts';

/** Words a teacher uses to add to what they said before rather than report something new. */
const FOLLOW_UP_MARKERS = /^(补充|再补充|另外|还有|对了|顺便|忘了说|刚才|刚刚|就是|具体是|具体在|是在|位置|在\s*\d|是\s*\d|\d+\s*号?(机房|实训室|教室|楼)|电话|联系)/;

/** Pure courtesy: acknowledged kindly, never stored as ticket detail. */
const COURTESY = /^(谢谢|多谢|感谢|辛苦|好的|好滴|好嘞|收到|嗯|ok|okay|了解|明白|麻烦了|👍|🙏|🙂|😊)+[啦了呀哈的!！。.~～\s]*$/i;

/** Words of thanks, acknowledgement and their fillers: a message of only these is courtesy. */
const COURTESY_WORDS = /(非常|十分|太|真|多|十分感谢|谢谢|多谢|感谢|谢了|谢啦|辛苦|麻烦|好的|好滴|好嘞|好|行|可以|收到|嗯+|哦+|噢|ok|okay|了解|明白|知道|您|你们|你|大家|老师|师傅|工程师|[\u4e00-\u9fa5](?:工|老师|师傅)|了|啦|呀|哈+|的|啊|呢|哟)/giu;
const THANKS = /(谢|感谢|辛苦|麻烦|👍|🙏)/u;

export function isCourtesy(text: string): boolean {
  const t = text.replace(/\s+/g, '');
  if (COURTESY.test(t)) return true;
  // Nothing left once courtesy words, fillers, punctuation and emoji are taken away.
  const rest = t.replace(COURTESY_WORDS, '').replace(/[\p{P}\p{S}\p{Emoji_Presentation}~～]/gu, '');
  return rest === '' && t.length <= 30 && !/\d/.test(t);
}

/** Courtesy that thanks (answered 不客气); a plain 好的 / 收到 needs no answer. */
export function isThanks(text: string): boolean {
  return THANKS.test(text);
}

/** True when the text opens like an addition to something said before ("补充一下…", "是3号机房"). */
export function isFollowUpMarked(text: string): boolean {
  return FOLLOW_UP_MARKERS.test(text.trim());
}

/** `separate`: worded as an addition (还有, 另外) but a different fault than the recent ticket. */
export type FollowUpDecision = { kind: 'new'; separate?: boolean } | { kind: 'append'; escalateTo?: Level } | { kind: 'courtesy' };

/**
 * Decides whether a message from a reporter who has a recent open ticket in the same chat adds to
 * it (LABELS.md: "补充一下，是3号机房" belongs to the last open ticket) or reports something new.
 * A new fault or a new question is a new ticket; an explicit follow-up that now sounds worse
 * raises the ticket's level (the more severe level wins, as in LABELS.md). A marker alone does not
 * make an addition: "还有，3号机房的投影仪也不亮" after a platform outage is a fault of its own.
 */
export function decideFollowUp(label: Label, text: string, recent: Ticket | undefined, now: number, policy: Policy, lastActivity?: number): FollowUpDecision {
  if (!recent) return { kind: 'new' };
  // The window runs from the sender's own last word on the ticket (a teacher who joined it later counts from then).
  const last = lastActivity ?? Math.max(recent.createdAt, ...recent.followUps.map((f) => f.at));
  if (now - last > policy.followUpWindow) return { kind: 'new' };
  const trimmed = text.trim();
  const marked = FOLLOW_UP_MARKERS.test(trimmed);
  if (label === 'none') return isCourtesy(trimmed) && !marked ? { kind: 'courtesy' } : { kind: 'append' };
  if (!marked) return { kind: 'new' };
  if (isFault(label) && sameFault(faultSignature([recent.text, ...recent.followUps.map((f) => f.text)].join('。')), faultSignature(trimmed)) === 'different') return { kind: 'new', separate: true };
  return isFault(label) && moreSevere(label, recent.level) ? { kind: 'append', escalateTo: label } : { kind: 'append' };
}

/** The ticket number a message names: `#12` (also full-width ＃１２). */
export function namedTicket(text: string): number | undefined {
  const m = /#\s*(\d{1,9})(?!\d)/.exec(text.normalize('NFKC'));
  return m ? Number(m[1]) : undefined;
}

/**
 * What a message that names ticket N (or replies to its message) does with it: adds to it while
 * it is open; re-opens it when it was resolved less than `intake.reopenWithin` ago; otherwise
 * (closed, cancelled, long done) it is a new message.
 */
export function referenceUse(t: Ticket, now: number, policy: Policy): 'append' | 'reopen' | 'new' {
  if (isOpen(t)) return 'append';
  if ((t.status === 'resolved' || t.status === 'confirmed') && t.resolution && now - t.resolution.at <= policy.intake.reopenWithin) return 'reopen';
  return 'new';
}

export interface NewTicketInput {
  n: number;
  label: Level;
  confidence: number;
  reporter: Actor;
  chat: Ticket['chat'];
  text: string;
  truncated: boolean;
  attachments: Attachment[];
  messageId: string;
  now: number;
}

export function newTicket(i: NewTicketInput, policy: Policy): Ticket {
  const contract = contractFor(policy, i.chat);
  return {
    n: i.n,
    contract: contract.id,
    level: i.label,
    status: 'open',
    reporter: i.reporter,
    chat: i.chat,
    text: i.text,
    truncated: i.truncated,
    classification: { label: i.label, confidence: i.confidence },
    followUps: [],
    attachments: i.attachments,
    createdAt: i.now,
    updatedAt: i.now,
    messageId: i.messageId,
    clocks: { response: responseClock(contract, i.label, i.now) },
    history: [{ at: i.now, by: { kind: 'user', id: i.reporter.userId, name: i.reporter.name }, action: 'created', classified: { label: i.label, confidence: i.confidence } }],
  };
}

/** Appends a follow-up; a more severe level restarts nothing but moves the open response deadline. */
export function appendFollowUp(t: Ticket, text: string, messageId: string, attachments: Attachment[], now: number, policy: Policy, escalateTo?: Level, by?: Ticket['history'][number]['by'], chat?: Ticket['chat']): Ticket {
  const elsewhere = chat && (chat.platform !== t.chat.platform || chat.chatId !== t.chat.chatId) ? { chat } : {};
  const next: Ticket = {
    ...t,
    followUps: [...t.followUps, { at: now, text, messageId, ...(by ? { by } : {}), ...elsewhere }],
    attachments: [...t.attachments, ...attachments],
    updatedAt: now,
    history: [...t.history, { at: now, by: by ?? { kind: 'user', id: t.reporter.userId, name: t.reporter.name }, action: 'follow-up' }],
  };
  return escalateTo ? changeLevel(next, escalateTo, now, policy, { kind: 'bot', id: 'bot', name: policy.bot.name }) : next;
}

/**
 * Changing the level recomputes the open response clock from its start (CONTRACT: windows per
 * level), plus the paused time it was credited. The clock keeps what already happened to it:
 * steps already sent stay sent (the new schedule sends only the others) and a recorded breach
 * stays recorded. A running pause ends first: a re-grade is news the engineer must act on.
 */
export function changeLevel(ticket: Ticket, level: Level, now: number, policy: Policy, by: Ticket['history'][number]['by'], reason?: string): Ticket {
  const t = endPause(ticket, by, now, policy, 'step');
  const contract = contractFor(policy, t);
  const clocks = { ...t.clocks };
  const r = clocks.response;
  if (r && r.stoppedAt === undefined) {
    const { calendar, name } = levelCalendar(contract, level);
    const { calendar: _old, ...rest } = r;
    clocks.response = { ...rest, ...(name ? { calendar: name } : {}), dueAt: calendar.add(deadline(r.startedAt, contract.levels[level].response, calendar), r.credit ?? 0), version: r.version + 1 };
  }
  return {
    ...t,
    level,
    clocks,
    updatedAt: now,
    history: [...t.history, { at: now, by, action: 'level', level: { from: t.level, to: level }, ...(reason ? { detail: reason } : {}) }],
  };
}
