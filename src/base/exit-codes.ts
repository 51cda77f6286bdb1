/** The one exit-code table of ftm: the CLI and the worker both use it; Batch's retry strategy depends on it. */
export const ExitCode = {
  ok: 0,
  failed: 1,
  usage: 2,
  breakerTripped: 3,
  partitionBusy: 4,
  transient: 75,
  interrupted: 130,
  terminated: 143,
} as const

export type ExitCodeName = keyof typeof ExitCode

export interface ExitCodeEntry {
  code: number
  name: ExitCodeName
  worker: string
  cli: string
  retried: boolean
}

/** Meaning of each code for the worker (inside the container) and for the CLI, as listed in help. */
export const exitCodeTable: readonly ExitCodeEntry[] = [
  {code: 0, name: 'ok', worker: 'partition done (tolerated per-firm failures are recorded)', cli: 'run succeeded', retried: false},
  {code: 1, name: 'failed', worker: 'application error', cli: 'run finished with failed partitions', retried: false},
  {code: 2, name: 'usage', worker: 'bad configuration or input contract', cli: 'bad flag, config value or input', retried: false},
  {code: 3, name: 'breakerTripped', worker: 'circuit breaker tripped (systematic failure)', cli: '-', retried: false},
  {code: 4, name: 'partitionBusy', worker: 'another worker holds the partition (its lease): this one stopped without touching it', cli: '-', retried: false},
  {code: 75, name: 'transient', worker: 'storage or source unreachable after retries', cli: 'storage unreachable', retried: true},
  {code: 130, name: 'interrupted', worker: '-', cli: 'cancelled with Ctrl-C (partitions committed what they had)', retried: false},
  {code: 143, name: 'terminated', worker: 'stopped by SIGTERM after committing its checkpoint', cli: '-', retried: true},
]

/** Worker exit codes that a retrying executor (Batch) may retry. */
export const retryableWorkerExitCodes: readonly number[] = exitCodeTable.filter((entry) => entry.retried).map((entry) => entry.code)

/** A short human description of a worker exit code. */
export function describeWorkerExit(code: number | undefined): string {
  if (code === undefined) return 'no exit code'
  if (code === 137) return 'killed (SIGKILL, often out of memory)'
  const entry = exitCodeTable.find((candidate) => candidate.code === code)
  return entry ? entry.worker : `exit code ${code}`
}

/**
 * The help text section listing exit codes: the CLI's meanings, or a command's own (`meanings` replaces the
 * meaning of a code, or with '-' leaves it out).
 */
export function exitCodeHelp(meanings: Partial<Record<number, string>> = {}): string {
  return exitCodeTable
    .map((entry) => ({code: entry.code, meaning: meanings[entry.code] ?? entry.cli}))
    .filter((entry) => entry.meaning !== '-')
    .map((entry) => `  ${String(entry.code).padEnd(3)}  ${entry.meaning}`) // oclif trims the lines' leading spaces: pad after
    .join('\n')
}
