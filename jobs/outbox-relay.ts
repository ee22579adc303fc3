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

  constructor(private readonly o: { redis: Redis; outbox: OutboxQueue; log: Logger; now: Now; every?: number }) {
    this.jobs = new JobQueue('relay', o.redis, o.log);
  }

  async start(): Promise<void> {
    await this.jobs.queue.upsertJobScheduler('relay', { every: this.o.every ?? 30_000 }, { name: 'relay', data: {}, opts: { removeOnComplete: true, removeOnFail: true } });
    this.jobs.work(() => this.run(), { concurrency: 1 });
    await this.run();
  }

  async stop(): Promise<void> {
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
    for (const [key, raw] of Object.entries(all)) {
      const p = JSON.parse(raw) as PendingOutbox;
      const state = p.inbox ? await this.o.redis.get(p.inbox) : undefined;
      if (p.inbox ? state !== null : now - p.at < olderThan) {
        if (state === 'done') await this.o.redis.hdel(PENDING_OUTBOX, key); // delivered; its clean-up was lost
        continue;
      }
      await this.o.outbox.enqueue(key, p.items);
      await this.o.redis.hdel(PENDING_OUTBOX, key);
      n++;
    }
    if (n) this.o.log.warn({ count: n }, 'queued the replies of messages whose handling did not finish');
    return n;
  }
}
