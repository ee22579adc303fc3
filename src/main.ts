import { resolve } from 'node:path';
import { createApp, type App } from './app.ts';
import { configureChannels } from './channels/registry.ts';
import { loadEnv, productionMode } from './config/env.ts';
import { loadPolicy } from './config/policy-file.ts';
import { writeFileSync } from 'node:fs';
import { createLogger } from './log.ts';
import { startEmbeddedRedis, type EmbeddedRedis } from './redis/embedded.ts';

/** From the first SIGINT/SIGTERM to exit, at most (docs/OPERATIONS.md §7). */
const STOP_BUDGET_MS = 4_500;
/** Of which the embedded redis-server's stop gets at least this much (SIGKILL after). */
const REDIS_STOP_MS = 700;
/** A repeated signal within this time is the same request to stop (a forwarded copy). */
const REPEAT_SIGNAL_MS = 1_000;

/** `npm start` / `npx aftersales start`: the bot, with its own Redis unless REDIS_URL is set. */
export async function startBot(): Promise<void> {
  const env = loadEnv();
  const log = createLogger(env.LOG_LEVEL, env.LOG_FORMAT);
  const policy = loadPolicy(env.AFTERSALES_POLICY, env.AFTERSALES_TIME_SCALE);
  const production = productionMode(env);
  const channels = configureChannels(process.env, production); // validated before anything starts
  let redis: EmbeddedRedis | undefined;
  let app: App | undefined;
  let stopping = false;

  /**
   * Graceful, in order and within STOP_BUDGET_MS: stop taking messages, finish those in flight,
   * let running jobs and sends finish, close the workers and Redis connections, then stop the
   * embedded server (it flushes its AOF). A second signal a second or more later exits at once.
   */
  let firstSignalAt = 0;
  const shutdown = async (code: number, signal?: NodeJS.Signals) => {
    if (stopping) {
      // The same Ctrl+C or `systemctl stop` often arrives twice (the terminal signals the process
      // group, npm forwards it to its child): only a later one means "now".
      if (signal && Date.now() - firstSignalAt < REPEAT_SIGNAL_MS) return;
      log.warn('second signal: exiting now');
      process.exit(code || 1);
    }
    stopping = true;
    firstSignalAt = Date.now();
    const deadline = firstSignalAt + STOP_BUDGET_MS;
    log.info({ signal }, 'shutting down');
    let timer: NodeJS.Timeout | undefined;
    const bounded = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), deadline - REDIS_STOP_MS - Date.now())));
    try {
      if ((await Promise.race([app?.stop().then(() => 'done' as const), bounded])) === 'timeout') log.warn({ afterMs: Date.now() - firstSignalAt }, 'stop took too long: stopping Redis anyway');
    } catch (err) {
      log.error({ err }, 'error while stopping');
    }
    clearTimeout(timer);
    await redis?.stop(Math.max(200, deadline - Date.now()));
    log.info({ code, ms: Date.now() - firstSignalAt }, 'stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0, 'SIGINT'));
  process.on('SIGTERM', () => void shutdown(0, 'SIGTERM'));
  process.on('uncaughtException', (err) => {
    log.fatal({ err }, 'uncaught exception');
    void shutdown(1);
  });
  process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled rejection'));

  let redisUrl = env.REDIS_URL;
  if (!redisUrl && env.AFTERSALES_ROLE !== 'all') throw new Error(`AFTERSALES_ROLE=${env.AFTERSALES_ROLE} shares a Redis with the other roles: set REDIS_URL`);
  if (!redisUrl) {
    redis = await startEmbeddedRedis({ dir: resolve(env.AFTERSALES_DATA_DIR, 'redis') });
    redis.process.once('exit', (code) => {
      if (!stopping) {
        log.fatal({ code }, 'embedded redis-server exited');
        void shutdown(1);
      }
    });
    redisUrl = redis.url;
    writeFileSync(resolve(env.AFTERSALES_DATA_DIR, 'redis', 'url'), redis.url); // for `npx aftersales bind-code`
    log.info({ port: redis.port, dir: redis.dir }, 'embedded redis-server started');
  }
  const sim = channels.sim !== undefined;
  const publicUrl = env.PUBLIC_URL ?? `http://${env.HOST === '0.0.0.0' ? '127.0.0.1' : env.HOST}:${env.PORT}`;
  if (production && sim && !['127.0.0.1', 'localhost', '::1'].includes(env.HOST)) log.warn({ host: env.HOST }, 'the chat simulator has no login: keep the port on a private network (docker-compose maps it to 127.0.0.1)');
  const faults = env.AFTERSALES_TEST_FAULT === 'kill-after-commit' ? { afterCommit: () => void process.kill(process.pid, 'SIGKILL') } : undefined;
  app = await createApp({ redisUrl, policy, log, channels, publicUrl, role: env.AFTERSALES_ROLE, inboxLeaseMs: env.AFTERSALES_INBOX_LEASE_MS, ...(env.ADMIN_TOKEN ? { adminToken: env.ADMIN_TOKEN } : {}), ...(faults ? { faults } : {}) });
  const address = await app.listen(env.PORT, env.HOST);
  log.info({ address, role: env.AFTERSALES_ROLE, production, channels: Object.keys(channels), timeScale: env.AFTERSALES_TIME_SCALE }, 'bot started');
  if (sim && env.AFTERSALES_ROLE !== 'worker') process.stdout.write(`\n  ${policy.bot.name} is running. Chat simulator: http://${env.HOST === '0.0.0.0' ? '127.0.0.1' : env.HOST}:${new URL(address).port}/\n\n`);
}
