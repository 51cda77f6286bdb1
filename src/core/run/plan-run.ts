import type {Config} from '../config/schema.js'
import {UserError} from '../../base/errors.js'
import type {Manifest} from '../manifest.js'
import {partitionCount, partitionFirms} from '../partition.js'
import type {Quarter} from '../../base/quarter.js'
import type {QuarterPlan} from '../run-record.js'
import type {TranscriptSource} from '../../sources/transcript-source.js'

export interface RunPlan {
  quarters: QuarterPlan[]
  manifests: Manifest[]
}

/** Splits each quarter's firms into partitions: the manifests a run writes before anything starts. */
export async function planRun(runId: string, config: Config, source: TranscriptSource): Promise<RunPlan> {
  const quarters = await chooseQuarters(config, source)
  const plan: RunPlan = {quarters: [], manifests: []}
  for (const quarter of quarters) {
    const firms = await source.listFirms(quarter)
    const partitions = partitionFirms(firms, partitionCount(firms.length, config))
    plan.quarters.push({quarter, firms: firms.length, partitions: partitions.length})
    partitions.forEach((partitionFirmList, partition) => plan.manifests.push({runId, quarter, partition, firms: partitionFirmList}))
  }
  if (plan.manifests.length === 0) {
    throw new UserError(
      `The source ${config.source} has no earnings calls in ${quarters.join(', ')}.`,
      'Check --quarters against the call dates in the source (quarters follow mostimportantdateutc).',
    )
  }
  return plan
}

async function chooseQuarters(config: Config, source: TranscriptSource): Promise<Quarter[]> {
  if (config.quarters?.length) return config.quarters
  const available = (await source.listQuarters?.()) ?? []
  if (available.length === 0) {
    throw new UserError('No quarters to run.', 'Pass --quarters, e.g. --quarters 2024Q1 or --quarters 2023Q1..2024Q4.')
  }
  return available
}
