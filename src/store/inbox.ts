import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Platform } from '../domain/platform.ts';
import { inboxKey as key, MARK_TTL_S, PENDING_OUTBOX, type PendingOutbox } from './commit.ts';
import { evalLua } from '../redis/lua-script.ts';

/**
 * Admits a message: `done` when it was handled before, `new` with a fresh lease, `busy` while
 * another attempt holds a live lease. Re-sent after a reconnect (ioredis does so), the same call
 * finds its own lease and still answers `new`.
 */
const ADMIT = `
local v = redis.call('GET', KEYS[1])
if v == 'done' then return 'done' end
if v == ARGV[1] then return 'new' end
if v then return 'busy' end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 'new'`;
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export class Busy extends Error {
  readonly status = 503;
  constructor() {
    super('the message is being handled by another attempt');
  }
}

export interface Lease {
  /** Handled: the message is done (24 h) and its pending messages are delivered. */
  finish(): Promise<void>;
  /** Not handled (an error): the next delivery of the message handles it. */
  release(): Promise<void>;
}

/**
 * Platform messages in handling and handled ("mark done, not seen"): a message gets a short
 * processing lease when handling starts, renewed while it runs, and its 24-hour done marker only
 * once what it did is stored and what it says is queued. A process that dies mid-way leaves a lease
 * that runs out, so the platform's retry is handled; a retry while the lease is live waits a little
 * for the first attempt, then is answered 503 (the platform retries later).
 */
export class Inbox {
  constructor(
    private readonly redis: Redis,
    private readonly leaseMs = 15_000,
    private readonly waitMs = 2_500,
  ) {}

  /** `done`: handled before (ignore it). Otherwise a lease to handle it under; throws Busy when a live attempt holds it. */
  async admit(platform: Platform, id: string, outboxKey: string): Promise<'done' | Lease> {
    const k = key(platform, id);
    const token = randomUUID();
    const end = Date.now() + this.waitMs;
    for (;;) {
      const state = (await evalLua(this.redis, ADMIT, 1, k, token, this.leaseMs)) as 'done' | 'new' | 'busy';
      if (state === 'done') return 'done';
      if (state === 'new') return this.lease(k, token, outboxKey);
      if (Date.now() > end) throw new Busy();
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  private lease(k: string, token: string, outboxKey: string): Lease {
    // Renewed while the handling runs, so a slow platform call never lets a second attempt in.
    const timer = setInterval(() => void evalLua(this.redis, RENEW, 1, k, token, this.leaseMs).catch(() => {}), this.leaseMs / 3);
    timer.unref();
    return {
      finish: async () => {
        clearInterval(timer);
        await this.redis.multi().set(k, 'done', 'EX', MARK_TTL_S).hdel(PENDING_OUTBOX, outboxKey).exec();
      },
      release: async () => {
        clearInterval(timer);
        await evalLua(this.redis, RELEASE, 1, k, token).catch(() => {});
      },
    };
  }

  /** The messages a message committed and has not yet delivered (a re-run after a crash replays them). */
  async pending(outboxKey: string): Promise<PendingOutbox | undefined> {
    const raw = await this.redis.hget(PENDING_OUTBOX, outboxKey);
    return raw ? (JSON.parse(raw) as PendingOutbox) : undefined;
  }
}
