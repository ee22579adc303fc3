import type { Redis } from 'ioredis';
import { floodDecision, type FloodDecision } from '../domain/flood.ts';
import type { Platform } from '../domain/platform.ts';

/** Keeps each person's recent message times in Redis (shared by every instance). */
export class FloodGuard {
  constructor(private readonly redis: Redis, private readonly limit: number, private readonly windowMs: number) {}

  async check(platform: Platform, userId: string, now: number): Promise<FloodDecision> {
    const key = `as:flood:${platform}:${userId}`;
    const res = await this.redis
      .multi()
      .zremrangebyscore(key, 0, now - this.windowMs)
      .zadd(key, now, `${now}-${Math.random().toString(36).slice(2, 8)}`)
      .zrange(key, '0', '-1', 'WITHSCORES')
      .pexpire(key, this.windowMs)
      .get(`${key}:notified`)
      .exec();
    const flat = (res?.[2]?.[1] as string[] | undefined) ?? [];
    const times = flat.filter((_, i) => i % 2 === 1).map(Number);
    times.pop(); // this message itself
    const notified = res?.[4]?.[1] as string | null | undefined;
    const d = floodDecision(times, now, this.limit, this.windowMs, notified ? Number(notified) : undefined);
    // Messages handled at the same moment may all decide to notify: only the first to record it does.
    if (d.notify) return { ...d, notify: (await this.redis.set(`${key}:notified`, String(now), 'PX', this.windowMs, 'NX')) === 'OK' };
    return d;
  }
}
