import {z} from 'zod'
import {defaultEmbedding, embeddingSchema} from './embedding-schema.js'
import {defaultEstimate, estimateSchema} from './estimate-schema.js'
import {defaultLlm, llmSchema} from './llm-schema.js'
import {defaultMeasures, measuresSchema} from './measures-schema.js'
import {executorRegistry} from '../executor-registry.js'
import {defaultThemes, themesSchema} from './themes-schema.js'

const positiveInteger = z.number().int().positive()
const fraction = z.number().min(0).max(1)

/** The worker's loop: checkpoints, failure tolerance and the circuit breaker. */
export const workerSchema = z.strictObject({
  checkpointInterval: positiveInteger.describe('firms per committed Parquet chunk'),
  allowFailures: z.boolean().describe('record per-firm failures and go on; false makes any firm failure fatal'),
  breakerConsecutiveFailures: positiveInteger.describe('trip after this many failed firms in a row'),
  breakerFailureRate: fraction.describe('trip when the failed share exceeds this after breakerMinFirms firms'),
  breakerMinFirms: positiveInteger.describe('firms processed before the failure rate is judged'),
  retryAttempts: positiveInteger.max(20).describe('tries of a source fetch or storage write before it counts as failed'),
  retryBaseMs: positiveInteger.describe('first backoff wait between tries, doubled each time'),
  commitRetrySeconds: z.number().min(0).max(3600).describe('seconds a worker keeps retrying a checkpoint commit (or the monitor a look at storage) through a transient storage fault before it exits 75'),
  spotWatch: z.enum(['auto', 'on', 'off']).describe('poll EC2 instance metadata for a Spot interruption notice (auto: on AWS Batch/ECS)'),
  spotEndpoint: z.string().url().describe('instance metadata endpoint polled for Spot notices'),
  spotPollSeconds: z.number().min(0.05).max(60).describe('seconds between Spot notice polls'),
  maxCallCharacters: positiveInteger.describe('calls with more text than this fail as bad_transcript'),
  progressIntervalSeconds: z.number().min(0).max(600).describe('least seconds between progress-file writes (commits and phase changes always write)'),
  leaseExpirySeconds: z.number().min(0.05).max(3600).describe("seconds a worker's partition lease lasts unless renewed (renewed every third of it and at each commit); a killed worker's partition is taken over after this"),
  leaseWaitSeconds: z.number().min(0).max(86_400).describe('seconds a worker waits for a partition whose lease another live worker holds, before it exits 4 without touching it'),
})

/** The per-firm topic model. Defaults were chosen on the hand-written quality corpus (issue 17, docs/decisions.md). */
export const pipelineSchema = z.strictObject({
  minSentences: positiveInteger.describe('firms with fewer usable sentences fail with too_few_sentences'),
  dropOperator: z.boolean(),
  dropSafeHarbor: z.boolean(),
  embedding: embeddingSchema,
  umap: z.strictObject({
    nNeighbors: z.number().int().min(2),
    nComponents: z.number().int().min(1).max(100),
    minDist: z.number().min(0).max(1),
    nEpochs: z.number().int().min(0).describe('layout epochs; 0 chooses by input size as umap-js does (500 below 2,500 points)'),
    seed: z.number().int(),
  }),
  hdbscan: z.strictObject({
    minClusterSize: z.number().int().min(2).describe('smallest topic, and the floor when minClusterShare scales it'),
    minSamples: positiveInteger.describe('HDBSCAN min_samples, and the floor when minSamplesShare scales it'),
    minClusterShare: fraction.describe("smallest topic as a share of the firm's sentences (0: minClusterSize as it is)"),
    minSamplesShare: fraction.describe("min_samples as a share of the firm's sentences (0: minSamples as it is)"),
    selection: z.enum(['leaf', 'eom']),
  }),
  clustering: z
    .enum(['umap-hdbscan', 'spectral'])
    .describe('how sentences become topics: UMAP then HDBSCAN, or spectral clustering of the kNN graph with the topic count from the eigengap (every sentence in a topic)'),
  spectral: z.strictObject({
    neighbours: z.number().int().min(2).describe('neighbours per sentence in the spectral graph'),
    minTopics: z.number().int().min(2).describe('fewest topics the eigengap may choose'),
    maxTopics: z.number().int().min(2).describe('most topics the eigengap may choose'),
  }),
  outliers: z.strictObject({
    strategy: z
      .enum(['none', 'embeddings', 'c-tf-idf'])
      .describe("reassign HDBSCAN's outliers to the most similar topic, as BERTopic's reduce_outliers (none: keep them as topic -1)"),
    threshold: z.number().min(-1).max(1).describe('least cosine similarity to a topic for an outlier to join it'),
  }),
  mergeThreshold: z.number().min(0).max(1.01).describe('topics whose mean embeddings have at least this cosine similarity are merged (above 1: never)'),
  smoothWindow: z.number().int().min(0).max(10).describe('each sentence takes the topic most of its neighbours within this many sentences of its context group share (0: off)'),
  keywords: z.strictObject({
    ngramMax: z.number().int().min(1).max(3),
    minDf: positiveInteger.describe('a keyword must occur in at least this many sentences of the firm'),
    topN: positiveInteger,
    representativeSentences: positiveInteger,
    bm25Weighting: z.boolean().describe("c-TF-IDF idf as BERTopic's bm25_weighting: ln((A+1)/(f+0.5))"),
    reduceFrequentWords: z.boolean().describe("c-TF-IDF tf as BERTopic's reduce_frequent_words: square root"),
    diversity: fraction.describe('MMR keyword diversity: 0 keeps the c-TF-IDF order, 1 favours keywords unlike those chosen'),
    background: z.number().min(0).max(4).describe("weight of the built-in call-language background: words common in every call's topics rank lower (0: off)"),
  }),
  measures: measuresSchema,
})

