import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

/** `auto` (default): readable lines when stdout is a terminal, JSON lines otherwise (LOG_FORMAT). */
export type LogFormat = 'auto' | 'pretty' | 'json';

/** Structured logs; message bodies and secrets never go in at info level (redacted paths below). */
export function createLogger(level = process.env.LOG_LEVEL ?? 'info', format: LogFormat = 'auto'): Logger {
  const options = {
    level,
    base: { app: 'aftersales-bot' },
    redact: { paths: ['*.text', '*.secret', '*.token', '*.appSecret', 'text', 'secret', 'token'], censor: '[redacted]' },
  };
  const readable = format === 'pretty' || (format === 'auto' && process.stdout.isTTY === true);
  if (!readable) return pino(options);
  // In this thread and synchronous: nothing is lost when the process exits right after a line, and
  // lines keep their order with what the bot writes to stdout itself.
  return pino(options, pretty({ sync: true, singleLine: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,app' }));
}
