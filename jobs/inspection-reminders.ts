import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { DateTime } from 'luxon';
import type { Services } from '../handlers/services.ts';
import { plannedInspections, semesters } from '../src/domain/inspections.ts';
import { chatsWithRole, membersWithRole } from '../src/domain/roster.ts';
import type { OutboxQueue } from './outbox-queue.ts';

const QUEUE = 'inspections';
const PREFIX = 'as:bull';

interface ReminderJob {
  kind: 'deputy' | 'school';
  at: number;
  semester: string;
  k: number;
}

/**
 * Reminders for planned semester inspections: the deputy privately N days before, the teachers'
 * group the day before. One delayed job per (visit, audience) with a deterministic id, planned at
 * start-up for the upcoming semesters (re-planning is idempotent).
 */
export class InspectionReminders {
  readonly queue: Queue<ReminderJob>;
  private worker: Worker<ReminderJob> | undefined;
  private conn: Redis | undefined;

  constructor(private readonly redis: Redis, private readonly s: Services, private readonly outbox: OutboxQueue) {
    this.queue = new Queue<ReminderJob>(QUEUE, { connection: redis as unknown as ConnectionOptions, prefix: PREFIX });
    this.queue.on('error', () => {}); // the shared connection's errors are logged once, by the app
  }

  async start(): Promise<void> {
    const p = this.s.policy;
    const now = Date.now();
    const jobs: { name: string; data: ReminderJob; opts: { jobId: string; delay: number; removeOnComplete: boolean } }[] = [];
    for (const sem of semesters(p, now)) {
      plannedInspections(sem, p).forEach((at, i) => {
        for (const [kind, days] of [['deputy', p.inspections.remindDeputyDaysBefore], ['school', p.inspections.remindSchoolDaysBefore]] as const) {
          const when = DateTime.fromMillis(at).minus({ days }).toMillis();
          if (when > now) jobs.push({ name: kind, data: { kind, at, semester: sem.name, k: i + 1 }, opts: { jobId: `inspect-${at}-${kind}`, delay: when - now, removeOnComplete: true } });
        }
      });
    }
    if (jobs.length) await this.queue.addBulk(jobs);
    this.conn = this.redis.duplicate();
    this.conn.on('error', () => {});
    this.worker = new Worker<ReminderJob>(QUEUE, (job) => this.remind(job.data, String(job.id)), { connection: this.conn as unknown as ConnectionOptions, prefix: PREFIX });
    this.worker.on('error', (err) => this.s.log.warn({ err: err.message }, 'inspection worker error'));
  }

  private async remind(d: ReminderJob, key: string): Promise<void> {
    const p = this.s.policy;
    const when = DateTime.fromMillis(d.at, { zone: p.timezone }).toFormat('M月d日 HH:mm');
    if (d.kind === 'deputy') {
      const text = `📅 巡检提醒：${d.semester}第 ${d.k} 次主动上门巡检计划于 ${when}（合同要求每学期不少于 ${p.inspections.perSemester} 次）。请安排人员，完成后发送「巡检完成 情况说明」记录。`;
      await this.outbox.enqueue(key, membersWithRole(p, 'deputy').map((m) => ({ dest: { to: 'staff' as const, staffId: m.id }, msg: { text } })));
    } else {
      const text = `📅 通知：售后工程师计划于 ${when} 到实训中心进行本学期第 ${d.k} 次巡检保养，届时可能短暂检查服务器和机房设备。如有需要一并处理的问题，请提前告诉我。`;
      await this.outbox.enqueue(key, chatsWithRole(p, 'school').map((c) => ({ dest: { to: 'chat' as const, chatId: c.id }, msg: { text } })));
    }
  }

  async stop(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
    this.conn?.disconnect();
  }
}
