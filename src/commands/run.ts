import {Flags} from '@oclif/core'
import {loadConfig} from '../core/config/load-config.js'
import {exitCodeHelp} from '../core/exit-codes.js'
import {executorNames} from '../core/executor-registry.js'
import {parseQuarters} from '../core/quarter.js'
import {assertRunId} from '../core/run-id.js'
import {resumeRun, type RunOutcome, startRun} from '../core/run/start-run.js'
import {ResultViews} from '../inspect/views.js'
import {type RunSummary, summarizeRun} from '../inspect/summarize-run.js'
import {openStorage} from '../storage/open-storage.js'
import {FtmCommand} from '../ui/base-command.js'
import {ProgressDisplay} from '../ui/progress-display.js'

export default class Run extends FtmCommand {
  static override summary = 'Run the topic-modeling pipeline over the firms of one or more quarters.'
  static override description = `Splits each quarter's firms into partitions and runs each partition as a worker on the chosen executor.
Workers commit Parquet checkpoints every worker.checkpointInterval firms; rerun with --resume to continue after a crash or Ctrl-C.

Exit codes:
${exitCodeHelp()}`

  static override examples = [
    '<%= config.bin %> <%= command.id %> --source fixtures/sample/transcripts.csv --parallel 2',
    '<%= config.bin %> <%= command.id %> --source calls.csv --quarters 2023Q1..2024Q4 --root ./out',
    '<%= config.bin %> <%= command.id %> --resume 20261128-143205-7f3a --root ./out',
  ]

  static override flags = {
    source: Flags.string({char: 's', description: 'transcripts: a CSV in the WRDS component shape'}),
    root: Flags.string({char: 'r', description: 'output root (default ./ftm-output)'}),
    quarters: Flags.string({char: 'q', description: 'quarters: 2024Q1, 2024Q1,2024Q2 or 2023Q1..2024Q4 (default: all in the source)'}),
    executor: Flags.string({char: 'e', description: `where partitions run: ${executorNames.join(', ')} (default process)`}),
    parallel: Flags.string({char: 'p', description: 'partitions running at the same time (default 1)'}),
    partitions: Flags.string({description: 'partitions per quarter (default: max(parallel, firms / firmsPerPartition))'}),
    'checkpoint-interval': Flags.string({description: 'firms per committed checkpoint (default 50)'}),
    set: Flags.string({description: 'any configuration value, e.g. --set pipeline.hdbscan.minClusterSize=8', multiple: true}),
    config: Flags.string({char: 'c', description: 'configuration file (default: ftm.config.json found upward)'}),
    resume: Flags.string({description: 'continue an earlier run by id: committed firms are skipped'}),
  }

  async run(): Promise<RunResult> {
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
      onStart: (record: {id: string; root: string}) => display.note(`Run ${record.id} → ${record.root}`),
      onUpdate: (view: Parameters<ProgressDisplay['update']>[0]) => display.update(view),
    }
    try {
      const {config} = loadConfig({configFile: flags.config, assignments: flags.set, flags: runFlagsAsConfig(flags)})
      const outcome: RunOutcome = flags.resume
        ? await resumeRun({...callbacks, root: config.root, runId: assertRunId(flags.resume), parallel: flags.parallel === undefined ? undefined : config.parallel})
        : await startRun({...callbacks, config})
      display.finish()
      const summary = await summarize(outcome)
      if (!this.jsonEnabled()) this.printSummary(outcome, summary)
      process.exitCode = outcome.exitCode
      return {runId: outcome.record.id, status: outcome.record.status, root: outcome.record.root, reason: outcome.record.reason, summary}
    } finally {
      process.off('SIGINT', interrupt)
      process.off('SIGTERM', interrupt)
    }
  }

  private printSummary(outcome: RunOutcome, summary: RunSummary): void {
    const {record} = outcome
    this.log(`\nRun ${record.id} ${record.status}${record.reason ? `: ${record.reason}` : ''}`)
    for (const quarter of summary.quarters) {
      this.log(`  ${quarter.quarter}: ${quarter.ok} firms ok, ${quarter.failed} failed, ${quarter.topics} topics`)
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
}

async function summarize(outcome: RunOutcome): Promise<RunSummary> {
  const views = await ResultViews.open(openStorage(outcome.record.root), outcome.record.id)
  try {
    return await summarizeRun(views, {firms: 0})
  } finally {
    views.close()
  }
}

type RunFlags = {source?: string; root?: string; quarters?: string; executor?: string; parallel?: string; partitions?: string; 'checkpoint-interval'?: string}

/** Maps flags onto configuration keys, remembering which flag set each key for error messages. */
function runFlagsAsConfig(flags: RunFlags): {values: Record<string, unknown>; names: Record<string, string>} {
  const values = pick({
    source: flags.source,
    root: flags.root,
    quarters: flags.quarters === undefined ? undefined : parseQuarters(flags.quarters),
    executor: flags.executor,
    parallel: toNumber(flags.parallel),
    partitions: toNumber(flags.partitions),
  })
  if (flags['checkpoint-interval'] !== undefined) values.worker = {checkpointInterval: toNumber(flags['checkpoint-interval'])}
  const names = {
    source: '--source',
    root: '--root',
    quarters: '--quarters',
    executor: '--executor',
    parallel: '--parallel',
    partitions: '--partitions',
    'worker.checkpointInterval': '--checkpoint-interval',
  }
  return {values, names}
}

/** A number when the text is one, else the text itself, so validation names the bad value. */
function toNumber(text: string | undefined): number | string | undefined {
  if (text === undefined) return undefined
  return text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text
}

function pick(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined))
}
