import { timingSafeEqual } from 'node:crypto';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { z } from 'zod';
import { PAGE_NOT_FOUND } from '../views/report-page.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The body exactly as received (Feishu signs the raw bytes). */
    rawBody?: string;
  }
}

export interface ServerDeps {
  log: Logger;
  /** True once a graceful stop began: new messages are refused with 503 (platforms retry) while those in flight finish. */
  draining?: () => boolean;
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
}

/**
 * The one HTTP server: health, readiness, metrics, admin endpoints and service reports. Chat
 * platforms add their own routes (webhooks, the simulator's page) through their plugin.
 */
export function buildServer(deps: ServerDeps): FastifyInstance {
  // On close, idle keep-alive connections are cut at once; requests in flight are finished.
  const app = Fastify({ loggerInstance: deps.log.child({ mod: 'http' }) as FastifyBaseLogger, logController: new LogController({ disableRequestLogging: true }), bodyLimit: 1024 * 1024, forceCloseConnections: 'idle' });
  const draining = deps.draining;
  if (draining) {
    app.addHook('onRequest', async (req, reply) => {
      if (!draining()) return;
      if (req.method === 'POST' || req.url.startsWith('/readyz')) return reply.code(503).send({ error: 'shutting down: try again shortly' });
    });
    // Answers sent while stopping end their connection, so the close does not wait on keep-alives.
    app.addHook('onSend', async (_req, reply) => {
      if (draining()) reply.header('connection', 'close');
    });
  }

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
      if (!Number.isInteger(n) || n < 1 || !query.success) return reply.code(404).type('text/html; charset=utf-8').send(PAGE_NOT_FOUND);
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const r = await report(n, query.data.t, bearer ?? query.data.admin);
      return reply.code(r.status).type('text/html; charset=utf-8').send(r.html);
    });
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
  return app;
}

export function safeEqual(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
