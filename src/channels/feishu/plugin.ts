import { definePlugin } from '../plugin.ts';
import { feishuConfig, feishuEnvSchema, type FeishuConfig } from './config.ts';
import type { FeishuChannel } from './feishu-channel.ts';

/** Feishu through the official SDK (docs/feishu.md); the SDK is loaded only when configured (~70 MB). */
export const feishu = definePlugin({
  name: 'feishu',
  env: feishuEnvSchema,
  listensWith: 'intake',
  sendsFrom: 'everywhere',
  configure: (env, o): FeishuConfig | undefined => feishuConfig(env, o),
  async create(config, ctx): Promise<FeishuChannel> {
    const { FeishuChannel } = await import('./feishu-channel.ts');
    return new FeishuChannel(config, ctx.redis, ctx.policy, ctx.log, config.retry);
  },
  routes({ server, config, channel, intake }) {
    if (!intake || !channel || config.mode !== 'webhook') return;
    // Events and card callbacks; routes match with or without a query string (a pitfall of the SDK's own adapter).
    const hook = async (req: { rawBody?: string; headers: Record<string, string | string[] | undefined> }, reply: { code(n: number): { send(b: unknown): unknown } }) => {
      const r = await channel.handleWebhook(req.rawBody ?? '', req.headers);
      return reply.code(r.status).send(r.body);
    };
    server.post('/feishu/events', hook);
    server.post('/feishu/card', hook);
  },
});
