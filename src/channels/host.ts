import type { FastifyInstance } from 'fastify';
import type { Platform } from '../domain/platform.ts';
import type { ChannelContext, ChannelPlugin } from './plugin.ts';
import { CHANNELS, type ChannelConfigs } from './registry.ts';
import type { CardSink, Channel, MessageSink } from './types.ts';

type AnyPlugin = ChannelPlugin<string, unknown, Channel>;

/** Where this process sends a platform's queued messages from (the outbox queue). */
export interface SendWorkers {
  startWorker(p: Platform): void;
  stopWorker(p: Platform): Promise<void>;
}

/**
 * The configured chat platforms of one process: builds each plugin's channel where it runs (for
 * the process's role), starts the outbox workers of those that may send from any worker, starts
 * listening, registers their HTTP routes, reports their state, and stops them.
 */
export class ChannelHost {
  /** Channels running in this process, by platform. */
  readonly channels = new Map<Platform, Channel>();
  private readonly configured: { plugin: AnyPlugin; config: unknown }[];

  constructor(configs: ChannelConfigs, private readonly role: { intake: boolean; background: boolean }) {
    const byName = configs as Record<string, unknown>;
    this.configured = (CHANNELS as readonly AnyPlugin[]).filter((p) => byName[p.name] !== undefined).map((plugin) => ({ plugin, config: byName[plugin.name] }));
  }

  /** Every configured platform: each role resolves destinations for all of them (a web front end enqueues what a worker sends). */
  get platforms(): Platform[] {
    return this.configured.map((c) => c.plugin.name);
  }

  private listensHere(p: AnyPlugin): boolean {
    return p.listensWith === 'intake' ? this.role.intake : this.role.background;
  }

  async create(ctx: Omit<ChannelContext, 'sending'>, outbox: SendWorkers): Promise<void> {
    for (const { plugin, config } of this.configured) {
      if (plugin.sendsFrom === 'listener' && !this.listensHere(plugin)) continue;
      const channel = await plugin.create(config, { ...ctx, sending: async (on) => (on ? outbox.startWorker(plugin.name) : outbox.stopWorker(plugin.name)) });
      this.channels.set(plugin.name, channel);
      if (this.role.background && plugin.sendsFrom === 'everywhere') outbox.startWorker(plugin.name);
    }
  }

  /** Starts taking messages on the channels that listen in this process. */
  async listen(onMessage: MessageSink, onCard: CardSink): Promise<void> {
    for (const { plugin } of this.configured) {
      const channel = this.channels.get(plugin.name);
      if (channel && this.listensHere(plugin)) await channel.start(onMessage, onCard);
    }
  }

  /** No new messages from here on (a graceful stop); channels can still send. */
  async stopListening(): Promise<void> {
    for (const ch of this.channels.values()) await ch.stopListening?.();
  }

  routes(server: FastifyInstance, ctx: Pick<ChannelContext, 'redis' | 'policy' | 'log'>): void {
    for (const { plugin, config } of this.configured) plugin.routes?.({ server, config, channel: this.channels.get(plugin.name), intake: this.role.intake, ...ctx });
  }

  /** What keeps a channel from taking or sending messages (for /readyz). */
  problems(): string[] {
    return [...this.channels.values()].map((c) => c.status?.() ?? { ok: true }).filter((st) => !st.ok).map((st) => st.reason ?? 'channel not connected');
  }

  async stop(): Promise<void> {
    for (const ch of this.channels.values()) await ch.stop();
  }
}
