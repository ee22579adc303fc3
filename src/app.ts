import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Command } from '../handlers/commands/command.ts';
import { COMMANDS } from '../handlers/commands/registry.ts';
import { CommandSet } from '../handlers/commands/run.ts';
import { handleCardClick } from '../handlers/card-action.ts';
import { handleIncoming } from '../handlers/router.ts';
import type { Services } from '../handlers/services.ts';
import { closeQueueConnection } from '../jobs/queue-kit.ts';
import { DigestScheduler } from '../jobs/digest.ts';
import { HealthMonitor } from '../jobs/health-monitor.ts';
import { InspectionReminders } from '../jobs/inspection-reminders.ts';
import { OutboxQueue } from '../jobs/outbox-queue.ts';
import { OutboxRelay } from '../jobs/outbox-relay.ts';
import { SlaTimers } from '../jobs/sla-timers.ts';
import { StormSummaries } from '../jobs/storm-summary.ts';
import { ChannelHost } from './channels/host.ts';
import type { ChannelConfigs } from './channels/registry.ts';
import type { Channel } from './channels/types.ts';
import { classifier } from './classifier-model.ts';
import type { Policy } from './domain/contract/policy.ts';
import { membersWithRole } from './domain/contract/roster.ts';
import type { IncomingMessage } from './domain/messages.ts';
import type { Now } from './domain/sla/deadline.ts';
import { Inbound, type Faults } from './inbound.ts';
import { KnowledgeBase } from './knowledge-base.ts';
import { Metrics, openTicketStats } from './metrics.ts';
import { Outbox } from './outbox.ts';
import { readiness } from './readiness.ts';
import { buildServer } from './server/http.ts';
import { reportLinker, reportPages } from './server/report-links.ts';
import { AnswerStore } from './store/answers.ts';
import { connectRedis } from './store/connection.ts';
import { FloodGuard } from './store/flood-guard.ts';
import { Inbox } from './store/inbox.ts';
import { InspectionStore } from './store/inspections.ts';
import { PendingAttachments } from './store/pending-attachments.ts';
import { StaffBindings } from './store/staff-bindings.ts';
import { TicketStore } from './store/tickets.ts';

/** `all` (default) everything; `web` HTTP and intake; `worker` the BullMQ workers and WeChat, with health and metrics (docs/OPERATIONS.md). */
export type Role = 'all' | 'web' | 'worker';

export interface AppOptions {
  redisUrl: string;
  policy: Policy;
  log: Logger;
  /** The chat platforms and their settings (src/channels/registry.ts; from the environment in production). */
  channels: ChannelConfigs;
  /** The clock every deadline is judged by (tests move it). */
  now?: Now;
  role?: Role;
  sweepEvery?: number;
  observeTimers?: (fired: { jobId: string; at: number; firedAt: number }) => void;
  /** Knowledge-base folder (default knowledge/entries); watched for changes. */
  knowledgeDir?: string;
  /** Base URL people reach the bot at (links to service reports); default none. */
  publicUrl?: string;
  /** ADMIN_TOKEN: the admin endpoints and every service report. */
  adminToken?: string;
  /** Background-send retries (tests shorten them). */
  outboxRetry?: { attempts: number; delayMs: number };
  /** The chat commands (default handlers/commands/registry.ts). */
  commands?: readonly Command[];
  /** Test hooks that inject faults (src/inbound.ts). */
  faults?: Faults;
  /** AFTERSALES_INBOX_LEASE_MS (src/store/inbox.ts). */
  inboxLeaseMs?: number;
}

export interface App {
  role: Role;
  redis: Redis;
  services: Services;
  server: FastifyInstance;
  channel(platform: string): Channel | undefined;
  bindings: StaffBindings;
  metrics: Metrics;
  outbox: Outbox;
  outboxQueue: OutboxQueue;
  timers: SlaTimers;
  digest: DigestScheduler;
  health: HealthMonitor;
  relay: OutboxRelay;
  /** Handles one message end to end (inbox, handler, sends); throws when it was not handled. */
  dispatch(msg: IncomingMessage): Promise<void>;
  listen(port: number, host: string): Promise<string>;
  stop(): Promise<void>;
}

