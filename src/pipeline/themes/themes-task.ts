import {errorMessage, isUserError, UserError} from '../../core/errors.js'
import {ExitCode} from '../../core/exit-codes.js'
import {themesSummaryKey} from '../../core/layout.js'
import {isQuarter} from '../../core/quarter.js'
import {parseRunRecordLocation, readRunRecord} from '../../core/run-record.js'
import {openStorage} from '../../storage/open-storage.js'
import {writeJson} from '../../storage/storage.js'
import {runThemes} from './run-themes.js'

/** The environment value of FTM_TASK that turns `ftm worker` into the reduce for one quarter. */
export const themesTask = 'themes'

/** Runs the reduce of one quarter from the worker contract (FTM_RUN, FTM_QUARTER); returns the exit code. */
export async function runThemesTask(options: {environment: NodeJS.ProcessEnv; log: (line: string) => void}): Promise<number> {
  const {environment, log} = options
  try {
    const fix = 'The reduce needs FTM_RUN (the run record) and FTM_QUARTER; `ftm themes` sets them for you.'
    if (!environment.FTM_RUN) throw new UserError('FTM_RUN is not set.', fix)
    const quarter = environment.FTM_QUARTER?.toUpperCase() ?? ''
    if (!isQuarter(quarter)) throw new UserError(`FTM_QUARTER="${environment.FTM_QUARTER ?? ''}" is not a quarter like 2024Q1.`, fix)
    const {root, runId} = parseRunRecordLocation(environment.FTM_RUN)
    const storage = openStorage(root)
    const record = await readRunRecord(storage, runId)
    const summary = await runThemes({storage, runId, quarter, config: record.config, environment, log})
    await writeJson(storage, themesSummaryKey(runId, quarter), summary)
    return ExitCode.ok
  } catch (error) {
    log(`ftm themes: ${errorMessage(error)}${isUserError(error) ? ` ${error.hint}` : ''}`)
    return isUserError(error) ? error.exitCode : ExitCode.failed
  }
}
