import type { Redis } from 'ioredis';
import type { Platform } from '../domain/platform.ts';
import type { Attachment } from '../domain/ticket.ts';

/**
 * Images or files sent without words and without an open ticket to add them to: kept for the
 * follow-up window and attached to the sender's next ticket in that chat, so nothing is lost.
 */
export class PendingAttachments {
  constructor(private readonly redis: Redis, private readonly ttlMs: number) {}

  private key(platform: Platform, chatId: string, userId: string): string {
    return `as:pending:${platform}:${chatId}:${userId}`;
  }

  async add(platform: Platform, chatId: string, userId: string, items: Attachment[]): Promise<void> {
    if (!items.length) return;
    const k = this.key(platform, chatId, userId);
    await this.redis.multi().rpush(k, ...items.map((a) => JSON.stringify(a))).pexpire(k, Math.max(1000, this.ttlMs)).exec();
  }

  /** Takes (and removes) what is pending. */
  async take(platform: Platform, chatId: string, userId: string): Promise<Attachment[]> {
    const k = this.key(platform, chatId, userId);
    const res = await this.redis.multi().lrange(k, 0, -1).del(k).exec();
    const items = (res?.[0]?.[1] as string[] | undefined) ?? [];
    return items.map((s) => JSON.parse(s) as Attachment);
  }
}
