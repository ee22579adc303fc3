import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { digestMessage, digestPeriods } from '../src/domain/digest.ts';
import type { Policy } from '../src/domain/policy.ts';
import type { Ticket } from '../src/domain/ticket.ts';
import type { InspectionStore } from '../src/store/inspections.ts';
import type { TicketStore } from '../src/store/tickets.ts';
import type { OutboxQueue } from './outbox-queue.ts';

const QUEUE = 'digest';
const PREFIX = 'as:bull';

/** The tickets a digest for `now` needs: this and last week's, this month's, and every open one. */
export async function digestTickets(store: TicketStore, now: number, p: Policy): Promise<Ticket[]> {
  const d = digestPeriods(now, p.timezone);
  const recent = await store.createdBetween(Math.min(d.monthStart, d.weekStart), d.today + 1);
  const open = await store.openTickets();
  const byN = new Map([...recent, ...open].map((t) => [t.n, t]));
  return [...byN.values()];
}

/** BullMQ cron pattern for a local HH:mm[:ss] (BullMQ applies the time zone). */
export function digestPattern(time: string): string {
  const [h, m, s] = time.split(':');
  return s !== undefined ? `${Number(s)} ${Number(m)} ${Number(h)} * * *` : `${Number(m)} ${Number(h)} * * *`;
}

/**
 * Posts the daily digest at the policy's local time, by a BullMQ job scheduler (one per chat,
 * upserted at start: several instances do not post it twice). Messages go through the outbox under
 * a key per chat and day, so a retried job posts once.
 */
export class DigestScheduler {
  readonly queue: Queue;
  private worker: Worker | undefined;
  private conn: Redis | undefined;

  constructor(private readonly redis: Redis, private readonly store: TicketStore, private readonly inspections: InspectionStore, private readonly outbox: OutboxQueue, private readonly policy: () => Policy, private readonly log: Logger) {
    this.queue = new Queue(QUEUE, { connection: redis as unknown as ConnectionOptions, prefix: PREFIX });
    this.queue.on('error', () => {}); // the shared connection's errors are logged once, by the app
  }

  async start(): Promise<void> {
    const p = this.policy();
    for (const s of await this.queue.getJobSchedulers()) if (s.key && !p.digest.chats.some((c) => `digest-${c}` === s.key)) await this.queue.removeJobScheduler(s.key);
    for (const chat of p.digest.chats)
      await this.queue.upsertJobScheduler(`digest-${chat}`, { pattern: digestPattern(p.digest.time), tz: p.timezone }, { name: 'digest', data: { chat }, opts: { removeOnComplete: true, removeOnFail: 100 } });
    this.conn = this.redis.duplicate();
    this.conn.on('error', (err) => this.log.debug({ err: err.message }, 'digest worker connection error'));
    this.worker = new Worker(
      QUEUE,
      async (job) => {
        const chat = String((job.data as { chat: string }).chat);
        const now = Date.now();
        const msg = digestMessage({ now, tickets: await digestTickets(this.store, now, this.policy()), inspections: await this.inspections.all(), failedSends: (await this.outbox.failed()).length }, this.policy());
        const day = digestPeriods(now, this.policy().timezone).yesterday;
        await this.outbox.enqueue(`digest-${chat}-${day}`, [{ dest: { to: 'chat', chatId: chat }, msg }]);
        this.log.info({ chat }, 'daily digest posted');
      },
      { connection: this.conn as unknown as ConnectionOptions, prefix: PREFIX },
    );
    this.worker.on('error', (err) => this.log.warn({ err: err.message }, 'digest worker error'));
  }

  async stop(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
    this.conn?.disconnect();
  }
}
