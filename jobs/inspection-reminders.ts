import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { DateTime } from 'luxon';
import { contractFor, contractsOf, MAIN_CONTRACT } from '../src/domain/contract/contract.ts';
import type { Policy } from '../src/domain/contract/policy.ts';
import { chatsWithRole, membersWithRole } from '../src/domain/contract/roster.ts';
import { plannedInspections, semesters } from '../src/domain/inspections.ts';
import type { Now } from '../src/domain/sla/deadline.ts';
import { zh } from '../src/views/zh.ts';
import type { OutboxQueue } from './outbox-queue.ts';
import { JobQueue } from './queue-kit.ts';
import { zone } from '../src/domain/zone.ts';

interface ReminderJob {
  kind: 'deputy' | 'school';
  /** The contract whose inspection it is (absent in jobs planned before contracts existed). */
  contract?: string;
  at: number;
  semester: string;
  k: number;
}

export interface InspectionRemindersOptions {
  redis: Redis;
  outbox: OutboxQueue;
  policy: () => Policy;
  log: Logger;
  now: Now;
}

/**
 * Reminders for planned semester inspections: the deputy privately N days before, the teachers'
 * group the day before. One delayed job per (visit, audience) with a deterministic id, planned at
 * start-up for the upcoming semesters (re-planning is idempotent).
 */
export class InspectionReminders {
  private readonly jobs: JobQueue<ReminderJob>;

  constructor(private readonly o: InspectionRemindersOptions) {
    this.jobs = new JobQueue<ReminderJob>('inspections', o.redis, o.log);
  }

  async start(): Promise<void> {
    const now = this.o.now();
    const jobs: { name: string; data: ReminderJob; opts: { jobId: string; delay: number; removeOnComplete: boolean } }[] = [];
    for (const c of contractsOf(this.o.policy())) {
      for (const sem of semesters(c, now)) {
        plannedInspections(sem, c).forEach((at, i) => {
          for (const [kind, days] of [['deputy', c.inspections.remindDeputyDaysBefore], ['school', c.inspections.remindSchoolDaysBefore]] as const) {
            const when = DateTime.fromMillis(at).minus({ days }).toMillis();
            if (when > now) jobs.push({ name: kind, data: { kind, contract: c.id, at, semester: sem.name, k: i + 1 }, opts: { jobId: `inspect-${at}-${kind}`, delay: when - now, removeOnComplete: true } });
          }
        });
      }
    }
    if (jobs.length) await this.jobs.queue.addBulk(jobs);
    this.jobs.work((job) => this.remind(job.data, String(job.id)));
  }

  private async remind(d: ReminderJob, key: string): Promise<void> {
    const p = this.o.policy();
    const c = contractFor(p, d.contract ?? MAIN_CONTRACT);
    const when = DateTime.fromMillis(d.at, { zone: zone(c.timezone) }).toFormat(zh.inspection.when);
    if (d.kind === 'deputy') {
      const text = zh.inspection.remindDeputy({ semester: d.semester, k: d.k, when, perSemester: c.inspections.perSemester });
      await this.o.outbox.enqueue(key, membersWithRole(p, 'deputy').map((m) => ({ dest: { to: 'staff' as const, staffId: m.id }, msg: { text } })));
    } else {
      const text = zh.inspection.remindSchool({ k: d.k, when });
      await this.o.outbox.enqueue(key, chatsWithRole(p, 'school').map((ch) => ({ dest: { to: 'chat' as const, chatId: ch.id }, msg: { text } })));
    }
  }

  async stop(): Promise<void> {
    await this.jobs.close();
  }
}
