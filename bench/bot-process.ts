/**
 * The bot as production runs it — `node bin/aftersales.js start` (the compiled bundle) in a
 * process of its own — for the benchmark: time from spawn to /readyz, and the process's own
 * memory (VmRSS now, VmHWM = peak, from /proc), not the harness's.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../src/redis/free-port.ts';

export interface BenchBot {
  proc: ChildProcess;
  url: string;
  /** Spawn → first 200 from /readyz. */
  readyMs: number;
  /** Resident memory of the bot process in MB: `now` and the peak since spawn. */
  rss(): { now: number; peak: number };
  /** The bot's Redis: REDIS_URL if given, else the embedded server's address it wrote. */
  redisUrl(): string;
  stop(): Promise<void>;
}

const kb = (status: string, key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);

export async function startBenchBot(env: Record<string, string>): Promise<BenchBot> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'as-bench-'));
  const t0 = performance.now();
  // BENCH_NODE_ARGS: extra node flags for the bot, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" (a profile on exit).
  const nodeArgs = process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const proc = spawn(process.execPath, [...nodeArgs, 'bin/aftersales.js', 'start'], {
    env: { ...process.env, PORT: String(port), LOG_LEVEL: 'warn', LOG_FORMAT: 'json', AFTERSALES_DATA_DIR: dataDir, SIM_ENABLED: '1', ...env },
    stdio: ['ignore', process.env.BENCH_BOT_LOG ? 'pipe' : 'ignore', 'inherit'],
  });
  // BENCH_BOT_LOG=file: the bot's own log (warnings and errors; LOG_LEVEL to change), appended.
  if (process.env.BENCH_BOT_LOG) proc.stdout?.pipe(createWriteStream(process.env.BENCH_BOT_LOG, { flags: 'a' }));
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (proc.exitCode !== null) throw new Error('bot exited during start-up');
    if (await fetch(`${url}/readyz`).then((r) => r.ok, () => false)) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  const readyMs = performance.now() - t0;
  return {
    proc, url, readyMs,
    rss() {
      const s = readFileSync(`/proc/${proc.pid}/status`, 'utf8');
      return { now: Math.round(kb(s, 'VmRSS') / 1024), peak: Math.round(kb(s, 'VmHWM') / 1024) };
    },
    redisUrl: () => env.REDIS_URL ?? readFileSync(join(dataDir, 'redis', 'url'), 'utf8').trim(),
    async stop() {
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (proc.exitCode === null) proc.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
