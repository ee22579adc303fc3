import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Policy } from '../src/domain/contract/policy.ts';
import { digestData, digestDue, digestPeriods, latestDigestMoment } from '../src/domain/reports/digest.ts';
import type { Now } from '../src/domain/sla/deadline.ts';
import type { Card } from '../src/domain/messages.ts';
import type { Ticket } from '../src/domain/ticket.ts';
import type { InspectionStore } from '../src/store/inspections.ts';
import type { TicketStore } from '../src/store/tickets.ts';
import { digestMessage } from '../src/views/digest.ts';
import type { OutboxQueue } from './outbox-queue.ts';
import { JobQueue } from './queue-kit.ts';
import { DateTime } from 'luxon';
import { hasHolidayData } from '../src/domain/sla/calendar.ts';
import { zone } from '../src/domain/zone.ts';

/** Within this of the present, a digest moment counts as now (see digestTickets). */
const PRESENT_MS = 5 * 60_000;

/**
 * The tickets a digest as of `at` needs: those created since the earlier of last week's and this
 * month's start up to `at`, and every ticket open at `at`. Open-at-`at` tickets created earlier are
 * found among today's open ones; for a past `at` (more than PRESENT_MS before `now`) every older
 * ticket is read too, since one may have been closed since.
 */
export async function digestTickets(store: TicketStore, at: number, p: Policy, now = Date.now()): Promise<Ticket[]> {
  const d = digestPeriods(at, p.timezone);
  const from = Math.min(d.monthStart, d.weekStart);
  const recent = await store.createdBetween(from, at + 1);
  const open = await store.openTickets();
  const older = now - at > PRESENT_MS ? await store.createdBetween(0, from) : [];
  const byN = new Map([...older, ...recent, ...open].filter((t) => t.createdAt <= at).map((t) => [t.n, t]));
  return [...byN.values()];
}

/**
 * The digest as of `at`, from the stores: what the scheduled job posts and `npx aftersales digest`
 * prints (the job adds the count of failed sends, live state with no history).
 */
export async function digestAt(stores: { tickets: TicketStore; inspections: InspectionStore }, at: number, p: Policy, o: { failedSends?: number; now?: number } = {}): Promise<{ text: string; card: Card }> {
  const tickets = await digestTickets(stores.tickets, at, p, o.now);
  return digestMessage({ now: at, tickets, inspections: await stores.inspections.all(), ...(o.failedSends ? { failedSends: o.failedSends } : {}) }, p);
}

/** A scheduled run may start a little before its moment (clock skew between hosts): up to this. */
const EARLY_MS = 60_000;

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
      // The digest is as of its scheduled moment, however late the job runs: the same text as
      // `npx aftersales digest --date <that day>`.
      const at = latestDigestMoment(now, policy.digest.time, policy.timezone, EARLY_MS);
      if (policy.digest.skipHolidays) {
        const data = digestData({ now: at, tickets: await digestTickets(this.o.store, at, policy, now) }, policy);
        if (!digestDue(data, policy)) {
          this.o.log.info({ chat }, 'daily digest not posted: a day off, nothing urgent');
          return;
        }
      }
      const msg = await digestAt({ tickets: this.o.store, inspections: this.o.inspections }, at, policy, { failedSends: (await this.o.outbox.failed()).length, now });
      const day = digestPeriods(at, policy.timezone).yesterday;
      await this.o.outbox.enqueue(`digest-${chat}-${day}`, [{ dest: { to: 'chat', chatId: chat }, msg }]);
      this.o.log.info({ chat }, 'daily digest posted');
      const local = DateTime.fromMillis(now, { zone: zone(policy.timezone) });
      const next = local.month === 12 ? local.year + 1 : local.year;
      const cal = policy.calendars[policy.calendar];
      if (cal?.holidays === 'cn' && !hasHolidayData(next)) this.o.log.warn({ year: next, calendar: policy.calendar }, 'business calendar: no official holidays for this year yet (counting Monday–Friday); upgrade chinese-days');
    });
  }

  async stop(): Promise<void> {
    await this.jobs.close();
  }
}