/** Wires the bot: Redis, stores, handlers, channels, queues, the HTTP server. No logic of its own. */
export async function createApp(o: AppOptions): Promise<App> {
  const { log } = o;
  const redis = connectRedis(o.redisUrl);
  redis.on('error', (err) => log.warn({ err: err.message }, 'redis connection error'));
  const now = o.now ?? (() => Date.now());
  const role = o.role ?? 'all';
  const [intake, background] = [role !== 'worker', role !== 'web'];
  const store = new TicketStore(redis);
  const metrics = new Metrics(openTicketStats(store));
  const knowledge = new KnowledgeBase(o.knowledgeDir, log);
  knowledge.watch();
  const linker = reportLinker(o.publicUrl);
  const policy = () => services.policy;
  const host = new ChannelHost(o.channels, { intake, background });
  const bindings = new StaffBindings(redis);
  const outbox = new Outbox(host.platforms, host.channels, redis, policy, log, (platform, staffId) => bindings.userFor(platform, staffId));
  const outboxQueue = new OutboxQueue(redis, outbox, log, o.outboxRetry);
  outboxQueue.onResult = (platform, result) => metrics.outbox.inc({ platform, result });
  const storm = new StormSummaries({ redis, store, outbox: outboxQueue, policy, log, now });
  const p = o.policy;
  const services: Services = {
    policy: p, store, now, log, hooks: {}, knowledge, storm,
    pending: new PendingAttachments(redis, p.followUpWindow),
    classify: (text) => metrics.classifiedAs(classifier().classify(text)),
    answers: new AnswerStore(redis, p.handoffWindow),
    inspections: new InspectionStore(redis),
    flood: new FloodGuard(redis, p.flood.messages, p.flood.window),
    ...(linker ? { reportLink: linker } : {}),
  };
  classifier(); // train before the first message, not during it
  const commands = new CommandSet(o.commands ?? COMMANDS);
  const alertLead = async (text: string) => void (await outboxQueue.enqueue(`alert-${now()}`, membersWithRole(services.policy, 'lead').map((m) => ({ dest: { to: 'staff' as const, staffId: m.id }, msg: { text } }))));
  await host.create({ redis, policy, log, now, bindings, alertLead }, outboxQueue);

  const observe = (f: { jobId: string; at: number; firedAt: number }) => {
    metrics.timerFired(f.jobId, f.firedAt - f.at);
    o.observeTimers?.(f);
  };
  const timers = new SlaTimers({ redis, store, outbox: outboxQueue, policy, log, now, observe, ...(o.sweepEvery ? { sweepEvery: o.sweepEvery } : {}) });
  services.hooks.created = async (t) => {
    metrics.ticketsCreated.inc({ level: t.level });
    await timers.sync(undefined, t);
  };
  services.hooks.changed = (before, after) => timers.sync(before, after);
  const health = new HealthMonitor({ redis, store, hooks: services.hooks, outbox: outboxQueue, policy, log, now });
  const inspections = new InspectionReminders({ redis, outbox: outboxQueue, policy, log, now });
  const digest = new DigestScheduler({ redis, store, inspections: services.inspections, outbox: outboxQueue, policy, log, now });
  const relay = new OutboxRelay({ redis, outbox: outboxQueue, log, now });
  const jobs = [timers, digest, health, inspections, relay, storm];
  if (background) for (const j of jobs) await j.start();

  // Every message: admitted once by the inbox, handled, its replies queued, then marked done (src/inbound.ts).
  const inbound = new Inbound({ inbox: new Inbox(redis, o.inboxLeaseMs), outbox: outboxQueue, log, metrics, handle: (msg) => handleIncoming(msg, services, commands), handleCard: (click) => handleCardClick(click, services, commands), ...(o.faults ? { faults: o.faults } : {}) });
  await host.listen(inbound.message, inbound.card);

  let draining = false;
  const server = buildServer({
    log,
    draining: () => draining,
    ...(intake ? { reportPage: reportPages(store, policy, o.adminToken) } : {}),
    metrics: async () => ({ type: metrics.registry.contentType, body: await metrics.registry.metrics() }),
    failedSends: () => outboxQueue.failed(),
    retryFailedSends: () => outboxQueue.retryFailed(),
    ...(o.adminToken ? { adminToken: o.adminToken } : {}),
    ready: readiness({ redis, role, channelProblems: () => host.problems(), stalledQueues: () => (background ? [...outboxQueue.stalledWorkers().map((q) => `outbox-${q}`), ...(timers.running ? [] : ['sla'])] : []) }),
  });
  host.routes(server, { redis, policy, log });

  return {
    role, redis, services, server, bindings, metrics, outbox, outboxQueue, timers, digest, health, relay,
    dispatch: inbound.message,
    channel: (platform) => host.channels.get(platform),
    listen: (port, address) => server.listen({ port, host: address }),
    /**
     * In order, bounded (about 3.5 s at most, well inside main.ts's 5 s): intake stops, messages in
     * flight finish, the HTTP server closes, running jobs and sends finish (the rest stay queued),
     * workers and channels close, then the Redis connection. Nothing here touches Redis afterwards.
     */
    async stop() {
      draining = true; // new webhook and simulator messages get 503 (platforms retry), /readyz 503
      await host.stopListening(); // long connections deliver nothing more
      const start = Date.now();
      if (!(await inbound.drain(3_000))) log.warn({ inFlight: inbound.busy }, 'stopping with messages still being handled (their platforms retry them)');
      // Requests in flight are answered (a webhook may still wait on a platform lookup before its
      // message is handed in), within the same 3.5 s; the simulator's event streams end at once (preClose).
      const closed = server.close();
      await Promise.race([closed, new Promise((r) => setTimeout(r, Math.max(300, start + 3_500 - Date.now())).unref())]);
      server.server.closeAllConnections();
      await closed;
      await Promise.all(jobs.map((j) => j.stop())); // running jobs finish (they enqueue their messages)
      await outboxQueue.stop(); // running sends finish; the rest stay queued for the next start
      await host.stop(); // after the sends: a channel is not stopped under a running send
      knowledge.close();
      closeQueueConnection(redis);
      redis.disconnect();
    },
  };
}
