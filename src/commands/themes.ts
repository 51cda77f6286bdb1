import {Flags} from '@oclif/core'
import {exitCodeHelp} from '../base/exit-codes.js'
import {parseQuarters} from '../base/quarter.js'
import {selectRun} from '../core/run/select-run.js'
import {runThemesStep, type ThemesOutcome} from '../core/run/themes-step.js'
import {openStorage} from '../storage/open-storage.js'
import {FtmCommand} from '../ui/base-command.js'
import {givenRunId, latestFlag, locateFlags, rootFromFlags, runArgument} from '../ui/common-flags.js'

export default class Themes extends FtmCommand {
  static override summary = "Cluster a run's firm topics into cross-firm themes (the reduce after the per-firm map)."
  static override description = `For each quarter of a run, reads the committed firm topics, clusters their embeddings (UMAP + HDBSCAN, settings under themes.*), keeps themes that span at least themes.minFirms firms with no firm above themes.maxFirmShare, and writes the themes and theme_members tables (\`ftm inspect themes\`). Runs through the run's executor: on Batch one job per quarter that waits for the quarter's map jobs; elsewhere a local process.

Exit codes:
${exitCodeHelp({0: 'themes written for the quarters', 1: 'a themes job failed, or ftm failed unexpectedly', 130: '-'})}`

  static override examples = ['<%= config.bin %> <%= command.id %> --latest', '<%= config.bin %> <%= command.id %> --run 20261128-143205-7f3a --quarters 2024Q1 --root ./out']

  static override args = runArgument

  static override flags = {
    run: Flags.string({description: 'run id, the same as the [RUN] argument (`ftm runs` lists them); default: the latest run', exclusive: ['latest']}),
    ...latestFlag,
    quarters: Flags.string({description: 'quarters to reduce, e.g. 2024Q1,2024Q2 (default: every quarter of the run)'}),
    ...locateFlags,
  }

  async run(): Promise<ThemesOutcome> {
    const {args, flags} = await this.parse(Themes)
    const storage = openStorage(rootFromFlags(flags))
    const runId = await selectRun(storage, {runId: givenRunId(args.run, flags.run), latest: flags.latest, defaultLatest: true, command: 'themes'})
    const outcome = await runThemesStep({storage, runId, quarters: flags.quarters ? parseQuarters(flags.quarters) : undefined, environment: process.env})
    for (const summary of outcome.summaries) {
      this.log(`${summary.quarter}: ${summary.themes} theme(s) from ${summary.topics} topic(s) of ${summary.firms} firm(s)`)
    }
    for (const handle of outcome.submitted) this.log(`${handle.quarter}: submitted themes job ${handle.id} (waits for the quarter's map jobs)`)
    return outcome
  }
}
