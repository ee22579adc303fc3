import type { Redis } from 'ioredis';

/** What /readyz checks: Redis answers, the workers this process should run are running, channels are up. */
export function readiness(o: { redis: Redis; role: string; stalledQueues: () => string[]; channelProblems: () => string[] }): () => Promise<{ ok: boolean; reason?: string; role?: string }> {
  return async () => {
    // Commands wait through a Redis outage (maxRetriesPerRequest: null): bound the probe instead.
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('no answer within 1 s')), 1000);
      timer.unref();
    });
    try {
      if (['reconnecting', 'close', 'end'].includes(o.redis.status)) throw new Error(`connection ${o.redis.status}`);
      const ping = o.redis.ping();
      ping.catch(() => {}); // answered after the timeout won (or never): not an unhandled rejection
      await Promise.race([ping, timeout]);
    } catch (e) {
      return { ok: false, reason: `redis: ${(e as Error).message}` };
    } finally {
      clearTimeout(timer);
    }
    const problems = [...o.stalledQueues().map((q) => `queue ${q}: worker not running`), ...o.channelProblems()];
    return problems.length ? { ok: false, reason: problems.join('; ') } : { ok: true, role: o.role };
  };
}
