import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { handleIncoming } from '../handlers/router.ts';
import { OutboxQueue } from '../jobs/outbox-queue.ts';
import { SlaTimers } from '../jobs/sla-timers.ts';
import { DigestScheduler } from '../jobs/digest.ts';
import { HealthMonitor } from '../jobs/health-monitor.ts';
import { InspectionReminders } from '../jobs/inspection-reminders.ts';
import { InspectionStore } from './store/inspections.ts';
import { FloodGuard } from './store/flood-guard.ts';
import { Metrics } from './metrics.ts';
import { openClocks } from './domain/ticket.ts';
import type { Services, TicketHooks } from '../handlers/services.ts';
import { handleCardClick } from '../handlers/card-action.ts';
import { mayView, reportPageHtml } from '../handlers/report-page.ts';
import type { Ticket } from './domain/ticket.ts';
import type { FeishuChannel } from './channels/feishu/feishu-channel.ts';
import type { FeishuConfig } from './channels/feishu/config.ts';
import { SimChannel } from './channels/simulator/sim-channel.ts';
import { wechatLoginQr } from './channels/wechat/login-qr.ts';
import type { WechatConfig } from './channels/wechat/config.ts';
import type { WechatChannel, WechatChannelOptions } from './channels/wechat/wechat-channel.ts';
import { StaffBindings } from './store/staff-bindings.ts';
import { membersWithRole } from './domain/roster.ts';
import type { Channel, IncomingMessage } from './channels/types.ts';
import { classifier } from './classifier-model.ts';
import type { Platform, Policy } from './domain/policy.ts';
import { Outbox } from './outbox.ts';
import { buildServer } from './server/http.ts';
import { connectRedis } from './store/connection.ts';
import { KnowledgeBase } from './knowledge-base.ts';
import { AnswerStore } from './store/answers.ts';
import { PendingAttachments } from './store/pending-attachments.ts';
import { TicketStore } from './store/tickets.ts';

export interface AppOptions {
  redisUrl: string;
  policy: Policy;
  log: Logger;
  simulator: boolean;
  now?: () => number;
  /**
   * What this process does (AFTERSALES_ROLE): `all` (default) everything; `web` the HTTP server
   * and intake (simulator, Feishu), enqueuing replies and timers; `worker` the BullMQ workers
   * (outbox sends, SLA timers, digest, monitors) and WeChat, with health and metrics only.
   */
  role?: Role;
  sweepEvery?: number;
  observeTimers?: (fired: { jobId: string; at: number; firedAt: number }) => void;
  /** Knowledge-base folder (default knowledge/entries); watched for changes. */
  knowledgeDir?: string;
  feishu?: FeishuConfig;
  /** Base URL people reach the bot at (links to service reports); default none. */
  publicUrl?: string;
  /** ADMIN_TOKEN: opens every service report (and, later, the admin endpoints). */
  adminToken?: string;
  wechat?: { config: WechatConfig } & Omit<WechatChannelOptions, 'alert'>;
  /** Background-send retries (tests shorten them). */
  outboxRetry?: { attempts: number; delayMs: number };
  /** Feishu send retries (tests shorten them). */
  feishuRetry?: { retries?: number; retryBaseMs?: number };
}

export type Role = 'all' | 'web' | 'worker';

export interface App {
  role: Role;
  redis: Redis;
  services: Services;
  server: FastifyInstance;
  sim?: SimChannel;
  feishu?: FeishuChannel;
  wechat?: WechatChannel;
  bindings: StaffBindings;
  metrics: Metrics;
  outbox: Outbox;
  outboxQueue: OutboxQueue;
  timers: SlaTimers;
  digest: DigestScheduler;
  health: HealthMonitor;
  /** Handles one message end to end (handler + sends); never throws. */
  dispatch(msg: IncomingMessage): Promise<void>;
  listen(port: number, host: string): Promise<string>;
  stop(): Promise<void>;
}

