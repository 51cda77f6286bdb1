import {Flags} from '@oclif/core'
import {exitCodeHelp} from '../base/exit-codes.js'
import {listRuns, type RunListing} from '../core/run/list-runs.js'
import {openStorage} from '../storage/open-storage.js'
import {FtmCommand} from '../ui/base-command.js'
import {colorEnabled} from '../ui/color.js'
import {locateFlags, rootFromFlags} from '../ui/common-flags.js'
import {formatRunList} from '../ui/format-status.js'

export default class Runs extends FtmCommand {
  static override summary = 'List the runs under a root: status, quarters, firms, start time.'
  static override description = `Newest first, from the run records in storage.

Exit codes:
${exitCodeHelp({0: 'runs listed', 1: '-'})}`

  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --root ./out --limit 5 --json']

  static override flags = {
    limit: Flags.integer({description: 'show at most this many runs', min: 1}),
    ...locateFlags,
  }

  async run(): Promise<{root: string; runs: RunListing[]}> {
    const {flags} = await this.parse(Runs)
    const storage = openStorage(rootFromFlags(flags))
    const runs = await listRuns(storage, {limit: flags.limit})
    if (!this.jsonEnabled()) this.log(formatRunList(storage.uri, runs, colorEnabled()))
    return {root: storage.uri, runs}
  }
}
