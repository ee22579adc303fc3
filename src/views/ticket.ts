import { clockCalendar, contractFor } from '../domain/contract/contract.ts';
import type { Policy } from '../domain/contract/policy.ts';
import { chatByPlatformId, memberById } from '../domain/contract/roster.ts';
import { stateVersion } from '../domain/lifecycle.ts';
import type { Card, CardColor, OutgoingMessage } from '../domain/messages.ts';
import { preview } from '../domain/message-text.ts';
import { timeLeft } from '../domain/sla/deadline.ts';
import { pauseEndsAt } from '../domain/sla/pause.ts';
import { coReportersOf, openClocks, reportersOf, type Clock, type Ticket, type TicketEvent, type TicketStatus } from '../domain/ticket.ts';
import { formatAbsolute, formatLocal, formatSpan, formatWindow, leftPhrase } from './time.ts';
import { zh } from './zh.ts';

/** How tickets read in chat: deadlines, clocks, timelines, the service report, cards. */

export function statusName(s: TicketStatus): string {
  return zh.status[s];
}

export function severityColor(t: Ticket): CardColor {
  return ({ L1: 'red', L2: 'orange', L3: 'yellow', L4: 'blue', consult: 'green', other: 'grey' } as const)[t.level];
}

export function levelName(p: Policy, t: Ticket): string {
  return contractFor(p, t).levels[t.level].name;
}

/** A clock's deadline in local time; with seconds when the window is short (scaled demo time). */
export function deadlineOf(p: Policy, t: Ticket, c: Clock, now: number): string {
  const short = c.dueAt - c.startedAt < 10 * 60_000;
  return formatLocal(c.dueAt, now, contractFor(p, t).timezone, short);
}

export function assigneeName(p: Policy, t: Ticket): string {
  return (t.assignee && memberById(p, t.assignee)?.name) || zh.unassigned;
}

export function chatName(p: Policy, t: Ticket): string {
  if (t.chat.kind === 'p2p') return zh.chatNames.p2p;
  return chatByPlatformId(p, t.chat.platform, t.chat.chatId)?.name ?? t.chat.chatId;
}

/** "还剩 12分钟" / "即将超时" / "已超时 5分钟" for a running clock. */
export function timeLeftText(p: Policy, t: Ticket, c: Clock, now: number): string {
  return leftPhrase(timeLeft(c.dueAt, now, clockCalendar(contractFor(p, t), c)));
}

/** "超时 5分钟" for a clock met late; "刚刚超时" under a second (never "0秒"). */
function lateBy(ms: number): string {
  return ms < 1000 ? '刚刚超时' : `超时 ${formatSpan(ms)}`;
}

/** A stopped clock's outcome in words: "（时限 今天 14:35，按时）". */
export function outcomeText(p: Policy, t: Ticket, c: Clock, now: number): string {
  const deadline = deadlineOf(p, t, c, now);
  if (c.outcome === 'breached' && c.stoppedAt !== undefined) return zh.cmd.late(deadline, lateBy(c.stoppedAt - (c.breach?.at ?? c.dueAt)));
  return zh.cmd.onTime(deadline);
}

/** The clocks a view lists: a clock the ticket turned out not to need (备用系统 after a quick fix) is left out. */
export function shownClocks(t: Ticket): Clock[] {
  return Object.values(t.clocks).filter((c): c is Clock => !!c && c.outcome !== 'not-needed');
}