/** Wires the bot: Redis, store, channels, handlers, outbox, HTTP server. */
export async function createApp(o: AppOptions): Promise<App> {
  const redis = connectRedis(o.redisUrl);
  redis.on('error', (err) => o.log.warn({ err: err.message }, 'redis connection error'));
  const now = o.now ?? (() => Date.now());
  const hooks: TicketHooks = {};
  const metrics = new Metrics(async () => {
    const open = await services.store.openTickets();
    const byLevel: Record<string, number> = {};
    for (const t of open) byLevel[`${t.level}/${t.status}`] = (byLevel[`${t.level}/${t.status}`] ?? 0) + 1;
    return { open: byLevel, clocks: open.reduce((n, t) => n + openClocks(t).length, 0) };
  });
  const knowledge = new KnowledgeBase(o.knowledgeDir, o.log);
  knowledge.watch();
  const services: Services = {
    policy: o.policy,
    store: new TicketStore(redis),
    pending: new PendingAttachments(redis, o.policy.followUpWindow),
    classify: (t) => {
      const c = classifier().classify(t);
      metrics.classified.inc({ label: c.label });
      return c;
    },
    now,
    log: o.log,
    hooks,
    knowledge,
    answers: new AnswerStore(redis, o.policy.handoffWindow),
    inspections: new InspectionStore(redis),
    flood: new FloodGuard(redis, o.policy.flood.messages, o.policy.flood.window),
    ...(o.publicUrl ? { reportLink: (t: Ticket) => (t.reportToken ? `${o.publicUrl!.replace(/\/$/, '')}/reports/${t.n}?t=${t.reportToken}` : undefined) } : {}),
  };
  classifier(); // train before the first message, not during it

  const role = o.role ?? 'all';
  const intake = role !== 'worker';
  const background = role !== 'web';
  // Every role knows every configured platform (messages are resolved where they are enqueued).
  const platforms: Platform[] = [...(o.simulator ? (['sim'] as const) : []), ...(o.feishu ? (['feishu'] as const) : []), ...(o.wechat ? (['wechat'] as const) : [])];
  const channels = new Map<Platform, Channel>();
  const sim = o.simulator ? new SimChannel(redis, () => services.policy, now) : undefined;
  if (sim) channels.set('sim', sim);
  // Platform SDKs are loaded only when configured (the Feishu SDK alone is ~70 MB of memory).
  const feishu = o.feishu ? new (await import('./channels/feishu/feishu-channel.ts')).FeishuChannel(o.feishu, redis, () => services.policy, o.log, o.feishuRetry) : undefined;
  if (feishu) channels.set('feishu', feishu);
  const bindings = new StaffBindings(redis);
  const outbox = new Outbox(platforms, channels, () => services.policy, o.log, (p, staffId) => bindings.userFor(p, staffId));
  const outboxQueue = new OutboxQueue(redis, outbox, o.log, o.outboxRetry);
  outboxQueue.onResult = (platform, result) => metrics.outbox.inc({ platform, result });
  // WeChat runs where the background work runs: one instance (lease lock) logs in, and it alone sends.
  const wechat =
    o.wechat && background
      ? new (await import('./channels/wechat/wechat-channel.ts')).WechatChannel(o.wechat.config, redis, bindings, () => services.policy, o.log, {
          ...o.wechat,
          // A logout is told to the team lead on whatever other channel reaches them (else the log).
          alert: async (text) => {
            await outboxQueue.enqueue(`alert-${now()}`, membersWithRole(services.policy, 'lead').map((m) => ({ dest: { to: 'staff' as const, staffId: m.id }, msg: { text } })));
          },
          active: async (on) => (on ? outboxQueue.startWorker('wechat') : outboxQueue.stopWorker('wechat')),
        })
      : undefined;
  if (wechat) channels.set('wechat', wechat);
  const timers = new SlaTimers({ redis, store: services.store, outbox: outboxQueue, policy: () => services.policy, log: o.log, ...(o.sweepEvery ? { sweepEvery: o.sweepEvery } : {}), observe: (f) => {
      metrics.timerFired(f.jobId, f.firedAt - f.at);
      o.observeTimers?.(f);
    } });
  hooks.created = async (t) => {
    metrics.ticketsCreated.inc({ level: t.level });
    await timers.sync(undefined, t);
  };
  hooks.changed = (before, after) => timers.sync(before, after);
  const health = new HealthMonitor(redis, services, outboxQueue);
  const inspectionReminders = new InspectionReminders(redis, services, outboxQueue);
  const digest = new DigestScheduler(redis, services.store, services.inspections, outboxQueue, () => services.policy, o.log);
  if (background) {
    if (sim) outboxQueue.startWorker('sim');
    if (feishu) outboxQueue.startWorker('feishu');
    await timers.start();
    await digest.start();
    await health.start();
    await inspectionReminders.start();
  }

  // Replies go through the outbox queue like everything else: durable before the platform's
  // request is answered, retried if the platform fails, keyed by the message so a redelivered
  // message is not answered twice.
  const dispatch = async (msg: IncomingMessage) => {
    const stopTimer = metrics.handling.startTimer({ platform: msg.platform });
    try {
      const out = await handleIncoming(msg, services);
      await outboxQueue.deliver(`in-${msg.platform}-${msg.messageId}`, out);
    } catch (err) {
      o.log.error({ err, platform: msg.platform, messageId: msg.messageId }, 'message handling failed');
      throw err;
    } finally {
      stopTimer();
    }
  };
  const onCard = async (click: Parameters<typeof handleCardClick>[0]) => {
    const { out, result } = await handleCardClick(click, services);
    await outboxQueue.deliver(`card-${click.platform}-${click.clickId}`, out);
    return result;
  };
  if (intake) {
    if (sim) await sim.start(dispatch);
    if (feishu) await feishu.start(dispatch, onCard);
  }
  if (wechat) await wechat.start(dispatch);

  const server = buildServer({
    log: o.log,
    policy: () => services.policy,
    ...(sim && intake ? { sim } : {}),
    ...(o.wechat ? { wechatQr: () => wechatLoginQr(redis) } : {}),
    ...(intake
      ? {
          reportPage: async (n: number, token: string | undefined, admin: string | undefined) => {
            const t = await services.store.get(n);
            if (!t || !mayView(t, token, admin, o.adminToken)) return { status: 404, html: '<!doctype html><meta charset="utf-8"><h1>未找到该服务报告</h1><p>链接无效或已过期。</p>' };
            return { status: 200, html: reportPageHtml(t, services.policy) };
          },
        }
      : {}),
    ...(feishu && intake && o.feishu?.mode === 'webhook' ? { feishuWebhook: (raw: string, h: Record<string, string | string[] | undefined>) => feishu.handleWebhook(raw, h) } : {}),
    metrics: async () => ({ type: metrics.registry.contentType, body: await metrics.registry.metrics() }),
    failedSends: () => outboxQueue.failed(),
    retryFailedSends: () => outboxQueue.retryFailed(),
    ...(o.adminToken ? { adminToken: o.adminToken } : {}),
    ready: async () => {
      // Commands wait through a Redis outage (maxRetriesPerRequest: null): bound the probe instead.
      const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no answer within 1 s')), 1000).unref());
      try {
        if (['reconnecting', 'close', 'end'].includes(redis.status)) throw new Error(`connection ${redis.status}`);
        await Promise.race([redis.ping(), timeout]);
      } catch (e) {
        return { ok: false, reason: `redis: ${(e as Error).message}` };
      }
      const problems = [
        ...(background ? [...outboxQueue.stalledWorkers().map((p) => `outbox-${p}`), ...(timers.running ? [] : ['sla'])].map((q) => `queue ${q}: worker not running`) : []),
        ...[...channels.values()].map((c) => c.status?.() ?? { ok: true }).filter((st) => !st.ok).map((st) => st.reason ?? 'channel not connected'),
      ];
      return problems.length ? { ok: false, reason: problems.join('; ') } : { ok: true, role };
    },
  });

  return {
    role,
    redis,
    services,
    server,
    ...(sim ? { sim } : {}),
    ...(feishu ? { feishu } : {}),
    ...(wechat ? { wechat } : {}),
    bindings,
    metrics,
    outbox,
    outboxQueue,
    timers,
    digest,
    health,
    dispatch,
    listen: (port, host) => server.listen({ port, host }),
    async stop() {
      await server.close(); // no new requests
      for (const ch of channels.values()) await ch.stop(); // no new messages
      await timers.stop(); // running jobs finish (they enqueue their messages)
      await digest.stop();
      await health.stop();
      await inspectionReminders.stop();
      await outboxQueue.stop(); // running sends finish; the rest stay queued for the next start
      knowledge.close();
      redis.disconnect();
    },
  };
}
