import { z } from 'zod';

const flag = z
  .enum(['0', '1', 'true', 'false', 'yes', 'no', ''])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

/** Every environment variable the bot reads, validated once at start-up. */
export const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  REDIS_URL: z.string().url().optional(),
  AFTERSALES_POLICY: z.string().optional(),
  AFTERSALES_TIME_SCALE: z.coerce.number().positive().max(1000).default(1),
  AFTERSALES_DATA_DIR: z.string().default('data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SIM_ENABLED: flag.optional(),
  /** Base URL people reach the bot at (service-report links); default http://HOST:PORT. */
  PUBLIC_URL: z.string().url().optional(),
  ADMIN_TOKEN: z.string().min(16, 'use at least 16 characters').optional(),
  /** `all` (default), `web` (HTTP + intake) or `worker` (BullMQ workers + WeChat): docs/OPERATIONS.md. */
  AFTERSALES_ROLE: z.enum(['all', 'web', 'worker']).default('all'),
  /** `production` makes webhook signatures and encryption mandatory (the Docker image sets it). */
  NODE_ENV: z.string().optional(),
  FEISHU_APP_ID: z.string().optional(),
  WECHATY_PUPPET: z.string().optional(),
});
export type Env = z.output<typeof envSchema>;

export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const r = envSchema.safeParse(source);
  if (r.success) return r.data;
  const lines = r.error.issues.map((i) => `${i.path.join('.')}: ${i.message} (value: ${JSON.stringify(source[String(i.path[0])])})`);
  throw new Error(`invalid environment:\n  ${lines.join('\n  ')}`);
}

export function productionMode(env: Env): boolean {
  return env.NODE_ENV === 'production';
}

/** The simulator is the default channel; with a real channel configured it needs SIM_ENABLED=1. */
export function simulatorEnabled(env: Env): boolean {
  if (env.SIM_ENABLED !== undefined) return env.SIM_ENABLED;
  return !env.FEISHU_APP_ID && !env.WECHATY_PUPPET;
}
