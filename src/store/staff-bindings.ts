import { randomInt } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Platform } from '../domain/platform.ts';

/** How long a bind code printed by `npx aftersales bind-code` stays valid. */
export const BIND_CODE_TTL_S = 15 * 60;

const code = (c: string) => `as:bindcode:${c}`;
const staffOf = (p: Platform, userId: string) => `as:binding:${p}:user:${userId}`;
const userOf = (p: Platform, staffId: string) => `as:binding:${p}:staff:${staffId}`;

/**
 * Staff identities proven by a one-time code (WeChat contact ids are not stable on every puppet,
 * and names can be faked): the code is printed to an admin, the staff member sends it privately,
 * and from then on that contact is that roster member.
 */
export class StaffBindings {
  constructor(private readonly redis: Redis) {}

  /** A fresh 6-digit code for a roster member, valid 15 minutes, usable once. */
  async createCode(staffId: string): Promise<string> {
    for (;;) {
      const c = String(randomInt(100_000, 1_000_000));
      if ((await this.redis.set(code(c), staffId, 'EX', BIND_CODE_TTL_S, 'NX')) === 'OK') return c;
    }
  }

  /** Redeems a code for this contact; returns the roster id, or undefined for a wrong or used code. */
  async redeem(c: string, platform: Platform, userId: string): Promise<string | undefined> {
    const staffId = (await this.redis.getdel(code(c.trim()))) ?? undefined;
    if (!staffId) return undefined;
    const old = await this.redis.get(userOf(platform, staffId));
    const m = this.redis.multi();
    if (old && old !== userId) m.del(staffOf(platform, old)); // a new login replaces the old contact
    await m.set(staffOf(platform, userId), staffId).set(userOf(platform, staffId), userId).exec();
    return staffId;
  }

  async staffFor(platform: Platform, userId: string): Promise<string | undefined> {
    return (await this.redis.get(staffOf(platform, userId))) ?? undefined;
  }

  async userFor(platform: Platform, staffId: string): Promise<string | undefined> {
    return (await this.redis.get(userOf(platform, staffId))) ?? undefined;
  }
}
