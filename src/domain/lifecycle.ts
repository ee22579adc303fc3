import { startClock, changeLevel } from './intake-rules.ts';
import type { Level } from './levels.ts';
import type { Policy } from './policy.ts';
import { cancelClock, stopClock } from './sla.ts';
import { isOpen, type Clock, type ClockName, type Ticket, type TicketEvent, type TicketStatus } from './ticket.ts';

/** The ticket state machine: pure, every illegal step answered with a Chinese reason. */

export type LifecycleAction =
  | { kind: 'ack' }
  | { kind: 'assign'; to: string; toName: string }
  | { kind: 'dispatch' }
  | { kind: 'arrive' }
  | { kind: 'resolve'; text: string; parts: string[]; reportToken?: string }
  | { kind: 'backup'; text: string }
  | { kind: 'level'; level: Level }
  | { kind: 'note'; text: string }
  | { kind: 'close'; reason: string }
  | { kind: 'reopen' }
  | { kind: 'confirm' }
  | { kind: 'rate'; score: number; comment: string }
  | { kind: 'cancel' };

export type By = TicketEvent['by'];

export type Transition = { ok: true; ticket: Ticket } | { ok: false; reason: string };

const STATUS_ZH: Record<TicketStatus, string> = {
  open: '待接单',
  acknowledged: '已接单',
  dispatched: '已派人上门',
  onsite: '工程师已到场',
  resolved: '已解决，待确认',
  confirmed: '已确认',
  closed: '已关闭',
  cancelled: '已撤销',
};

const STATE_ACTIONS = new Set(['ack', 'assign', 'dispatch', 'arrive', 'resolve', 'backup', 'level', 'close', 'reopen', 'confirm', 'rate', 'cancel']);

/**
 * The ticket's state version: how many state-changing steps it has had. A card shows the version it
 * was drawn at; a click on a card whose version is older acts on nothing (the buttons may be wrong).
 * Notes, follow-ups and reminders do not change it.
 */
export function stateVersion(t: Ticket): number {
  return t.history.filter((h) => STATE_ACTIONS.has(h.action)).length;
}

export function statusName(s: TicketStatus): string {
  return STATUS_ZH[s];
}

function fail(reason: string): Transition {
  return { ok: false, reason };
}

function withClocks(t: Ticket, f: (c: Clock) => Clock | undefined, names: ClockName[]): Ticket['clocks'] {
  const clocks = { ...t.clocks };
  for (const name of names) {
    const c = clocks[name];
    if (c && c.stoppedAt === undefined) {
      const next = f(c);
      if (next) clocks[name] = next;
    }
  }
  return clocks;
}

const ALL: ClockName[] = ['response', 'arrival', 'resolution', 'backup'];

