import {Flags} from '@oclif/core'
import {exitCodeHelp} from '../base/exit-codes.js'
import {cancelRun, type CancelOutcome} from '../core/run/cancel-run.js'
import {selectRun} from '../core/run/select-run.js'
import {openStorage} from '../storage/open-storage.js'
import {FtmCommand} from '../ui/base-command.js'
import {givenRunId, latestFlag, locateFlags, rootFromFlags, runArgument, runFlag} from '../ui/common-flags.js'

export default class Cancel extends FtmCommand {
  static override summary = 'Cancel a run: its workers commit the firms they finished and stop.'
  static override description = `Works from another shell or process than the one that started the run: the run's \`ftm run\` process (attached or detached) is told to cancel, or, when it is gone, the workers are stopped through the executor (process workers by the pids their progress files record). The record then says cancelled; \`ftm run --resume <id>\` continues the run. Cancelling a finished run stops only its unfinished themes jobs (Batch), if any. A run id or --latest is required.

Exit codes:
${exitCodeHelp({0: 'cancelled, or the run had already finished', 1: '-'})}`

  static override examples = ['<%= config.bin %> <%= command.id %> 20261128-143205-7f3a', '<%= config.bin %> <%= command.id %> --latest --root ./out --json']

  static override args = runArgument
  static override flags = {
    ...runFlag,
    ...latestFlag,
    wait: Flags.boolean({description: 'wait until the workers have stopped (--no-wait: return once they are told)', default: true, allowNo: true}),
    ...locateFlags,
  }

  async run(): Promise<CancelOutcome> {
    const {args, flags} = await this.parse(Cancel)
    const storage = openStorage(rootFromFlags(flags))
    const runId = await selectRun(storage, {runId: givenRunId(args.run, flags.run), latest: flags.latest, defaultLatest: false, command: 'cancel'})
    const outcome = await cancelRun(storage, runId, {wait: flags.wait})
    if (!this.jsonEnabled()) {
      const themes = outcome.themesCancelled > 0 ? ` ${outcome.themesCancelled} themes job(s) told to stop.` : ''
      if (outcome.alreadyFinished) this.log(`Run ${runId} had already finished (${outcome.status});${themes || ' nothing to cancel.'}`)
      else if (outcome.status === 'running') this.log(`Run ${runId}: cancel sent;${themes} \`ftm status ${runId}\` shows when the workers have stopped.`)
      else this.log(`Run ${runId} ${outcome.status}.${themes} Continue it with:  ftm run --resume ${runId} --root ${storage.uri}`)
    }
    return outcome
  }
}
