/** One evaluateOnExit entry of a retry strategy. */
export interface EvaluateOnExit {
  action: string
  onStatusReason?: string
  onReason?: string
  onExitCode?: string
}

/** How an attempt ended, as the retry strategy sees it. */
export interface AttemptEnd {
  statusReason?: string
  reason?: string
  exitCode?: number
}

/**
 * Batch's glob: one trailing `*` makes a prefix match, otherwise the whole value must match; a bare `*` matches
 * anything, a missing value included.
 */
export function matchesPattern(pattern: string, value: string | undefined): boolean {
  if (pattern === '*') return true
  if (value === undefined) return false
  return pattern.endsWith('*') ? value.startsWith(pattern.slice(0, -1)) : value === pattern
}

/** True when every condition an entry has matches the attempt (the conditions are AND-ed). */
export function entryMatches(entry: EvaluateOnExit, end: AttemptEnd): boolean {
  if (entry.onStatusReason !== undefined && !matchesPattern(entry.onStatusReason, end.statusReason)) return false
  if (entry.onReason !== undefined && !matchesPattern(entry.onReason, end.reason)) return false
  if (entry.onExitCode !== undefined && !matchesPattern(entry.onExitCode, end.exitCode === undefined ? undefined : String(end.exitCode))) return false
  return true
}

/**
 * Whether a failed attempt is retried: the first matching entry decides; when none matches (or there are none) the
 * job is retried; either way only while attempts remain.
 */
export function shouldRetry(strategy: {attempts?: number; evaluateOnExit?: EvaluateOnExit[]} | undefined, attemptsMade: number, end: AttemptEnd): boolean {
  const allowed = strategy?.attempts ?? 1
  if (attemptsMade >= allowed) return false
  const first = (strategy?.evaluateOnExit ?? []).find((entry) => entryMatches(entry, end))
  return first === undefined || first.action.toUpperCase() === 'RETRY'
}

/** Checks a strategy as SubmitJob and RegisterJobDefinition do; returns the problem, if any. */
export function retryStrategyProblem(strategy: {attempts?: number; evaluateOnExit?: EvaluateOnExit[]} | undefined): string | undefined {
  if (!strategy) return undefined
  if (strategy.attempts !== undefined && (strategy.attempts < 1 || strategy.attempts > 10)) return 'retryStrategy.attempts must be between 1 and 10'
  const entries = strategy.evaluateOnExit ?? []
  if (entries.length > 5) return 'retryStrategy.evaluateOnExit may have at most 5 entries'
  if (entries.length > 0 && strategy.attempts === undefined) return 'retryStrategy.attempts is required with evaluateOnExit'
  for (const entry of entries) {
    if (!/^(retry|exit)$/i.test(entry.action)) return `evaluateOnExit action ${entry.action} must be RETRY or EXIT`
    for (const text of [entry.onStatusReason, entry.onReason]) {
      if (text !== undefined && !/^[A-Za-z0-9.:\s]*\*?$/.test(text)) return `evaluateOnExit pattern "${text}" may hold only letters, digits, '.', ':', white space and one trailing '*'`
    }
    if (entry.onExitCode !== undefined && !/^\d*\*?$/.test(entry.onExitCode)) return `evaluateOnExit onExitCode "${entry.onExitCode}" may hold only digits and one trailing '*'`
  }
  return undefined
}
