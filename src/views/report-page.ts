import { contractFor } from '../domain/contract/contract.ts';
import type { Policy } from '../domain/contract/policy.ts';
import { coReportersOf, reportersOf, type Ticket } from '../domain/ticket.ts';
import { escapeHtml, PRINT_CSS } from './html.ts';
import { assigneeName, chatName, levelName, pauseLines, shownClocks, statusName, timeline } from './ticket.ts';
import { formatAbsolute } from './time.ts';
import { zh } from './zh.ts';

/** The printable service report of one ticket (the customer's technical file, contract 5.3.2). */
export function reportPageHtml(t: Ticket, p: Policy): string {
  const c = contractFor(p, t);
  const tz = c.timezone;
  const row = (k: string, v: string) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`;
  // A clock the ticket did not need is left out; one that ended without its milestone has no completion time.
  const clocks = shownClocks(t)
    .map((k) => `<tr><td>${escapeHtml(zh.clockNames[k.name] ?? k.name)}</td><td>${formatAbsolute(k.startedAt, tz)}</td><td>${formatAbsolute(k.dueAt, tz)}</td><td>${k.stoppedAt && !k.unmet ? formatAbsolute(k.stoppedAt, tz) : '—'}</td><td>${escapeHtml(k.outcome ? zh.outcome[k.outcome] ?? k.outcome : '进行中')}</td></tr>`)
    .join('');
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>服务报告 #${t.n}</title><style>${PRINT_CSS}</style></head><body>
<h1>售后服务报告</h1><p class="meta">${escapeHtml(c.service.vendor)} · 工单 #${t.n}</p>
<table>${[
    row('用户单位', c.service.customer),
    row('报告人', `${t.reporter.name}（${chatName(p, t)}）`),
    ...(coReportersOf(t).length ? [row('同一问题报告', zh.incident.reporters(reportersOf(t).map((a) => a.name)))] : []),
    row('报告时间', formatAbsolute(t.createdAt, tz)),
    row('故障级别', levelName(p, t)),
    row('问题描述', t.text),
    row('状态', statusName(t.status)),
    ...(pauseLines(p, t, t.updatedAt).length ? [row('暂停计时', pauseLines(p, t, t.updatedAt).join('；'))] : []),
    row('处理工程师', assigneeName(p, t)),
    row('处理情况', t.resolution?.text ?? '—'),
    row('更换配件', t.resolution?.parts.join('、') || '无'),
    row('备用系统', t.backup ? `${formatAbsolute(t.backup.at, tz)} ${t.backup.text}` : '—'),
    row('用户签字确认', t.signoff ? `${t.signoff.name}　${formatAbsolute(t.signoff.at, tz)}` : '尚未确认'),
    row('满意度评价', t.rating ? `${t.rating.score} 分${t.rating.comment ? `：${t.rating.comment}` : ''}` : '尚未评价'),
  ].join('')}</table>
<h2>服务时限</h2><table><thead><tr><th>时限</th><th>开始</th><th>截止</th><th>完成</th><th>结果</th></tr></thead><tbody>${clocks}</tbody></table>
<h2>处理过程</h2><ul>${timeline(p, t).map((l) => `<li>${escapeHtml(l.replace(/^· /, ''))}</li>`).join('')}</ul>
<p class="sign">工程师签字：__________　　用户签字：__________</p></body></html>`;
}

/** A report link that is wrong, expired or for a ticket that does not exist. */
export const REPORT_NOT_FOUND = '<!doctype html><meta charset="utf-8"><h1>未找到该服务报告</h1><p>链接无效或已过期。</p>';
export const PAGE_NOT_FOUND = '<h1>未找到</h1>';
