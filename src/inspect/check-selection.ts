import {suggestValue} from '../base/closest-match.js'
import {UserError} from '../base/errors.js'
import type {Storage} from '../storage/storage.js'
import {runIds} from './committed-files.js'
import type {ResultViews} from './views.js'

/** Refuses a run id that has no run record under the root, naming the closest one there. */
export async function assertKnownRun(storage: Storage, runId: string): Promise<void> {
  const known = await runIds(storage)
  if (known.includes(runId)) return
  if (known.length === 0) {
    throw new UserError(`There are no runs under ${storage.uri}, so no run ${runId}.`, 'Start one with `ftm run`, or point --root at the output of an earlier run.')
  }
  throw new UserError(`There is no run ${runId} under ${storage.uri}.`, `${suggestValue(runId, known.toReversed(), 'run')} \`ftm runs\` lists them.`)
}

/** Refuses a quarter in which the run committed no firm, naming the closest quarter it has. */
export async function assertKnownQuarter(views: ResultViews, runId: string, quarter: string): Promise<void> {
  const known = (await views.query('SELECT DISTINCT quarter FROM firms ORDER BY quarter')).rows.map(([value]) => String(value))
  if (known.includes(quarter)) return
  throw new UserError(`Run ${runId} has no results for quarter ${quarter}.`, suggestValue(quarter, known, 'quarter'))
}

/** Refuses a firm id the run has no row for (in the quarter, when one is given), naming the closest firm id. */
export async function assertKnownFirm(views: ResultViews, runId: string, firm: string, quarter: string | undefined): Promise<void> {
  const result = await views.query('SELECT DISTINCT firm_id FROM firms WHERE $1 IS NULL OR quarter = $1 ORDER BY firm_id', [quarter ?? null])
  const known = result.rows.map(([value]) => String(value))
  if (known.includes(firm)) return
  const where = quarter ? ` in ${quarter}` : ''
  throw new UserError(`Run ${runId} has no firm ${firm}${where}.`, `${suggestValue(firm, known, 'firm id')} \`ftm inspect --sql "SELECT DISTINCT firm_id, firm_name FROM firms"\` lists them.`)
}
