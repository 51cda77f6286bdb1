import {Flags} from '@oclif/core'
import {checkMeasureFiles} from '../pipeline/measures/load-measures.js'
import {exitCodeHelp} from '../base/exit-codes.js'
import {executorNames, executorRegistry} from '../core/executor-registry.js'
import {assertRunId} from '../core/run-id.js'
import {failureKinds, type ReleasedFailures} from '../core/run/retry-failed.js'
import {resumeRun, type RunOutcome, startRun} from '../core/run/start-run.js'
import {themesAfterRun} from '../core/run/themes-step.js'
import {type DryRun, dryRunSubmission} from '../core/dry-run.js'
import type {RunSummary} from '../inspect/summarize-run.js'
import {openStorage} from '../storage/open-storage.js'
import {FtmCommand, loadCommandConfig} from '../ui/base-command.js'
import {ProgressDisplay} from '../ui/progress-display.js'
import {configFlags} from '../ui/common-flags.js'
import {refuseFlagsIgnoredOnResume, runFlagsAsConfig} from '../ui/run-flags.js'

export default class Run extends FtmCommand {
  static override summary = 'Run the topic-modeling pipeline over the firms of one or more quarters.'
  static override description = `Splits each quarter's firms into partitions and runs each partition as a worker on the chosen executor. Workers commit Parquet checkpoints every worker.checkpointInterval firms; rerun with --resume to continue after a crash or Ctrl-C.

Exit codes:
${exitCodeHelp()}`

  static override examples = [
    '<%= config.bin %> <%= command.id %> --source fixtures/sample/transcripts.csv --parallel 2',
    '<%= config.bin %> <%= command.id %> --source calls.csv --quarters 2023Q1..2024Q4 --root ./out',
    '<%= config.bin %> <%= command.id %> --resume 20261128-143205-7f3a --root ./out',
    '<%= config.bin %> <%= command.id %> --resume 20261128-143205-7f3a --root ./out --retry-failed',
  ]

  static override flags = {
    source: Flags.string({char: 's', description: 'transcripts: a .csv, .parquet or .jsonl file (local or s3://) in the WRDS component shape, or wrds:// / postgres://'}),
    encoding: Flags.string({description: 'how a CSV source is decoded: utf8 (default; other bytes are counted and reported) or latin1', options: ['utf8', 'latin1']}),
    root: Flags.string({char: 'r', description: 'output root (default ./ftm-output)'}),
    quarters: Flags.string({char: 'q', description: 'quarters: 2024Q1, 2024Q1,2024Q2 or 2023Q1..2024Q4 (default: all in the source)'}),
    executor: Flags.string({char: 'e', description: `where partitions run: ${executorNames.join(', ')} (default process)`}),
    parallel: Flags.string({char: 'p', description: 'partitions running at the same time (default 1)'}),
    partitions: Flags.string({description: 'partitions per quarter (default: max(parallel, firms / firmsPerPartition))'}),
    'checkpoint-interval': Flags.string({description: 'firms per committed checkpoint (default 50)'}),
    set: Flags.string({description: 'any configuration value, e.g. --set pipeline.hdbscan.minClusterSize=8', multiple: true}),
    config: configFlags.config,
    resume: Flags.string({description: 'continue an earlier run by id: committed firms are skipped; its source, quarters, partitions and executor are the recorded ones (--parallel may change)'}),
    'retry-failed': Flags.boolean({
      description: `with --resume: redo the firms committed as failed, of every error kind (${failureKinds.join(', ')}) unless --retry-kind narrows it; without it a resume keeps them failed`,
      dependsOn: ['resume'],
    }),
    'retry-kind': Flags.string({description: 'with --retry-failed: redo only failed firms of this error kind (repeatable)', options: [...failureKinds], multiple: true, dependsOn: ['retry-failed']}),
    detach: Flags.boolean({description: 'return at once with the run id; the run goes on in the background (see ftm status, logs, cancel)'}),
    'dry-run': Flags.boolean({description: 'print the requests the executor would send (batch: SubmitJob payloads), send nothing'}),
    profile: configFlags.profile,
    ...Object.fromEntries(executorRegistry.runFlags.map((flag) => [flag.name, Flags.string({description: flag.description})])),
  }

