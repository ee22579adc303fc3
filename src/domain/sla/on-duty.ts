import { DateTime } from 'luxon';
import type { Policy } from '../contract/policy.ts';
import { membersWithRole } from '../contract/roster.ts';
import { zone } from '../zone.ts';

/** Engineers on duty now: the rota entry covering this local time, else every engineer. */
export function onDuty(p: Policy, now: number): string[] {
  const local = DateTime.fromMillis(now, { zone: zone(p.timezone) });
  const hm = local.toFormat('HH:mm');
  for (const r of p.onDuty.rota) {
    const inDay = r.days.includes(local.weekday);
    const inHours = r.from <= r.to ? hm >= r.from && hm < r.to : hm >= r.from || hm < r.to;
    if (inDay && inHours) return r.engineers;
  }
  return p.onDuty.engineers ?? membersWithRole(p, 'engineer').map((m) => m.id);
}
