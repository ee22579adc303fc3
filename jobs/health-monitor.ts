import { connect } from 'node:net';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Policy } from '../src/domain/contract/policy.ts';
import { chatsWithRole } from '../src/domain/contract/roster.ts';
import { nextHealth, type HealthState } from '../src/domain/health.ts';
import { newTicket } from '../src/domain/intake-rules.ts';
import type { Now } from '../src/domain/sla/deadline.ts';
import type { TicketHooks, TicketStore } from '../src/store/tickets.ts';
import { teamNotice } from '../src/views/team-notice.ts';
import { formatAbsolute, formatWindow } from '../src/views/time.ts';
import { zh } from '../src/views/zh.ts';
import type { OutboxQueue } from './outbox-queue.ts';
import { JobQueue } from './queue-kit.ts';

type Check = Policy['health']['checks'][number];

export interface HealthMonitorOptions {
  redis: Redis;
  store: TicketStore;
  hooks: TicketHooks;
  outbox: OutboxQueue;
  policy: () => Policy;
  log: Logger;
  now: Now;
}

/** One probe: an HTTP status (expected, or any below 400) or a TCP connect, with a timeout. */
export async function probe(c: Check): Promise<{ ok: boolean; detail: string }> {
  const timeout = c.timeout ?? 5000;
  if (c.url) {
    try {
      const res = await fetch(c.url, { signal: AbortSignal.timeout(timeout), redirect: 'manual' });
      const ok = c.expectStatus ? res.status === c.expectStatus : res.status < 400;
      return { ok, detail: `HTTP ${res.status}` };
    } catch (err) {
      return { ok: false, detail: (err as Error).name === 'TimeoutError' ? zh.monitor.probeTimeout(formatWindow(timeout)) : zh.monitor.probeUnreachable };
    }
  }
  const [host, port] = [c.tcp!.slice(0, c.tcp!.lastIndexOf(':')), Number(c.tcp!.slice(c.tcp!.lastIndexOf(':') + 1))];
  return new Promise((resolve) => {
    const s = connect({ host, port, timeout });
    const done = (ok: boolean, detail: string) => {
      s.destroy();
      resolve({ ok, detail });
    };
    s.once('connect', () => done(true, zh.monitor.tcpOk));
    s.once('timeout', () => done(false, zh.monitor.tcpTimeout(formatWindow(timeout))));
    s.once('error', () => done(false, zh.monitor.tcpRefused));
  });
}

/**
 * Proactive monitoring (contract 5.3.2.3): every check runs on a repeatable job; after N failures
 * in a row one L1 ticket is opened for the outage and the team told; when the check passes again
 * the downtime is noted on that ticket. State lives in Redis, so restarts keep the outage.
 */
export class HealthMonitor {
  private readonly jobs: JobQueue;

  constructor(private readonly o: HealthMonitorOptions) {
    this.jobs = new JobQueue('health', o.redis, o.log);
  }

  async start(): Promise<void> {
    const p = this.o.policy();
    if (!p.health.checks.length) {
      await this.jobs.queue.removeJobScheduler('health');
      return;
    }
    await this.jobs.queue.upsertJobScheduler('health', { every: p.health.every }, { name: 'probe', data: {}, opts: { removeOnComplete: true, removeOnFail: true } });
    this.jobs.work(() => this.runAll(), { concurrency: 1 });
  }

  async stop(): Promise<void> {
    await this.jobs.close();
  }

  async runAll(): Promise<void> {
    await Promise.all(this.o.policy().health.checks.map((c) => this.runOne(c)));
  }

  private async runOne(c: Check): Promise<void> {
    const key = `as:health:${c.name}`;
    const now = this.o.now();
    const result = await probe(c);
    const prev = JSON.parse((await this.o.redis.get(key)) ?? '{"failures":0}') as HealthState;
    const { state, action } = nextHealth(prev, result.ok, now, this.o.policy().health.failures);
    if (action.kind === 'open') state.ticket = await this.openTicket(c, result.detail, action.since, state.failures);
    if (action.kind === 'recovered') await this.recovered(c, action.ticket, action.since, now);
    await this.o.redis.set(key, JSON.stringify(state));
  }

  /** The outage's ticket is reported in the team group's chat, on the first platform it has there. */
  private async openTicket(c: Check, detail: string, since: number, failures: number): Promise<number> {
    const p = this.o.policy();
    const team = chatsWithRole(p, 'team')[0]!;
    // A team group with no platform ids at all still gets its ticket (on no platform: nothing to reply to).
    const [platform, chatId] = Object.entries(team.ids).find(([, id]) => !!id) ?? ['monitor', team.id];
    const messageId = `monitor-${c.name}-${since}`;
    const { n, existing } = await this.o.store.claimNumber(platform, messageId);
    if (existing && (await this.o.store.get(n))) return n;
    const text = zh.monitor.ticketText({ name: c.name, target: c.url ?? c.tcp ?? '', detail, since: formatAbsolute(since, p.timezone), failures });
    const now = this.o.now();
    const t = newTicket({ n, label: 'L1', confidence: 1, reporter: { platform, userId: 'monitor', name: zh.monitor.reporter }, chat: { platform, chatId, kind: 'group' }, text, truncated: false, attachments: [], messageId, now }, p);
    await this.o.store.save(t);
    await this.o.hooks.created?.(t);
    await this.o.outbox.enqueue(`monitor-open-${n}`, [{ dest: { to: 'team' }, msg: teamNotice(p, t, now) }]);
    this.o.log.error({ check: c.name, ticket: n }, 'health check failing: ticket opened');
    return n;
  }

  private async recovered(c: Check, n: number, since: number, now: number): Promise<void> {
    const downtime = formatWindow(now - since);
    await this.o.store.update(n, (t) => ({ ...t, updatedAt: now, history: [...t.history, { at: now, by: { kind: 'bot', id: 'monitor', name: zh.monitor.reporter }, action: 'note', detail: zh.monitor.recoveredNote({ name: c.name, downtime }) }] }));
    await this.o.outbox.enqueue(`monitor-recovered-${n}`, [{ dest: { to: 'team' }, msg: { text: zh.monitor.recoveredNotice({ name: c.name, downtime, n }) } }]);
    this.o.log.info({ check: c.name, ticket: n }, 'health check recovered');
  }
}
