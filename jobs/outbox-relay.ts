import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Now } from '../src/domain/sla/deadline.ts';
import { PENDING_OUTBOX, type PendingOutbox } from '../src/store/commit.ts';
import type { OutboxQueue } from './outbox-queue.ts';
import { JobQueue } from './queue-kit.ts';

/** Replies of no platform message (a monitor's notice) older than this were left by a process that died. */
const ORPHANED_AFTER_MS = 60_000;

/**
 * The other half of "a ticket and its messages together": what a handled message says is stored in
 * the same atomic write as what it did, and removed once the handling process has queued it. An
 * entry left behind (the process died in between) is queued here — at start-up and every 30 s —
 * under the message's own key, so the people concerned hear of the ticket once, with or without a
 * platform retry. A key already sent is not sent again (src/outbox.ts).
 */
export class OutboxRelay {
  private readonly jobs: JobQueue;
  /** A look again when the earliest live lease of a pending entry runs out (see run). */
  private recheck: { at: number; timer: NodeJS.Timeout } | undefined;
  private stopped = false;

  constructor(private readonly o: { redis: Redis; outbox: OutboxQueue; log: Logger; now: Now; every?: number }) {
    this.jobs = new JobQueue('relay', o.redis, o.log);
  }

  async start(): Promise<void> {
    await this.jobs.queue.upsertJobScheduler('relay', { every: this.o.every ?? 30_000 }, { name: 'relay', data: {}, opts: { removeOnComplete: true, removeOnFail: true } });
    this.jobs.work(() => this.run(), { concurrency: 1 });
    await this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.recheck) clearTimeout(this.recheck.timer);
    this.recheck = undefined;
    await this.jobs.close();
  }

  /**
   * Queues every orphaned entry; returns how many. The replies of a platform message are orphaned
   * once no attempt holds its inbox lease (a live attempt delivers them itself; a done message
   * delivered them); others once they are older than `olderThan`.
   */
  async run(olderThan = ORPHANED_AFTER_MS): Promise<number> {
    const all = await this.o.redis.hgetall(PENDING_OUTBOX);
    const now = this.o.now();
    let n = 0;
    let leaseEndsIn = Infinity;
    for (const [key, raw] of Object.entries(all)) {
      const p = JSON.parse(raw) as PendingOutbox;
      const state = p.inbox ? await this.o.redis.get(p.inbox) : undefined;
      if (p.inbox ? state !== null : now - p.at < olderThan) {
        if (state === 'done') await this.o.redis.hdel(PENDING_OUTBOX, key); // delivered; its clean-up was lost
        else if (p.inbox) {
          // A lease: a live attempt, or one that died moments ago (a bot restarted faster than its
          // lease runs out). Nobody retries a simulator or monitor message, so look again then
          // rather than at the next 30-s run: the teacher should not wait for the reply.
          const ttl = await this.o.redis.pttl(p.inbox);
          if (ttl > 0) leaseEndsIn = Math.min(leaseEndsIn, ttl);
        }
        continue;
      }
      await this.o.outbox.enqueue(key, p.items);
      await this.o.redis.hdel(PENDING_OUTBOX, key);
      n++;
    }
    if (n) this.o.log.warn({ count: n }, 'queued the replies of messages whose handling did not finish');
    if (leaseEndsIn < Infinity) this.lookAgainIn(leaseEndsIn + 100);
    return n;
  }

  /** One timer at most, at the earliest time asked for; a live attempt that finishes leaves nothing to do then. */
  private lookAgainIn(ms: number): void {
    if (this.stopped) return;
    const at = performance.now() + ms;
    if (this.recheck && this.recheck.at <= at) return;
    if (this.recheck) clearTimeout(this.recheck.timer);
    const timer = setTimeout(() => {
      this.recheck = undefined;
      this.run().catch((err: unknown) => this.o.log.warn({ err }, 'outbox relay: look-again run failed; the 30-s run follows'));
    }, ms);
    timer.unref();
    this.recheck = { at, timer };
  }
}
