import {atLeast, type LogEntry, type LogLevel, logLevels, parseLogLine} from '../base/log-lines.js'
import {Flags} from '@oclif/core'
import {UserError} from '../base/errors.js'
import {exitCodeHelp} from '../base/exit-codes.js'
import {partitionName} from '../core/layout.js'
import {readRunRecord} from '../core/run-record.js'
import {chooseJobs, readRunLogs} from '../core/run/run-logs.js'
import {selectRun} from '../core/run/select-run.js'
import {openStorage} from '../storage/open-storage.js'
import {FtmCommand} from '../ui/base-command.js'
import {givenRunId, latestFlag, locateFlags, rootFromFlags, runArgument, runFlag} from '../ui/common-flags.js'

/** What `ftm logs --json` prints: per partition the messages (lines) and each with its time and level (entries). */
export interface LogsResult {
  runId: string
  partitions: {quarter: string; partition: number; lines: string[]; entries: LogEntry[]}[]
}

export default class Logs extends FtmCommand {
  static override summary = "Print a run's worker logs, or follow them as they are written."
  static override description = `Reads each partition's log through the run's executor (process workers: runs/<id>/logs/<quarter>/part-NNNNN.log). Workers write each line with its time and level (as JSON lines, which CloudWatch filters can read); they are shown as time, level and message, and --level keeps the warnings (warn) or errors only. With several partitions each line starts with its quarter and partition. Without a run id: the latest run.

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
    level: Flags.string({description: 'only lines at this level or above (workers write each line with its level)', options: [...logLevels]}),
    ...locateFlags,
  }

  async run(): Promise<LogsResult> {
    const {args, flags} = await this.parse(Logs)
    if (flags.follow && this.jsonEnabled()) throw new UserError('--follow and --json do not go together.', 'Drop one: --json prints the logs so far as one document.')
    const storage = openStorage(rootFromFlags(flags))
    const runId = await selectRun(storage, {runId: givenRunId(args.run, flags.run), latest: flags.latest, defaultLatest: true, command: 'logs'})
    const record = await readRunRecord(storage, runId)
    const jobs = chooseJobs(record, {quarter: flags.quarter?.toUpperCase(), partition: flags.partition})
    if (jobs.length === 0 && !this.jsonEnabled()) this.logToStderr(`Run ${runId} has no started partitions yet; try again shortly (or \`ftm status ${runId}\`).`)
    const byPartition = new Map(jobs.map((handle) => [`${handle.quarter}/${handle.partition}`, {quarter: handle.quarter, partition: handle.partition, lines: [] as string[], entries: [] as LogEntry[]}]))
    const prefix = jobs.length > 1
    const print = (partition: {quarter: string; partition: number}, entry: LogEntry): void => {
      if (this.jsonEnabled()) return
      const text = entry.time ? `${entry.time} ${entry.level!.toUpperCase().padEnd(5)} ${entry.message}` : entry.message
      this.log(prefix ? `${partition.quarter} ${partitionName(partition.partition)} | ${text}` : text)
    }
    for await (const line of readRunLogs(storage, record, jobs, {follow: flags.follow})) {
      const entry = parseLogLine(line.line)
      if (flags.level && !atLeast(entry, flags.level as LogLevel)) continue
      if (flags.follow) {
        print(line, entry)
        continue
      }
      const partition = byPartition.get(`${line.quarter}/${line.partition}`)!
      partition.entries.push(entry)
      if (flags.tail === undefined) print(line, entry)
      else if (partition.entries.length > flags.tail) partition.entries.shift()
    }
    if (!flags.follow && flags.tail !== undefined) for (const partition of byPartition.values()) for (const entry of partition.entries) print(partition, entry)
    for (const partition of byPartition.values()) partition.lines = partition.entries.map((entry) => entry.message)
    return {runId, partitions: [...byPartition.values()]}
  }
}
