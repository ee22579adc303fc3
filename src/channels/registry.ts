import { feishu } from './feishu/plugin.ts';
import type { ChannelPlugin } from './plugin.ts';
import { simulator } from './simulator/plugin.ts';
import { wechat } from './wechat/plugin.ts';
import { wecom } from './wecom/plugin.ts';

/** Every chat platform the bot speaks. A new platform is one folder beside these and one line here. */
export const CHANNELS = [simulator, feishu, wechat, wecom] as const;

type Plugins = (typeof CHANNELS)[number];
type ConfigOf<P> = P extends ChannelPlugin<string, infer C> ? C : never;

/** Each configured platform's settings, by platform name. */
export type ChannelConfigs = { [P in Plugins as P['name']]?: ConfigOf<P> };

/** The platform names a policy's `ids` may use. */
export const PLATFORM_NAMES: readonly string[] = CHANNELS.map((c) => c.name);

/** The platforms configured by the environment; fallback plugins (the simulator) decide last. */
export function configureChannels(env: NodeJS.ProcessEnv, production: boolean): ChannelConfigs {
  const out: Record<string, unknown> = {};
  for (const fallback of [false, true])
    for (const p of CHANNELS) {
      if (!!p.fallback !== fallback) continue;
      const cfg = (p as ChannelPlugin<string, unknown>).configure(env, { production, othersConfigured: Object.keys(out).length > 0 });
      if (cfg !== undefined) out[p.name] = cfg;
    }
  return out as ChannelConfigs;
}
