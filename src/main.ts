import { resolve } from 'node:path';
import { createApp, type App } from './app.ts';
import { configureChannels } from './channels/registry.ts';
import { loadEnv, productionMode } from './config/env.ts';
import { loadPolicy } from './config/policy-file.ts';
import { writeFileSync } from 'node:fs';
import { createLogger } from './log.ts';
import { startEmbeddedRedis, type EmbeddedRedis } from './redis/embedded.ts';

/** `npm start` / `npx aftersales start`: the bot, with its own Redis unless REDIS_URL is set. */
export async function startBot(): Promise<void> {
  const env = loadEnv();
  const log = createLogger(env.LOG_LEVEL);
  const policy = loadPolicy(env.AFTERSALES_POLICY, env.AFTERSALES_TIME_SCALE);
  const production = productionMode(env);
  const channels = configureChannels(process.env, production); // validated before anything starts
  let redis: EmbeddedRedis | undefined;
  let app: App | undefined;
  let stopping = false;

  /**
   * Graceful: stop taking messages, let running jobs finish (bounded by 15 s), close Redis, stop the
   * embedded server (it flushes its AOF). A second signal exits at once.
   */
  const shutdown = async (code: number) => {
    if (stopping) {
      log.warn('second signal: exiting now');
      process.exit(code || 1);
    }
    stopping = true;
    log.info('shutting down');
    const bounded = new Promise((r) => setTimeout(r, 15_000).unref());
    try {
      await Promise.race([app?.stop(), bounded]);
    } catch (err) {
      log.error({ err }, 'error while stopping');
    }
    await redis?.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
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
  if (sim && env.AFTERSALES_ROLE !== 'worker') process.stdout.write(`\n  ${policy.bot.name} is running. Chat simulator: http://${env.HOST === '0.0.0.0' ? '127.0.0.1' : env.HOST}:${env.PORT}/\n\n`);
}
