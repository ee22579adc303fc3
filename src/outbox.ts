import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { randomUUID } from 'node:crypto';
import type { Channel, PlatformTarget } from './channels/types.ts';
import type { Policy } from './domain/contract/policy.ts';
import { chatsWithRole, memberById } from './domain/contract/roster.ts';
import type { Destination, OutgoingMessage } from './domain/messages.ts';
import type { Platform } from './domain/platform.ts';
import { evalLua } from './redis/lua-script.ts';

/** One platform message: a destination resolved to one chat or person on one platform. */
export interface Route {
  platform: Platform;
  target: PlatformTarget;
}

/**
 * Claims a send: `sent` when the key was delivered before, `mine` when this attempt may send it
 * (also when the same call is re-sent after a reconnect), `busy` while another attempt sends it.
 */
const CLAIM_SEND = `
local v = redis.call('GET', KEYS[1])
if v == 'sent' then return 'sent' end
if v == ARGV[1] then return 'mine' end
if v then return 'busy' end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 'mine'`;
const SENT_TTL_S = 24 * 3600;
/** How long one send may take before another attempt may try the same key (it then may duplicate). */
const SENDING_MS = 30_000;

export class SendInProgress extends Error {
  constructor(key: string) {
    super(`message ${key} is being sent by another attempt`);
  }
}

/**
 * Resolves platform-independent destinations to routes on the configured platforms, and sends a
 * route through this process's channel for it. Resolution uses the configured platforms, not the
 * channels running here: a web front end enqueues messages that a worker (which may be the only
 * process logged in to WeChat) sends.
 */
export class Outbox {
  constructor(
    /** Platforms configured for the deployment (every role reads the same settings). */
    readonly platforms: readonly Platform[],
    /** Channels running in this process, by platform. */
    private readonly channels: Map<Platform, Channel>,
    private readonly redis: Redis,
    private readonly policy: () => Policy,
    private readonly log: Logger,
    /** Platform user ids proven by binding (WeChat), for staff without an id in the policy. */
    private readonly boundUser: (platform: Platform, staffId: string) => Promise<string | undefined> = async () => undefined,
  ) {}

  async resolve(dest: Destination): Promise<Route[]> {
    const out: Route[] = [];
    const add = (platform: Platform, target: PlatformTarget) => {
      if (this.platforms.includes(platform)) out.push({ platform, target });
    };
    switch (dest.to) {
      case 'origin':
        add(dest.platform, { kind: 'chat', chatId: dest.chatId, ...(dest.replyTo ? { replyTo: dest.replyTo } : {}) });
        break;
      case 'user':
        add(dest.platform, { kind: 'user', userId: dest.userId });
        break;
      // A chat of the policy, on each configured platform it has an id for, in the registry's order.
      case 'team':
        for (const chat of chatsWithRole(this.policy(), 'team')) for (const p of this.platforms) if (chat.ids[p]) add(p, { kind: 'chat', chatId: chat.ids[p] });
        break;
      case 'chat':
        for (const chat of this.policy().chats.filter((c) => c.id === dest.chatId)) for (const p of this.platforms) if (chat.ids[p]) add(p, { kind: 'chat', chatId: chat.ids[p] });
        break;
      case 'staff': {
        const m = memberById(this.policy(), dest.staffId);
        if (!m) break;
        for (const p of this.platforms) {
          const id = m.ids[p] ?? (await this.boundUser(p, m.id));
          if (id) add(p, { kind: 'user', userId: id });
        }
        break;
      }
    }
    if (!out.length) this.log.warn({ dest: dest.to }, 'no configured channel for destination');
    return out;
  }

  /** Whether this process can send on a platform now (WeChat: only the instance logged in). */
  canSendHere(platform: Platform): boolean {
    const channel = this.channels.get(platform);
    return !!channel && (channel.canSend?.() ?? true);
  }

  /**
   * Sends one route through this process's channel; throws on failure (the queue retries). A key is
   * sent at most once a day: a channel that cannot refuse a key itself (`sendsOnce`) is guarded
   * here by a claim in Redis, so a safety-net resend, a relay after a crash or a stalled job never
   * reaches people twice.
   */
  async sendRoute(route: Route, msg: OutgoingMessage, idempotencyKey?: string): Promise<void> {
    const channel = this.channels.get(route.platform);
    if (!channel) throw new Error(`channel ${route.platform} is not running in this process`);
    if (!idempotencyKey || channel.sendsOnce) return channel.send(route.target, msg, idempotencyKey ? { idempotencyKey } : undefined);
    const k = `as:sent:${route.platform}:${idempotencyKey}`;
    const token = randomUUID();
    const claim = (await evalLua(this.redis, CLAIM_SEND, 1, k, token, SENDING_MS)) as 'sent' | 'mine' | 'busy';
    if (claim === 'sent') {
      this.log.debug({ key: idempotencyKey }, 'already sent: not sending again');
      return;
    }
    if (claim === 'busy') throw new SendInProgress(idempotencyKey);
    try {
      await channel.send(route.target, msg, { idempotencyKey });
    } catch (err) {
      await this.redis.del(k).catch(() => {});
      throw err;
    }
    await this.redis.set(k, 'sent', 'EX', SENT_TTL_S);
  }
}
