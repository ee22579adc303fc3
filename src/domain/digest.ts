import { DateTime } from 'luxon';
import { kpis, percent, verdict, type Kpis } from './kpi.ts';
import { LEVELS } from './levels.ts';
import type { Policy } from './policy.ts';
import { memberById, membersWithRole } from './roster.ts';
import { isOpen, openClocks, type Ticket } from './ticket.ts';
import { formatLocal } from './time-format.ts';
import { formatWindow } from './duration.ts';
import type { Card } from '../channels/types.ts';
import { inspectionStatus, type InspectionRecord } from './inspections.ts';

const CLOCK_ZH: Record<string, string> = { response: '响应', arrival: '到场', resolution: '解决', backup: '备用系统' };
const WEEKDAY = ['', '周一', '周二', '周三', '周四', '周五', '周六', '周日'];

export interface DigestInput {
  /** The moment the digest is for (it reports the local day before). */
  now: number;
  /** Tickets created since the start of the previous month at least (or simply all). */
  tickets: Ticket[];
  /** Recorded inspection visits (巡检完成). */
  inspections?: InspectionRecord[];
  /** Messages that could not be delivered after every retry. */
  failedSends?: number;
}

/** The periods a digest covers, in the policy's time zone. */
export function digestPeriods(now: number, tz: string) {
  const today = DateTime.fromMillis(now, { zone: tz }).startOf('day');
  const yesterday = today.minus({ days: 1 });
  const monthStart = yesterday.startOf('month');
  return {
    today: today.toMillis(),
    yesterday: yesterday.toMillis(),
    monthStart: monthStart.toMillis(),
    weekStart: today.minus({ days: 7 }).toMillis(),
    isMonday: today.weekday === 1,
    label: `${yesterday.month}月${yesterday.day}日（${WEEKDAY[yesterday.weekday]}）`,
  };
}

function inRange(at: number, from: number, to: number): boolean {
  return at >= from && at < to;
}

function kpiLine(k: Kpis): string {
  const r = (x: Kpis['response']) => `${percent(x.rate)}${x.met + x.breached ? `（${x.met}/${x.met + x.breached}）` : ''}`;
  const sat = k.satisfaction.average === undefined ? '—' : `${k.satisfaction.average.toFixed(1)} 分（回复率 ${percent(k.satisfaction.responseRate)}）`;
  return [`响应及时率 ${r(k.response)}`, `到场及时率 ${r(k.arrival)}`, `恢复及时率 ${r(k.resolution)}`, `备用系统及时率 ${r(k.backup)}`, `满意度 ${sat}`, `签字率 ${percent(k.signoff.rate)}`].join(' · ');
}

/**
 * The daily digest: yesterday's new and closed tickets per level, every open ticket with the time
 * left on its open clocks, yesterday's breaches with the person responsible, month-to-date KPIs;
 * on Mondays last week too. Pure: the caller loads the tickets and posts the text.
 */
export function buildDigest(input: DigestInput, p: Policy): string {
  return digestMessage(input, p).text;
}

