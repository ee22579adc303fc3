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
