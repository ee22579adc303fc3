import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { evalLua } from '../redis/lua-script.ts';

const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

/**
 * A lock with a lease in Redis: held by one instance at a time, renewed while it lives, taken over
 * by another instance when the holder dies and the lease runs out. Used so that exactly one
 * instance logs in to WeChat.
 */
export class LeaseLock {
  readonly owner = randomUUID();
  private timer: NodeJS.Timeout | undefined;
  private held = false;
  private stopped = false;

  constructor(private readonly redis: Redis, private readonly key: string, private readonly leaseMs = 30_000) {}

  get isHeld(): boolean {
    return this.held;
  }

  async tryAcquire(): Promise<boolean> {
    const ok = (await this.redis.set(this.key, this.owner, 'PX', this.leaseMs, 'NX')) === 'OK';
    if (ok) this.held = true;
    return ok;
  }

  async renew(): Promise<boolean> {
    this.held = (await evalLua(this.redis, RENEW, 1, this.key, this.owner, this.leaseMs)) === 1;
    return this.held;
  }

  async release(): Promise<void> {
    this.held = false;
    await evalLua(this.redis, RELEASE, 1, this.key, this.owner);
  }

  /**
   * Keeps trying to hold the lock (every third of the lease); calls `onAcquired` when it gets it
   * and `onLost` if a renewal fails (another instance took over after a stall).
   */
  run(onAcquired: () => Promise<void>, onLost: () => Promise<void>): void {
    const tick = async () => {
      if (this.stopped) return;
      try {
        if (this.held) {
          if (!(await this.renew())) await onLost();
        } else if (await this.tryAcquire()) {
          await onAcquired();
        }
      } catch {
        /* Redis unavailable: try again next tick */
      }
      if (!this.stopped) this.timer = setTimeout(tick, Math.max(100, this.leaseMs / 3));
    };
    void tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.held) await this.release();
  }
}
