import {errorMessage, isUserError} from '../../base/errors.js'
import {ExitCode} from '../../base/exit-codes.js'
import {themesSummaryKey} from '../../core/layout.js'
import {readRunRecord} from '../../core/run-record.js'
import {readThemesContract} from '../../core/worker-contract.js'
import {openStorage} from '../../storage/open-storage.js'
import {writeJson} from '../../storage/storage.js'
import {runThemes} from './run-themes.js'

/** Runs the reduce of one quarter from the worker contract (FTM_RUN, FTM_QUARTER); returns the exit code. */
export async function runThemesTask(options: {environment: NodeJS.ProcessEnv; log: (line: string) => void}): Promise<number> {
  const {environment, log} = options
  try {
    const {root, runId, quarter} = readThemesContract(environment)
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
