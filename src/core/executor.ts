import type {Quarter} from '../base/quarter.js'
import type {RunRecord} from './run-record.js'
import type {Storage} from '../storage/storage.js'

/** One partition to run: the worker contract's three values. */
export interface PartitionJob {
  runId: string
  quarter: Quarter
  partition: number
  /** FTM_RUN: where the run record is. */
  runRecordLocation: string
}

/** A submitted partition, as plain JSON so the run record can keep it. `id` is the executor's own id. */
export interface JobHandle {
  executor: string
  runId: string
  quarter: Quarter
  partition: number
  id: string
  [detail: string]: unknown
}

export type JobPhase = 'pending' | 'running' | 'succeeded' | 'failed' | 'cancelled'

/** What an executor says about a job. */
export interface JobState {
  handle: JobHandle
  phase: JobPhase
  exitCode?: number
  reason?: string
  /** The executor's own status word, for debugging. */
  backendStatus?: string
  attempts?: number
  /** Attempts lost to the infrastructure (Spot reclaims), counted apart from application failures. */
  interruptions?: number
  /** The backend's own reason as it states it (Batch's status reasons), shown beside the worker's. */
  backendReason?: string
  /** The backend's name for messages, e.g. `Batch`. */
  backend?: string
}

/** What an executor can do, so the core asks instead of branching on names. */
export interface ExecutorCapabilities {
  /** Workers run on another machine, so a dead local monitor does not mean dead workers (`ftm cancel`). */
  remote: boolean
  /** Jobs go on when the CLI exits (Batch); a process executor's jobs do not. */
  detached: boolean
}

export interface ExecutorContext {
  storage: Storage
  /** Extra environment for workers (secrets pass through here, never through the run record). */
  environment?: NodeJS.ProcessEnv
}

/** How a caller follows a submission as it goes. */
export interface SubmitOptions {
  /**
   * Called after each job is accepted, with every handle so far: the run record can list the jobs that exist even
   * when a later submission fails.
   */
  onSubmitted?: (handles: JobHandle[]) => Promise<void>
}

/** Runs partitions somewhere: child processes, Docker containers, AWS Batch jobs. */
export interface Executor {
  readonly name: string
  readonly capabilities: ExecutorCapabilities
  /** Checks and prepares what jobs need (an image present, a job definition registered). */
  prepare(run: RunRecord): Promise<void>
  /** Submits partitions; at most `parallel` run at the same time. */
  submit(run: RunRecord, jobs: PartitionJob[], options?: SubmitOptions): Promise<JobHandle[]>
  /** The state of each handle, in the same order. */
  status(handles: JobHandle[]): Promise<JobState[]>
  /** A job's log lines. */
  logs(handle: JobHandle, options?: {follow?: boolean}): AsyncIterable<string>
  /** Stops jobs; idempotent, a no-op on finished ones. */
  cancel(handles: JobHandle[]): Promise<void>
  /**
   * Optional (Batch): the run's jobs the backend itself knows (by the names it gave them), also those the run record
   * misses; the ledger and cancel add them to the recorded ones.
   */
  findJobs?(run: RunRecord): Promise<JobHandle[]>
  /** Optional: the requests `submit` would send, sent nowhere (`ftm run --dry-run`). */
  describeSubmission?(run: RunRecord, jobs: PartitionJob[]): Promise<unknown>
  /**
   * Optional (Batch): submits a quarter's themes step (the cross-firm reduce) as one job that waits for the quarter's
   * map jobs. Executors without it have the themes step run as a local process after the run.
   */
  submitThemes?(run: RunRecord, quarter: string, runRecordLocation: string): Promise<JobHandle>
}

/** True when a phase is final. */
export function isFinished(phase: JobPhase): boolean {
  return phase === 'succeeded' || phase === 'failed' || phase === 'cancelled'
}
