import { DateTime, Duration } from 'luxon';
import { zone } from '../domain/zone.ts';

/**
 * Local (Asia/Shanghai by policy) rendering of an instant relative to now, the way a Chinese user
 * reads it: 今天 14:35 / 明天 09:00 / 昨天 18:20 / 11月27日 09:00 / 2027年1月2日 09:00.
 * Seconds are shown when windows are short (scaled demo time), where minutes would mislead.
 */
export function formatLocal(at: number, now: number, tz: string, withSeconds = false): string {
  const t = DateTime.fromMillis(at, { zone: zone(tz) });
  const n = DateTime.fromMillis(now, { zone: zone(tz) });
  const clock = t.toFormat(withSeconds ? 'HH:mm:ss' : 'HH:mm');
  const days = Math.round(t.startOf('day').diff(n.startOf('day'), 'days').days);
  if (days === 0) return `今天 ${clock}`;
  if (days === 1) return `明天 ${clock}`;
  if (days === 2) return `后天 ${clock}`;
  if (days === -1) return `昨天 ${clock}`;
  if (t.year === n.year) return `${t.month}月${t.day}日 ${clock}`;
  return `${t.year}年${t.month}月${t.day}日 ${clock}`;
}

/** Full absolute local time, for history and reports: 2026-11-25 14:35:02. */
export function formatAbsolute(at: number, tz: string): string {
  return DateTime.fromMillis(at, { zone: zone(tz) }).toFormat('yyyy-MM-dd HH:mm:ss');
}

/** Human Chinese rendering of a window, e.g. 30分钟, 2小时, 72小时, 1小时30分钟, 18秒. */
export function formatWindow(ms: number): string {
  // Whole seconds first, so 59.6 s never reads as "60秒".
  const d = Duration.fromMillis(Math.max(0, Math.round(ms / 1000) * 1000)).shiftTo('hours', 'minutes', 'seconds');
  const parts: string[] = [];
  if (d.hours) parts.push(`${d.hours}小时`);
  if (d.minutes) parts.push(`${d.minutes}分钟`);
  const s = Math.round(d.seconds);
  if (s || parts.length === 0) parts.push(`${s}秒`);
  return parts.join('');
}

/** A span people read (time left, time late): like formatWindow, in whole minutes from 10 minutes on, in days and hours from 2 days on. */
export function formatSpan(ms: number): string {
  const abs = Math.abs(ms);
  // From two days on, days and whole hours (已超时 9天23小时, not 239小时).
  if (abs >= 48 * 3600_000) {
    const d = Duration.fromMillis(Math.round(abs / 3600_000) * 3600_000).shiftTo('days', 'hours');
    return `${d.days}天${d.hours ? `${d.hours}小时` : ''}`;
  }
  return formatWindow(abs >= 10 * 60_000 ? Math.round(abs / 60_000) * 60_000 : abs);
}

/** Time left on a deadline (negative: past it): 还剩 12分钟 · 即将超时 · 刚刚超时 · 已超时 5分钟 — never "0秒". */
export function leftPhrase(ms: number): string {
  if (ms >= 1000) return `还剩 ${formatSpan(ms)}`;
  if (ms >= 0) return '即将超时';
  return overPhrase(-ms);
}

/** How late something is: 刚刚超时 under a second, else 已超时 5分钟. */
export function overPhrase(ms: number): string {
  return ms < 1000 ? '刚刚超时' : `已超时 ${formatSpan(ms)}`;
}

/** A rate as a percentage with one decimal, or — when nothing counts. */
export function percent(r: number | undefined): string {
  return r === undefined ? '—' : `${(r * 100).toFixed(1)}%`;
}
