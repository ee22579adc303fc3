import { DateTime } from 'luxon';
import { applySteps } from '../support/tickets.ts';
import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../../src/config/policy-file.ts';
import { asOf } from '../../src/domain/as-of.ts';
import { newTicket } from '../../src/domain/intake-rules.ts';
import { apply, type LifecycleAction } from '../../src/domain/lifecycle.ts';
import type { Level } from '../../src/domain/levels.ts';
import { markFired } from '../../src/domain/sla/decide.ts';
import { digestMoment, latestDigestMoment } from '../../src/domain/reports/digest.ts';
import type { Ticket } from '../../src/domain/ticket.ts';

const p = loadPolicy(undefined);
const tz = 'Asia/Shanghai';
const at = (iso: string) => DateTime.fromISO(iso, { zone: tz }).toMillis();
const staff = { kind: 'staff' as const, id: 'zhangtianhui', name: '张天慧' };
const mk = (level: Level, iso: string) =>
  newTicket({ n: 7, label: level, confidence: 1, reporter: { platform: 'sim', userId: 't', name: '王老师' }, chat: { platform: 'sim', chatId: 'school', kind: 'group' }, text: '服务器硬盘报警', truncated: false, attachments: [], messageId: 'm7', now: at(iso) }, p);
const run = (t: Ticket, steps: [LifecycleAction, string][]) => applySteps(t, steps.map(([a, iso]) => [a, at(iso)]), staff, p);

