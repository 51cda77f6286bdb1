import {spawn} from 'node:child_process'
import {cliInvocation} from '../cli-invocation.js'
import {errorMessage, UserError} from '../../base/errors.js'
import {ExitCode} from '../../base/exit-codes.js'
import {themesJobsKey, themesSummaryKey} from '../layout.js'
import {createExecutor} from '../executor-registry.js'
import type {Executor, JobHandle} from '../executor.js'
import type {Quarter} from '../../base/quarter.js'
import {readRunRecord, type RunRecord, runRecordLocation} from '../run-record.js'
import {withWorkerEnvironment} from '../worker-contract.js'
import {openStorage} from '../../storage/open-storage.js'
import {readJson, type Storage, writeJson} from '../../storage/storage.js'

export interface ThemesStepRequest {
  storage: Storage
  runId: string
  /** Quarters to build themes for; default: every quarter of the run. */
  quarters?: Quarter[]
  /** Environment for the themes process (secrets such as the LLM key pass through here). */
  environment: NodeJS.ProcessEnv
  /** The run's executor, when the caller has created it already. */
  executor?: Executor
}

/** What the themes step of one quarter wrote to runs/<id>/themes/ (the fields the CLI reports). */
export interface ThemesStepSummary {
  quarter: Quarter
  topics: number
  firms: number
  themes: number
  named: number
}

/** What `ftm themes` did: summaries of themes steps that ran here, or the dependent jobs it submitted. */
export interface ThemesOutcome {
  runId: string
  executor: string
  summaries: ThemesStepSummary[]
  submitted: JobHandle[]
}

/**
 * Runs the themes step (the cross-firm reduce) of a run's quarters. An executor that can submit it as a job waiting
 * for the quarter's map jobs (Batch) does so, and the handles are kept in runs/<id>/themes/jobs.json; otherwise one
 * `ftm worker` process (FTM_TASK=themes) per quarter runs on this machine, one after another.
 */
export async function runThemesStep(request: ThemesStepRequest): Promise<ThemesOutcome> {
  const {storage, runId} = request
  const record = await readRunRecord(storage, runId)
  const planned = record.plan.map((entry) => entry.quarter)
  const quarters = request.quarters ?? planned
  const unknown = quarters.filter((quarter) => !planned.includes(quarter))
  if (unknown.length > 0) {
    throw new UserError(`Run ${runId} has no quarter ${unknown.join(', ')}.`, `Choose among its quarters: ${planned.join(', ')}.`)
  }
  const location = runRecordLocation(storage, runId)
  const outcome: ThemesOutcome = {runId, executor: record.executor.name, summaries: [], submitted: []}
  const executor = request.executor ?? (await createExecutor(record.executor.name, {storage, environment: request.environment}))
  if (executor.submitThemes) {
    for (const quarter of quarters) outcome.submitted.push(await executor.submitThemes(record, quarter, location))
    // Kept beside the run record, not in its jobs: those are the map step's partitions.
    await writeJson(storage, themesJobsKey(runId), outcome.submitted)
    return outcome
  }
  for (const quarter of quarters) {
    const exitCode = await themesProcess(location, quarter, request.environment)
    if (exitCode === ExitCode.usage) {
      throw new UserError(`The themes reduce of ${quarter} stopped on the problem it explains above.`, `Fix it and run \`ftm themes --run ${runId}\` again.`)
    }
    if (exitCode !== 0) throw new Error(`The themes reduce of ${quarter} exited with code ${exitCode}; its log is above.`)
    const summary = await readJson<ThemesStepSummary>(storage, themesSummaryKey(runId, quarter))
    if (summary) outcome.summaries.push(summary)
  }
  return outcome
}

/**
 * The automatic themes step at the end of `ftm run` (themes.enabled): after a run that succeeded here, or right
 * after a detached run was submitted to an executor that can make the themes jobs wait for the map jobs. Other
 * detached runs are left to `ftm themes`. A failure is a warning: the map step's results stand.
 */
export async function themesAfterRun(outcome: {record: RunRecord; detached?: unknown}, environment: NodeJS.ProcessEnv): Promise<ThemesOutcome | undefined> {
  const {record} = outcome
  if (!record.config.themes?.enabled) return undefined
  if (!outcome.detached && record.status !== 'succeeded') return undefined
  try {
    const storage = openStorage(record.root)
    const executor = await createExecutor(record.executor.name, {storage, environment})
    if (outcome.detached && !executor.submitThemes) return undefined
    return await runThemesStep({storage, runId: record.id, environment, executor})
  } catch (error) {
    process.stderr.write(`Warning: cross-firm themes failed: ${errorMessage(error)} Retry with: ftm themes --run ${record.id} --root ${record.root}\n`)
    return undefined
  }
}

/** Runs one quarter's themes step as an `ftm worker` child process, its output on our stderr; resolves to its exit code. */
function themesProcess(location: string, quarter: Quarter, environment: NodeJS.ProcessEnv): Promise<number> {
  const command = cliInvocation(['worker'])
  return new Promise((resolve, reject) => {
    const child = spawn(command.file, command.arguments, {
      env: withWorkerEnvironment(environment, {task: 'themes', runRecordLocation: location, quarter}),
      stdio: ['ignore', process.stderr, process.stderr],
    })
    child.once('error', reject)
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)))
  })
}
