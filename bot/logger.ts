import { pino, type DestinationStream, type Logger } from 'pino';
import { PinoPretty } from 'pino-pretty';

export type { Logger };

/** How log lines are written: JSON for machines, or readable lines for a person at a terminal. */
export interface LoggerOptions {
  /** Readable, coloured lines (pino-pretty) instead of JSON; `npm start` asks for them when stdout is a terminal. */
  readonly pretty?: boolean;
  /** Where lines go (default: stdout). */
  readonly destination?: DestinationStream;
}

/** Creates the structured logger; message text is only ever logged at debug level by callers. */
export function createLogger(level: string, options: LoggerOptions = {}): Logger {
  const settings = {
    level,
    base: { app: 'mcid-link-assistant' },
    redact: { paths: ['*.password', '*.appPassword', '*.authorization', '*.text'], censor: '[redacted]' },
  };
  if (options.pretty) {
    // In-process and synchronous (no worker thread), so the last lines before an exit are not lost.
    const pretty = PinoPretty({
      colorize: options.destination === undefined,
      destination: options.destination ?? 1,
      sync: true,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname,app',
      singleLine: true,
    });
    return pino(settings, pretty);
  }
  return options.destination ? pino(settings, options.destination) : pino(settings);
}

/** Whether log lines should be readable rather than JSON: only when stdout is a terminal a person is reading. */
export function wantsPrettyLogs(stdout: { isTTY?: boolean }): boolean {
  return stdout.isTTY === true;
}

/** A logger that writes nothing, for tests. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