  async run(): Promise<RunResult | DetachedRunResult | DryRun> {
    const {flags} = await this.parse(Run)
    const display = new ProgressDisplay()
    const abort = new AbortController()
    const interrupt = (): void => {
      if (abort.signal.aborted) {
        display.note('Stopping at once; firms since the last checkpoint will be redone on --resume.')
        process.exit(130)
      }
      display.note('Cancelling: workers commit the firms they finished, then stop (Ctrl-C again to stop at once).')
      abort.abort()
    }
    process.on('SIGINT', interrupt)
    process.on('SIGTERM', interrupt)
    const callbacks = {
      signal: abort.signal,
      environment: process.env,
      onStart: (record: {id: string; root: string; plan: {firms: number}[]}) => {
        display.outline(record)
        display.note(`Run ${record.id} → ${record.root}`)
      },
      onUpdate: (view: Parameters<ProgressDisplay['update']>[0]) => display.update(view),
      onWarning: (message: string) => display.note(`Warning: ${message}`),
      onNote: (message: string) => display.note(message),
    }
    try {
      if (flags.resume) refuseFlagsIgnoredOnResume(flags)
      const {config} = loadCommandConfig({configFile: flags.config, profile: flags.profile, assignments: flags.set, flags: runFlagsAsConfig(flags)})
      // Lexicon and taxonomy files are read and checked before a run is planned (a resumed run checked them then).
      if (!flags.resume) await checkMeasureFiles(config.pipeline.measures)
      if (flags['dry-run']) {
        const dryRun = await dryRunSubmission(config, process.env)
        if (!this.jsonEnabled()) this.log(JSON.stringify(dryRun.requests, null, 2))
        return dryRun
      }
      const outcome: RunOutcome = flags.resume !== undefined // --resume '' is a mistake, not a new run
        ? await resumeRun({
            ...callbacks,
            root: config.root,
            runId: assertRunId(flags.resume),
            parallel: flags.parallel === undefined ? undefined : config.parallel,
            detach: flags.detach,
            retryFailed: flags['retry-failed'] ? {kinds: flags['retry-kind']} : undefined,
          })
        : await startRun({...callbacks, config, detach: flags.detach})
      display.finish()
      await themesAfterRun(outcome, process.env)
      if (outcome.detached) return this.reportDetached(outcome)
      const summary = await summarize(outcome)
      if (!this.jsonEnabled()) this.printSummary(outcome, summary)
      process.exitCode = outcome.exitCode
      return {
        runId: outcome.record.id,
        status: outcome.record.status,
        root: outcome.record.root,
        reason: outcome.record.reason,
        summary,
        interruptions: spotReclaims(outcome),
        ...(outcome.retried ? {retried: outcome.retried} : {}),
      }
    } finally {
      process.off('SIGINT', interrupt)
      process.off('SIGTERM', interrupt)
    }
  }

  private reportDetached(outcome: RunOutcome): DetachedRunResult {
    const {record} = outcome
    const root = `--root ${record.root}`
    const next = {status: `ftm status ${record.id} ${root}`, logs: `ftm logs ${record.id} --follow ${root}`, cancel: `ftm cancel ${record.id} ${root}`}
    if (!this.jsonEnabled()) {
      this.log(`Run ${record.id} started in the background${outcome.detached?.monitor ? ` (pid ${outcome.detached.monitor.pid})` : ''}.`)
      this.log(`  Watch:   ${next.status}\n  Logs:    ${next.logs}\n  Cancel:  ${next.cancel}`)
      if (outcome.detached?.monitor?.logFile) this.log(`  Its own output goes to ${outcome.detached.monitor.logFile}`)
    }
    return {runId: record.id, status: record.status, root: record.root, detached: true, monitor: outcome.detached?.monitor, next}
  }

  private printSummary(outcome: RunOutcome, summary: RunSummary): void {
    const {record} = outcome
    this.log(`\nRun ${record.id} ${record.status}${record.reason ? `: ${record.reason}` : ''}`)
    for (const quarter of summary.quarters) {
      this.log(`  ${quarter.quarter}: ${quarter.ok} firms ok, ${quarter.failed} failed, ${quarter.topics} topics`)
    }
    const reclaims = spotReclaims(outcome)
    if (reclaims.length > 0) {
      this.log(`  Spot reclaims (retried, not failures): ${reclaims.map((entry) => `${entry.quarter} partition ${entry.partition}: ${entry.count}`).join(', ')}`)
    }
    this.log(`\nSee the results:  ftm inspect --root ${record.root} --run ${record.id}`)
    if (record.status !== 'succeeded') this.log(`Continue the run:  ftm run --resume ${record.id} --root ${record.root}`)
  }
}

export interface RunResult {
  runId: string
  status: string
  root: string
  reason?: string
  summary: RunSummary
  /** Attempts lost to Spot reclaims, per partition that had any (Batch). */
  interruptions: SpotReclaims[]
  /** With --retry-failed: the failed firms given back to the workers. */
  retried?: ReleasedFailures
}

/** How many attempts of one partition a Spot reclaim ended. */
export interface SpotReclaims {
  quarter: string
  partition: number
  count: number
}

/** The partitions of a finished run that lost attempts to Spot reclaims. */
function spotReclaims(outcome: RunOutcome): SpotReclaims[] {
  return outcome.view.partitions
    .filter((partition) => (partition.state.interruptions ?? 0) > 0)
    .map((partition) => ({quarter: partition.state.handle.quarter, partition: partition.state.handle.partition, count: partition.state.interruptions!}))
}

export interface DetachedRunResult {
  runId: string
  status: string
  root: string
  detached: true
  /** The background `ftm run` process that feeds the executor and keeps the record (none for detached executors). */
  monitor?: {pid: number; host: string; logFile?: string}
  next: {status: string; logs: string; cancel: string}
}

async function summarize(outcome: RunOutcome): Promise<RunSummary> {
  // DuckDB loads only once a run has results to summarize.
  const [{ResultViews}, {summarizeRun}] = await Promise.all([import('../inspect/views.js'), import('../inspect/summarize-run.js')])
  const views = await ResultViews.open(openStorage(outcome.record.root), outcome.record.id)
  try {
    return await summarizeRun(views, {firms: 0})
  } finally {
    views.close()
  }
}
