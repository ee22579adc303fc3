import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { contractFor } from '../src/domain/contract/contract.ts';
import type { Policy } from '../src/domain/contract/policy.ts';
import { apply } from '../src/domain/lifecycle.ts';
import { decideTimer, markFired } from '../src/domain/sla/decide.ts';
import { later, type Now } from '../src/domain/sla/deadline.ts';
import { pauseEndsAt } from '../src/domain/sla/pause.ts';
import { obsoleteJobIds, pendingSteps, timerJobId, type StepName, type TimerStep } from '../src/domain/sla/schedule.ts';
import type { ClockName, Ticket } from '../src/domain/ticket.ts';
import { PENDING_OUTBOX } from '../src/store/commit.ts';
import type { TicketStore } from '../src/store/tickets.ts';
import { resumeNotices, signoffReminder, timerMessages } from '../src/views/timer-messages.ts';
import type { OutboxQueue } from './outbox-queue.ts';
import { JobQueue, PREFIX } from './queue-kit.ts';

export const SLA_QUEUE = 'sla';
/** Open tickets the sweeper reads and checks at a time. */
const SWEEP_PAGE = 250;

/** The job that ends the pause begun at `since` by itself (one per pause: the time given or the cap). */
export const resumeJobId = (n: number, since: number): string => `resume-${n}-${since}`;

export type TimerJob =
  | { kind: 'step'; n: number; clock: ClockName; step: StepName; version: number; at: number }
  | { kind: 'signoff'; n: number; at: number }
  /** A pause's end at the time the engineer gave (挂起 … 明天8:00) or when the cap runs out. */
  | { kind: 'resume'; n: number; since: number; at: number }
  | { kind: 'sweep' };

export interface SlaTimersOptions {
  redis: Redis;
  store: TicketStore;
  outbox: OutboxQueue;
  policy: () => Policy;
  log: Logger;
  /** The clock deadlines are judged by (tests move it; delays are computed from it). */
  now: Now;
  /** How often the sweeper re-creates timers lost to a crash (ms). */
  sweepEvery?: number;
  /** Called for every step acted on (benchmarks measure lateness with it). */
  observe?: (fired: { jobId: string; at: number; firedAt: number }) => void;
}

/**
 * The SLA engine's timers: every step of every running clock is a BullMQ delayed job with a
 * deterministic id (sla-<n>-<clock>-<step>-v<version>). The processor re-reads the ticket and acts
 * only when the clock is still open and the version matches; messages go out through the outbox
 * under the job's id, so a job run twice (crash, stall) still reaches people once.
 */
export class SlaTimers {
  private readonly jobs: JobQueue<TimerJob>;

  constructor(private readonly o: SlaTimersOptions) {
    this.jobs = new JobQueue<TimerJob>(SLA_QUEUE, o.redis, o.log);
  }

  get queue(): JobQueue<TimerJob>['queue'] {
    return this.jobs.queue;
  }

  async start(): Promise<void> {
    const worker = this.jobs.work((job) => this.process(job), { concurrency: 20, lockDuration: 10_000, stalledInterval: 5_000 });
    worker.on('failed', (job, err) => this.o.log.error({ jobId: job?.id, err: err.message }, 'sla job failed'));
    await this.queue.upsertJobScheduler('sla-sweep', { every: this.o.sweepEvery ?? 60_000 }, { name: 'sweep', data: { kind: 'sweep' }, opts: { removeOnComplete: true, removeOnFail: true } });
    await this.sweep(); // timers lost while we were down come back now
  }

  /** For /readyz: the worker is started and not closed. */
  get running(): boolean {
    return this.jobs.working;
  }

  async stop(): Promise<void> {
    await this.jobs.close();
  }

  /** Brings the jobs in line with a ticket after a change: drops stale ones, adds the current ones. */
  async sync(before: Ticket | undefined, after: Ticket): Promise<void> {
    const p = this.o.policy();
    for (const id of obsoleteJobIds(before, after, p)) await this.queue.remove(id);
    await this.add(pendingSteps(after, p));
    if (after.status === 'resolved' && after.resolution && !after.signoff && after.signoffRemindedAt === undefined) await this.addSignoff(after);
    await this.addResume(after);
  }

  /** A running pause ends by itself at the time the engineer gave or when the cap runs out. */
  private async addResume(t: Ticket): Promise<boolean> {
    const end = pauseEndsAt(t, this.o.policy());
    if (!end) return false;
    const since = t.pause!.since!;
    await this.queue.add('resume', { kind: 'resume', n: t.n, since, at: end.at }, { jobId: resumeJobId(t.n, since), delay: Math.max(0, end.at - this.o.now()), removeOnComplete: true, removeOnFail: true, attempts: 5, backoff: { type: 'exponential', delay: 500 } });
    return true;
  }