function clockLine(p: Policy, t: Ticket, c: Clock, now: number): string {
  const name = zh.clockNames[c.name];
  const tz = contractFor(p, t).timezone;
  if (c.stoppedAt === undefined && c.pausedAt !== undefined) return `${name}：${zh.pause.clockPaused(deadlineOf(p, t, c, now))}`;
  if (c.stoppedAt === undefined) {
    // A breach recorded before a re-grade moved the deadline later stays said.
    const earlier = c.breach && now <= c.dueAt ? `；已于 ${formatLocal(c.breach.at, now, tz)} 超时` : '';
    return `${name}：${deadlineOf(p, t, c, now)}前（${timeLeftText(p, t, c, now)}${earlier}）`;
  }
  if (c.unmet) return `${name}：${zh.outcome.breached}（时限 ${deadlineOf(p, t, c, now)} 已过，未${zh.clockVerb[c.name]}）`;
  return `${name}：${zh.outcome[c.outcome ?? 'met']}（时限 ${deadlineOf(p, t, c, now)}，完成于 ${formatLocal(c.stoppedAt, now, contractFor(p, t).timezone, c.dueAt - c.startedAt < 600_000)}）`;
}

/** One line per ticket for 待办 / 我的工单. */
export function ticketLine(p: Policy, t: Ticket, now: number): string {
  const clocks = openClocks(t).map((c) => `${zh.clockNames[c.name]} ${timeLeftText(p, t, c, now)}`);
  const reporters = coReportersOf(t).length ? ` · ${zh.incident.reportedBy(reportersOf(t).length)}` : '';
  return `#${t.n} ${levelName(p, t)} · ${statusName(t.status)} · ${preview(t.text, 30)}${reporters}${clocks.length ? ` · ${clocks.join('，')}` : ''}`;
}

/** The full picture of a ticket: for 查询 #N. */
export function ticketDetail(p: Policy, t: Ticket, now: number, o: { internal?: boolean } = {}): OutgoingMessage {
  const others = coReportersOf(t);
  const lines = [
    ...(t.mergedInto !== undefined ? [zh.incident.mergedInto(t.n, t.mergedInto)] : []),
    `工单 #${t.n}（${levelName(p, t)}）· ${statusName(t.status)}`,
    `报告人：${t.reporter.name}（${chatName(p, t)}）· ${formatAbsolute(t.createdAt, contractFor(p, t).timezone)}`,
    ...(others.length ? [zh.incident.reporters(reportersOf(t).map((a) => a.name))] : []),
    ...pauseLines(p, t, now),
    `处理人：${assigneeName(p, t)}`,
    `内容：${preview(t.text, 200)}`,
    ...shownClocks(t).map((c) => clockLine(p, t, c, now)),
    '记录：',
    ...timeline(p, t, o.internal ?? false),
  ];
  return { text: lines.join('\n'), card: ticketCard(p, t, now) };
}

/** What one history entry says after its action word ("：更换了硬盘（配件：硬盘1块）"). */
function eventDetail(p: Policy, t: Ticket, h: TicketEvent, internal: boolean): string | undefined {
  const levels = contractFor(p, t).levels;
  // The classifier's confidence is for the team; teachers and the printed report see the level.
  if (h.classified) return internal ? zh.history.classified(levels[h.classified.label].name, h.classified.confidence) : zh.history.autoLevel(levels[h.classified.label].name);
  if (h.level) return `${levels[h.level.from].name} → ${levels[h.level.to].name}${h.detail ? `（原因：${h.detail}）` : ''}`;
  if (h.score !== undefined) return zh.history.rated(h.score, h.detail ?? '');
  if (h.ticket !== undefined) return `#${h.ticket}${h.detail ? ` ${preview(h.detail, 200)}` : ''}`;
  if (h.action === 'resume') return zh.pause.resumeEvent(formatWindow(h.pausedMs ?? 0), h.detail ?? 'command');
  if (h.parts?.length) return zh.history.resolvedWithParts(h.detail ?? '', h.parts);
  return h.detail;
}

/** The ticket's history, a line each; `internal` (staff only) adds the classifier's confidence. */
export function timeline(p: Policy, t: Ticket, internal = false): string[] {
  const tz = contractFor(p, t).timezone;
  let k = 0; // the k-th 补充 entry is the k-th follow-up: its words are shown with it
  return t.history.map((h) => {
    const who = h.by.kind === 'bot' ? '系统' : h.by.name;
    if (h.action === 'breach') return `· ${formatAbsolute(h.at, tz)} ${who} ${zh.clockNames[h.detail ?? ''] ?? ''}超时`;
    const f = h.action === 'follow-up' ? t.followUps[k++] : undefined;
    const detail = f ? (f.text ? preview(f.text, 200) : zh.attachmentsOnlyFollowUp) : eventDetail(p, t, h, internal);
    return `· ${formatAbsolute(h.at, tz)} ${who} ${zh.historyActions[h.action] ?? h.action}${detail ? `：${detail}` : ''}`;
  });
}

