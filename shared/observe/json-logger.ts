import { DriftlessError } from '../errors/index.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import { redactText, redactValue } from './redact.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const SEVERITY: Readonly<Record<LogLevel, number>> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Keys the logger writes itself; a field of the same name is kept under `field.<name>`. */
const RESERVED = new Set(['level', 'timestamp', 'message']);

export interface JsonLoggerOptions {
  /** Receives one JSON document per call, without a newline; in Lambda, a line on stdout. */
  readonly write: (line: string) => void;
  readonly clock: Clock;
  /** Lines below this level are dropped; default info. */
  readonly level?: LogLevel;
  /** Written on every line, e.g. `{ service: 'sync-worker' }`. */
  readonly fields?: Readonly<Record<string, unknown>>;
}

/**
 * Structured logs as JSON lines: level, timestamp, message, then the fields of the logger and its
 * parents (app, operation, revision...) and of the call, the call's winning. Everything passes
 * through redaction, so a token in a field, a URL or an error message never reaches the log.
 */
export class JsonLogger implements Logger {
  readonly #options: JsonLoggerOptions;
  readonly #threshold: number;

  constructor(options: JsonLoggerOptions) {
    this.#options = options;
    this.#threshold = SEVERITY[options.level ?? 'info'];
  }

  debug(message: string, fields?: Record<string, unknown>): void {
    this.#log('debug', message, fields);
  }

  info(message: string, fields?: Record<string, unknown>): void {
    this.#log('info', message, fields);
  }

  warn(message: string, fields?: Record<string, unknown>): void {
    this.#log('warn', message, fields);
  }

  error(message: string, fields?: Record<string, unknown>): void {
    this.#log('error', message, fields);
  }

  child(fields: Record<string, unknown>): Logger {
    return new JsonLogger({ ...this.#options, fields: { ...this.#options.fields, ...fields } });
  }

  #log(level: LogLevel, message: string, fields: Record<string, unknown> = {}): void {
    if (SEVERITY[level] < this.#threshold) return;
    const line: Record<string, unknown> = {
      level,
      timestamp: this.#options.clock.now().toISOString(),
      message: redactText(message),
    };
    const merged = redactValue({ ...this.#options.fields, ...fields }) as Record<string, unknown>;
    for (const [key, value] of Object.entries(merged)) {
      line[RESERVED.has(key) ? `field.${key}` : key] = value;
    }
    try {
      this.#options.write(JSON.stringify(line));
    } catch {
      // A log line must never break the work it describes (a closed stdout, say).
    }
  }
}

/** Reads a level from configuration (LOG_LEVEL); anything unknown is an error naming the value. */
export function parseLogLevel(text: string | undefined, fallback: LogLevel = 'info'): LogLevel {
  if (text === undefined || text.trim() === '') return fallback;
  const level = text.trim().toLowerCase();
  if (Object.hasOwn(SEVERITY, level)) return level as LogLevel;
  throw new DriftlessError('INTERNAL', `log level "${text}" is not one of debug, info, warn, error`);
}
