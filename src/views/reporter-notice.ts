import { contractFor } from '../domain/contract/contract.ts';
import type { Policy } from '../domain/contract/policy.ts';
import { memberById } from '../domain/contract/roster.ts';
import type { OutgoingMessage } from '../domain/messages.ts';
import { preview } from '../domain/message-text.ts';
import type { Ticket } from '../domain/ticket.ts';
import { assigneeName, levelName, severityColor } from './ticket.ts';
import { formatLocal } from './time.ts';
import { zh } from './zh.ts';

/**
 * What the reporter reads when their ticket is resolved: the short service report (at most 8
 * lines: what was wrong, what was done, who, when, how to sign), with the full printable report
 * behind a link. Nothing internal (confidence, ids) is in it.
 */
export function shortReport(p: Policy, t: Ticket, now: number, link: string | undefined): OutgoingMessage {
  const r = t.resolution;
  const done = r ? `${preview(r.text, 120)}${r.parts.length ? `（配件：${r.parts.join('、')}）` : ''}` : '';
  // Who did the work: the holder, else whoever wrote 已解决 (a lead may resolve without 接单).
  const who = t.assignee ? assigneeName(p, t) : ((r && memberById(p, r.by)?.name) ?? assigneeName(p, t));
  const at = r ? formatLocal(r.at, now, contractFor(p, t).timezone) : '';
  const text = zh.reporter.resolved({ n: t.n, problem: preview(t.text, 60), done, who, at, link: link ?? '' });
  return {
    text,
    card: {
      title: `✅ 工单 #${t.n} 已处理完成 · ${levelName(p, t)}`,
      color: severityColor(t),
      fields: [
        { label: '问题', value: preview(t.text, 60) },
        { label: '处理', value: done },
        { label: '工程师', value: `${who} · ${at}` },
      ],
      actions: [{ label: '确认签字', command: `确认 #${t.n}` }, ...[5, 4, 3].map((k) => ({ label: `${k}分`, command: `评价 #${t.n} ${k}` }))],
      ...(link ? { links: [{ label: '查看完整服务报告', url: link }] } : {}),
    },
  };
}
