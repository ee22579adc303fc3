import { definePlugin } from '../plugin.ts';
import { wecomConfig, wecomEnvSchema, type WecomConfig } from './config.ts';
import type { WecomChannel } from './wecom-channel.ts';

/**
 * WeCom (企业微信) through the official AI-bot SDK over a long connection (docs/wecom.md). WeCom
 * keeps one connection per bot, so it runs where intake runs and that process alone sends; the
 * SDK is loaded only when configured.
 */
export const wecom = definePlugin({
  name: 'wecom',
  env: wecomEnvSchema,
  listensWith: 'intake',
  sendsFrom: 'listener',
  configure: (env): WecomConfig | undefined => wecomConfig(env),
  async create(config, ctx): Promise<WecomChannel> {
    const { WecomChannel } = await import('./wecom-channel.ts');
    return new WecomChannel(config, ctx.policy, ctx.log, { sending: (on) => ctx.sending(on), now: ctx.now, redis: ctx.redis, alert: (text) => ctx.alertLead(text) });
  },
});
