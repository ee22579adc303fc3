import type { Redis } from 'ioredis';
import type { Platform } from '../domain/platform.ts';
import type { Attachment } from '../domain/ticket.ts';
import { commitInMulti, type Commit } from './commit.ts';

/**
 * Images or files sent without words and without an open ticket to add them to: kept for the
 * follow-up window and attached to the sender's next ticket in that chat, so nothing is lost.
 */
export class PendingAttachments {
  constructor(private readonly redis: Redis, private readonly ttlMs: number) {}

  private key(platform: Platform, chatId: string, userId: string): string {
    return `as:pending:${platform}:${chatId}:${userId}`;
  }

  /** Keeps them, with the commit of the message that brought them (in one step). */
  async add(platform: Platform, chatId: string, userId: string, items: Attachment[], commit: Commit, now: number): Promise<void> {
    const k = this.key(platform, chatId, userId);
    const m = this.redis.multi();
    if (items.length) m.rpush(k, ...items.map((a) => JSON.stringify(a))).pexpire(k, Math.max(1000, this.ttlMs));
    await commitInMulti(m, commit, now).exec();
  }

  /** What is pending, and the key the ticket that takes them deletes in its own write. */
  async peek(platform: Platform, chatId: string, userId: string): Promise<{ items: Attachment[]; key: string }> {
    const key = this.key(platform, chatId, userId);
    const items = await this.redis.lrange(key, 0, -1);
    return { items: items.map((s) => JSON.parse(s) as Attachment), key };
  }
}
