import { timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { z } from 'zod';
import { postBodySchema, SimError, type SimChannel } from '../channels/simulator/sim-channel.ts';
import type { Policy } from '../domain/policy.ts';

const PAGE = fileURLToPath(new URL('./sim-page.html', import.meta.url));

declare module 'fastify' {
  interface FastifyRequest {
    /** The body exactly as received (Feishu signs the raw bytes). */
    rawBody?: string;
  }
}

export interface ServerDeps {
  log: Logger;
  policy: () => Policy;
  sim?: SimChannel;
  ready: () => Promise<{ ok: boolean; reason?: string }>;
  /** Admin: sends that failed for good; needs ADMIN_TOKEN. */
  failedSends?: () => Promise<unknown[]>;
  /** Admin: queue every failed send again; needs ADMIN_TOKEN. */
  retryFailedSends?: () => Promise<number>;
  adminToken?: string;
  /** Prometheus exposition. */
  metrics?: () => Promise<{ type: string; body: string }>;
  /** The printable service report of a ticket: HTML, or the status to answer. */
  reportPage?: (n: number, token: string | undefined, admin: string | undefined) => Promise<{ status: number; html: string }>;
  /** WeChat: the login QR waiting to be scanned, for the admin page. */
  wechatQr?: () => Promise<{ svg: string; status: number; at: number } | undefined>;
  /** Feishu webhook mode: events and card callbacks. */
  feishuWebhook?: (rawBody: string, headers: Record<string, string | string[] | undefined>) => Promise<{ status: number; body: unknown }>;
}

/** One HTTP server: the simulator's page and API, health; later the Feishu webhook and reports. */
export function buildServer(deps: ServerDeps): FastifyInstance {
  const app = Fastify({ loggerInstance: deps.log.child({ mod: 'http' }) as FastifyBaseLogger, logController: new LogController({ disableRequestLogging: true }), bodyLimit: 1024 * 1024, forceCloseConnections: true });

  // Every body is read as text and parsed here, so non-JSON gets a 400 with a reason (not a 415).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (req, body, done) => {
    const text = String(body);
    req.rawBody = text;
    if (!text) return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(Object.assign(new Error('body is not valid JSON'), { statusCode: 400 }), undefined);
    }
  });

  const report = deps.reportPage;
  if (report) {
    const q = z.object({ t: z.string().optional(), admin: z.string().optional() });
    app.get('/reports/:n', async (req, reply) => {
      const n = Number((req.params as { n: string }).n);
      const query = q.safeParse(req.query);
      if (!Number.isInteger(n) || n < 1 || !query.success) return reply.code(404).type('text/html; charset=utf-8').send('<h1>未找到</h1>');
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const r = await report(n, query.data.t, bearer ?? query.data.admin);
      return reply.code(r.status).type('text/html; charset=utf-8').send(r.html);
    });
  }

  const qr = deps.wechatQr;
  if (qr) {
    app.get('/wechat/login', async (_req, reply) => {
      const q = await qr();
      const body = q
        ? `<h1>微信登录</h1><p>请用机器人的微信账号扫码（每次刷新页面获取最新二维码）。</p>${q.svg}`
        : '<h1>微信登录</h1><p>当前没有待扫描的二维码：机器人已登录，或由另一实例负责微信。</p>';
      return reply.type('text/html; charset=utf-8').send(`<!doctype html><html lang="zh-CN"><meta charset="utf-8"><meta http-equiv="refresh" content="15"><title>微信登录 · 售后助手</title><body style="font-family:sans-serif;max-width:420px;margin:40px auto">${body}</body></html>`);
    });
  }

  const feishu = deps.feishuWebhook;
  if (feishu) {
    // Routes match with or without a query string (a pitfall of the SDK's own adapter).
    const hook = async (req: { rawBody?: string; headers: Record<string, string | string[] | undefined> }, reply: { code(n: number): { send(b: unknown): unknown } }) => {
      const r = await feishu(req.rawBody ?? '', req.headers);
      return reply.code(r.status).send(r.body);
    };
    app.post('/feishu/events', hook);
    app.post('/feishu/card', hook);
  }
  app.setErrorHandler((err: Error & { statusCode?: number }, _req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) deps.log.error({ err }, 'request failed');
    void reply.code(status).send({ error: status === 500 ? 'internal error' : err.message });
  });
  app.setNotFoundHandler((_req, reply) => void reply.code(404).send({ error: 'not found' }));

  app.get('/healthz', async () => ({ ok: true }));
  const isAdmin = (authorization: string | undefined) => {
    const given = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
    return !!deps.adminToken && !!given && safeEqual(given, deps.adminToken);
  };
  const adminRefused = { error: 'admin token required (Authorization: Bearer <ADMIN_TOKEN>)' };
  const failed = deps.failedSends;
  if (failed) {
    app.get('/admin/outbox/failed', async (req, reply) => {
      if (!isAdmin(req.headers.authorization)) return reply.code(401).send(adminRefused);
      return { failed: await failed() };
    });
  }
  const retry = deps.retryFailedSends;
  if (retry) {
    app.post('/admin/outbox/retry', async (req, reply) => {
      if (!isAdmin(req.headers.authorization)) return reply.code(401).send(adminRefused);
      const retried = await retry();
      deps.log.info({ retried }, 'failed sends queued again by an admin');
      return { retried };
    });
  }

  const metrics = deps.metrics;
  if (metrics) {
    app.get('/metrics', async (_req, reply) => {
      const m = await metrics();
      return reply.type(m.type).send(m.body);
    });
  }
  app.get('/readyz', async (_req, reply) => {
    const r = await deps.ready();
    return reply.code(r.ok ? 200 : 503).send(r);
  });

  const sim = deps.sim;
  if (sim) {
    let page: string | undefined;
    app.get('/', async (_req, reply) => reply.type('text/html; charset=utf-8').send((page ??= readFileSync(PAGE, 'utf8'))));

    app.post('/sim/messages', async (req, reply) => {
      if (req.body === undefined) return reply.code(400).send({ error: 'body required: {"chat","user":{"id","name"},"text","mention"?}' });
      const parsed = postBodySchema.safeParse(req.body);
      if (!parsed.success) return reply.code(400).send({ error: zodReason(parsed.error) });
      try {
        const m = await sim.post(parsed.data);
        return reply.code(201).send({ id: m.id });
      } catch (e) {
        if (e instanceof SimError) return reply.code(e.status).send({ error: e.message });
        throw e;
      }
    });

    const listQuery = z.object({ chat: z.string().min(1), since: z.coerce.number().optional() });
    app.get('/sim/messages', async (req, reply) => {
      const q = listQuery.safeParse(req.query);
      if (!q.success) return reply.code(400).send({ error: zodReason(q.error) });
      if (!sim.chatKind(q.data.chat)) return reply.code(404).send({ error: `unknown chat "${q.data.chat}"` });
      return { messages: await sim.history(q.data.chat, q.data.since) };
    });

    app.get('/sim/chats', async () => ({
      bot: { id: 'bot', name: deps.policy().bot.name },
      timezone: deps.policy().timezone,
      groups: sim.groupChats(),
      private: await sim.privateChats(),
      roster: deps.policy().roster.filter((m) => m.ids.sim).map((m) => ({ id: m.ids.sim!, name: m.name, title: m.title })),
    }));

    // Live updates for the page (Server-Sent Events); the page falls back to polling.
    app.get('/sim/stream', (req, reply) => {
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
      res.write(': connected\n\n');
      const off = sim.subscribeAll((m) => res.write(`data: ${JSON.stringify(m)}\n\n`));
      const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
      req.raw.on('close', () => {
        clearInterval(ping);
        off();
      });
    });
  }
  return app;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function zodReason(e: z.ZodError): string {
  return e.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
}
