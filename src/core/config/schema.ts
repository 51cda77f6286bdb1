import {z} from 'zod'

const positiveInteger = z.number().int().positive()
const fraction = z.number().min(0).max(1)

/** The worker's loop: checkpoints, failure tolerance and the circuit breaker. */
export const workerSchema = z.strictObject({
  checkpointInterval: positiveInteger.describe('firms per committed Parquet chunk'),
  allowFailures: z.boolean().describe('record per-firm failures and go on; false makes any firm failure fatal'),
  breakerConsecutiveFailures: positiveInteger.describe('trip after this many failed firms in a row'),
  breakerFailureRate: fraction.describe('trip when the failed share exceeds this after breakerMinFirms firms'),
  breakerMinFirms: positiveInteger.describe('firms processed before the failure rate is judged'),
})

/** The per-firm topic model. Defaults are the team's production settings for ~300 sentences per firm. */
export const pipelineSchema = z.strictObject({
  minSentences: positiveInteger.describe('firms with fewer usable sentences fail with too_few_sentences'),
  dropOperator: z.boolean(),
  dropSafeHarbor: z.boolean(),
  embedding: z.strictObject({
    backend: z.enum(['word-vectors']).describe('the sentence embedding backend'),
    contextWindow: z.number().int().min(0).max(5).describe('neighbouring sentences of the same turn mixed into each embedding'),
    contextWeight: fraction.describe('weight of the neighbours relative to the sentence itself'),
  }),
  umap: z.strictObject({
    nNeighbors: z.number().int().min(2),
    nComponents: z.number().int().min(1).max(100),
    minDist: z.number().min(0).max(1),
    nEpochs: z.number().int().min(0).describe('0 chooses by input size, as umap-js does'),
    seed: z.number().int(),
  }),
  hdbscan: z.strictObject({
    minClusterSize: z.number().int().min(2),
    minSamples: positiveInteger,
    selection: z.enum(['leaf', 'eom']),
  }),
  keywords: z.strictObject({
    ngramMax: z.number().int().min(1).max(3),
    minDf: positiveInteger.describe('a keyword must occur in at least this many sentences of the firm'),
    topN: positiveInteger,
    representativeSentences: positiveInteger,
  }),
})

/** Everything a run is made of. Flags, environment and ftm.config.json override these defaults. */
export const configSchema = z.strictObject({
  root: z.string().min(1).describe('output root: a local directory (or s3://bucket/prefix)'),
  source: z.string().min(1).optional().describe('transcripts: a CSV file in the WRDS component shape'),
  quarters: z.array(z.string().regex(/^\d{4}Q[1-4]$/, 'expected quarters like 2024Q1')).optional(),
  executor: z.string().min(1).describe('where partitions run'),
  parallel: positiveInteger.max(1000).describe('partitions running at the same time'),
  partitions: positiveInteger.optional().describe('partitions per quarter (default: enough for parallel and firmsPerPartition)'),
  firmsPerPartition: positiveInteger.describe('most firms in one partition when partitions is not set'),
  worker: workerSchema,
  pipeline: pipelineSchema,
})

export type Config = z.infer<typeof configSchema>
export type WorkerConfig = z.infer<typeof workerSchema>
export type PipelineConfig = z.infer<typeof pipelineSchema>

/** Built-in defaults: the lowest layer. */
export const defaultConfig: Config = {
  root: 'ftm-output',
  executor: 'process',
  parallel: 1,
  firmsPerPartition: 1000,
  worker: {
    checkpointInterval: 50,
    allowFailures: true,
    breakerConsecutiveFailures: 10,
    breakerFailureRate: 0.5,
    breakerMinFirms: 20,
  },
  pipeline: {
    minSentences: 12,
    dropOperator: true,
    dropSafeHarbor: true,
    embedding: {backend: 'word-vectors', contextWindow: 1, contextWeight: 0.5},
    umap: {nNeighbors: 15, nComponents: 10, minDist: 0.01, nEpochs: 0, seed: 42},
    hdbscan: {minClusterSize: 6, minSamples: 2, selection: 'leaf'},
    keywords: {ngramMax: 2, minDf: 2, topN: 10, representativeSentences: 3},
  },
}
