import { DateTime } from 'luxon';
import { formatWindow } from './duration.ts';
import { kpis, kpisByEngineer, percent, type Rate } from './kpi.ts';
import { LEVELS } from './levels.ts';
import type { Policy } from './policy.ts';
import { memberById } from './roster.ts';
import type { ClockName, Ticket } from './ticket.ts';
import { semesters, type InspectionRecord } from './inspections.ts';

export interface ReportRow {
  clause: string;
  commitment: string;
  met: number;
  missed: number;
  rate: string;
  missedTickets: string;
}

export interface ComplianceReport {
  title: string;
  period: string;
  rows: ReportRow[];
  engineers: { name: string; response: string; arrival: string; resolution: string; backup: string; tickets: number }[];
}

function row(clause: string, commitment: string, r: Rate): ReportRow {
  return { clause, commitment, met: r.met, missed: r.breached, rate: percent(r.rate), missedTickets: r.missed.map((n) => `#${n}`).join(' ') };
}

function clockRate(tickets: Ticket[], name: ClockName, now: number): Rate {
  return kpis(tickets, now)[name];
}

/**
 * The compliance report for an auditor: one row per commitment of the contract with met/missed
 * counts, rate and the tickets that missed, then per-engineer attainment. Tickets are those created
 * in the local dates [from, to].
 */
export function complianceReport(all: Ticket[], from: string, to: string, now: number, p: Policy, inspections: InspectionRecord[] = []): ComplianceReport {
  const start = DateTime.fromISO(from, { zone: p.timezone }).startOf('day').toMillis();
  const end = DateTime.fromISO(to, { zone: p.timezone }).plus({ days: 1 }).startOf('day').toMillis();
  const tickets = all.filter((t) => t.createdAt >= start && t.createdAt < end);
  const rows: ReportRow[] = LEVELS.map((l) =>
    row(`电话支持响应 · ${p.levels[l].name}`, `${formatWindow(p.levels[l].response)}内响应`, clockRate(tickets.filter((t) => t.level === l), 'response', now)),
  );
  rows.push(row('现场响应 · 到达现场', `${formatWindow(p.onsite.arrive)}内到达`, clockRate(tickets, 'arrival', now)));
  rows.push(row('现场响应 · 解决问题', `${formatWindow(p.onsite.resolve)}内解决`, clockRate(tickets, 'resolution', now)));
  rows.push(row('现场响应 · 备用系统', `未能解决时 ${formatWindow(p.onsite.backup)}内提供备用系统`, clockRate(tickets, 'backup', now)));
  const k = kpis(tickets, now);
  rows.push(row('备件更换及时率', '更换备件的工单在解决时限内完成', k.spareParts));
  const unsigned = tickets.filter((t) => t.resolution && ['resolved', 'confirmed', 'closed'].includes(t.status) && !t.signoff).map((t) => t.n);
  rows.push({ clause: '服务报告用户签字', commitment: '每次服务后提交服务报告并经用户签字确认', met: k.signoff.signed, missed: k.signoff.finished - k.signoff.signed, rate: percent(k.signoff.rate), missedTickets: unsigned.map((n) => `#${n}`).join(' ') });
  rows.push({ clause: '满意度测评', commitment: '每次故障处理后进行满意度测评', met: k.satisfaction.rated, missed: k.satisfaction.finished - k.satisfaction.rated, rate: percent(k.satisfaction.responseRate), missedTickets: k.satisfaction.average === undefined ? '' : `平均 ${k.satisfaction.average.toFixed(1)} 分` });
  // Inspections per semester overlapping the period; a semester still running is marked as such.
  const notes: string[] = [];
  let semMet = 0;
  let semMissed = 0;
  for (const sem of semesters(p, now)) {
    const sFrom = DateTime.fromISO(sem.start, { zone: p.timezone }).toMillis();
    const sTo = DateTime.fromISO(sem.end, { zone: p.timezone }).plus({ days: 1 }).toMillis();
    if (sTo <= start || sFrom >= end || sFrom > now) continue;
    const done = inspections.filter((r) => r.at >= sFrom && r.at < sTo).length;
    const running = now < sTo;
    if (done >= p.inspections.perSemester) semMet++;
    else if (!running) semMissed++;
    notes.push(`${sem.name} ${done}/${p.inspections.perSemester} 次${running ? '（进行中）' : ''}`);
  }
  rows.push({ clause: '每学期主动上门巡检', commitment: `每学期不少于 ${p.inspections.perSemester} 次`, met: semMet, missed: semMissed, rate: percent(semMet + semMissed ? semMet / (semMet + semMissed) : undefined), missedTickets: notes.join('；') });
  const engineers = Object.entries(kpisByEngineer(tickets, now)).map(([id, e]) => ({
    name: memberById(p, id)?.name ?? id,
    response: percent(e.response.rate),
    arrival: percent(e.arrival.rate),
    resolution: percent(e.resolution.rate),
    backup: percent(e.backup.rate),
    tickets: e.tickets,
  }));
  return { title: `${p.service.customer} 售后服务合规报告`, period: `${from} 至 ${to}（工单 ${tickets.length} 个，统计时间 ${DateTime.fromMillis(now, { zone: p.timezone }).toFormat('yyyy-MM-dd HH:mm')}）`, rows, engineers };
}

