import { DateTime } from 'luxon';

/**
 * Local (Asia/Shanghai by policy) rendering of an instant relative to now, the way a Chinese user
 * reads it: 今天 14:35 / 明天 09:00 / 昨天 18:20 / 11月27日 09:00 / 2027年1月2日 09:00.
 * Seconds are shown when windows are short (scaled demo time), where minutes would mislead.
 */
export function formatLocal(at: number, now: number, tz: string, withSeconds = false): string {
  const t = DateTime.fromMillis(at, { zone: tz });
  const n = DateTime.fromMillis(now, { zone: tz });
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
  return DateTime.fromMillis(at, { zone: tz }).toFormat('yyyy-MM-dd HH:mm:ss');
}

/** Adds a window to an instant through luxon (kept in one place so no code adds ms by hand). */
export function addMs(at: number, ms: number): number {
  return DateTime.fromMillis(at).plus({ milliseconds: ms }).toMillis();
}
