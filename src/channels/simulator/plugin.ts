import { z } from 'zod';
import { definePlugin } from '../plugin.ts';
import { simRoutes } from './routes.ts';
import { SimChannel } from './sim-channel.ts';

const flag = z.enum(['0', '1', 'true', 'false', 'yes', 'no', '']).transform((v) => v === '1' || v === 'true' || v === 'yes');
const env = z.object({ SIM_ENABLED: flag.optional() });

/** The local chat simulator: on by default unless a real platform is configured (SIM_ENABLED forces it). */
export const simulator = definePlugin({
  name: 'sim',
  env,
  fallback: true,
  listensWith: 'intake',
  sendsFrom: 'everywhere',
  configure(e, o): Record<string, never> | undefined {
    const r = env.safeParse(e);
    if (!r.success) throw new Error(`invalid simulator settings: SIM_ENABLED must be 0 or 1 (value: ${JSON.stringify(e.SIM_ENABLED)})`);
    const on = r.data.SIM_ENABLED ?? !o.othersConfigured;
    return on ? {} : undefined;
  },
  async create(_config, ctx) {
    return new SimChannel(ctx.redis, ctx.policy, ctx.now);
  },
  routes(r) {
    if (r.intake && r.channel) simRoutes(r.server, r.channel, r.policy);
  },
});
