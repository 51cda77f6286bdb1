import {Flags} from '@oclif/core'
import {estimatePlan, type MeasuredRun, type PlanEstimate} from '../core/estimate/plan-estimate.js'
import {planLayout} from '../core/estimate/plan-layout.js'
import {exitCodeHelp} from '../base/exit-codes.js'
import {parseQuarters} from '../base/quarter.js'
import {readRunRecord} from '../core/run-record.js'
import {openStorage} from '../storage/open-storage.js'
import {FtmCommand, loadCommandConfig} from '../ui/base-command.js'
import {configFlags, rootFlag} from '../ui/common-flags.js'
import {formatPlanEstimate} from '../ui/format-estimate.js'

export default class Plan extends FtmCommand {
  static override summary = 'Show how a run would be split, and estimate its wall time and cost on each executor.'
  static override description = `Partitions per quarter and firms per partition, exactly as \`ftm run\` would make them, then the wall time and cost per executor beside the sequential single-instance baseline (ADR-005's cost table). Per-firm times come from estimate.stageSeconds, or from the firms tables of earlier runs under --root on the same executor when there are any. Instance prices, cold starts and overheads are the estimate.<executor> settings.

Exit codes:
${exitCodeHelp({0: 'plan shown', 1: '-'})}`

  static override examples = [
    '<%= config.bin %> <%= command.id %> --source calls.csv --quarters 2023Q1..2024Q4 --parallel 5',
    '<%= config.bin %> <%= command.id %> --firms 5000 --parallel 5',
    '<%= config.bin %> <%= command.id %> --firms 5000 --parallel 5 --set estimate.batch.hourlyPrice=0.2 --json',
  ]

  static override flags = {
    source: Flags.string({char: 's', description: 'transcripts, as ftm run takes them: a .csv, .parquet or .jsonl file (local or s3://) in the WRDS component shape, or wrds:// / postgres://'}),
    quarters: Flags.string({char: 'q', description: 'quarters: 2024Q1, 2024Q1,2024Q2 or 2023Q1..2024Q4 (default: all in the source)'}),
    firms: Flags.integer({description: 'estimate quarters of this many firms instead of reading a source', min: 1}),
    parallel: Flags.integer({char: 'p', description: 'partitions running at the same time', min: 1}),
    partitions: Flags.integer({description: 'partitions per quarter', min: 1}),
    ...rootFlag,
    ...configFlags,
  }

  async run(): Promise<PlanEstimate> {
    const {flags} = await this.parse(Plan)
    const values: Record<string, unknown> = {}
    if (flags.source !== undefined) values.source = flags.source
    if (flags.root !== undefined) values.root = flags.root
    if (flags.quarters !== undefined) values.quarters = parseQuarters(flags.quarters)
    if (flags.parallel !== undefined) values.parallel = flags.parallel
    if (flags.partitions !== undefined) values.partitions = flags.partitions
    const {config} = loadCommandConfig({
      configFile: flags.config,
      profile: flags.profile,
      assignments: flags.set,
      flags: {values, names: {source: '--source', root: '--root', quarters: '--quarters', parallel: '--parallel', partitions: '--partitions'}},
    })
    const layout = await planLayout(config, flags.firms)
    const measured = config.estimate.useMeasured ? await measuredRuns(config.root) : []
    const estimate = estimatePlan(layout, config, measured)
    if (!this.jsonEnabled()) this.log(formatPlanEstimate(estimate))
    return estimate
  }
}

/** Per-firm times of earlier runs under the root, each with the executor it ran on. */
async function measuredRuns(root: string): Promise<MeasuredRun[]> {
  const storage = openStorage(root)
  // DuckDB loads only when measured times are asked for.
  const {measureFirmTimes} = await import('../inspect/measured-firm-times.js')
  const runs = await measureFirmTimes(storage)
  const measured: MeasuredRun[] = []
  for (const run of runs) {
    const record = await readRunRecord(storage, run.runId).catch(() => undefined)
    if (record) measured.push({...run, executor: record.executor.name})
  }
  return measured
}
