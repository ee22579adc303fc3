import { z } from 'zod';

/** WeCom (企业微信) AI-bot settings from the environment (docs/wecom.md). */
export const wecomEnvSchema = z.object({
  WECOM_BOT_ID: z.string().min(1),
  WECOM_BOT_SECRET: z.string().min(1),
  /** The long connection's address: the SDK's own (wss://openws.work.weixin.qq.com) unless set (tests, private deployments). */
  WECOM_WS_URL: z.string().regex(/^wss?:\/\/[^/]+/, 'a ws:// or wss:// URL').optional(),
  /** Minimum spacing of messages to one chat, and of all messages (ms). */
  WECOM_CHAT_SPACING_MS: z.coerce.number().int().min(0).default(500),
  WECOM_GLOBAL_SPACING_MS: z.coerce.number().int().min(0).default(100),
});

export interface WecomConfig {
  botId: string;
  secret: string;
  wsUrl?: string;
  chatSpacingMs: number;
  globalSpacingMs: number;
  /** First reconnect delay (ms), doubled each attempt up to the SDK's 30 s (tests shorten it). */
  reconnectMs?: number;
  /** Heartbeat interval (ms): two missed answers and the connection is dropped and re-made. */
  heartbeatMs?: number;
}

export function wecomConfig(env: NodeJS.ProcessEnv): WecomConfig | undefined {
  if (!env.WECOM_BOT_ID && !env.WECOM_BOT_SECRET) return undefined;
  const r = wecomEnvSchema.safeParse(env);
  if (!r.success) throw new Error(`invalid WeCom settings: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const e = r.data;
  return {
    botId: e.WECOM_BOT_ID,
    secret: e.WECOM_BOT_SECRET,
    ...(e.WECOM_WS_URL ? { wsUrl: e.WECOM_WS_URL } : {}),
    chatSpacingMs: e.WECOM_CHAT_SPACING_MS,
    globalSpacingMs: e.WECOM_GLOBAL_SPACING_MS,
  };
}
