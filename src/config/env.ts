import { z } from 'zod';

/**
 * The bot's own environment variables, validated once at start-up; each chat platform reads its
 * own (src/channels/<platform>/plugin.ts).
 */
export const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  REDIS_URL: z.string().url().optional(),
  AFTERSALES_POLICY: z.string().optional(),
  AFTERSALES_TIME_SCALE: z.coerce.number().positive().max(1000).default(1),
  AFTERSALES_DATA_DIR: z.string().default('data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `auto`: readable lines (pino-pretty) when stdout is a terminal, JSON lines otherwise; `pretty` or `json` force one. */
  LOG_FORMAT: z.enum(['auto', 'pretty', 'json']).default('auto'),
  /** Base URL people reach the bot at (service-report links); default http://HOST:PORT. */
  PUBLIC_URL: z.string().url().optional(),
  ADMIN_TOKEN: z.string().min(16, 'use at least 16 characters').optional(),
  /** `all` (default), `web` (HTTP + intake) or `worker` (BullMQ workers + WeChat): docs/OPERATIONS.md. */
  AFTERSALES_ROLE: z.enum(['all', 'web', 'worker']).default('all'),
  /**
   * How long a message's processing lease lasts without renewal: after a crash, the time before
   * another attempt may handle it and its stored replies are sent (docs/OPERATIONS.md).
   */
  AFTERSALES_INBOX_LEASE_MS: z.coerce.number().int().min(500).max(600_000).default(15_000),
  /** Test hook: `kill-after-commit` SIGKILLs the bot right after a message's effects are stored, before its replies are queued. */
  AFTERSALES_TEST_FAULT: z.enum(['kill-after-commit']).optional(),
  /** `production` makes webhook signatures and encryption mandatory (the Docker image sets it). */
  NODE_ENV: z.string().optional(),
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
