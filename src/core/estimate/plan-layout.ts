import type {Config} from '../config/schema.js'
import {UserError} from '../../base/errors.js'
import {planRun} from '../run/plan-run.js'
import {openSource} from '../../sources/open-source.js'
import {layoutQuarters, type QuarterLayout} from './plan-estimate.js'

/**
 * How a run would split its quarters: from the source's firms (exactly as `ftm run` would), or, with `firms`, a
 * hypothetical count per quarter (`--quarters` or one quarter) to estimate without a source.
 */
export async function planLayout(config: Config, firms?: number): Promise<QuarterLayout[]> {
  if (firms !== undefined) {
    if (!Number.isInteger(firms) || firms <= 0) throw new UserError(`--firms ${firms} is not a positive whole number.`, 'Pass the firms per quarter, e.g. --firms 5000.')
    return layoutQuarters((config.quarters ?? ['any']).map((quarter) => ({quarter, firms})), config)
  }
  if (!config.source) {
    throw new UserError('There is nothing to plan: no transcript source is configured.', 'Pass --source calls.csv, or --firms 5000 to estimate quarters of that many firms.')
  }
  const source = openSource(config.source, {quarters: config.quarters ? new Set(config.quarters) : undefined, encoding: config.sourceEncoding})
  const plan = await planRun('plan', config, source).finally(() => source.close())
  return plan.quarters.map((quarter) => {
    const partitionSizes = plan.manifests.filter((manifest) => manifest.quarter === quarter.quarter).map((manifest) => manifest.firms.length)
    return {quarter: quarter.quarter, firms: quarter.firms, partitions: quarter.partitions, partitionSizes}
  })
}