  /** Re-creates every timer that should exist and doesn't (after a crash or a lost write). */
  async sweep(): Promise<number> {
    const p = this.o.policy();
    const open = await this.o.store.openNumbers();
    let missing = 0;
    // Page by page: reading and checking every open ticket at once blocks the event loop long
    // enough to delay the timers firing meanwhile (hundreds of ms at 25,000 open tickets).
    for (let i = 0; i < open.length; i += SWEEP_PAGE) {
      const page = await this.o.store.many(open.slice(i, i + SWEEP_PAGE));
      const expected = page.flatMap((t) => pendingSteps(t, p));
      const paused = page.filter((t) => pauseEndsAt(t, p));
      // One pipelined EXISTS per expected job (BullMQ keeps a job's hash at <prefix>:<queue>:<id>).
      const pipe = this.o.redis.pipeline();
      for (const s of expected) pipe.exists(`${PREFIX}:${SLA_QUEUE}:${timerJobId(s)}`);
      for (const t of paused) pipe.exists(`${PREFIX}:${SLA_QUEUE}:${resumeJobId(t.n, t.pause!.since!)}`);
      const res = (await pipe.exec()) ?? [];
      const lost = expected.filter((_, j) => res[j]?.[1] === 0);
      if (lost.length) await this.add(lost);
      const lostResumes = paused.filter((_, j) => res[expected.length + j]?.[1] === 0);
      for (const t of lostResumes) await this.addResume(t);
      missing += lost.length + lostResumes.length;
    }
    if (missing) this.o.log.warn({ count: missing }, 'sweeper re-created missing timers');
    return missing;
  }

  /** Schedules the timers of many tickets at once (bulk start-up, benchmarks). */
  async schedule(tickets: Ticket[]): Promise<void> {
    const p = this.o.policy();
    const steps = tickets.flatMap((t) => pendingSteps(t, p));
    for (let i = 0; i < steps.length; i += 5000) await this.add(steps.slice(i, i + 5000));
  }

  private async add(steps: TimerStep[]): Promise<void> {
    if (!steps.length) return;
    const now = this.o.now();
    await this.queue.addBulk(
      steps.map((s) => ({
        name: 'step',
        data: { kind: 'step' as const, n: s.n, clock: s.clock, step: s.step, version: s.version, at: s.at },
        opts: { jobId: timerJobId(s), delay: Math.max(0, s.at - now), removeOnComplete: true, removeOnFail: { age: 7 * 24 * 3600 }, attempts: 5, backoff: { type: 'exponential', delay: 500 } },
      })),
    );
  }

  private async addSignoff(t: Ticket): Promise<void> {
    const at = later(t.resolution!.at, contractFor(this.o.policy(), t).reminders.signoff);
    await this.queue.add('signoff', { kind: 'signoff', n: t.n, at }, { jobId: `signoff-${t.n}-${t.resolution!.at}`, delay: Math.max(0, at - this.o.now()), removeOnComplete: true, attempts: 5, backoff: { type: 'exponential', delay: 500 } });
  }

  private async process(job: Job<TimerJob>): Promise<void> {
    const d = job.data;
    if (d.kind === 'sweep') {
      await this.sweep();
      return;
    }
    if (d.kind === 'signoff') return this.signoff(d.n, String(job.id));
    if (d.kind === 'resume') return this.resume(d.n, d.since, String(job.id));
    const p = this.o.policy();
    const now = this.o.now();
    const key = String(job.id);
    // Deciding, marking the steps fired and keeping the messages happen in one compare-and-set
    // write: of two jobs of one clock running at once (catch-up), one wins and the other finds its
    // step fired; a crash after the write leaves the messages for the outbox relay.
    let reason = 'ticket gone';
    const r = await this.o.store.change(d.n, (t) => {
      const decision = decideTimer(t, d, now, p);
      if (!decision.act) {
        reason = decision.reason;
        return undefined;
      }
      const next = markFired(t, d, decision.steps, now, p);
      if (!next) return undefined;
      const items = timerMessages(p, t, decision, now);
      return { next, decision, items, ...(items.length ? { commit: { outbox: { key, items } } } : {}) };
    });
    const done = r?.result;
    if (!done) {
      this.o.log.debug({ jobId: job.id, reason }, 'timer skipped');
      return;
    }
    if (done.items.length) {
      await this.o.outbox.enqueue(key, done.items);
      await this.o.redis.hdel(PENDING_OUTBOX, key);
    }
    this.o.observe?.({ jobId: key, at: d.at, firedAt: this.o.now() }); // after the message is queued
    this.o.log.info({ ticket: d.n, clock: d.clock, step: d.step, steps: done.decision.steps, lateMs: now - d.at }, done.decision.catchUp ? 'timer caught up' : 'timer fired');
  }

  /** The pause started at `since` ends now, at the time given or the cap (a pause ended otherwise does nothing here). */
  private async resume(n: number, since: number, jobId: string): Promise<void> {
    const p = this.o.policy();
    const now = this.o.now();
    const r = await this.o.store.change(n, (t) => {
      if (t.pause?.state !== 'active' || t.pause.since !== since) return undefined;
      const end = pauseEndsAt(t, p);
      const a = apply(t, { kind: 'resume', why: end?.why ?? 'time', ...(end ? { at: end.at } : {}) }, { kind: 'bot', id: 'bot', name: p.bot.name }, now, p);
      if (!a.ok) return undefined;
      const items = resumeNotices(p, t, a.ticket, now);
      return { next: a.ticket, items, commit: { outbox: { key: jobId, items } } };
    });
    if (!r?.result) return;
    await this.o.outbox.enqueue(jobId, r.result.items);
    await this.o.redis.hdel(PENDING_OUTBOX, jobId);
    await this.sync(r.before, r.after);
    this.o.log.info({ ticket: n }, 'pause ended at its time');
  }

  private async signoff(n: number, jobId: string): Promise<void> {
    const t = await this.o.store.get(n);
    if (!t || t.status !== 'resolved' || t.signoff || t.signoffRemindedAt !== undefined) return;
    const now = this.o.now();
    await this.o.outbox.enqueue(jobId, [signoffReminder(t)]);
    await this.o.store.update(n, (cur) => (cur.signoffRemindedAt === undefined ? { ...cur, signoffRemindedAt: now } : undefined));
  }
}
