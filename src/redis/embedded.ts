import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './free-port.ts';

export interface EmbeddedRedis {
  url: string;
  port: number;
  dir: string;
  process: ChildProcess;
  /** SIGTERM (redis flushes its AOF and exits), SIGKILL after `killAfterMs` (default 10 s). */
  stop(killAfterMs?: number): Promise<void>;
}

export interface EmbeddedRedisOptions {
  /** Data directory (AOF lives here). */
  dir: string;
  port?: number;
  /** Kill redis when this pid disappears, even if it dies by SIGKILL (default: this process). */
  watchPid?: number;
}

/** The settings the bot relies on (DESIGN.md, SDK-NOTES.md): durable AOF, no eviction, 10 ms timer resolution. */
export const REDIS_ARGS = ['--appendonly', 'yes', '--appendfsync', 'everysec', '--maxmemory-policy', 'noeviction', '--hz', '100', '--save', ''];

export function redisServerAvailable(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

export const INSTALL_HINT = [
  'redis-server is not installed. Install it with one of:',
  '  Debian/Ubuntu:  sudo apt-get update && sudo apt-get install -y redis-server',
  '  macOS:          brew install redis',
  '  Docker:         docker run -d -p 6379:6379 redis:7 --appendonly yes --maxmemory-policy noeviction',
  '                  then start the bot with REDIS_URL=redis://127.0.0.1:6379',
].join('\n');

/**
 * Starts a private redis-server child on 127.0.0.1 and waits until it answers PING. A redis left
 * behind by a previous bot that was killed is stopped first (it would share the AOF files).
 */
export async function startEmbeddedRedis(opts: EmbeddedRedisOptions): Promise<EmbeddedRedis> {
  if (!redisServerAvailable()) throw new Error(INSTALL_HINT);
  const dir = resolve(opts.dir);
  mkdirSync(dir, { recursive: true });
  const pidFile = join(dir, 'redis.pid');
  await stopStale(pidFile);
  const port = opts.port ?? (await freePort());
  // Its own process group: a terminal's Ctrl+C (SIGINT to the whole foreground group) reaches the
  // bot only, and the bot stops redis last, after closing its connections (docs/OPERATIONS.md §7).
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--pidfile', pidFile, '--daemonize', 'no', '--loglevel', 'warning', ...REDIS_ARGS], {
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  // Watchdog: stops redis if the owner dies without running its exit handlers (SIGKILL, OOM).
  const owner = opts.watchPid ?? process.pid;
  const dog = spawn('sh', ['-c', `while kill -0 ${owner} 2>/dev/null && kill -0 ${child.pid} 2>/dev/null; do sleep 1; done; kill ${child.pid} 2>/dev/null`], { stdio: 'ignore', detached: true });
  dog.unref();
  stopOnExit(child);
  const url = `redis://127.0.0.1:${port}`;
  try {
    await waitForPing(url, exited, () => stderr);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  let stopped = false;
  const stop = async (killAfterMs = 10_000) => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM'); // redis flushes the AOF on SIGTERM
      const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      await exited;
      clearTimeout(timer);
    }
    try { dog.kill(); } catch { /* already gone */ }
  };
  return { url, port, dir, process: child, stop };
}

/**
 * The owner exits without stop() (process.exit on a second signal or a fatal error): SIGTERM its
 * redis-servers at once rather than when the watchdog next looks.
 */
const children = new Set<ChildProcess>();
let exitHook = false;
function stopOnExit(child: ChildProcess): void {
  if (!exitHook) {
    exitHook = true;
    process.once('exit', () => {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
    });
  }
  children.add(child);
  child.once('exit', () => children.delete(child));
}

async function waitForPing(url: string, exited: Promise<number | null>, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  let dead = false;
  void exited.then(() => (dead = true));
  while (Date.now() < deadline) {
    if (dead) throw new Error(`redis-server exited during start-up: ${stderr().trim()}`);
    const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    r.on('error', () => {}); // refused while starting: expected
    try {
      await r.connect();
      if ((await r.ping()) === 'PONG') return;
    } catch {
      /* not up yet */
    } finally {
      r.disconnect();
    }
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error(`redis-server did not answer within 15 s: ${stderr().trim()}`);
}

async function stopStale(pidFile: string): Promise<void> {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  if (!pid) return;
  let cmd = '';
  try {
    cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    /* not running, or no /proc (macOS): nothing to stop */
  }
  if (cmd.includes('redis-server')) {
    process.kill(pid, 'SIGTERM');
    for (let i = 0; i < 200 && existsSync(`/proc/${pid}`); i++) await new Promise((r) => setTimeout(r, 50));
  }
  rmSync(pidFile, { force: true });
}
