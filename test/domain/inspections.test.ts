import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../../src/config/policy-file.ts';
import { buildDigest } from '../../src/views/digest.ts';
import { inspectionStatus, plannedInspections, semesterAt } from '../../src/domain/inspections.ts';

const p = loadPolicy(undefined);
p.inspections.semesters = [{ name: '2026年秋季学期', start: '2026-09-01', end: '2027-01-17' }];
const tz = 'Asia/Shanghai';
const at = (iso: string) => DateTime.fromISO(iso, { zone: tz }).toMillis();
const fmt = (ms: number) => DateTime.fromMillis(ms, { zone: tz }).toFormat('yyyy-MM-dd HH:mm');

describe('semester inspections', () => {
  it('plans the Mondays of weeks 3 and 12 at 09:00 local', () => {
    // 2026-09-01 is a Tuesday: week 1 starts Monday 08-31.
    expect(plannedInspections(p.inspections.semesters[0]!, p).map(fmt)).toEqual(['2026-09-14 09:00', '2026-11-16 09:00']);
  });
  it('counts visits in the semester and warns when two can no longer happen', () => {
    const now = at('2026-11-25T10:00:00');
    expect(semesterAt(p, now)?.name).toBe('2026年秋季学期');
    // both planned dates passed, one visit recorded: at risk
    expect(inspectionStatus(p, now, [{ at: at('2026-09-15T10:00:00'), by: '张天慧', notes: '' }])).toMatchObject({ done: 1, required: 2, atRisk: true });
    expect(inspectionStatus(p, now, [{ at: at('2026-09-15T10:00:00'), by: '张天慧', notes: '' }, { at: at('2026-11-17T10:00:00'), by: '李爽', notes: '' }])).toMatchObject({ done: 2, atRisk: false });
    expect(inspectionStatus(p, at('2026-09-05T10:00:00'), [])).toMatchObject({ done: 0, next: at('2026-09-14T09:00:00'), atRisk: false });
  });
  it('shows in the digest, with the warning', () => {
    const text = buildDigest({ now: at('2026-11-25T08:30:00'), tickets: [], inspections: [{ at: at('2026-09-15T10:00:00'), by: '张天慧', notes: '' }] }, p);
    expect(text).toContain('本学期巡检：已完成 1/2 次');
    expect(text).toContain('⚠️ 按现有计划，2026年秋季学期的巡检将少于 2 次');
  });
});
