import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Policy } from '../../domain/contract/policy.ts';
import { zodReason } from '../../server/zod-reason.ts';
import { postBodySchema, SimError, type SimChannel } from './sim-channel.ts';
import { projectPath } from '../../paths.ts';

const PAGE = projectPath('src', 'channels', 'simulator', 'page.html');

/** The simulator's page and API (README "Simulator API"). */
export function simRoutes(app: FastifyInstance, sim: SimChannel, policy: () => Policy): void {
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
    bot: { id: 'bot', name: policy().bot.name },
    timezone: policy().timezone,
    // `role` (added): `school` groups are for everyone, `team` groups for the roster; the page shows
    // each person only the chats they are in.
    groups: sim.groupChats().map((g) => ({ ...g, role: policy().chats.find((c) => c.ids.sim === g.id)?.role ?? 'school' })),
    private: await sim.privateChats(),
    roster: policy().roster.filter((m) => m.ids.sim).map((m) => ({ id: m.ids.sim!, name: m.name, title: m.title })),
  }));

  // Live updates for the page (Server-Sent Events); the page falls back to polling. They end when
  // the server closes, so a stop does not wait for open pages.
  const streams = new Set<import('node:http').ServerResponse>();
  app.addHook('preClose', async () => {
    for (const res of streams) res.end();
  });
  app.get('/sim/stream', (req, reply) => {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.write(': connected\n\n');
    streams.add(res);
    const off = sim.subscribeAll((m) => res.write(`data: ${JSON.stringify(m)}\n\n`));
    const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
    req.raw.on('close', () => {
      clearInterval(ping);
      streams.delete(res);
      off();
    });
  });
}