export function apply(t: Ticket, a: LifecycleAction, by: By, now: number, p: Policy): Transition {
  const n = `#${t.n}`;
  const done = (patch: Partial<Ticket>, action: string, detail?: string): Transition => ({
    ok: true,
    ticket: { ...t, ...patch, updatedAt: now, history: [...t.history, { at: now, by, action, ...(detail ? { detail } : {}) }] },
  });
  const closedReason = `工单 ${n} ${STATUS_ZH[t.status]}，不能再执行此操作。`;

  switch (a.kind) {
    case 'ack':
      if (t.status !== 'open') return fail(t.status === 'acknowledged' ? `工单 ${n} 已经接单了${t.assignee ? '' : ''}。` : closedReason);
      return done(
        { status: 'acknowledged', assignee: t.assignee ?? (by.kind === 'staff' ? by.id : undefined), clocks: withClocks(t, (c) => stopClock(c, now), ['response']) },
        'ack',
      );
    case 'assign':
      if (!isOpen(t)) return fail(closedReason);
      if (t.assignee === a.to) return fail(`工单 ${n} 已由${a.toName}负责。`);
      // Reassignment reschedules: new versions, already-fired steps stay fired.
      return done({ assignee: a.to, clocks: withClocks(t, (c) => ({ ...c, version: c.version + 1 }), ALL) }, 'assign', a.toName);
    case 'dispatch': {
      if (!['open', 'acknowledged'].includes(t.status)) return fail(t.status === 'dispatched' || t.status === 'onsite' ? `工单 ${n} 已经派人上门了。` : closedReason);
      const clocks = withClocks(t, (c) => stopClock(c, now), ['response']);
      clocks.arrival = startClock('arrival', now, p.onsite.arrive);
      clocks.resolution = startClock('resolution', now, p.onsite.resolve);
      clocks.backup = startClock('backup', now, p.onsite.backup);
      return done({ status: 'dispatched', assignee: t.assignee ?? (by.kind === 'staff' ? by.id : undefined), clocks }, 'dispatch');
    }
    case 'arrive':
      if (t.status === 'onsite') return fail(`工单 ${n} 已记录到场。`);
      if (t.status !== 'dispatched') return fail(isOpen(t) ? `工单 ${n} 还没有派人上门，请先发送「上门 ${n}」。` : closedReason);
      return done({ status: 'onsite', clocks: withClocks(t, (c) => stopClock(c, now), ['arrival']) }, 'arrive');
    case 'resolve': {
      if (!isOpen(t)) return fail(t.status === 'resolved' ? `工单 ${n} 已经是已解决状态。` : closedReason);
      if (!a.text) return fail(`请写明处理情况，例如「已解决 ${n} 更换了硬盘」。`);
      let clocks = withClocks(t, (c) => stopClock(c, now), ['response', 'resolution']);
      clocks = { ...clocks, ...pickOpen(clocks, ['arrival', 'backup'], (c) => cancelClock(c, now, 'not-needed')) };
      return done({ status: 'resolved', clocks, resolution: { at: now, by: by.id, text: a.text, parts: a.parts }, reportToken: t.reportToken ?? a.reportToken }, 'resolve', a.text + (a.parts.length ? `（配件：${a.parts.join('、')}）` : ''));
    }
    case 'backup':
      if (!['dispatched', 'onsite'].includes(t.status)) return fail(isOpen(t) ? `工单 ${n} 还没有上门处理，备用系统时限尚未开始。` : closedReason);
      if (t.clocks.backup?.stoppedAt !== undefined) return fail(`工单 ${n} 已记录备用系统。`);
      return done({ clocks: withClocks(t, (c) => stopClock(c, now), ['backup']), backup: { at: now, by: by.id, text: a.text } }, 'backup', a.text || undefined);
    case 'level': {
      if (!isOpen(t)) return fail(closedReason);
      if (t.level === a.level) return fail(`工单 ${n} 已经是${p.levels[a.level].name}。`);
      const next = changeLevel(t, a.level, now, p, by);
      return { ok: true, ticket: next };
    }
    case 'note':
      if (!a.text) return fail(`请写上备注内容，例如「备注 ${n} 已电话联系王老师」。`);
      return done({}, 'note', a.text);
    case 'close':
      if (t.status === 'closed' || t.status === 'cancelled') return fail(closedReason);
      return done({ status: 'closed', closeReason: a.reason, clocks: withClocks(t, (c) => cancelClock(c, now, 'cancelled'), ALL) }, 'close', a.reason || undefined);
    case 'reopen': {
      if (isOpen(t)) return fail(`工单 ${n} 还在处理中，无需重开。`);
      const prev = t.clocks.response;
      const response = { ...startClock('response', now, p.levels[t.level].response), version: (prev?.version ?? 0) + 1 };
      return done({ status: 'open', clocks: { ...t.clocks, response } }, 'reopen');
    }
    case 'confirm':
      if (t.status === 'confirmed') return fail(`工单 ${n} 已经确认过了，谢谢！`);
      if (t.status !== 'resolved') return fail(isOpen(t) ? `工单 ${n} 还没有处理完，处理完成后再确认。` : closedReason);
      return done({ status: 'confirmed', signoff: { at: now, by: by.id, name: by.name } }, 'confirm');
    case 'rate':
      if (!['resolved', 'confirmed', 'closed'].includes(t.status)) return fail(`工单 ${n} 还没有处理完，处理完成后再评价。`);
      return done({ rating: { at: now, score: a.score, comment: a.comment } }, 'rate', `${a.score}分${a.comment ? `：${a.comment}` : ''}`);
    case 'cancel':
      if (!['open', 'acknowledged'].includes(t.status)) return fail(isOpen(t) ? `工单 ${n} 工程师已在处理，如不需要了请在群里告诉工程师。` : closedReason);
      return done({ status: 'cancelled', clocks: withClocks(t, (c) => cancelClock(c, now, 'cancelled'), ALL) }, 'cancel');
  }
}

function pickOpen(clocks: Ticket['clocks'], names: ClockName[], f: (c: Clock) => Clock): Ticket['clocks'] {
  const out: Ticket['clocks'] = {};
  for (const name of names) {
    const c = clocks[name];
    if (c && c.stoppedAt === undefined) out[name] = f(c);
  }
  return out;
}
