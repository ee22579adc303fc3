import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { Policy } from '../domain/contract/policy.ts';
import type { Now } from '../domain/sla/deadline.ts';
import type { StaffBindings } from '../store/staff-bindings.ts';
import type { Channel } from './types.ts';

/** What a channel may use from the app. */
export interface ChannelContext {
  redis: Redis;
  policy: () => Policy;
  log: Logger;
  now: Now;
  /** Staff identities proven by one-time codes (platforms whose user ids are not stable). */
  bindings: StaffBindings;
  /** Tells the team lead through whatever other channel reaches them (a logout, say). */
  alertLead(text: string): Promise<void>;
  /** This process starts or stops sending the platform's queued messages (`sendsFrom: 'listener'`). */
  sending(on: boolean): Promise<void>;
}

export interface RouteContext<C, Ch extends Channel> {
  server: FastifyInstance;
  config: C;
  /** The channel, where it runs in this process. */
  channel: Ch | undefined;
  /** Whether this process takes messages (roles all and web). */
  intake: boolean;
  redis: Redis;
  policy: () => Policy;
  log: Logger;
}

/**
 * One chat platform, as one object: its settings from the environment, how to build its channel,
 * where it runs, and its HTTP routes. src/channels/registry.ts lists them; the app, the policy's
 * platform names and the readiness check all come from that list, so a new platform is one folder
 * and one registry line.
 */
export interface ChannelPlugin<N extends string = string, C = unknown, Ch extends Channel = Channel> {
  readonly name: N;
  /** The environment variables it reads. */
  readonly env: z.ZodType;
  /**
   * Its settings from the environment; undefined when it is not configured; throws on bad
   * settings. `othersConfigured` tells whether any other platform is (the simulator is on by
   * default only when none is).
   */
  configure(env: NodeJS.ProcessEnv, o: { production: boolean; othersConfigured: boolean }): C | undefined;
  /** Consulted after the others, so it can default to on when they are all off. */
  readonly fallback?: boolean;
  /** Where it takes messages: with intake (roles all, web) or with the workers (all, worker). */
  readonly listensWith: 'intake' | 'workers';
  /**
   * Who sends its queued messages: any worker process (`everywhere`), or only the one instance
   * that is logged in (`listener`; the channel says when through `ChannelContext.sending`). A
   * `listener` channel is built only where it listens.
   */
  readonly sendsFrom: 'everywhere' | 'listener';
  create(config: C, ctx: ChannelContext): Promise<Ch>;
  routes?(r: RouteContext<C, Ch>): void;
}

export function definePlugin<N extends string, C, Ch extends Channel>(p: ChannelPlugin<N, C, Ch>): ChannelPlugin<N, C, Ch> {
  return p;
}
