import { timingSafeEqual } from 'node:crypto';
import { escapeHtml, PRINT_CSS } from '../src/domain/compliance-report.ts';
import { statusName } from '../src/domain/lifecycle.ts';
import type { Policy } from '../src/domain/policy.ts';
import type { Clock, Ticket } from '../src/domain/ticket.ts';
import { formatAbsolute } from '../src/domain/time-format.ts';
import { zh } from '../src/i18n/zh.ts';
import { assigneeName, chatName, timeline } from './ticket-view.ts';

function same(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Who may see a report: the holder of its unguessable link, or an admin. */
export function mayView(t: Ticket, token: string | undefined, adminGiven: string | undefined, adminToken: string | undefined): boolean {
  return same(token, t.reportToken) || same(adminGiven, adminToken);
}

/** The printable service report of one ticket (the customer's technical file, contract 5.3.2). */
export function reportPageHtml(t: Ticket, p: Policy): string {
  const tz = p.timezone;
  const row = (k: string, v: string) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`;
  const clocks = Object.values(t.clocks)
    .filter((c): c is Clock => !!c)
    .map((c) => `<tr><td>${escapeHtml(zh.clockNames[c.name] ?? c.name)}</td><td>${formatAbsolute(c.startedAt, tz)}</td><td>${formatAbsolute(c.dueAt, tz)}</td><td>${c.stoppedAt ? formatAbsolute(c.stoppedAt, tz) : '—'}</td><td>${escapeHtml(c.outcome ? zh.outcome[c.outcome] ?? c.outcome : '进行中')}</td></tr>`)
    .join('');
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>服务报告 #${t.n}</title><style>${PRINT_CSS}</style></head><body>
<h1>售后服务报告</h1><p class="meta">${escapeHtml(p.service.vendor)} · 工单 #${t.n}</p>
<table>${[
    row('用户单位', p.service.customer),
    row('报告人', `${t.reporter.name}（${chatName(p, t)}）`),
    row('报告时间', formatAbsolute(t.createdAt, tz)),
    row('故障级别', p.levels[t.level].name),
    row('问题描述', t.text),
    row('状态', statusName(t.status)),
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
