import { wechatLoginPage } from '../../views/pages.ts';
import { definePlugin } from '../plugin.ts';
import { wechatConfig, wechatEnvSchema, type WechatConfig } from './config.ts';
import type { WechatChannel, WechatChannelOptions } from './wechat-channel.ts';

/** Settings from the environment, plus what tests hand in (a Wechaty on the mock puppet, short leases). */
export type WechatPluginConfig = WechatConfig & Omit<WechatChannelOptions, 'alert' | 'active'>;

/**
 * WeChat through wechaty (docs/wechat.md): one login per deployment, so it runs beside the workers
 * and only the instance holding the lease lock sends.
 */
export const wechat = definePlugin({
  name: 'wechat',
  env: wechatEnvSchema,
  listensWith: 'workers',
  sendsFrom: 'listener',
  configure: (env): WechatPluginConfig | undefined => wechatConfig(env),
  async create(config, ctx): Promise<WechatChannel> {
    const { WechatChannel } = await import('./wechat-channel.ts');
    return new WechatChannel(config, ctx.redis, ctx.bindings, ctx.policy, ctx.log, { ...config, alert: (text) => ctx.alertLead(text), active: (on) => ctx.sending(on) });
  },
  routes({ server, redis }) {
    // Any role shows the QR: the instance running the puppet keeps it in Redis.
    server.get('/wechat/login', async (_req, reply) => {
      const { wechatLoginQr } = await import('./login-qr.ts');
      return reply.type('text/html; charset=utf-8').send(wechatLoginPage((await wechatLoginQr(redis))?.svg));
    });
  },
});
