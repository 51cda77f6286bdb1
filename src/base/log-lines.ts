/**
 * The worker's log lines: each with a timestamp and a level. JSON lines when the stream is not a terminal (log files,
 * docker logs, CloudWatch: `ftm logs --level` and CloudWatch filters read them), a readable line on a terminal.
 */

export const logLevels = ['debug', 'info', 'warn', 'error'] as const
export type LogLevel = (typeof logLevels)[number]

/** Writes one message at a level (info when none is given). */
export type LogFunction = (message: string, level?: LogLevel) => void

/** One line read back: its time and level when our logger wrote it, else the line as it was. */
export interface LogEntry {
  time?: string
  level?: LogLevel
  message: string
}

export interface LoggerOptions {
  /** Receives each finished line, newline included. */
  write: (text: string) => void
  /** JSON lines (for machines) instead of readable ones. */
  json: boolean
  /** Values never to be written (API keys, passwords): each is replaced with ****. */
  secrets?: readonly string[]
  now?: () => Date
}

/** A logger writing one line per message with its timestamp (ISO 8601, UTC, milliseconds) and level. */
export function createLogger(options: LoggerOptions): LogFunction {
  const now = options.now ?? (() => new Date())
  const secrets = (options.secrets ?? []).filter((secret) => secret.length >= 4).sort((a, b) => b.length - a.length)
  return (message, level = 'info') => {
    let text = message
    for (const secret of secrets) text = text.replaceAll(secret, '****')
    const time = now().toISOString()
    options.write(options.json ? `${JSON.stringify({time, level, msg: text})}\n` : `${time} ${level.toUpperCase().padEnd(5)} ${text}\n`)
  }
}

/** Reads a line back: a JSON line or a readable line of createLogger, or any other line as it is. */
export function parseLogLine(line: string): LogEntry {
  if (line.startsWith('{')) {
    try {
      const parsed = JSON.parse(line) as {time?: unknown; level?: unknown; msg?: unknown}
      if (typeof parsed.msg === 'string' && typeof parsed.time === 'string' && isLogLevel(parsed.level)) return {time: parsed.time, level: parsed.level, message: parsed.msg}
    } catch {
      // not one of ours: shown as it is
    }
    return {message: line}
  }
  const readable = /^(\d{4}-\d\d-\d\dT[\d:.]+Z) (DEBUG|INFO|WARN|ERROR) ?\s(.*)$/.exec(line)
  if (readable) return {time: readable[1], level: readable[2]!.toLowerCase() as LogLevel, message: readable[3]!}
  return {message: line}
}

/** True when an entry is at or above a level; a line without a level counts as info. */
export function atLeast(entry: LogEntry, level: LogLevel): boolean {
  return logLevels.indexOf(entry.level ?? 'info') >= logLevels.indexOf(level)
}

/** True for the names of the levels. */
export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && (logLevels as readonly string[]).includes(value)
}