describe('asOf: a ticket as it stood at a moment', () => {
  const created = mk('L3', '2026-11-24T09:00:00');
  const full = run(created, [
    [{ kind: 'ack' }, '2026-11-24T09:20:00'],
    [{ kind: 'dispatch' }, '2026-11-24T09:30:00'],
    [{ kind: 'arrive' }, '2026-11-24T10:30:00'],
    [{ kind: 'resolve', text: '更换硬盘', parts: ['硬盘'] }, '2026-11-24T12:00:00'],
    [{ kind: 'confirm' }, '2026-11-24T12:10:00'],
    [{ kind: 'rate', score: 5, comment: '很快' }, '2026-11-24T12:20:00'],
  ]);

  it('is undefined before the ticket existed, and the ticket itself once nothing happened since', () => {
    expect(asOf(full, at('2026-11-24T08:59:59'), p)).toBeUndefined();
    expect(asOf(full, at('2026-11-25T08:30:00'), p)).toBe(full);
  });

  it('drops later history and restores status, holder, resolution, sign-off and rating', () => {
    const t = asOf(full, at('2026-11-24T11:00:00'), p)!;
    expect(t.status).toBe('onsite');
    expect(t.assignee).toBe('zhangtianhui');
    expect(t.history.map((h) => h.action)).toEqual(['created', 'ack', 'dispatch', 'arrive']);
    expect(t.resolution).toBeUndefined();
    expect(t.signoff).toBeUndefined();
    expect(t.rating).toBeUndefined();
    expect(t.updatedAt).toBe(at('2026-11-24T10:30:00'));
    // Stopped before: as they ended. Stopped after (已解决 12:00): running again, no outcome.
    expect(t.clocks.response).toEqual(full.clocks.response);
    expect(t.clocks.arrival).toEqual(full.clocks.arrival);
    expect(t.clocks.resolution).toMatchObject({ dueAt: full.clocks.resolution!.dueAt });
    expect(t.clocks.resolution!.stoppedAt).toBeUndefined();
    expect(t.clocks.resolution!.outcome).toBeUndefined();
    expect(t.clocks.backup!.stoppedAt).toBeUndefined();

    const resolved = asOf(full, at('2026-11-24T12:05:00'), p)!;
    expect(resolved.status).toBe('resolved');
    expect(resolved.resolution).toEqual(full.resolution);
    expect(resolved.signoff).toBeUndefined();
  });

  it('before 上门 the on-site clocks did not exist; before 受理 nobody held it', () => {
    const t = asOf(full, at('2026-11-24T09:10:00'), p)!;
    expect(t.status).toBe('open');
    expect(t.assignee).toBeUndefined();
    expect(Object.keys(t.clocks)).toEqual(['response']);
    expect(t.clocks.response!.stoppedAt).toBeUndefined();
  });

  it('un-records a breach recorded after the moment, keeps one recorded before', () => {
    const l1 = mk('L1', '2026-11-24T09:00:00'); // 30 min: due 09:30
    const v = l1.clocks.response!.version;
    const fired = markFired(l1, { clock: 'response', version: v }, ['breach'], at('2026-11-24T09:31:00'), p)!;
    expect(fired.clocks.response!.breach).toBeDefined();
    expect(asOf(fired, at('2026-11-24T09:30:30'), p)!.clocks.response!.breach).toBeUndefined();
    expect(asOf(fired, at('2026-11-24T09:45:00'), p)!.clocks.response!.breach).toEqual(fired.clocks.response!.breach);
  });

  it('undoes a re-grade after the moment: level and response deadline of the time; a close after it too', () => {
    const t = run(mk('L3', '2026-11-24T09:00:00'), [
      [{ kind: 'level', level: 'L1', reason: '全校停用' }, '2026-11-24T09:10:00'],
      [{ kind: 'close', reason: '重复报修' }, '2026-11-24T09:20:00'],
    ]);
    expect(t.clocks.response!.dueAt).toBe(at('2026-11-24T09:30:00'));
    const before = asOf(t, at('2026-11-24T09:05:00'), p)!;
    expect(before.level).toBe('L3');
    expect(before.status).toBe('open');
    expect(before.closeReason).toBeUndefined();
    expect(before.clocks.response).toMatchObject({ dueAt: at('2026-11-24T10:00:00') });
    expect(before.clocks.response!.outcome).toBeUndefined();
    const between = asOf(t, at('2026-11-24T09:15:00'), p)!;
    expect(between.level).toBe('L1');
    expect(between.clocks.response!.dueAt).toBe(at('2026-11-24T09:30:00'));
    expect(asOf(t, at('2026-11-24T09:25:00'), p)!).toMatchObject({ status: 'closed', closeReason: '重复报修' });
  });

  it('a reopened ticket: the status of each moment', () => {
    const t = run(full, [[{ kind: 'reopen' }, '2026-11-25T09:00:00']]);
    expect(asOf(t, at('2026-11-25T08:30:00'), p)!.status).toBe('confirmed');
    expect(asOf(t, at('2026-11-25T09:30:00'), p)!.status).toBe('open');
  });
});

describe('digest moments', () => {
  it('digest.time on a local date; invalid dates refused', () => {
    expect(digestMoment('2026-11-25', '08:30', tz)).toBe(at('2026-11-25T08:30:00'));
    expect(digestMoment('2026-11-25', '08:30:15', tz)).toBe(at('2026-11-25T08:30:15'));
    expect(digestMoment('2026-02-30', '08:30', tz)).toBeUndefined();
    expect(digestMoment('yesterday', '08:30', tz)).toBeUndefined();
  });
  it('the scheduled run is for the last moment, however late it runs (and a little early)', () => {
    expect(latestDigestMoment(at('2026-11-25T08:30:02'), '08:30', tz)).toBe(at('2026-11-25T08:30:00'));
    expect(latestDigestMoment(at('2026-11-25T15:00:00'), '08:30', tz)).toBe(at('2026-11-25T08:30:00'));
    expect(latestDigestMoment(at('2026-11-25T08:00:00'), '08:30', tz)).toBe(at('2026-11-24T08:30:00'));
    expect(latestDigestMoment(at('2026-11-25T08:29:40'), '08:30', tz, 60_000)).toBe(at('2026-11-25T08:30:00'));
  });
});
