import { z } from 'zod';

/** Feishu settings from the environment (docs/feishu.md). */
export const feishuEnvSchema = z.object({
  FEISHU_APP_ID: z.string().min(1),
  FEISHU_APP_SECRET: z.string().min(1),
  FEISHU_ENCRYPT_KEY: z.string().optional(),
  FEISHU_VERIFICATION_TOKEN: z.string().optional(),
  /** `feishu` (default), `lark`, or any base URL such as http://127.0.0.1:8080. */
  FEISHU_DOMAIN: z.string().default('feishu'),
  FEISHU_MODE: z.enum(['ws', 'webhook']).default('ws'),
});

export interface FeishuConfig {
  appId: string;
  appSecret: string;
  encryptKey?: string;
  verificationToken?: string;
  /** `feishu`, `lark` or a base URL. */
  domain: string;
  mode: 'ws' | 'webhook';
  /** Quick retries of one API call inside the channel (tests shorten them; the outbox retries longer). */
  retry?: { retries?: number; retryBaseMs?: number };
}

/**
 * In production mode (NODE_ENV=production) webhook events must be signed and encrypted: a
 * verification token alone travels in the clear and proves nothing about the body.
 */
export function feishuConfig(env: NodeJS.ProcessEnv, opts: { production?: boolean } = {}): FeishuConfig | undefined {
  if (!env.FEISHU_APP_ID) return undefined;
  const r = feishuEnvSchema.safeParse(env);
  if (!r.success) throw new Error(`invalid Feishu settings: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const e = r.data;
  if (e.FEISHU_DOMAIN !== 'feishu' && e.FEISHU_DOMAIN !== 'lark' && !/^https?:\/\/[^/]+/.test(e.FEISHU_DOMAIN))
    throw new Error(`invalid Feishu settings: FEISHU_DOMAIN must be feishu, lark or a base URL (value: "${e.FEISHU_DOMAIN}")`);
  if (e.FEISHU_MODE === 'webhook' && opts.production && !e.FEISHU_ENCRYPT_KEY)
    throw new Error('invalid Feishu settings: in production mode (NODE_ENV=production) webhook mode needs FEISHU_ENCRYPT_KEY, so events are signed and encrypted');
  if (e.FEISHU_MODE === 'webhook' && !e.FEISHU_ENCRYPT_KEY && !e.FEISHU_VERIFICATION_TOKEN)
    throw new Error('invalid Feishu settings: webhook mode needs FEISHU_ENCRYPT_KEY (recommended) or FEISHU_VERIFICATION_TOKEN to reject forged events');
  return {
    appId: e.FEISHU_APP_ID,
    appSecret: e.FEISHU_APP_SECRET,
    ...(e.FEISHU_ENCRYPT_KEY ? { encryptKey: e.FEISHU_ENCRYPT_KEY } : {}),
    ...(e.FEISHU_VERIFICATION_TOKEN ? { verificationToken: e.FEISHU_VERIFICATION_TOKEN } : {}),
    domain: e.FEISHU_DOMAIN.replace(/\/+$/, ''),
    mode: e.FEISHU_MODE,
  };
}
