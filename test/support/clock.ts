import type { App } from '../../src/app.ts';
import type { TimerJob } from '../../jobs/sla-timers.ts';
import { sleep } from './wait.ts';

/**
 * A clock tests move by hand. The bot is built with `now: clock.now`; BullMQ still counts real
 * time, so the timers whose moment has come by this clock are promoted by `runDue` and run by the
 * bot's own worker — real Redis, real BullMQ, no waiting for deadlines.
 */
export class TestClock {
  constructor(public at: number = Date.now()) {}

  readonly now = (): number => this.at;

  /**
   * Moves the clock forward by `ms`, `step` at a time, running every timer that falls due at each
   * step (so messages carry the moment they were due at, to within one step).
   */
  async advance(app: App, ms: number, step = 60_000): Promise<void> {
    const end = this.at + ms;
    while (this.at < end) {
      this.at = Math.min(end, this.at + step);
      await runDue(app, this.at);
    }
  }
}

/** The promoted job ran: it ended, or (a clock job) moved itself on to its next step. A run that threw fails the test. */
async function ran(app: App, id: string, attemptsBefore: number): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    const state = await app.timers.queue.getJobState(id);
    if (state === 'delayed') {
      const job = await app.timers.queue.getJob(id);
      if (job && job.attemptsMade > attemptsBefore) throw new Error(`timer ${id} threw: ${job.failedReason}`); // delayed for a retry
      return;
    }
    if (state === 'unknown' || state === 'completed' || state === 'failed') return;
    await sleep(5);
  }
  throw new Error(`timer ${id} did not run`);
}

/**
 * Runs the SLA timers due by `now`, oldest first, one after the other (each to completion), then
 * waits until the messages they queued are sent. Returns how many ran. `together`: promotes every
 * due timer at once, so the bot's worker runs them concurrently (as after downtime). A timer that
 * throws fails the call, unless `failing` (a test that makes it throw on purpose).
 */
export async function runDue(app: App, now: number, o: { together?: boolean; failing?: boolean } = {}): Promise<number> {
  let count = 0;
  for (let rounds = 0; ; rounds++) {
    if (rounds > 10_000) throw new Error('runDue: timers keep falling due (a job that never moves on?)');
    const due = (await app.timers.queue.getDelayed())
      .filter((j) => (j.data as TimerJob).kind !== 'sweep' && 'at' in j.data && j.data.at <= now)
      .sort((a, b) => (a.data as { at: number }).at - (b.data as { at: number }).at);
    if (!due.length) break;
    const batch = o.together ? due : due.slice(0, 1);
    await Promise.all(batch.map((j) => j.promote()));
    for (const j of batch) await ran(app, String(j.id), o.failing ? Infinity : j.attemptsMade);
    count += batch.length;
  }
  for (let i = 0; i < 2000 && (await app.outboxQueue.queued()) > 0; i++) await sleep(5);
  return count;
}
