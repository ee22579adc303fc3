import { Duration } from 'luxon';

/** Durations in the policy are written like `45s`, `30m`, `2h`, `72h`, `1d`, or combined: `1h30m`. */
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;
const WHOLE = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/;

export function isDurationText(text: string): boolean {
  return WHOLE.test(text.trim());
}

/** Parses a policy duration into milliseconds; throws with the offending text on bad input. */
export function parseDuration(text: string): number {
  const t = text.trim();
  if (!WHOLE.test(t)) throw new Error(`invalid duration "${text}" (expected e.g. 45s, 30m, 2h, 72h)`);
  const units: Record<string, keyof import('luxon').DurationLikeObject> = {
    ms: 'milliseconds', s: 'seconds', m: 'minutes', h: 'hours', d: 'days',
  };
  let d = Duration.fromMillis(0);
  for (const m of t.matchAll(PART)) {
    d = d.plus({ [units[m[2]!]!]: Number(m[1]) });
  }
  return d.as('milliseconds');
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
