import type { Card, OutgoingMessage } from '../src/channels/types.ts';
import { formatWindow } from '../src/domain/duration.ts';
import { stateVersion, statusName } from '../src/domain/lifecycle.ts';
import { preview } from '../src/domain/message-text.ts';
import type { Policy } from '../src/domain/policy.ts';
import { chatByPlatformId, memberById } from '../src/domain/roster.ts';
import { severityColor } from '../src/domain/sla.ts';
import { openClocks, type Clock, type Ticket } from '../src/domain/ticket.ts';
import { formatAbsolute, formatLocal } from '../src/domain/time-format.ts';
import { zh } from '../src/i18n/zh.ts';

/** How tickets read in chat: deadlines, clocks, timelines, the service report. Presentation only. */

export function deadlineOf(p: Policy, c: Clock, now: number): string {
  const short = c.dueAt - c.startedAt < 10 * 60_000;
  return formatLocal(c.dueAt, now, p.timezone, short);
}

export function assigneeName(p: Policy, t: Ticket): string {
  return (t.assignee && memberById(p, t.assignee)?.name) || zh.unassigned;
}

export function chatName(p: Policy, t: Ticket): string {
  if (t.chat.kind === 'p2p') return zh.chatNames.p2p;
  return chatByPlatformId(p, t.chat.platform, t.chat.chatId)?.name ?? t.chat.chatId;
}

/** "还剩 12分钟" / "已超时 5分钟" for a running clock. */
export function timeLeft(c: Clock, now: number): string {
  const d = c.dueAt - now;
  return d >= 0 ? `还剩 ${formatWindow(d)}` : `已超时 ${formatWindow(-d)}`;
}

/** A stopped clock's outcome in words: "（时限 今天 14:35，按时）". */
export function outcomeText(p: Policy, c: Clock, now: number): string {
  const deadline = deadlineOf(p, c, now);
  if (c.outcome === 'breached' && c.stoppedAt !== undefined) return zh.cmd.late(deadline, formatWindow(c.stoppedAt - c.dueAt));
  return zh.cmd.onTime(deadline);
}

function clockLine(p: Policy, c: Clock, now: number): string {
  const name = zh.clockNames[c.name];
  if (c.stoppedAt === undefined) return `${name}：${deadlineOf(p, c, now)}前（${timeLeft(c, now)}）`;
  return `${name}：${zh.outcome[c.outcome ?? 'met']}（时限 ${deadlineOf(p, c, now)}，完成于 ${formatLocal(c.stoppedAt, now, p.timezone, c.dueAt - c.startedAt < 600_000)}）`;
}

/** One line per ticket for 待办 / 我的工单. */
export function ticketLine(p: Policy, t: Ticket, now: number): string {
  const clocks = openClocks(t).map((c) => `${zh.clockNames[c.name]} ${timeLeft(c, now)}`);
  return `#${t.n} ${p.levels[t.level].name} · ${statusName(t.status)} · ${preview(t.text, 30)}${clocks.length ? ` · ${clocks.join('，')}` : ''}`;
}

const ACTION_ZH: Record<string, string> = {
  created: '报告', 'follow-up': '补充', ack: '接单', assign: '指派', dispatch: '上门', arrive: '到场', resolve: '已解决',
  backup: '备用系统', level: '改级', note: '备注', close: '关闭', reopen: '重开', confirm: '签字确认', rate: '评价',
  cancel: '撤销', breach: '超时',
};

/** The full picture of a ticket: for 查询 #N. */
export function ticketDetail(p: Policy, t: Ticket, now: number): OutgoingMessage {
  const lines = [
    `工单 #${t.n}（${p.levels[t.level].name}）· ${statusName(t.status)}`,
    `报告人：${t.reporter.name}（${chatName(p, t)}）· ${formatAbsolute(t.createdAt, p.timezone)}`,
    `处理人：${assigneeName(p, t)}`,
    `内容：${preview(t.text, 200)}`,
    ...Object.values(t.clocks).filter((c): c is Clock => !!c).map((c) => clockLine(p, c, now)),
    '记录：',
    ...timeline(p, t),
  ];
  return { text: lines.join('\n'), card: ticketCard(p, t, now) };
}

export function timeline(p: Policy, t: Ticket): string[] {
  return t.history.map((h) => `· ${formatAbsolute(h.at, p.timezone)} ${h.by.kind === 'bot' ? '系统' : h.by.name} ${h.action === 'breach' ? `${zh.clockNames[h.detail ?? ''] ?? ''}超时` : ACTION_ZH[h.action] ?? h.action}${h.detail && h.action !== 'breach' ? `：${h.detail}` : ''}`);
}

export function ticketCard(p: Policy, t: Ticket, now: number): Card {
  return {
    title: `工单 #${t.n} · ${p.levels[t.level].name} · ${statusName(t.status)}`,
    color: severityColor(t),
    fields: [
      { label: zh.fields.reporter, value: `${t.reporter.name}（${chatName(p, t)}）` },
      { label: '处理人', value: assigneeName(p, t) },
      { label: zh.fields.content, value: preview(t.text, 200) },
      ...Object.values(t.clocks).filter((c): c is Clock => !!c).map((c) => ({ label: `${zh.clockNames[c.name]}时限`, value: clockLine(p, c, now).split('：').slice(1).join('：') })),
    ],
    actions: nextActions(t),
    ticket: { n: t.n, version: stateVersion(t) },
  };
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

/** The service report sent to the reporter on 已解决: the contract's signed report (5.3.2). */
export function serviceReport(p: Policy, t: Ticket, now: number): OutgoingMessage {
  const r = t.resolution;
  const lines = [
    zh.report.title(t.n, p.levels[t.level].name),
    `报告人：${t.reporter.name} · 报告时间：${formatAbsolute(t.createdAt, p.timezone)}`,
    `处理工程师：${assigneeName(p, t)}`,
    `问题：${preview(t.text, 200)}`,
    '时限：',
    ...Object.values(t.clocks).filter((c): c is Clock => !!c).map((c) => `· ${clockLine(p, c, now)}`),
    '过程：',
    ...timeline(p, t),
    `处理情况：${r?.text ?? ''}`,
    ...(r?.parts.length ? [`更换配件：${r.parts.join('、')}`] : []),
    '',
    zh.report.ask({ n: t.n, name: t.reporter.name }),
  ];
  return { text: lines.join('\n'), card: { ...ticketCard(p, t, now), title: zh.report.title(t.n, p.levels[t.level].name), fields: [{ label: '处理情况', value: r?.text ?? '' }, ...(r?.parts.length ? [{ label: '更换配件', value: r.parts.join('、') }] : []), { label: '处理工程师', value: assigneeName(p, t) }] } };
}
