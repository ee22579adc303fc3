import { connect } from 'node:net';
import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { teamNotice } from '../handlers/intake.ts';
import type { Services } from '../handlers/services.ts';
import { formatWindow } from '../src/domain/duration.ts';
import { nextHealth, type HealthState } from '../src/domain/health.ts';
import { newTicket } from '../src/domain/intake-rules.ts';
import type { Platform, Policy } from '../src/domain/policy.ts';
import { chatsWithRole } from '../src/domain/roster.ts';
import { formatAbsolute } from '../src/domain/time-format.ts';
import type { OutboxQueue } from './outbox-queue.ts';

const QUEUE = 'health';
const PREFIX = 'as:bull';
type Check = Policy['health']['checks'][number];

/** One probe: an HTTP status (expected, or any below 400) or a TCP connect, with a timeout. */
export async function probe(c: Check): Promise<{ ok: boolean; detail: string }> {
  const timeout = c.timeout ?? 5000;
  if (c.url) {
    try {
      const res = await fetch(c.url, { signal: AbortSignal.timeout(timeout), redirect: 'manual' });
      const ok = c.expectStatus ? res.status === c.expectStatus : res.status < 400;
      return { ok, detail: `HTTP ${res.status}` };
    } catch (err) {
      return { ok: false, detail: (err as Error).name === 'TimeoutError' ? `超时（${formatWindow(timeout)}）` : '无法连接' };
    }
  }
  const [host, port] = [c.tcp!.slice(0, c.tcp!.lastIndexOf(':')), Number(c.tcp!.slice(c.tcp!.lastIndexOf(':') + 1))];
  return new Promise((resolve) => {
    const s = connect({ host, port, timeout });
    const done = (ok: boolean, detail: string) => {
      s.destroy();
      resolve({ ok, detail });
    };
    s.once('connect', () => done(true, 'TCP 可连接'));
    s.once('timeout', () => done(false, `TCP 超时（${formatWindow(timeout)}）`));
    s.once('error', () => done(false, 'TCP 连接被拒绝'));
  });
}

/**
 * Proactive monitoring (contract 5.3.2.3): every check runs on a repeatable job; after N failures
 * in a row one L1 ticket is opened for the outage and the team told; when the check passes again
 * the downtime is noted on that ticket. State lives in Redis, so restarts keep the outage.
 */
export class HealthMonitor {
  readonly queue: Queue;
  private worker: Worker | undefined;
  private conn: Redis | undefined;

  constructor(private readonly redis: Redis, private readonly s: Services, private readonly outbox: OutboxQueue) {
    this.queue = new Queue(QUEUE, { connection: redis as unknown as ConnectionOptions, prefix: PREFIX });
    this.queue.on('error', () => {}); // the shared connection's errors are logged once, by the app
  }

  async start(): Promise<void> {
    const p = this.s.policy;
    if (!p.health.checks.length) {
      await this.queue.removeJobScheduler('health');
      return;
    }
    await this.queue.upsertJobScheduler('health', { every: p.health.every }, { name: 'probe', data: {}, opts: { removeOnComplete: true, removeOnFail: true } });
    this.conn = this.redis.duplicate();
    this.conn.on('error', () => {});
    this.worker = new Worker(QUEUE, () => this.runAll(), { connection: this.conn as unknown as ConnectionOptions, prefix: PREFIX, concurrency: 1 });
    this.worker.on('error', (err) => this.s.log.warn({ err: err.message }, 'health worker error'));
  }

  async stop(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
    this.conn?.disconnect();
  }

  async runAll(): Promise<void> {
    await Promise.all(this.s.policy.health.checks.map((c) => this.runOne(c)));
  }

  private async runOne(c: Check): Promise<void> {
    const key = `as:health:${c.name}`;
    const now = this.s.now();
    const result = await probe(c);
    const prev = JSON.parse((await this.redis.get(key)) ?? '{"failures":0}') as HealthState;
    const { state, action } = nextHealth(prev, result.ok, now, this.s.policy.health.failures);
    if (action.kind === 'open') state.ticket = await this.openTicket(c, result.detail, action.since, state.failures);
    if (action.kind === 'recovered') await this.recovered(c, action.ticket, action.since, now);
    await this.redis.set(key, JSON.stringify(state));
  }

  private async openTicket(c: Check, detail: string, since: number, failures: number): Promise<number> {
    const p = this.s.policy;
    const team = chatsWithRole(p, 'team')[0]!;
    const [platform, chatId] = (Object.entries(team.ids).find(([, id]) => !!id) ?? ['sim', 'team']) as [Platform, string];
    const { n, existing } = await this.s.store.claimNumber(platform, `monitor-${c.name}-${since}`);
    if (existing && (await this.s.store.get(n))) return n;
    const text = `监控发现：${c.name}（${c.url ?? c.tcp}）无法访问：${detail}；自 ${formatAbsolute(since, p.timezone)} 起已连续 ${failures} 次检测失败。`;
    const t = newTicket({ n, label: 'L1', confidence: 1, reporter: { platform, userId: 'monitor', name: '系统监控' }, chat: { platform, chatId, kind: 'group' }, text, truncated: false, attachments: [], messageId: `monitor-${c.name}-${since}`, now: this.s.now() }, p);
    await this.s.store.save(t);
    await this.s.hooks.created?.(t);
    await this.outbox.enqueue(`monitor-open-${n}`, [{ dest: { to: 'team' }, msg: teamNotice(t, this.s) }]);
    this.s.log.error({ check: c.name, ticket: n }, 'health check failing: ticket opened');
    return n;
  }

  private async recovered(c: Check, n: number, since: number, now: number): Promise<void> {
    const downtime = formatWindow(now - since);
    await this.s.store.update(n, (t) => ({ ...t, updatedAt: now, history: [...t.history, { at: now, by: { kind: 'bot', id: 'monitor', name: '系统监控' }, action: 'note', detail: `监控恢复：${c.name} 已恢复，停机约 ${downtime}` }] }));
    await this.outbox.enqueue(`monitor-recovered-${n}`, [{ dest: { to: 'team' }, msg: { text: `✅ 监控恢复：${c.name} 已恢复访问，停机约 ${downtime}。工单 #${n} 请确认原因后处理并关闭。` } }]);
    this.s.log.info({ check: c.name, ticket: n }, 'health check recovered');
  }
}
