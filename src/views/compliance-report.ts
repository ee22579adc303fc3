import { DateTime } from 'luxon';
import type { Policy } from '../domain/contract/policy.ts';
import { memberById } from '../domain/contract/roster.ts';
import type { InspectionRecord } from '../domain/inspections.ts';
import { complianceData, type Commitment } from '../domain/reports/compliance.ts';
import type { Rate } from '../domain/reports/kpi.ts';
import type { Ticket } from '../domain/ticket.ts';
import { escapeHtml, PRINT_CSS } from './html.ts';
import { zh } from './zh.ts';
import { formatWindow, percent } from './time.ts';
import { zone } from '../domain/zone.ts';

export interface ReportRow {
  clause: string;
  commitment: string;
  met: number;
  missed: number;
  rate: string;
  missedTickets: string;
  /** Not decided yet at report time (clocks still within their deadline, sign-offs within their window). */
  pending: number;
}

export interface ComplianceReport {
  title: string;
  period: string;
  rows: ReportRow[];
  engineers: { name: string; response: string; arrival: string; resolution: string; backup: string; tickets: number }[];
  /** 暂停时长及原因, per paused ticket. */
  pauses: { ticket: string; text: string }[];
}

function rateRow(clause: string, commitment: string, r: Rate): ReportRow {
  return { clause, commitment, met: r.met, missed: r.breached, rate: percent(r.rate), missedTickets: r.missed.map((n) => `#${n}`).join(' '), pending: r.pending };
}

function row(c: Commitment, levelName: (l: Extract<Commitment, { kind: 'response' }>['level']) => string): ReportRow {
  switch (c.kind) {
    case 'response': return rateRow(`电话支持响应 · ${levelName(c.level)}`, `${formatWindow(c.window)}内响应`, c.rate);
    case 'arrival': return rateRow('现场响应 · 到达现场', `${formatWindow(c.window)}内到达`, c.rate);
    case 'resolution': return rateRow('现场响应 · 解决问题', `${formatWindow(c.window)}内解决`, c.rate);
    case 'backup': return rateRow('现场响应 · 备用系统', `未能解决时 ${formatWindow(c.window)}内提供备用系统`, c.rate);
    case 'spare-parts': return rateRow('备件更换及时率', '更换备件的工单在解决时限内完成', c.rate);
    case 'signoff': return { clause: '服务报告用户签字', commitment: '每次服务后提交服务报告并经用户签字确认', met: c.signed, missed: c.unsigned.length, rate: percent(c.rate), missedTickets: c.unsigned.map((n) => `#${n}`).join(' '), pending: c.pending.length };
    case 'satisfaction': return { clause: '满意度测评', commitment: '每次故障处理后进行满意度测评', met: c.rated, missed: c.finished - c.rated - c.pending, rate: percent(c.responseRate), missedTickets: c.average === undefined ? '' : `平均 ${c.average.toFixed(1)} 分`, pending: c.pending };
    case 'inspections':
      return {
        clause: '每学期主动上门巡检',
        commitment: `每学期不少于 ${c.perSemester} 次`,
        met: c.met,
        missed: c.missed,
        rate: percent(c.met + c.missed ? c.met / (c.met + c.missed) : undefined),
        missedTickets: c.semesters.map((s) => `${s.name} ${s.done}/${c.perSemester} 次${s.running ? '（进行中）' : ''}`).join('；'),
        pending: c.semesters.filter((s) => s.running && s.done < c.perSemester).length,
      };
  }
}

/**
 * The compliance report for an auditor, worded: one row per commitment of the contract with
 * met/missed counts, rate and the tickets that missed, then per-engineer attainment.
 */
