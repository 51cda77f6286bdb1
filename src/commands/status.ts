import {Flags} from '@oclif/core'
import {exitCodeHelp} from '../base/exit-codes.js'
import {readRunRecord} from '../core/run-record.js'
import {readRunStatus, type RunStatusReport} from '../core/run/run-status.js'
import {selectRun} from '../core/run/select-run.js'
import {watchRun} from '../core/run/watch-run.js'
import {openStorage} from '../storage/open-storage.js'
import {FtmCommand} from '../ui/base-command.js'
import {colorEnabled} from '../ui/color.js'
import {givenRunId, latestFlag, locateFlags, rootFromFlags, runArgument, runFlag} from '../ui/common-flags.js'
import {formatRunStatus} from '../ui/format-status.js'
import {ProgressDisplay} from '../ui/progress-display.js'

export default class Status extends FtmCommand {
  static override summary = "Show a run's state: partitions, firms done and failed, rates, ETAs, worker hosts."
  static override description = `Reads the run record and the workers' progress files in storage, so it works from any process or machine that reaches the root; worker processes on this machine are checked to be alive. Without a run id: the latest run.

Exit codes:
${exitCodeHelp({0: 'status shown', 1: '-'})}`

  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> 20261128-143205-7f3a --root ./out --json']

  static override args = runArgument
  static override flags = {
    ...runFlag,
    ...latestFlag,
    watch: Flags.boolean({char: 'w', description: 'follow the run live (the view `ftm run` shows) until it ends, then report', exclusive: ['json']}),
    ...locateFlags,
  }

  async run(): Promise<RunStatusReport> {
    const {args, flags} = await this.parse(Status)
    const storage = openStorage(rootFromFlags(flags))
    const runId = await selectRun(storage, {runId: givenRunId(args.run, flags.run), latest: flags.latest, defaultLatest: true, command: 'status'})
    if (flags.watch) {
      const display = new ProgressDisplay(process.stdout)
      display.outline(await readRunRecord(storage, runId))
      const abort = new AbortController()
      const stop = (): void => abort.abort()
      process.once('SIGINT', stop)
      const onRetry = (message: string): void => void process.stderr.write(`Warning: ${message}\n`)
      await watchRun(storage, runId, {onUpdate: (view) => display.update(view), signal: abort.signal, onRetry}).finally(() => process.off('SIGINT', stop))
      display.finish()
    }
    const report = await readRunStatus(storage, runId)
    if (!this.jsonEnabled()) this.log(formatRunStatus(report, colorEnabled()))
    return report
  }
}
