/**
 * Where the server writes what it does. A message says what happened; `fields` carry the ids an
 * operator follows one request or connection by (requestId, connectionId, accountId, personId).
 * Callers never pass a token or a URL's query string. The pino logger (what main.ts uses: one JSON
 * object per line) also blanks token-named fields and anything shaped like a token in a message,
 * as a second line of defence.
 */
import pino, { type DestinationStream } from 'pino';

export type LogFields = Readonly<Record<string, string | number | boolean | null | undefined>>;

export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const withFields = (message: string, fields?: LogFields) =>
  fields
    ? `${message} ${Object.entries(fields)
        .filter(([, value]) => value !== undefined)
        .map(([key, value]) => `${key}=${value}`)
        .join(' ')}`
    : message;

/** Plain lines on the console (tools and tests that read the messages). */
export const consoleLogger: Logger = {
  info: (message, fields) => console.log(withFields(message, fields)),
  warn: (message, fields) => console.warn(withFields(message, fields)),
  error: (message, fields) => console.error(withFields(message, fields)),
};

/** Quiet: errors only (tests start servers quietly). */
export const quietLogger: Logger = {
  info: () => {},
  warn: () => {},
  error: (message, fields) => console.error(withFields(message, fields)),
};

const SECRET_KEYS = ['token', 'authorization', 'password', 'cookie'];
/** Our tokens (ipt_ + 43 base64url characters), a bearer or basic credential, a token in a query string. */
const SECRET_TEXT = /ipt_[A-Za-z0-9_-]+|\b(Bearer|Basic)\s+[^\s,;"']+|([?&](?:token|access_token)=)[^&\s"']+/gi;

/** The text with anything shaped like a credential replaced. */
export function scrubSecrets(text: string): string {
  return text.replace(SECRET_TEXT, (_match, scheme: string | undefined, query: string | undefined) =>
    scheme ? `${scheme} [redacted]` : query ? `${query}[redacted]` : 'ipt_[redacted]',
  );
}

function scrubFields(fields: LogFields | undefined): Record<string, unknown> {
  const clean: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields ?? {})) {
    if (value === undefined) continue;
    clean[key] = SECRET_KEYS.includes(key.toLowerCase()) ? '[redacted]' : typeof value === 'string' ? scrubSecrets(value) : value;
  }
  return clean;
}

export interface PinoLoggerOptions {
  level?: LogLevel;
  /** Defaults to stdout, written synchronously so nothing is lost when the process exits. */
  destination?: DestinationStream;
}

/** JSON lines: `{"level":"info","time":"…","msg":"…",…fields}`. */
export function createPinoLogger(options: PinoLoggerOptions = {}): Logger {
  const logger = pino(
    {
      level: options.level ?? 'info',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
  const at =
    (level: 'info' | 'warn' | 'error') =>
    (message: string, fields?: LogFields): void => {
      if (logger.isLevelEnabled(level)) logger[level](scrubFields(fields), scrubSecrets(message));
    };
  return { info: at('info'), warn: at('warn'), error: at('error') };
}

/** LOG_LEVEL (debug, info, warn, error), or warn when QUIET is set; info otherwise. */
export function logLevelFrom(env: NodeJS.ProcessEnv): LogLevel {
  const wanted = env.LOG_LEVEL?.toLowerCase();
  if (wanted === 'debug' || wanted === 'info' || wanted === 'warn' || wanted === 'error') return wanted;
  if (wanted) throw new Error(`LOG_LEVEL must be debug, info, warn or error, not "${env.LOG_LEVEL}".`);
  return env.QUIET ? 'warn' : 'info';
}