export function complianceReport(all: Ticket[], from: string, to: string, now: number, p: Policy, inspections: InspectionRecord[] = [], contractId?: string): ComplianceReport {
  const d = complianceData(all, from, to, now, p, inspections, contractId);
  const c = d.contract;
  const engineers = d.engineers.map(({ id, kpis: e }) => ({
    name: memberById(p, id)?.name ?? id,
    response: percent(e.response.rate),
    arrival: percent(e.arrival.rate),
    resolution: percent(e.resolution.rate),
    backup: percent(e.backup.rate),
    tickets: e.tickets,
  }));
  return {
    title: `${c.service.customer} 售后服务合规报告`,
    period: `${from} 至 ${to}（工单 ${d.tickets} 个${d.reporters > d.tickets ? `，${d.reporters} 人次报告` : ''}，统计时间 ${DateTime.fromMillis(now, { zone: zone(c.timezone) }).toFormat('yyyy-MM-dd HH:mm')}）`,
    rows: d.commitments.map((x) => row(x, (l) => c.levels[l].name)),
    engineers,
    pauses: d.paused.map((x) => ({ ticket: `#${x.n}`, text: x.pauses.map((z) => `${formatWindow(z.credited)}（${z.reason}）`).join('；') })),
  };
}

// 进行中 last: readers and scripts of the earlier layout find the other columns where they were.
const HEAD = ['条款', '承诺', '达成', '未达成', '达成率', '未达成工单', '进行中'];
const ENG_HEAD = ['工程师', '工单数', '响应及时率', '到场及时率', '恢复及时率', '备用系统及时率'];
const PAUSE_HEAD = ['工单', zh.pause.reportColumn];

export function reportMarkdown(r: ComplianceReport): string {
  const line = (cells: (string | number)[]) => `| ${cells.map((c) => String(c).replace(/\|/g, '\\|')).join(' | ')} |`;
  return [
    `# ${r.title}`,
    '',
    `统计期间：${r.period}`,
    '',
    line(HEAD),
    line(HEAD.map(() => '---')),
    ...r.rows.map((x) => line([x.clause, x.commitment, x.met, x.missed, x.rate, x.missedTickets, x.pending])),
    '',
    '## 工程师达成情况',
    '',
    line(ENG_HEAD),
    line(ENG_HEAD.map(() => '---')),
    ...r.engineers.map((e) => line([e.name, e.tickets, e.response, e.arrival, e.resolution, e.backup])),
    '',
    ...(r.pauses.length ? ['## 暂停计时（时限已按暂停顺延）', '', line(PAUSE_HEAD), line(PAUSE_HEAD.map(() => '---')), ...r.pauses.map((x) => line([x.ticket, x.text])), ''] : []),
  ].join('\n');
}

export function reportCsv(r: ComplianceReport): string {
  const q = (v: string | number) => `"${String(v).replace(/"/g, '""')}"`;
  const lines = [HEAD.map(q).join(','), ...r.rows.map((x) => [x.clause, x.commitment, x.met, x.missed, x.rate, x.missedTickets, x.pending].map(q).join(','))];
  lines.push('', ENG_HEAD.map(q).join(','), ...r.engineers.map((e) => [e.name, e.tickets, e.response, e.arrival, e.resolution, e.backup].map(q).join(',')));
  if (r.pauses.length) lines.push('', PAUSE_HEAD.map(q).join(','), ...r.pauses.map((x) => [x.ticket, x.text].map(q).join(',')));
  return `\uFEFF${lines.join('\r\n')}\r\n`; // BOM: Excel opens UTF-8 Chinese correctly
}

/** Printable A4 HTML with the system's Chinese font stack. */
export function reportHtml(r: ComplianceReport): string {
  const table = (head: string[], rows: (string | number)[][]) =>
    `<table><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((cells) => `<tr>${cells.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(r.title)}</title><style>${PRINT_CSS}</style></head><body>
<h1>${escapeHtml(r.title)}</h1><p class="meta">统计期间：${escapeHtml(r.period)}</p>
${table(HEAD, r.rows.map((x) => [x.clause, x.commitment, x.met, x.missed, x.rate, x.missedTickets, x.pending]))}
<h2>工程师达成情况</h2>
${table(ENG_HEAD, r.engineers.map((e) => [e.name, e.tickets, e.response, e.arrival, e.resolution, e.backup]))}
${r.pauses.length ? `<h2>暂停计时（时限已按暂停顺延）</h2>\n${table(PAUSE_HEAD, r.pauses.map((x) => [x.ticket, x.text]))}` : ''}
<p class="sign">服务单位（盖章）：__________　　用户单位（签字）：__________　　日期：__________</p>
</body></html>`;
}
