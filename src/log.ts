import { pino, type Logger } from 'pino';

export type { Logger };

/** Structured logs; message bodies and secrets never go in at info level (redacted paths below). */
export function createLogger(level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    level,
    base: { app: 'aftersales-bot' },
    redact: { paths: ['*.text', '*.secret', '*.token', '*.appSecret', 'text', 'secret', 'token'], censor: '[redacted]' },
  });
}
