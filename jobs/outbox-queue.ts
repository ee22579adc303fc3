import type { Job, JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Destination, Outgoing, OutgoingMessage } from '../src/domain/messages.ts';
import type { Platform } from '../src/domain/platform.ts';
import type { Outbox, Route } from '../src/outbox.ts';
import { JobQueue, jobKey } from './queue-kit.ts';
/** How long a reply sent directly stays queued as a safety net (a crash before it is marked sent). */
const SAFETY_NET_MS = 15_000;

/** One queue per platform, so only a process that can send on a platform takes its jobs. */
export const outboxQueueName = (p: Platform): string => `outbox-${p}`;

interface OutboxJob {
  route: Route;
  msg: OutgoingMessage;
  dest: Destination['to'];
}

export interface FailedSend {
  id: string;
  platform: Platform;
  dest: string;
  text: string;
  error: string;
  at: number;
}

/**
 * Every outgoing message goes through here: the destination is resolved to one job per platform
 * route, retried with exponential backoff when the platform fails, and deduplicated by an
 * idempotency key (the job id), so a timer or a message handled twice after a crash still reaches
 * people once, and a route that failed is retried without resending the others. Completed keys are
 * kept for a day for that reason.
 */
export class OutboxQueue {
  private readonly queues = new Map<Platform, JobQueue<OutboxJob>>();

  /** Told of every send attempt's result (metrics). */
  onResult?: (platform: Platform, result: 'sent' | 'retry' | 'failed') => void;

  constructor(
    private readonly redis: Redis,
    private readonly outbox: Outbox,
    private readonly log: Logger,
    /** Attempts and first backoff (ms): 8 tries over about 4 minutes by default. */
    private readonly retry: { attempts: number; delayMs: number } = { attempts: 8, delayMs: 1000 },
  ) {}

  private jobs(p: Platform): JobQueue<OutboxJob> {
    let q = this.queues.get(p);
    if (!q) {
      q = new JobQueue<OutboxJob>(outboxQueueName(p), this.redis, this.log);
      this.queues.set(p, q);
    }
    return q;
  }

  /** Starts sending a platform's messages from this process (its channel must be running here). */
  startWorker(p: Platform): void {
    const q = this.jobs(p);
    if (q.hasWorker) return;
    const worker = q.work((job) => this.outbox.sendRoute(job.data.route, job.data.msg, String(job.id)), { concurrency: 8, lockDuration: 10_000, stalledInterval: 5_000 });
    worker.on('completed', () => this.onResult?.(p, 'sent'));
    worker.on('failed', (job, err) => {
      const final = !job || job.attemptsMade >= (job.opts.attempts ?? 1);
      this.onResult?.(p, final ? 'failed' : 'retry');
      this.log[final ? 'error' : 'warn']({ platform: p, jobId: job?.id, attempts: job?.attemptsMade, err: err.message }, final ? 'outbox send failed for good' : 'outbox send failed; will retry');
    });
  }

  async stopWorker(p: Platform): Promise<void> {
    await this.queues.get(p)?.stopWork(); // lets running sends finish
  }

  /** Platforms whose worker was started here but is not running (for /readyz). */
  stalledWorkers(): Platform[] {
    return [...this.queues].filter(([, q]) => q.hasWorker && !q.working).map(([p]) => p);
  }

  /** Platforms whose messages this process sends. */
  get sending(): Platform[] {
    return [...this.queues].filter(([, q]) => q.hasWorker).map(([p]) => p);
  }

