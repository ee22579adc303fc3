import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Policy } from '../src/domain/contract/policy.ts';
import { digestPeriods } from '../src/domain/reports/digest.ts';
import type { Now } from '../src/domain/sla/deadline.ts';
import type { Ticket } from '../src/domain/ticket.ts';
import type { InspectionStore } from '../src/store/inspections.ts';
import type { TicketStore } from '../src/store/tickets.ts';
import { digestMessage } from '../src/views/digest.ts';
import type { OutboxQueue } from './outbox-queue.ts';
import { JobQueue } from './queue-kit.ts';

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

export interface DigestSchedulerOptions {
  redis: Redis;
  store: TicketStore;
  inspections: InspectionStore;
  outbox: OutboxQueue;
  policy: () => Policy;
  log: Logger;
  now: Now;
}

/**
 * Posts the daily digest at the policy's local time, by a BullMQ job scheduler (one per chat,
 * upserted at start: several instances do not post it twice). Messages go through the outbox under
 * a key per chat and day, so a retried job posts once.
 */
export class DigestScheduler {
  private readonly jobs: JobQueue<{ chat: string }>;

  constructor(private readonly o: DigestSchedulerOptions) {
    this.jobs = new JobQueue('digest', o.redis, o.log);
  }

  async start(): Promise<void> {
    const p = this.o.policy();
    const q = this.jobs.queue;
    for (const s of await q.getJobSchedulers()) if (s.key && !p.digest.chats.some((c) => `digest-${c}` === s.key)) await q.removeJobScheduler(s.key);
    for (const chat of p.digest.chats)
      await q.upsertJobScheduler(`digest-${chat}`, { pattern: digestPattern(p.digest.time), tz: p.timezone }, { name: 'digest', data: { chat }, opts: { removeOnComplete: true, removeOnFail: 100 } });
    this.jobs.work(async (job) => {
      const chat = String(job.data.chat);
      const policy = this.o.policy();
      const now = this.o.now();
      const msg = digestMessage({ now, tickets: await digestTickets(this.o.store, now, policy), inspections: await this.o.inspections.all(), failedSends: (await this.o.outbox.failed()).length }, policy);
      const day = digestPeriods(now, policy.timezone).yesterday;
      await this.o.outbox.enqueue(`digest-${chat}-${day}`, [{ dest: { to: 'chat', chatId: chat }, msg }]);
      this.o.log.info({ chat }, 'daily digest posted');
    });
  }

  async stop(): Promise<void> {
    await this.jobs.close();
  }
}
