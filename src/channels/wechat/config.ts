import { z } from 'zod';

/** WeChat (wechaty) settings from the environment (docs/wechat.md). */
export const wechatEnvSchema = z.object({
  WECHATY_PUPPET: z.string().min(1),
  WECHATY_PUPPET_TOKEN: z.string().optional(),
  /** Minimum spacing of messages to one chat, and of all messages (ms). */
  WECHAT_CHAT_SPACING_MS: z.coerce.number().int().min(0).default(3000),
  WECHAT_GLOBAL_SPACING_MS: z.coerce.number().int().min(0).default(1000),
});

export interface WechatConfig {
  puppet: string;
  token?: string;
  chatSpacingMs: number;
  globalSpacingMs: number;
}

export function wechatConfig(env: NodeJS.ProcessEnv): WechatConfig | undefined {
  if (!env.WECHATY_PUPPET) return undefined;
  const r = wechatEnvSchema.safeParse(env);
  if (!r.success) throw new Error(`invalid WeChat settings: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return {
    puppet: r.data.WECHATY_PUPPET,
    ...(r.data.WECHATY_PUPPET_TOKEN ? { token: r.data.WECHATY_PUPPET_TOKEN } : {}),
    chatSpacingMs: r.data.WECHAT_CHAT_SPACING_MS,
    globalSpacingMs: r.data.WECHAT_GLOBAL_SPACING_MS,
  };
}
