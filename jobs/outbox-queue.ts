import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Outgoing } from '../src/channels/types.ts';
import type { Outbox } from '../src/outbox.ts';

export const OUTBOX_QUEUE = 'outbox';
const PREFIX = 'as:bull';

interface OutboxJob {
  item: Outgoing;
}

/**
 * Messages sent by background work (reminders, escalations) go through a queue: retried with
 * exponential backoff when a platform fails, and deduplicated by an idempotency key (the job id),
 * so a timer that runs twice after a crash still reaches people once. Completed keys are kept for
 * a day for that reason.
 */
export class OutboxQueue {
  readonly queue: Queue<OutboxJob>;
  private conn: Redis | undefined;
  private worker: Worker<OutboxJob> | undefined;

  /** Told of every send attempt's result (metrics). */
  onResult?: (result: 'sent' | 'retry' | 'failed') => void;

  constructor(
    private readonly redis: Redis,
    private readonly outbox: Outbox,
    private readonly log: Logger,
    /** Attempts and first backoff (ms): 8 tries over about 4 minutes by default. */
    private readonly retry: { attempts: number; delayMs: number } = { attempts: 8, delayMs: 1000 },
  ) {
    this.queue = new Queue<OutboxJob>(OUTBOX_QUEUE, { connection: redis as unknown as ConnectionOptions, prefix: PREFIX });
  }

  start(): void {
    this.worker = new Worker<OutboxJob>(
      OUTBOX_QUEUE,
      async (job) => {
        await this.outbox.sendOrThrow(job.data.item);
      },
      { connection: this.workerConnection() as unknown as ConnectionOptions, prefix: PREFIX, concurrency: 8, lockDuration: 10_000, stalledInterval: 5_000 },
    );
    this.worker.on('completed', () => this.onResult?.('sent'));
    this.worker.on('failed', (job) => this.onResult?.(job && job.attemptsMade < (job.opts.attempts ?? 1) ? 'retry' : 'failed'));
    this.worker.on('failed', (job, err) => this.log.warn({ jobId: job?.id, attempts: job?.attemptsMade, err: err.message }, 'outbox send failed'));
    this.worker.on('error', (err) => this.log.warn({ err: err.message }, 'outbox worker error'));
  }

  /** Enqueues each item under `key-i`; enqueuing the same key again does nothing. */
  async enqueue(key: string, items: Outgoing[]): Promise<void> {
    if (!items.length) return;
    await this.queue.addBulk(
      items.map((item, i) => ({
        name: 'send',
        data: { item },
        opts: { jobId: `${key}-${i}`, attempts: this.retry.attempts, backoff: { type: 'exponential', delay: this.retry.delayMs }, removeOnComplete: { age: 24 * 3600 }, removeOnFail: { age: 7 * 24 * 3600 } },
      })),
    );
  }

  /** Sends that failed for good (all retries used), newest first, for the admin endpoint and the digest. */
  async failed(limit = 100): Promise<{ id: string; dest: string; text: string; error: string; at: number }[]> {
    const jobs = await this.queue.getFailed(0, limit - 1);
    return jobs
      .filter((j) => j.attemptsMade >= (j.opts.attempts ?? 1))
      .map((j) => ({ id: String(j.id), dest: j.data.item.dest.to, text: j.data.item.msg.text.slice(0, 80), error: j.failedReason ?? '', at: j.finishedOn ?? j.timestamp }));
  }

  async stop(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
    this.conn?.disconnect(); // BullMQ leaves connections it was given open
  }

  /** A worker needs its own connection (it blocks on it); ours to close. */
  private workerConnection(): Redis {
    this.conn = this.redis.duplicate();
    this.conn.on('error', (err) => this.log.debug({ err: err.message }, 'outbox worker connection error'));
    return this.conn;
  }
}
