import { Queue, Worker, type ConnectionOptions, type Job, type WorkerOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

/** Every BullMQ key of the bot lives under this prefix. */
export const PREFIX = 'as:bull';

/** BullMQ job ids may not contain ':'. */
export function jobKey(key: string): string {
  return key.replace(/:/g, '_');
}

/**
 * BullMQ defines its Lua scripts (about fifty) as commands on the connection a Queue is given, and
 * ioredis copies every defined command onto each pipeline made from that connection: on the app's
 * own connection that made every store pipeline (several per message) dearer than the work it
 * carried. The queues share one connection of their own instead; the app's stays script-free.
 */
const queueConnections = new WeakMap<Redis, Redis>();

function queueConnection(redis: Redis): Redis {
  let c = queueConnections.get(redis);
  if (!c) {
    c = redis.duplicate({ enableAutoPipelining: false }); // BullMQ's commands go as BullMQ sends them
    c.on('error', () => {}); // the same outage is logged once, by the app's connection
    queueConnections.set(redis, c);
  }
  return c;
}

/** Closes the queues' shared connection (after every queue of `redis` is closed). */
export function closeQueueConnection(redis: Redis): void {
  queueConnections.get(redis)?.disconnect();
  queueConnections.delete(redis);
}

/**
 * One BullMQ queue on the queues' shared connection, and — where this process works it — its worker
 * on a connection of its own (a worker blocks on it). Every job file is built on this, so the
 * prefix, the connection handling and the order of closing are the same everywhere.
 */
export class JobQueue<T = unknown> {
  readonly queue: Queue<T>;
  private worker: Worker<T> | undefined;
  private conn: Redis | undefined;

  constructor(
    readonly name: string,
    private readonly redis: Redis,
    private readonly log: Logger,
  ) {
    this.queue = new Queue<T>(name, { connection: queueConnection(redis) as unknown as ConnectionOptions, prefix: PREFIX });
    this.queue.on('error', () => {}); // the shared connection's errors are logged once, by the app
  }

  /** Starts working the queue in this process (once). */
  work(processor: (job: Job<T>, token?: string) => Promise<unknown>, opts: Omit<WorkerOptions, 'connection' | 'prefix'> = {}): Worker<T> {
    if (this.worker) return this.worker;
    const conn = this.redis.duplicate({ enableAutoPipelining: false }); // a worker blocks on its connection
    conn.on('error', (err) => this.log.debug({ queue: this.name, err: err.message }, 'worker connection error'));
    this.conn = conn;
    this.worker = new Worker<T>(this.name, processor, { ...opts, connection: conn as unknown as ConnectionOptions, prefix: PREFIX });
    this.worker.on('error', (err) => this.log.warn({ queue: this.name, err: err.message }, 'worker error'));
    return this.worker;
  }

  /** Worked here, started and not closed (for /readyz). */
  get working(): boolean {
    return !!this.worker?.isRunning();
  }

  /** Whether a worker was started here (running or not). */
  get hasWorker(): boolean {
    return !!this.worker;
  }

  /** Stops working here: running jobs finish, the rest stay queued. */
  async stopWork(): Promise<void> {
    const [w, conn] = [this.worker, this.conn];
    this.worker = undefined;
    this.conn = undefined;
    await w?.close();
    conn?.disconnect(); // BullMQ leaves connections it was given open
  }

  async close(): Promise<void> {
    await this.stopWork();
    await this.queue.close();
  }
}
