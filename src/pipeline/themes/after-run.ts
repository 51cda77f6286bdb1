import {errorMessage} from '../../core/errors.js'
import type {RunRecord} from '../../core/run-record.js'
import {openStorage} from '../../storage/open-storage.js'
import {reduceRun, type ReduceOutcome} from './reduce-run.js'

/**
 * The automatic reduce at the end of `ftm run` (themes.enabled): after a run that succeeded here, or right after a
 * detached Batch run was submitted (its themes jobs wait for the map jobs). Other detached runs are left to `ftm themes`.
 */
export async function themesAfterRun(outcome: {record: RunRecord; detached?: unknown}, environment: NodeJS.ProcessEnv): Promise<ReduceOutcome | undefined> {
  const {record} = outcome
  if (!record.config.themes?.enabled) return undefined
  if (outcome.detached ? record.executor.name !== 'batch' : record.status !== 'succeeded') return undefined
  try {
    return await reduceRun({storage: openStorage(record.root), runId: record.id, environment})
  } catch (error) {
    // The map step's results stand: say what failed and how to retry, without failing the run.
    process.stderr.write(`Warning: cross-firm themes failed: ${errorMessage(error)} Retry with: ftm themes --run ${record.id} --root ${record.root}\n`)
    return undefined
  }
}
