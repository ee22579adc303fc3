import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Policy } from '../src/domain/contract/policy.ts';
import type { Now } from '../src/domain/sla/deadline.ts';
import type { Ticket } from '../src/domain/ticket.ts';
import type { TicketStore } from '../src/store/tickets.ts';
import { stormSummary } from '../src/views/storm-summary.ts';
import type { OutboxQueue } from './outbox-queue.ts';
import { jobKey, JobQueue } from './queue-kit.ts';

/** How long a counted ticket may take to be stored before it is taken for one that never was. */
const LATE_STORE_MS = 60_000;

interface SummaryJob {
  platform: string;
  chatId: string;
  bucket: number;
}

/**
 * The storm limit: when one chat opens more new tickets than the policy allows in a window (an
 * outage every teacher reports, a script gone wrong), the team group gets one summary line per
 * interval instead of a notice card per ticket. Nothing is dropped: every report is still stored,
 * answered and timed; only the team's per-ticket notices are folded.
 */
export class StormSummaries {
  private readonly jobs: JobQueue<SummaryJob>;

  constructor(private readonly o: { redis: Redis; store: TicketStore; outbox: OutboxQueue; policy: () => Policy; log: Logger; now: Now }) {
    this.jobs = new JobQueue<SummaryJob>('storm', o.redis, o.log);
  }

  private key(platform: string, chatId: string): string {
    return `as:storm:${platform}:${chatId}`;
  }

  /** Counts a new ticket of its chat: `notice` within the limit; above it, `summary` (it is held for the next summary). */
  async admit(t: Ticket, now: number): Promise<'notice' | 'summary'> {
    const { tickets, window, summaryEvery } = this.o.policy().storm;
    const k = this.key(t.chat.platform, t.chat.chatId);
    const res = await this.o.redis.multi().zremrangebyscore(k, 0, now - window).zadd(k, now, String(t.n)).zcard(k).pexpire(k, window).exec();
    if (Number(res?.[2]?.[1] ?? 0) <= tickets) return 'notice';
    const bucket = Math.floor(now / summaryEvery);
    // Held with the moment it was counted: the ticket is stored just after this (in the same
    // commit as its reply), so a summary running in between finds it not yet there.
    await this.o.redis.multi().zadd(`${k}:held`, now, String(t.n)).pexpire(`${k}:held`, Math.max(3_600_000, summaryEvery * 10)).exec();
    await this.schedule({ platform: t.chat.platform, chatId: t.chat.chatId, bucket }, now);
    this.o.log.warn({ platform: t.chat.platform, ticket: t.n }, 'storm: team notice folded into the next summary');
    return 'summary';
  }

  private async schedule(data: SummaryJob, now: number): Promise<void> {
    const { summaryEvery } = this.o.policy().storm;
    await this.jobs.queue.add('summary', data, { jobId: jobKey(`storm-${data.platform}-${data.chatId}-${data.bucket}`), delay: Math.max(0, (data.bucket + 1) * summaryEvery - now), removeOnComplete: true, removeOnFail: 100, attempts: 5, backoff: { type: 'exponential', delay: 500 } });
  }

  async start(): Promise<void> {
    this.jobs.work((job) => this.summarise(job.data, String(job.id)));
  }

  async stop(): Promise<void> {
    await this.jobs.close();
  }

  private async summarise(d: SummaryJob, jobId: string): Promise<void> {
    const held = `${this.key(d.platform, d.chatId)}:held`;
    const members = await this.o.redis.zrange(held, '0', '-1', 'WITHSCORES');
    const now = this.o.now();
    const counted = new Map<string, number>();
    for (let i = 0; i < members.length; i += 2) counted.set(members[i]!, Number(members[i + 1]));
    const tickets = await this.o.store.many([...counted.keys()].map(Number));
    const stored = new Set(tickets.map((t) => String(t.n)));
    // Counted but not stored yet (being stored this moment): the next summary tells of it. Not
    // stored a minute later: its process died before the commit, and there is no such ticket.
    const waiting = [...counted].filter(([n, at]) => !stored.has(n) && now - at < LATE_STORE_MS).map(([n]) => n);
    const done = [...counted.keys()].filter((n) => !waiting.includes(n));
    // Queued first, then taken off the list: a retry after a crash queues the same key (a no-op).
    if (tickets.length) await this.o.outbox.enqueue(jobId, [{ dest: { to: 'team' }, msg: stormSummary(this.o.policy(), tickets) }]);
    if (done.length) await this.o.redis.zrem(held, ...done);
    if (waiting.length) await this.schedule({ ...d, bucket: Math.floor(now / this.o.policy().storm.summaryEvery) }, now);
  }
}
