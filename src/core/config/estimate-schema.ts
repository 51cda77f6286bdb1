import {z} from 'zod'
import {executorNames, executorRegistry, type ExecutorName} from '../executor-registry.js'

const seconds = z.number().min(0)
const price = z.number().min(0).describe('US dollars per instance-hour')
const factor = z.number().min(1).describe('wall time ÷ compute time: waits, checkpoints, interruptions, babysitting')

/** How one executor is costed by `ftm plan`. */
const executorEstimateSchema = z.strictObject({
  hourlyPrice: price,
  startupSeconds: seconds.describe('per partition: container cold start, model load'),
  overheadFactor: factor,
  billing: z.enum(['partition', 'machine']).describe('partition: each partition pays its own instance (Batch); machine: one machine runs every partition (process, local, ec2)'),
})

/** The inputs of `ftm plan`'s time and cost estimates (the `estimate` section). */
export const estimateSchema = z.strictObject({
  stageSeconds: z.strictObject({
    preprocess: seconds.describe('per firm: sentence split and cleaning'),
    embed: seconds.describe('per firm: sentence embeddings'),
    cluster: seconds.describe('per firm: UMAP, HDBSCAN and keywords'),
    label: seconds.describe('per firm: LLM topic naming'),
  }),
  useMeasured: z.boolean().describe("use per-firm times measured in earlier runs' firms tables under the root, per executor"),
  sequential: z.strictObject({hourlyPrice: price, overheadFactor: factor}),
  ...(Object.fromEntries(executorNames.map((name) => [name, executorEstimateSchema])) as Record<ExecutorName, typeof executorEstimateSchema>),
})

/** The executors `ftm plan` estimates, each with its own section above: every executor of the registry. */
export const estimatedExecutors = executorNames

export type EstimateConfig = z.infer<typeof estimateSchema>
export type ExecutorEstimateConfig = z.infer<typeof executorEstimateSchema>

/**
 * Defaults from ADR-005: ~15 s per firm on a GPU box (2 + 3 + 5 + 5), a g4dn.2xlarge at $0.50/h for the
 * sequential baseline whose 20.8 h of processing took ~48 h; each executor's own costs come from its plug-in
 * (executors/<name>/index.ts; batch: g4dn.xlarge Spot at $0.16/h with a ~60 s cold start).
 */
export const defaultEstimate: EstimateConfig = {
  stageSeconds: {preprocess: 2, embed: 3, cluster: 5, label: 5},
  useMeasured: true,
  sequential: {hourlyPrice: 0.5, overheadFactor: 2.3},
  ...executorRegistry.estimateDefaults,
}
