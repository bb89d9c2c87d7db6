import { pino, type Logger } from 'pino';

export type { Logger };

/** Creates the structured logger; message text is only ever logged at debug level by callers. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { app: 'mcid-link-assistant' },
    redact: { paths: ['*.password', '*.appPassword', '*.authorization', '*.text'], censor: '[redacted]' },
  });
}

/** A logger that writes nothing, for tests. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
