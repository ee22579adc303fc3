import { pino } from 'pino';
import type { Command } from '../../handlers/commands/command.ts';
import { createApp, type App, type Role } from '../../src/app.ts';
import { loadPolicy } from '../../src/config/policy-file.ts';
import type { Policy } from '../../src/domain/contract/policy.ts';

export interface TestBot {
  app: App;
  url: string;
  post(body: unknown): Promise<{ status: number; json: Record<string, unknown> }>;
  messages(chat: string): Promise<{ id: string; chat: string; from: { id: string; name: string }; text: string; ts: number; card?: unknown }[]>;
  botTexts(chat: string): Promise<string[]>;
  stop(): Promise<void>;
}

/** The whole bot with the simulator on a free port, against the given Redis. */
export async function startTestBot(redisUrl: string, opts: { policy?: Policy; now?: () => number; role?: Role; commands?: readonly Command[] } = {}): Promise<TestBot> {
  const app = await createApp({
    redisUrl,
    policy: opts.policy ?? loadPolicy(undefined),
    log: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    channels: { sim: {} },
    ...(opts.now ? { now: opts.now } : {}),
    ...(opts.role ? { role: opts.role } : {}),
    ...(opts.commands ? { commands: opts.commands } : {}),
  });
  const url = await app.listen(0, '127.0.0.1');
  const bot: TestBot = {
    app,
    url,
    async post(body) {
      const res = await fetch(`${url}/sim/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
      return { status: res.status, json: (await res.json()) as Record<string, unknown> };
    },
    async messages(chat) {
      const res = await fetch(`${url}/sim/messages?chat=${encodeURIComponent(chat)}`);
      if (res.status !== 200) throw new Error(`GET messages ${chat}: ${res.status}`);
      return ((await res.json()) as { messages: Awaited<ReturnType<TestBot['messages']>> }).messages;
    },
    async botTexts(chat) {
      return (await bot.messages(chat)).filter((m) => m.from.id === 'bot').map((m) => m.text);
    },
    stop: () => app.stop(),
  };
  return bot;
}

export const teacher = { id: 't-wang', name: '王老师' };
