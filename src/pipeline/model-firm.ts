import {setImmediate} from 'node:timers/promises'
import {embedsTerms} from '../core/config/embedding-schema.js'
import type {PipelineConfig} from '../core/config/schema.js'
import type {FirmTranscript} from '../sources/transcript-source.js'
import {type Embedder, mixContext} from './embedding/embedder.js'
import {FirmError} from './firm-error.js'
import {hdbscan} from './hdbscan/index.js'
import {contextGroups} from './stages/context-groups.js'
import {describeTopics} from './stages/describe-topics.js'
import {keywordLabel} from './stages/keyword-label.js'
import {type PreparedSentence, preprocess} from './stages/preprocess.js'
import {reduceDimensions} from './stages/reduce.js'
import {mergeTopics} from './stages/merge-topics.js'
import {reduceOutliers} from './stages/reduce-outliers.js'
import {smoothTopics} from './stages/smooth-topics.js'
import {spectralClusters} from './stages/spectral-clusters.js'

/** A topic of one firm. */
export interface FirmTopic {
  topicId: number
  label: string
  labelSource: 'keywords' | 'llm'
  keywords: string[]
  keywordScores: number[]
  size: number
  /** Firm-level sentence indices of the most representative sentences, best first. */
  representativeSentences: number[]
  /** The mean embedding of the topic's sentences, unit length. */
  embedding: Float32Array
}

/** Milliseconds per stage. */
export interface StageTimings {
  preprocess: number
  embed: number
  reduce: number
  cluster: number
  keywords: number
  label: number
}

export interface FirmModel {
  sentences: PreparedSentence[]
  /** Topic of each sentence (−1: outlier), after outliers were reassigned. */
  assignments: Int32Array
  /** HDBSCAN's topic of each sentence, before outliers were reassigned (same topic ids; −1: outlier). */
  clusterAssignments: Int32Array
  /** For each HDBSCAN outlier, its similarity to the nearest topic (NaN for sentences HDBSCAN clustered). */
  outlierSimilarities: Float64Array
  probabilities: Float64Array
  topics: FirmTopic[]
  timings: StageTimings
}

/** Runs the topic model on one firm's call: preprocess, embed, reduce, cluster, keywords, labels. */
export async function modelFirm(transcript: FirmTranscript, config: PipelineConfig, embedder: Embedder, signal?: AbortSignal): Promise<FirmModel> {
  const timings: StageTimings = {preprocess: 0, embed: 0, reduce: 0, cluster: 0, keywords: 0, label: 0}
  const timed = async <T>(stage: keyof StageTimings, work: () => T | Promise<T>): Promise<T> => {
    await yieldToEventLoop()
    signal?.throwIfAborted()
    const start = performance.now()
    try {
      return await work()
    } finally {
      timings[stage] += Math.round(performance.now() - start)
    }
  }

  const sentences = await timed('preprocess', () => preprocess(transcript, config))
  if (sentences.length < config.minSentences) {
    throw new FirmError(
      'too_few_sentences',
      `${sentences.length} usable sentences after preprocessing; at least ${config.minSentences} are needed (pipeline.minSentences)`,
    )
  }
  const groups = contextGroups(sentences, config.embedding.contextScope)
  const embeddings = await timed('embed', async () => {
    const raw = await embedder.embed(sentences.map((sentence) => (embedsTerms(config.embedding) ? sentence.terms.join(' ') : sentence.text)))
    return mixContext(raw, groups, config.embedding.contextWindow, config.embedding.contextWeight)
  })
  const clusters = await clusterSentences(embeddings, config, timed)
  const clustered = renumberBySize(clusters.labels)
  const merged = mergeTopics(clustered, embeddings, config.mergeThreshold)
  const reassigned = await timed('cluster', () => reduceOutliers(sentences, merged, embeddings, config.outliers, config.keywords))
  const assignments = renumberBySize(smoothTopics(reassigned.assignments, groups, config.smoothWindow))
  const clusterAssignments = finalIds(clustered, assignments)
  const descriptions = await timed('keywords', () => describeTopics(sentences, assignments, embeddings, config.keywords, embedder))
  const topics = await timed('label', () =>
    descriptions.map((topic): FirmTopic => ({...topic, label: keywordLabel(topic.keywords) || `topic ${topic.topicId}`, labelSource: 'keywords'})),
  )
  return {sentences, assignments, clusterAssignments, outlierSimilarities: reassigned.similarities, probabilities: clusters.probabilities, topics, timings}
}