  /**
   * Enqueues each item's routes under `key-<item>-<route>`, in order; enqueuing the same key again
   * does nothing. Returns the jobs.
   */
  async enqueue(key: string, items: Outgoing[], delayMs = 0): Promise<Job<OutboxJob>[]> {
    const safe = jobKey(key);
    const defs: { name: string; data: OutboxJob; opts: JobsOptions & { jobId: string } }[] = [];
    for (const [i, item] of items.entries()) {
      const routes = await this.outbox.resolve(item.dest);
      for (const [j, route] of routes.entries())
        defs.push({
          name: 'send',
          data: { route, msg: item.msg, dest: item.dest.to },
          opts: { jobId: `${safe}-${i}-${j}`, ...(delayMs ? { delay: delayMs } : {}), attempts: this.retry.attempts, backoff: { type: 'exponential', delay: this.retry.delayMs }, removeOnComplete: { age: 24 * 3600 }, removeOnFail: { age: 7 * 24 * 3600 } },
        });
    }
    const byId = new Map<string, Job<OutboxJob>>();
    for (const p of new Set(defs.map((d) => d.data.route.platform)))
      for (const job of await this.jobs(p).queue.addBulk(defs.filter((d) => d.data.route.platform === p))) byId.set(String(job.id), job);
    return defs.map((d) => byId.get(d.opts.jobId)!);
  }

  /**
   * Replies to a message, in order: each route is first stored as a job delayed by a safety-net
   * interval, then sent at once from here when this process has the channel; a sent job is removed,
   * a failed one is moved up for the worker to retry with backoff. If the process dies between the
   * send and the removal, the job sends again after the interval (Feishu drops the duplicate by its
   * uuid). A platform this process cannot send on is left to the worker at once.
   */
  async deliver(key: string, items: Outgoing[]): Promise<void> {
    const jobs = await this.enqueue(key, items, SAFETY_NET_MS);
    for (const job of jobs) {
      const { route, msg } = job.data;
      if (!this.outbox.canSendHere(route.platform)) {
        await job.promote().catch(() => {});
        continue;
      }
      try {
        await this.outbox.sendRoute(route, msg, String(job.id));
      } catch (err) {
        this.onResult?.(route.platform, 'retry');
        this.log.warn({ platform: route.platform, jobId: job.id, err: (err as Error).message }, 'reply not sent; the outbox retries it');
        await job.promote().catch(() => {});
        continue;
      }
      this.onResult?.(route.platform, 'sent');
      await job.remove().catch(() => {}); // already taken by a worker: at worst sent twice
    }
  }

  /** Messages waiting to be sent or being sent now, over every platform (what a drain waits for). */
  async queued(): Promise<number> {
    let n = 0;
    for (const q of this.queues.values()) {
      const c = await q.queue.getJobCounts('wait', 'active', 'prioritized');
      n += (c.wait ?? 0) + (c.active ?? 0) + (c.prioritized ?? 0);
    }
    return n;
  }

  /** Sends that failed for good (all retries used), newest first, for the admin endpoint and the digest. */
  async failed(limit = 100, platforms: readonly Platform[] = this.outbox.platforms): Promise<FailedSend[]> {
    const out: FailedSend[] = [];
    for (const p of platforms) {
      const jobs = await this.jobs(p).queue.getFailed(0, limit - 1);
      for (const j of jobs)
        if (j.attemptsMade >= (j.opts.attempts ?? 1))
          out.push({ id: String(j.id), platform: p, dest: j.data.dest, text: j.data.msg.text.slice(0, 80), error: j.failedReason ?? '', at: j.finishedOn ?? j.timestamp });
    }
    return out.sort((a, b) => b.at - a.at).slice(0, limit);
  }

  /** Sends every failed message again (after an outage the operator has fixed); returns how many. */
  async retryFailed(platforms: readonly Platform[] = this.outbox.platforms): Promise<number> {
    let n = 0;
    for (const p of platforms) {
      const jobs = await this.jobs(p).queue.getFailed(0, -1);
      for (const j of jobs) {
        await j.retry('failed', { resetAttemptsMade: true });
        n++;
      }
    }
    return n;
  }

  /** Stops the workers (running sends finish), then the queues. */
  async stop(): Promise<void> {
    for (const q of this.queues.values()) await q.stopWork();
    for (const q of this.queues.values()) await q.close();
  }
}
