import { setTimeout as wait } from 'node:timers/promises';
import { DelayedError, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { contractFor } from '../src/domain/contract/contract.ts';
import type { Policy } from '../src/domain/contract/policy.ts';
import { apply } from '../src/domain/lifecycle.ts';
import { decideTimer, markFired } from '../src/domain/sla/decide.ts';
import { later, type Now } from '../src/domain/sla/deadline.ts';
import { pauseEndsAt } from '../src/domain/sla/pause.ts';
import { clockJobId, nextStepOf, nextSteps, obsoleteJobIds, stepsOf, timerJobId, type StepName, type TimerStep } from '../src/domain/sla/schedule.ts';
import type { ClockName, Ticket } from '../src/domain/ticket.ts';
import { PENDING_OUTBOX } from '../src/store/commit.ts';
import type { TicketStore } from '../src/store/tickets.ts';
import { resumeNotices, signoffReminder, timerMessages } from '../src/views/timer-messages.ts';
import type { OutboxQueue } from './outbox-queue.ts';
import { JobQueue, PREFIX } from './queue-kit.ts';

export const SLA_QUEUE = 'sla';

/** Waits `ms`, or less when `signal` aborts (never rejects). */
const sleepFor = (ms: number, signal: AbortSignal): Promise<void> => wait(ms, undefined, { signal }).catch(() => undefined);

/** Open tickets the sweeper reads and checks at a time. */
const SWEEP_PAGE = 250;

/** The job that ends the pause begun at `since` by itself (one per pause: the time given or the cap). */
export const resumeJobId = (n: number, since: number): string => `resume-${n}-${since}`;

type StepRef = { n: number; clock: ClockName; step: StepName; version: number; at: number };

export type TimerJob =
  /** A running clock's schedule version; `step`/`at`: the step it waits for now (moved on as each fires). */
  | ({ kind: 'clock' } & StepRef)
  /** One step (the layout of earlier versions: such a job left in Redis by an upgrade fires if its step is still due). */
  | ({ kind: 'step' } & StepRef)
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
 * The SLA engine's timers: every running clock's schedule version is one BullMQ delayed job with a
 * deterministic id (sla-<n>-<clock>-v<version>) that waits for the clock's next unfired step, fires
 * it and moves itself on to the step after (DelayedError: the same job, delayed again). The
 * processor re-reads the ticket and acts only when the clock is still open and the version matches;
 * a step's messages go out through the outbox under the step's id (sla-<n>-<clock>-<step>-v<version>),
 * so a job run twice (crash, stall) still reaches people once.
 */
export class SlaTimers {
  private readonly jobs: JobQueue<TimerJob>;
  /** Ends a spread-out sweep early when the process stops. */
  private readonly stopping = new AbortController();
  private sweeping = false;

  constructor(private readonly o: SlaTimersOptions) {
    this.jobs = new JobQueue<TimerJob>(SLA_QUEUE, o.redis, o.log);
  }

  get queue(): JobQueue<TimerJob>['queue'] {
    return this.jobs.queue;
  }

  async start(): Promise<void> {
    const worker = this.jobs.work((job, token) => this.process(job, token), { concurrency: 20, lockDuration: 10_000, stalledInterval: 5_000 });
    worker.on('failed', (job, err) => {
      this.o.log.error({ jobId: job?.id, err: err.message }, 'sla job failed');
      // A clock job carries every later step of its clock: put it back at once (the failed one was
      // removed), not at the sweeper's next pass. Its stall and error counts grow over the clock's
      // whole life, so two crashes in a week can fail a job that has nothing wrong with it.
      const d = job?.data;
      if (d?.kind === 'clock') void this.readd(d.n, d.clock, d.version);
    });
    await this.queue.upsertJobScheduler('sla-sweep', { every: this.o.sweepEvery ?? 60_000 }, { name: 'sweep', data: { kind: 'sweep' }, opts: { removeOnComplete: true, removeOnFail: true } });
    await this.sweep(); // timers lost while we were down come back now
  }

  /** For /readyz: the worker is started and not closed. */
  get running(): boolean {
    return this.jobs.working;
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.jobs.close();
  }

  /** Brings the jobs in line with a ticket after a change: drops stale ones, adds the current ones. */
  async sync(before: Ticket | undefined, after: Ticket): Promise<void> {
    const p = this.o.policy();
    // Together, not one round trip after another (a reply stops a clock: its job goes). A job
    // running just now is not removed (locked); it finds its clock stopped and ends.
    await Promise.all(obsoleteJobIds(before, after, p).map((id) => this.queue.remove(id)));
    await this.add(nextSteps(after, p));
    if (after.status === 'resolved' && after.resolution && !after.signoff && after.signoffRemindedAt === undefined) await this.addSignoff(after);
    await this.addResume(after);
  }

  private async readd(n: number, clock: ClockName, version: number): Promise<void> {
    try {
      const next = nextStepOf(await this.o.store.get(n), clock, version, this.o.policy());
      if (next) await this.add([next]);
    } catch (err) {
      this.o.log.warn({ ticket: n, clock, err: (err as Error).message }, 'failed clock job not put back now; the sweeper will');
    }
  }

  /** A running pause ends by itself at the time the engineer gave or when the cap runs out. */
  private async addResume(t: Ticket): Promise<boolean> {
    const end = pauseEndsAt(t, this.o.policy());
    if (!end) return false;
    const since = t.pause!.since!;
    await this.queue.add('resume', { kind: 'resume', n: t.n, since, at: end.at }, { jobId: resumeJobId(t.n, since), delay: Math.max(0, end.at - this.o.now()), removeOnComplete: true, removeOnFail: true, attempts: 5, backoff: { type: 'exponential', delay: 500 } });
    return true;
  }

  /**
   * Re-creates every timer that should exist and doesn't (after a crash or a lost write). At
   * start-up at full speed; the periodic run spreads its pages over `spreadMs`: reading and
   * checking every open ticket at once takes seconds at 100,000 open tickets, and the timers
   * falling due meanwhile were late by as much (measured: p99 5–6 s with a minute's sweep done in
   * one go, docs/BENCHMARKS.md).
   */
  async sweep(o: { spreadMs?: number } = {}): Promise<number> {
    const p = this.o.policy();
    const open = await this.o.store.openNumbers();
    // Paced against the end of the spread, so the time each page takes is part of it and a pass
    // ends within the spread (then the next minute's pass runs).
    const end = performance.now() + (o.spreadMs ?? 0);
    let missing = 0;
    for (let i = 0; i < open.length; i += SWEEP_PAGE) {
      if (o.spreadMs && i > 0) {
        if (this.stopping.signal.aborted) break;
        const pagesLeft = Math.ceil((open.length - i) / SWEEP_PAGE) + 1;
        const gap = (end - performance.now()) / pagesLeft;
        if (gap > 0) await sleepFor(gap, this.stopping.signal);
      }
      const page = await this.o.store.many(open.slice(i, i + SWEEP_PAGE));
      const expected = page.flatMap((t) => nextSteps(t, p));
      const paused = page.filter((t) => pauseEndsAt(t, p));
      // One pipelined EXISTS per expected job (BullMQ keeps a job's hash at <prefix>:<queue>:<id>).
      const pipe = this.o.redis.pipeline();
      for (const s of expected) pipe.exists(`${PREFIX}:${SLA_QUEUE}:${clockJobId(s)}`);
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
    const steps = tickets.flatMap((t) => nextSteps(t, p));
    for (let i = 0; i < steps.length; i += 5000) await this.add(steps.slice(i, i + 5000));
  }

  private async add(steps: TimerStep[]): Promise<void> {
    if (!steps.length) return;
    const now = this.o.now();
    await this.queue.addBulk(
      steps.map((s) => ({
        name: 'clock',
        data: { kind: 'clock' as const, n: s.n, clock: s.clock, step: s.step, version: s.version, at: s.at },
        // A failed job is removed (its error is logged) and put back at once (start's 'failed'
        // handler; else the sweeper's next pass): it carries every later step of its clock.
        opts: { jobId: clockJobId(s), delay: Math.max(0, s.at - now), removeOnComplete: true, removeOnFail: true, attempts: 5, backoff: { type: 'exponential', delay: 500 } },
      })),
    );
  }

  private async addSignoff(t: Ticket): Promise<void> {
    const at = later(t.resolution!.at, contractFor(this.o.policy(), t).reminders.signoff);
    await this.queue.add('signoff', { kind: 'signoff', n: t.n, at }, { jobId: `signoff-${t.n}-${t.resolution!.at}`, delay: Math.max(0, at - this.o.now()), removeOnComplete: true, attempts: 5, backoff: { type: 'exponential', delay: 500 } });
  }

  private async process(job: Job<TimerJob>, token?: string): Promise<void> {
    const d = job.data;
    if (d.kind === 'sweep') {
      if (this.sweeping) return; // the previous periodic sweep is still walking its pages
      this.sweeping = true;
      try {
        await this.sweep({ spreadMs: (this.o.sweepEvery ?? 60_000) * 0.75 });
      } finally {
        this.sweeping = false;
      }
      return;
    }
    if (d.kind === 'signoff') return this.signoff(d.n, String(job.id));
    if (d.kind === 'resume') return this.resume(d.n, d.since, String(job.id));
    if (d.kind === 'step') {
      // Left by an upgrade: it fires its step only if that step is still due by the clock's
      // current schedule (a clock restarted since, with the same version, has other times; the
      // clock job fires it then).
      const own = stepsOf(await this.o.store.get(d.n), d.clock, d.version, this.o.policy()).find((s) => s.step === d.step);
      if (own && own.at <= this.o.now()) await this.fire({ ...d, at: own.at }, String(job.id));
      return;
    }
    return this.walk(job, d, token);
  }

  /**
   * A clock job: fires the clock's next step if its moment has come (with any step due with it),
   * then waits for the step after. A clock that stopped, paused, changed version or fired its last
   * step ends its job.
   */
  private async walk(job: Job<TimerJob>, d: { kind: 'clock' } & StepRef, token: string | undefined): Promise<void> {
    const p = this.o.policy();
    let next = nextStepOf(await this.o.store.get(d.n), d.clock, d.version, p);
    if (next && next.at <= this.o.now()) {
      const after = await this.fire({ ...d, step: next.step, at: next.at }, timerJobId(next));
      next = nextStepOf(after ?? (await this.o.store.get(d.n)), d.clock, d.version, p);
    }
    if (!next) return; // done: the job is removed
    // Moved on in place: the same job id, delayed until the next step (BullMQ counts it as no
    // attempt). A crash before this leaves the job active; stalled, it runs again and gets here.
    await job.updateData({ ...d, step: next.step, at: next.at });
    await job.moveToDelayed(Date.now() + Math.max(0, next.at - this.o.now()), token);
    throw new DelayedError();
  }

  /** Fires one step (and those due with it) under `key`; the ticket as it stands after (undefined: gone). */
  private async fire(d: StepRef, key: string): Promise<Ticket | undefined> {
    const p = this.o.policy();
    const now = this.o.now();
    // Deciding, marking the steps fired and keeping the messages happen in one compare-and-set
    // write: of two jobs of one clock running at once (catch-up, an upgrade's left-over step job),
    // one wins and the other finds its step fired; a crash after the write leaves the messages for
    // the outbox relay.
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
      this.o.log.debug({ key, reason }, 'timer skipped');
      return r?.after;
    }
    if (done.items.length) {
      await this.o.outbox.enqueue(key, done.items);
      await this.o.redis.hdel(PENDING_OUTBOX, key);
    }
    this.o.observe?.({ jobId: key, at: d.at, firedAt: this.o.now() }); // after the message is queued
    this.o.log.info({ ticket: d.n, clock: d.clock, step: d.step, steps: done.decision.steps, lateMs: now - d.at }, done.decision.catchUp ? 'timer caught up' : 'timer fired');
    return r.after;
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
