import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface BotProcess {
  proc: ChildProcess;
  /** The simulator's base URL, e.g. http://127.0.0.1:41234 (the port the bot printed). */
  url: string;
  dataDir: string;
  /** The embedded redis-server's pid, read from <dataDir>/redis/redis.pid while it runs. */
  redisPid: number;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code and signal, or rejects after `ms`. */
  exited(ms: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILLs the whole process group if still running and removes the data dir. */
  cleanup(): void;
}

/**
 * The bot as `npm start` runs it (`['npm', 'start']`) or `['node', 'bin/aftersales.js', 'start']`,
 * with the embedded Redis in a temp data dir, on a free port, in a process group of its own (as a
 * terminal's foreground job: `process.kill(-proc.pid, 'SIGINT')` is a Ctrl+C). Resolves once
 * `/readyz` answers 200.
 */
export async function startBotProcess(command: string[], env: Record<string, string> = {}): Promise<BotProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'as-stop-'));
  const childEnv: NodeJS.ProcessEnv = { ...process.env, PORT: '0', AFTERSALES_DATA_DIR: dataDir, LOG_LEVEL: 'info', SIM_ENABLED: '1', ...env };
  for (const k of Object.keys(childEnv)) if (k === 'REDIS_URL' || k === 'LOG_FORMAT' || k.startsWith('FEISHU_') || k.startsWith('WECHATY_')) if (!(k in env)) delete childEnv[k];
  const [cmd, ...args] = command as [string, ...string[]];
  const proc = spawn(cmd === 'node' ? process.execPath : cmd, args, { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => proc.once('exit', (code, signal) => r({ code, signal })));
  const cleanup = () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      try {
        process.kill(-proc.pid!, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const end = Date.now() + 60_000;
    let url: string | undefined;
    for (;;) {
      if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`bot exited during start-up:\n${out}`);
      if (Date.now() > end) throw new Error(`bot did not start:\n${out}`);
      url ??= /Chat simulator: (http:\/\/[\d.]+:\d+)\//.exec(out)?.[1];
      if (url && (await fetch(`${url}/readyz`).then((r) => r.ok, () => false))) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const redisPid = Number(readFileSync(join(dataDir, 'redis', 'redis.pid'), 'utf8').trim());
    const exited = (ms: number) =>
      new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`still running ${ms} ms later:\n${out}`)), ms);
        void exit.then((e) => (clearTimeout(timer), resolve(e)));
      });
    return { proc, url, dataDir, redisPid, output: () => out, exited, cleanup };
  } catch (err) {
    cleanup();
    throw err;
  }
}

/** Whether a process with this pid exists (a zombie counts as alive). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pino JSON lines of an output with level ≥ `min` (50: error, 60: fatal). */
export function logLinesAtLeast(output: string, min: number): string[] {
  return output.split('\n').filter((line) => {
    if (!line.startsWith('{')) return false;
    try {
      return ((JSON.parse(line) as { level?: number }).level ?? 0) >= min;
    } catch {
      return false;
    }
  });
}