export function ticketCard(p: Policy, t: Ticket, now: number): Card {
  return {
    title: `工单 #${t.n} · ${levelName(p, t)} · ${statusName(t.status)}`,
    color: severityColor(t),
    fields: [
      { label: zh.fields.reporter, value: `${t.reporter.name}（${chatName(p, t)}）` },
      ...(coReportersOf(t).length ? [{ label: zh.fields.reporters, value: zh.incident.reporterCount(reportersOf(t).map((a) => a.name)) }] : []),
      { label: '处理人', value: assigneeName(p, t) },
      { label: zh.fields.content, value: preview(t.text, 200) },
      ...shownClocks(t).map((c) => ({ label: `${zh.clockNames[c.name]}时限`, value: clockLine(p, t, c, now).split('：').slice(1).join('：') })),
    ],
    actions: nextActions(t),
    ticket: { n: t.n, version: stateVersion(t) },
  };
}

/** A card for staff carries a box to answer the reporter through the bot (回复 #N …). */
export function withReplyBox(card: Card, n: number): Card {
  return { ...card, input: { placeholder: zh.card.replyPlaceholder, button: zh.card.replyButton, command: `回复 #${n}` } };
}

/** What staff can type about a ticket now (the reporter's own steps left out). */
export function staffNext(t: Ticket): string[] {
  const n = t.n;
  return [...nextActions(t).filter((a) => !/^(确认|评价)/.test(a.command)).map((a) => a.command.trim()), `回复 #${n} 内容`, `改级 #${n} 级别 原因`, `查询 #${n}`];
}

/** The next legal steps, as commands (buttons on platforms that have them). */
export function nextActions(t: Ticket): { label: string; command: string }[] {
  const n = t.n;
  switch (t.status) {
    case 'open': return [{ label: '接单', command: `接单 #${n}` }, { label: '上门', command: `上门 #${n}` }];
    case 'acknowledged': return [{ label: '上门', command: `上门 #${n}` }, { label: '已解决', command: `已解决 #${n} ` }];
    case 'dispatched': return [{ label: '到场', command: `到场 #${n}` }];
    case 'onsite': return [{ label: '已解决', command: `已解决 #${n} ` }, { label: '备用', command: `备用 #${n}` }];
    case 'resolved': return [{ label: '确认', command: `确认 #${n}` }, ...[5, 4, 3, 2, 1].map((k) => ({ label: `${k}分`, command: `评价 #${n} ${k}` }))];
    default: return [];
  }
}

/** The pause now (asked for or running) and the pauses before, for 查询 and the service report. */
export function pauseLines(p: Policy, t: Ticket, now: number): string[] {
  const tz = contractFor(p, t).timezone;
  const out: string[] = [];
  if (t.pause?.state === 'active' && t.pause.since !== undefined) {
    const ends = t.pause.until !== undefined ? (pauseEndsAt(t, p)?.at ?? t.pause.until) : undefined; // the cap may come first
    out.push(zh.pause.line({ reason: t.pause.reason, since: formatLocal(t.pause.since, now, tz), until: ends !== undefined ? formatLocal(ends, now, tz) : '' }));
  }
  if (t.pause?.state === 'proposed') out.push(zh.pause.proposedLine(t.pause.reason));
  for (const x of t.pauses ?? []) out.push(zh.pause.history({ from: formatAbsolute(x.from, tz), to: formatAbsolute(x.to, tz), paused: formatWindow(x.credited), reason: x.reason, by: x.by }));
  return out;
}