type Timed = <T>(stage: keyof StageTimings, work: () => T | Promise<T>) => Promise<T>

/** Each sentence's cluster (−1: outlier) and its membership strength, by the configured method. */
async function clusterSentences(embeddings: Float32Array[], config: PipelineConfig, timed: Timed): Promise<{labels: ArrayLike<number>; probabilities: Float64Array}> {
  if (config.clustering === 'spectral') {
    const labels = await timed('cluster', () => spectralClusters(embeddings, {...config.spectral, seed: config.umap.seed}))
    return {labels, probabilities: new Float64Array(labels.length).fill(1)}
  }
  const reduced = await timed('reduce', () => reduceDimensions(embeddings, config.umap))
  const sizes = clusterSizes(config.hdbscan, embeddings.length)
  return timed('cluster', () => hdbscan(reduced, {...sizes, selection: config.hdbscan.selection}))
}

/**
 * HDBSCAN's min_cluster_size and min_samples for a firm of `sentences`: a share of the firm's sentences when the
 * shares are set (so a 120- and a 600-sentence call both get topics of their own scale), never below the fixed
 * values, which act as floors.
 */
export function clusterSizes(settings: PipelineConfig['hdbscan'], sentences: number): {minClusterSize: number; minSamples: number} {
  const minClusterSize = Math.max(settings.minClusterSize, Math.round(settings.minClusterShare * sentences))
  const minSamples = Math.max(settings.minSamples, Math.round(settings.minSamplesShare * sentences))
  return {minClusterSize, minSamples}
}

/**
 * Lets pending I/O run between CPU-bound stages: the previous firm's LLM request goes out and its answer is read
 * while this firm is modeled, and a SIGTERM is seen before the next stage rather than after the whole firm.
 */
async function yieldToEventLoop(): Promise<void> {
  await setImmediate()
}

/**
 * HDBSCAN's assignment in the final topic ids: each cluster takes the final topic most of its sentences ended in
 * (ties: the lower id); a cluster whose sentences all moved elsewhere, and every outlier, is −1.
 */
function finalIds(clustered: Int32Array, assignments: Int32Array): Int32Array {
  const votes = new Map<number, Map<number, number>>()
  clustered.forEach((cluster, index) => {
    const final = assignments[index]!
    if (cluster < 0 || final < 0) return
    const counts = votes.get(cluster) ?? new Map<number, number>()
    counts.set(final, (counts.get(final) ?? 0) + 1)
    votes.set(cluster, counts)
  })
  const idOf = new Map([...votes.entries()].map(([cluster, counts]) => [cluster, [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]![0]]))
  return clustered.map((cluster) => (cluster < 0 ? -1 : (idOf.get(cluster) ?? -1)))
}

/** Renumbers clusters by size, largest first (ties: first appearance); −1 stays −1. */
export function renumberBySize(labels: ArrayLike<number>): Int32Array {
  const sizes = new Map<number, {size: number; first: number}>()
  for (let index = 0; index < labels.length; index++) {
    const label = labels[index]!
    if (label < 0) continue
    const entry = sizes.get(label) ?? {size: 0, first: index}
    entry.size++
    sizes.set(label, entry)
  }
  const order = [...sizes.entries()].sort((a, b) => b[1].size - a[1].size || a[1].first - b[1].first)
  const mapping = new Map(order.map(([label], rank) => [label, rank]))
  return Int32Array.from({length: labels.length}, (_, index) => mapping.get(labels[index]!) ?? -1)
}