/** Everything a run is made of. Flags, environment and ftm.config.json override these defaults. */
export const configSchema = z.strictObject({
  root: z.string().min(1).describe('output root: a local directory (or s3://bucket/prefix)'),
  source: z.string().min(1).optional().describe('transcripts: a .csv, .parquet or .jsonl file (path or s3://) in the WRDS component shape, or wrds:// / postgres://host:port/db'),
  sourceEncoding: z.enum(['utf8', 'latin1']).describe('how a CSV source is decoded: utf8 (bytes that are not UTF-8 are counted and reported) or latin1'),
  quarters: z.array(z.string().regex(/^\d{4}Q[1-4]$/, 'expected quarters like 2024Q1')).optional(),
  executor: z.string().min(1).describe('where partitions run'),
  parallel: positiveInteger.max(1000).describe('partitions running at the same time'),
  partitions: positiveInteger.optional().describe('partitions per quarter (default: enough for parallel and firmsPerPartition)'),
  firmsPerPartition: positiveInteger.describe('most firms in one partition when partitions is not set'),
  worker: workerSchema,
  pipeline: pipelineSchema,
  llm: llmSchema,
  ...executorRegistry.settingsSchemas,
  estimate: estimateSchema,
  themes: themesSchema,
})

export type Config = z.infer<typeof configSchema>
export type WorkerConfig = z.infer<typeof workerSchema>
export type PipelineConfig = z.infer<typeof pipelineSchema>

/** Built-in defaults: the lowest layer. */
export const defaultConfig: Config = {
  root: 'ftm-output',
  sourceEncoding: 'utf8',
  executor: 'process',
  parallel: 1,
  firmsPerPartition: 1000,
  ...executorRegistry.settingsDefaults,
  worker: {
    checkpointInterval: 50,
    allowFailures: true,
    breakerConsecutiveFailures: 10,
    breakerFailureRate: 0.5,
    breakerMinFirms: 20,
    retryAttempts: 4,
    retryBaseMs: 500,
    commitRetrySeconds: 60,
    spotWatch: 'auto',
    spotEndpoint: 'http://169.254.169.254',
    spotPollSeconds: 5,
    maxCallCharacters: 2_000_000,
    progressIntervalSeconds: 1,
    leaseExpirySeconds: 90,
    leaseWaitSeconds: 300,
  },
  pipeline: {
    minSentences: 12,
    dropOperator: true,
    dropSafeHarbor: true,
    embedding: defaultEmbedding,
    umap: {nNeighbors: 15, nComponents: 10, minDist: 0.01, nEpochs: 200, seed: 42},
    hdbscan: {minClusterSize: 6, minSamples: 2, minClusterShare: 0.04, minSamplesShare: 0.013, selection: 'leaf'},
    clustering: 'umap-hdbscan',
    spectral: {neighbours: 8, minTopics: 4, maxTopics: 16},
    outliers: {strategy: 'c-tf-idf', threshold: 0.1},
    mergeThreshold: 0.5,
    smoothWindow: 2,
    keywords: {ngramMax: 2, minDf: 2, topN: 10, representativeSentences: 3, bm25Weighting: false, reduceFrequentWords: false, diversity: 0, background: 1},
    measures: defaultMeasures,
  },
  llm: defaultLlm,
  estimate: defaultEstimate,
  themes: defaultThemes,
}
