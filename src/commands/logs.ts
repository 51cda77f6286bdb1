import {Flags} from '@oclif/core'
import {UserError} from '../base/errors.js'
import {exitCodeHelp} from '../base/exit-codes.js'
import {partitionName} from '../core/layout.js'
import {readRunRecord} from '../core/run-record.js'
import {chooseJobs, type LogLine, readRunLogs} from '../core/run/run-logs.js'
import {selectRun} from '../core/run/select-run.js'
import {openStorage} from '../storage/open-storage.js'
import {FtmCommand} from '../ui/base-command.js'
import {givenRunId, latestFlag, locateFlags, rootFromFlags, runArgument, runFlag} from '../ui/common-flags.js'

export default class Logs extends FtmCommand {
  static override summary = "Print a run's worker logs, or follow them as they are written."
  static override description = `Reads each partition's log through the run's executor (process workers: runs/<id>/logs/<quarter>/part-NNNNN.log). With several partitions each line starts with its quarter and partition. Without a run id: the latest run.

Exit codes:
${exitCodeHelp({0: 'logs printed (or followed to the end of the run)', 1: '-'})}`

  static override examples = [
    '<%= config.bin %> <%= command.id %> --latest --follow',
    '<%= config.bin %> <%= command.id %> 20261128-143205-7f3a --quarter 2024Q1 --partition 0',
  ]

  static override args = runArgument
  static override flags = {
    ...runFlag,
    ...latestFlag,
    quarter: Flags.string({char: 'q', description: 'only this quarter'}),
    partition: Flags.integer({description: 'only this partition (numbered from 0)', min: 0}),
    follow: Flags.boolean({char: 'f', description: 'keep printing new lines until the partitions have finished', exclusive: ['json']}),
    tail: Flags.integer({char: 'n', description: 'only the last N lines of each partition', min: 1}),
    ...locateFlags,
  }

  async run(): Promise<{runId: string; partitions: {quarter: string; partition: number; lines: string[]}[]}> {
    const {args, flags} = await this.parse(Logs)
    if (flags.follow && this.jsonEnabled()) throw new UserError('--follow and --json do not go together.', 'Drop one: --json prints the logs so far as one document.')
    const storage = openStorage(rootFromFlags(flags))
    const runId = await selectRun(storage, {runId: givenRunId(args.run, flags.run), latest: flags.latest, defaultLatest: true, command: 'logs'})
    const record = await readRunRecord(storage, runId)
    const jobs = chooseJobs(record, {quarter: flags.quarter?.toUpperCase(), partition: flags.partition})
    if (jobs.length === 0 && !this.jsonEnabled()) this.logToStderr(`Run ${runId} has no started partitions yet; try again shortly (or \`ftm status ${runId}\`).`)
    const byPartition = new Map(jobs.map((handle) => [`${handle.quarter}/${handle.partition}`, {quarter: handle.quarter, partition: handle.partition, lines: [] as string[]}]))
    const prefix = jobs.length > 1
    const print = (entry: LogLine): void => {
      if (!this.jsonEnabled()) this.log(prefix ? `${entry.quarter} ${partitionName(entry.partition)} | ${entry.line}` : entry.line)
    }
    for await (const entry of readRunLogs(storage, record, jobs, {follow: flags.follow})) {
      if (flags.follow) {
        print(entry)
        continue
      }
      const lines = byPartition.get(`${entry.quarter}/${entry.partition}`)!.lines
      lines.push(entry.line)
      if (flags.tail === undefined) print(entry)
      else if (lines.length > flags.tail) lines.shift()
    }
    if (!flags.follow && flags.tail !== undefined) for (const partition of byPartition.values()) for (const line of partition.lines) print({...partition, line})
    return {runId, partitions: [...byPartition.values()]}
  }
}
