import {spawn} from 'node:child_process'
import {workerCommand} from '../../../executors/process/worker-command.js'
import {UserError} from '../../core/errors.js'
import {ExitCode} from '../../core/exit-codes.js'
import {themesJobsKey, themesSummaryKey} from '../../core/layout.js'
import {createExecutor} from '../../core/executor-registry.js'
import type {JobHandle} from '../../core/executor.js'
import type {Quarter} from '../../core/quarter.js'
import {readRunRecord, runRecordLocation} from '../../core/run-record.js'
import {readJson, type Storage, writeJson} from '../../storage/storage.js'
import type {ThemesSummary} from './run-themes.js'
import {themesTask} from './themes-task.js'

export interface ReduceRequest {
  storage: Storage
  runId: string
  /** Quarters to reduce; default: every quarter of the run. */
  quarters?: Quarter[]
  /** Environment for the reduce process (secrets such as the LLM key pass through here). */
  environment: NodeJS.ProcessEnv
}

/** What `ftm themes` did: summaries of reduces that ran here, or the Batch jobs it submitted. */
export interface ReduceOutcome {
  runId: string
  executor: string
  summaries: ThemesSummary[]
  submitted: JobHandle[]
}

/**
 * Runs the reduce of a run's quarters through the run's executor: on Batch one job per quarter that waits for the
 * quarter's map jobs (their handles are kept in runs/<id>/themes/jobs.json); elsewhere one `ftm worker` process (FTM_TASK=themes) per quarter
 * on this machine, one after another.
 */
export async function reduceRun(request: ReduceRequest): Promise<ReduceOutcome> {
  const {storage, runId} = request
  const record = await readRunRecord(storage, runId)
  const planned = record.plan.map((entry) => entry.quarter)
  const quarters = request.quarters ?? planned
  const unknown = quarters.filter((quarter) => !planned.includes(quarter))
  if (unknown.length > 0) {
    throw new UserError(`Run ${runId} has no quarter ${unknown.join(', ')}.`, `Choose among its quarters: ${planned.join(', ')}.`)
  }
  const location = runRecordLocation(storage, runId)
  const outcome: ReduceOutcome = {runId, executor: record.executor.name, summaries: [], submitted: []}
  const executor = await createExecutor(record.executor.name, {storage, environment: request.environment})
  if (executor.submitReduce) {
    for (const quarter of quarters) outcome.submitted.push(await executor.submitReduce(record, quarter, location))
    // Kept beside the run record, not in its jobs: those are the map step's partitions.
    await writeJson(storage, themesJobsKey(runId), outcome.submitted)
    return outcome
  }
  for (const quarter of quarters) {
    const exitCode = await reduceProcess(location, quarter, request.environment)
    if (exitCode === ExitCode.usage) {
      throw new UserError(`The themes reduce of ${quarter} stopped on the problem it explains above.`, `Fix it and run \`ftm themes --run ${runId}\` again.`)
    }
    if (exitCode !== 0) throw new Error(`The themes reduce of ${quarter} exited with code ${exitCode}; its log is above.`)
    const summary = await readJson<ThemesSummary>(storage, themesSummaryKey(runId, quarter))
    if (summary) outcome.summaries.push(summary)
  }
  return outcome
}

/** Runs one quarter's reduce as an `ftm worker` child process, its output on our stderr; resolves to its exit code. */
function reduceProcess(runRecord: string, quarter: Quarter, environment: NodeJS.ProcessEnv): Promise<number> {
  const command = workerCommand()
  return new Promise((resolve, reject) => {
    const child = spawn(command.file, command.arguments, {
      env: {...environment, FTM_RUN: runRecord, FTM_QUARTER: quarter, FTM_TASK: themesTask, FTM_PARTITION: undefined},
      stdio: ['ignore', process.stderr, process.stderr],
    })
    child.once('error', reject)
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)))
  })
}
