import { DateTime } from 'luxon';
import type { Contract } from './contract/contract.ts';
import { defaultSemesters, type Semester } from './contract/default-semesters.ts';
import { zone } from './zone.ts';

/** What inspections need of a contract (a Policy has the same two fields for its one contract). */
export type InspectionSettings = Pick<Contract, 'timezone' | 'inspections'> & Partial<Pick<Contract, 'isWorkday'>>;

export interface InspectionRecord {
  at: number;
  by: string;
  notes: string;
}

/** Semesters of the policy, or — when it lists none — the usual academic calendar around `now`. */
export function semesters(p: InspectionSettings, now: number): Semester[] {
  return p.inspections.semesters.length ? p.inspections.semesters : defaultSemesters(now, p.timezone);
}

const day = (d: string, tz: string) => DateTime.fromISO(d, { zone: zone(tz) });

export function semesterAt(p: InspectionSettings, now: number): Semester | undefined {
  return semesters(p, now).find((s) => now >= day(s.start, p.timezone).toMillis() && now < day(s.end, p.timezone).plus({ days: 1 }).toMillis());
}

/**
 * Planned inspection dates of a semester: the Monday of each configured teaching week, 09:00
 * local — or the next school working day when that Monday is not one (国庆, 调休, the school's own
 * days off).
 */
export function plannedInspections(s: Semester, p: InspectionSettings): number[] {
  const start = day(s.start, p.timezone).startOf('week'); // Monday of week 1
  const [h, m] = p.inspections.time.split(':').map(Number);
  return p.inspections.weeks.map((w) => {
    let d = start.plus({ weeks: w - 1 });
    for (let i = 0; i < 14 && p.isWorkday && !p.isWorkday(d); i++) d = d.plus({ days: 1 });
    return d.set({ hour: h, minute: m }).toMillis();
  });
}

export interface InspectionStatus {
  semester: Semester;
  done: number;
  required: number;
  next?: number;
  /** True when the semester would end with fewer than required even if every remaining plan happened. */
  atRisk: boolean;
}

export function inspectionStatus(p: InspectionSettings, now: number, records: InspectionRecord[]): InspectionStatus | undefined {
  const s = semesterAt(p, now);
  if (!s) return undefined;
  const from = day(s.start, p.timezone).toMillis();
  const to = day(s.end, p.timezone).plus({ days: 1 }).toMillis();
  const done = records.filter((r) => r.at >= from && r.at < to).length;
  const upcoming = plannedInspections(s, p).filter((t) => t > now && t < to);
  const required = p.inspections.perSemester;
  return { semester: s, done, required, ...(upcoming[0] ? { next: upcoming[0] } : {}), atRisk: done + upcoming.length < required };
}
