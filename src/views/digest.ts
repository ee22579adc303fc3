import { DateTime } from 'luxon';
import { contractFor } from '../domain/contract/contract.ts';
import type { Policy } from '../domain/contract/policy.ts';
import { memberById, membersWithRole } from '../domain/contract/roster.ts';
import { LEVELS } from '../domain/levels.ts';
import type { Card } from '../domain/messages.ts';
import { digestData, type DigestData, type DigestInput } from '../domain/reports/digest.ts';
import type { Kpis } from '../domain/reports/kpi.ts';
import { timeLeft } from '../domain/sla/deadline.ts';
import { openClocks } from '../domain/ticket.ts';
import { formatLocal, leftPhrase, percent } from './time.ts';
import { zh } from './zh.ts';
import { zone } from '../domain/zone.ts';
import { clockCalendar } from '../domain/contract/contract.ts';

/** "11月24日（周二）": the day a digest reports. */
export function digestDayLabel(d: DigestData, tz: string): string {
  const y = DateTime.fromMillis(d.periods.yesterday, { zone: zone(tz) });
  return `${y.month}月${y.day}日（${zh.weekdays[y.weekday]}）`;
}

/** "截至 11月25日 08:30": the moment the digest is as of (its posting time; seconds when it has them). */
export function digestAsOfLabel(d: DigestData, tz: string): string {
  const t = DateTime.fromMillis(d.now, { zone: zone(tz) });
  return `截至 ${t.month}月${t.day}日 ${t.toFormat(t.second || t.millisecond ? 'HH:mm:ss' : 'HH:mm')}`;
}

function kpiLine(k: Kpis): string {
  // Pending clocks (still within their deadline) have no outcome yet: shown beside, never as misses.
  const r = (x: Kpis['response']) => `${percent(x.rate)}${x.met + x.breached ? `（${x.met}/${x.met + x.breached}）` : ''}${x.pending ? `，进行中 ${x.pending}` : ''}`;
  const sign = `签字率 ${percent(k.signoff.rate)}${k.signoff.pending.length ? `（签字期内 ${k.signoff.pending.length}）` : ''}`;
  const sat = k.satisfaction.average === undefined ? '—' : `${k.satisfaction.average.toFixed(1)} 分（回复率 ${percent(k.satisfaction.responseRate)}）`;
  return [`响应及时率 ${r(k.response)}`, `到场及时率 ${r(k.arrival)}`, `恢复及时率 ${r(k.resolution)}`, `备用系统及时率 ${r(k.backup)}`, `满意度 ${sat}`, sign].join(' · ');
}

/** The digest as text (every chat) plus a card (coloured header, KPIs, a chart of yesterday's tickets per level). */
export function digestMessage(input: DigestInput, p: Policy): { text: string; card: Card } {
  const d = digestData(input, p);
  const c = contractFor(p, d.contract);
  const tz = c.timezone;
  const now = d.now;
  const label = digestDayLabel(d, tz);
  // The day reported, then the moment the figures are as of: 【售后日报】11月24日（周二） · 截至 11月25日 08:30
  const title = `${label} · ${digestAsOfLabel(d, tz)}`;
  const lead = membersWithRole(p, 'lead')[0]?.name ?? '组长';
  const nameOf = (id: string | undefined) => (id && memberById(p, id)?.name) || undefined;
  const perLevel = LEVELS.map((l) => `${c.levels[l].name} ${d.created.filter((t) => t.level === l).length}`).join('、');
  const lines: string[] = [`【售后日报】${title}`, `昨日新建 ${d.created.length} 单（${perLevel}）；昨日处理完成/关闭 ${d.closed.length} 单。`, ''];
  lines.push(d.open.length ? `未完成工单（${d.open.length}）：` : '未完成工单：无 👍');
  for (const t of d.open) {
    const clocks = openClocks(t).map((k) => {
      return `${zh.clockNames[k.name]}${leftPhrase(timeLeft(k.dueAt, now, clockCalendar(c, k)))}`;
    });
    lines.push(`· #${t.n} ${c.levels[t.level].name} · ${nameOf(t.assignee) ?? zh.unassigned} · ${clocks.join('，') || '无进行中的时限'}`);
  }
  lines.push('');
  lines.push(d.breaches.length ? `昨日超时（${d.breaches.length}）：` : '昨日超时：无');
  for (const { t, c: k, holder } of d.breaches) {
    const who = nameOf(holder) ?? `未指派（组长 ${lead}）`;
    lines.push(`· #${t.n} ${c.levels[t.level].name} ${zh.clockNames[k.name]}时限 ${formatLocal(k.dueAt, now, tz)} · 负责人：${who}`);
  }
  lines.push('', `本月至今：${kpiLine(d.month)}`);
  const insp = d.inspections;
  if (insp) {
    const next = insp.next ? `；下次计划 ${formatLocal(insp.next, now, tz)}` : '';
    lines.push(`本学期巡检：已完成 ${insp.done}/${insp.required} 次${next}${insp.atRisk ? `\n⚠️ 按现有计划，${insp.semester.name}的巡检将少于 ${insp.required} 次，请副组长尽快安排。` : ''}`);
  }
  if (d.holidaysUnknown) lines.push(`⚠️ 工作日历还没有 ${d.holidaysUnknown} 年的法定节假日和调休安排，届时将只按周一至周五计时；请在国务院公布安排后升级 chinese-days。`);
  if (d.failedSends) lines.push(`⚠️ 有 ${d.failedSends} 条消息多次重试后仍发送失败，请管理员查看 /admin/outbox/failed。`);
  if (d.week) lines.push(`上周：新建 ${d.week.created.length} 单，处理完成/关闭 ${d.week.closed.length} 单；${kpiLine(d.week.kpis)}`);
  const k = d.month;
  const card: Card = {
    title: `售后日报 · ${title}`,
    color: d.breaches.length ? 'orange' : 'blue',
    fields: [
      { label: '昨日', value: `新建 ${d.created.length} 单，处理完成/关闭 ${d.closed.length} 单` },
      { label: '未完成', value: `${d.open.length} 单` },
      { label: '昨日超时', value: d.breaches.length ? d.breaches.map(({ t, c: x }) => `#${t.n} ${zh.clockNames[x.name]}`).join('、') : '无' },
      { label: '本月响应及时率', value: percent(k.response.rate) },
      { label: '本月到场 / 恢复及时率', value: `${percent(k.arrival.rate)} / ${percent(k.resolution.rate)}` },
      { label: '满意度', value: k.satisfaction.average === undefined ? '—' : `${k.satisfaction.average.toFixed(1)} 分` },
    ],
    textComplete: true,
    chart: { title: '昨日新建工单（按级别）', bars: LEVELS.map((l) => ({ label: c.levels[l].name, value: d.created.filter((t) => t.level === l).length })) },
  };
  return { text: lines.join('\n'), card };
}

/** The digest's text alone (the CLI prints it). */
export function buildDigest(input: DigestInput, p: Policy): string {
  return digestMessage(input, p).text;
}