const HEAD = ['条款', '承诺', '达成', '未达成', '达成率', '未达成工单'];
const ENG_HEAD = ['工程师', '工单数', '响应及时率', '到场及时率', '恢复及时率', '备用系统及时率'];

export function reportMarkdown(r: ComplianceReport): string {
  const line = (cells: (string | number)[]) => `| ${cells.map((c) => String(c).replace(/\|/g, '\\|')).join(' | ')} |`;
  return [
    `# ${r.title}`,
    '',
    `统计期间：${r.period}`,
    '',
    line(HEAD),
    line(HEAD.map(() => '---')),
    ...r.rows.map((x) => line([x.clause, x.commitment, x.met, x.missed, x.rate, x.missedTickets])),
    '',
    '## 工程师达成情况',
    '',
    line(ENG_HEAD),
    line(ENG_HEAD.map(() => '---')),
    ...r.engineers.map((e) => line([e.name, e.tickets, e.response, e.arrival, e.resolution, e.backup])),
    '',
  ].join('\n');
}

export function reportCsv(r: ComplianceReport): string {
  const q = (v: string | number) => `"${String(v).replace(/"/g, '""')}"`;
  const lines = [HEAD.map(q).join(','), ...r.rows.map((x) => [x.clause, x.commitment, x.met, x.missed, x.rate, x.missedTickets].map(q).join(','))];
  lines.push('', ENG_HEAD.map(q).join(','), ...r.engineers.map((e) => [e.name, e.tickets, e.response, e.arrival, e.resolution, e.backup].map(q).join(',')));
  return `\uFEFF${lines.join('\r\n')}\r\n`; // BOM: Excel opens UTF-8 Chinese correctly
}

export function escapeHtml(s: string | number): string {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Printable A4 HTML with the system's Chinese font stack. */
export function reportHtml(r: ComplianceReport): string {
  const table = (head: string[], rows: (string | number)[][]) =>
    `<table><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((cells) => `<tr>${cells.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(r.title)}</title><style>${PRINT_CSS}</style></head><body>
<h1>${escapeHtml(r.title)}</h1><p class="meta">统计期间：${escapeHtml(r.period)}</p>
${table(HEAD, r.rows.map((x) => [x.clause, x.commitment, x.met, x.missed, x.rate, x.missedTickets]))}
<h2>工程师达成情况</h2>
${table(ENG_HEAD, r.engineers.map((e) => [e.name, e.tickets, e.response, e.arrival, e.resolution, e.backup]))}
<p class="sign">服务单位（盖章）：__________　　用户单位（签字）：__________　　日期：__________</p>
</body></html>`;
}

export const PRINT_CSS = `@page{size:A4;margin:16mm}body{font-family:"Noto Serif CJK SC","Source Han Serif SC","Songti SC","SimSun","Noto Sans CJK SC","PingFang SC","Microsoft YaHei",serif;color:#111;font-size:11pt;line-height:1.5}
h1{font-size:17pt;text-align:center;margin:0 0 4pt}h2{font-size:13pt;margin:14pt 0 6pt}.meta{text-align:center;color:#444;margin:0 0 10pt}
table{width:100%;border-collapse:collapse;page-break-inside:auto}th,td{border:1px solid #666;padding:4pt 6pt;vertical-align:top}th{background:#eee;white-space:nowrap}tr{page-break-inside:avoid}
.sign{margin-top:28pt}`;
