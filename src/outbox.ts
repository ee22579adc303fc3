import type { Logger } from 'pino';
import type { Channel, Destination, Outgoing, PlatformTarget } from './channels/types.ts';
import type { Platform, Policy } from './domain/policy.ts';
import { chatsWithRole, memberById } from './domain/roster.ts';

/**
 * Resolves platform-independent destinations to the active channels and sends. A failed send is
 * logged and does not stop the others (a queue with retries replaces this in production readiness).
 */
export class Outbox {
  constructor(
    private readonly channels: Map<Platform, Channel>,
    private readonly policy: () => Policy,
    private readonly log: Logger,
    /** Platform user ids proven by binding (WeChat), for staff without an id in the policy. */
    private readonly boundUser: (platform: Platform, staffId: string) => Promise<string | undefined> = async () => undefined,
  ) {}

  async resolve(dest: Destination): Promise<{ channel: Channel; target: PlatformTarget }[]> {
    const out: { channel: Channel; target: PlatformTarget }[] = [];
    const add = (platform: Platform, target: PlatformTarget) => {
      const channel = this.channels.get(platform);
      if (channel) out.push({ channel, target });
    };
    switch (dest.to) {
      case 'origin':
        add(dest.platform, { kind: 'chat', chatId: dest.chatId, ...(dest.replyTo ? { replyTo: dest.replyTo } : {}) });
        break;
      case 'user':
        add(dest.platform, { kind: 'user', userId: dest.userId });
        break;
      case 'team':
        for (const chat of chatsWithRole(this.policy(), 'team'))
          for (const [p, id] of Object.entries(chat.ids)) if (id) add(p as Platform, { kind: 'chat', chatId: id });
        break;
      case 'chat':
        for (const chat of this.policy().chats.filter((c) => c.id === dest.chatId))
          for (const [p, id] of Object.entries(chat.ids)) if (id) add(p as Platform, { kind: 'chat', chatId: id });
        break;
      case 'staff': {
        const m = memberById(this.policy(), dest.staffId);
        if (!m) break;
        for (const p of this.channels.keys()) {
          const id = m.ids[p] ?? (await this.boundUser(p, m.id));
          if (id) add(p, { kind: 'user', userId: id });
        }
        break;
      }
    }
    return out;
  }

  /** Sends one item to every route; throws if any route failed (the queue then retries). */
  async sendOrThrow(item: Outgoing): Promise<void> {
    const routes = await this.resolve(item.dest);
    if (!routes.length) this.log.warn({ dest: item.dest.to }, 'no active channel for destination');
    const errors: unknown[] = [];
    for (const { channel, target } of routes) {
      try {
        await channel.send(target, item.msg);
      } catch (err) {
        errors.push(err);
      }
    }
    if (errors.length) throw errors[0];
  }

  async send(items: Outgoing[]): Promise<void> {
    for (const item of items) {
      const routes = await this.resolve(item.dest);
      if (!routes.length) this.log.warn({ dest: item.dest.to }, 'no active channel for destination');
      for (const { channel, target } of routes) {
        try {
          await channel.send(target, item.msg);
        } catch (err) {
          this.log.error({ err, platform: channel.platform, target: target.kind }, 'send failed');
        }
      }
    }
  }
}