/** The digest as text plus a card (coloured header, KPIs, a chart of yesterday's tickets per level). */
export function digestMessage(input: DigestInput, p: Policy): { text: string; card: Card } {
  const { now, tickets } = input;
  const d = digestPeriods(now, p.timezone);
  const lead = membersWithRole(p, 'lead')[0]?.name ?? '组长';
  const created = tickets.filter((t) => inRange(t.createdAt, d.yesterday, d.today));
  const closedActions = new Set(['resolve', 'close', 'cancel']);
  const closed = tickets.filter((t) => t.history.some((h) => closedActions.has(h.action) && inRange(h.at, d.yesterday, d.today)));
  const perLevel = LEVELS.map((l) => `${p.levels[l].name} ${created.filter((t) => t.level === l).length}`).join('、');
  const open = tickets.filter(isOpen).sort((a, b) => a.n - b.n);
  const breaches = tickets.flatMap((t) =>
    Object.values(t.clocks)
      .filter((c) => c && inRange(c.dueAt, d.yesterday, d.today) && verdict(c, now) === 'breached')
      .map((c) => ({ t, c: c! })),
  );
  const lines: string[] = [`【售后日报】${d.label}`, `昨日新建 ${created.length} 单（${perLevel}）；昨日处理完成/关闭 ${closed.length} 单。`, ''];
  lines.push(open.length ? `未完成工单（${open.length}）：` : '未完成工单：无 👍');
  for (const t of open) {
    const clocks = openClocks(t).map((c) => `${CLOCK_ZH[c.name]}${c.dueAt >= now ? `还剩 ${formatWindow(c.dueAt - now)}` : `已超时 ${formatWindow(now - c.dueAt)}`}`);
    const who = (t.assignee && memberById(p, t.assignee)?.name) || '未指派';
    lines.push(`· #${t.n} ${p.levels[t.level].name} · ${who} · ${clocks.join('，') || '无进行中的时限'}`);
  }
  lines.push('');
  lines.push(breaches.length ? `昨日超时（${breaches.length}）：` : '昨日超时：无');
  for (const { t, c } of breaches) {
    const who = (t.assignee && memberById(p, t.assignee)?.name) || `未指派（组长 ${lead}）`;
    lines.push(`· #${t.n} ${p.levels[t.level].name} ${CLOCK_ZH[c.name]}时限 ${formatLocal(c.dueAt, now, p.timezone)} · 负责人：${who}`);
  }
  lines.push('', `本月至今：${kpiLine(kpis(tickets.filter((t) => inRange(t.createdAt, d.monthStart, d.today)), now))}`);
  const insp = inspectionStatus(p, now, input.inspections ?? []);
  if (insp) {
    const next = insp.next ? `；下次计划 ${formatLocal(insp.next, now, p.timezone)}` : '';
    lines.push(`本学期巡检：已完成 ${insp.done}/${insp.required} 次${next}${insp.atRisk ? `\n⚠️ 按现有计划，${insp.semester.name}的巡检将少于 ${insp.required} 次，请副组长尽快安排。` : ''}`);
  }
  if (input.failedSends) lines.push(`⚠️ 有 ${input.failedSends} 条消息多次重试后仍发送失败，请管理员查看 /admin/outbox/failed。`);
  if (d.isMonday) {
    const week = tickets.filter((t) => inRange(t.createdAt, d.weekStart, d.today));
    const weekClosed = tickets.filter((t) => t.history.some((h) => closedActions.has(h.action) && inRange(h.at, d.weekStart, d.today)));
    lines.push(`上周：新建 ${week.length} 单，处理完成/关闭 ${weekClosed.length} 单；${kpiLine(kpis(week, now))}`);
  }
  const text = lines.join('\n');
  const k = kpis(tickets.filter((t) => inRange(t.createdAt, d.monthStart, d.today)), now);
  const card: Card = {
    title: `售后日报 · ${d.label}`,
    color: breaches.length ? 'orange' : 'blue',
    fields: [
      { label: '昨日', value: `新建 ${created.length} 单，处理完成/关闭 ${closed.length} 单` },
      { label: '未完成', value: `${open.length} 单` },
      { label: '昨日超时', value: breaches.length ? breaches.map(({ t, c }) => `#${t.n} ${CLOCK_ZH[c.name]}`).join('、') : '无' },
      { label: '本月响应及时率', value: percent(k.response.rate) },
      { label: '本月到场 / 恢复及时率', value: `${percent(k.arrival.rate)} / ${percent(k.resolution.rate)}` },
      { label: '满意度', value: k.satisfaction.average === undefined ? '—' : `${k.satisfaction.average.toFixed(1)} 分` },
    ],
    textComplete: true,
    chart: { title: '昨日新建工单（按级别）', bars: LEVELS.map((l) => ({ label: p.levels[l].name, value: created.filter((t) => t.level === l).length })) },
  };
  return { text, card };
}
