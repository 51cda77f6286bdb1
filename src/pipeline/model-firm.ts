import {setImmediate} from 'node:timers/promises'
import type {PipelineConfig} from '../core/config/schema.js'
import type {FirmTranscript} from '../sources/transcript-source.js'
import {type Embedder, mixContext} from './embedding/embedder.js'
import {FirmError} from './firm-error.js'
import {hdbscan} from './hdbscan/index.js'
import {describeTopics} from './stages/describe-topics.js'
import {keywordLabel} from './stages/keyword-label.js'
import {type PreparedSentence, preprocess} from './stages/preprocess.js'
import {reduceDimensions} from './stages/reduce.js'

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
  /** Topic of each sentence (−1: outlier). */
  assignments: Int32Array
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
      timings[stage] = Math.round(performance.now() - start)
    }
  }

  const sentences = await timed('preprocess', () => preprocess(transcript, config))
  if (sentences.length < config.minSentences) {
    throw new FirmError(
      'too_few_sentences',
      `${sentences.length} usable sentences after preprocessing; at least ${config.minSentences} are needed (pipeline.minSentences)`,
    )
  }
  const embeddings = await timed('embed', async () => {
    const raw = await embedder.embed(sentences.map((sentence) => sentence.text))
    return mixContext(raw, sentences.map((sentence) => sentence.componentOrder), config.embedding.contextWindow, config.embedding.contextWeight)
  })
  const reduced = await timed('reduce', () => reduceDimensions(embeddings, config.umap))
  const clusters = await timed('cluster', () =>
    hdbscan(reduced, {minClusterSize: config.hdbscan.minClusterSize, minSamples: config.hdbscan.minSamples, selection: config.hdbscan.selection}),
  )
  const assignments = renumberBySize(clusters.labels)
  const descriptions = await timed('keywords', () => describeTopics(sentences, assignments, embeddings, config.keywords, embedder))
  const topics = await timed('label', () =>
    descriptions.map((topic): FirmTopic => ({...topic, label: keywordLabel(topic.keywords) || `topic ${topic.topicId}`, labelSource: 'keywords'})),
  )
  return {sentences, assignments, probabilities: clusters.probabilities, topics, timings}
}

/**
 * Lets pending I/O run between CPU-bound stages: the previous firm's LLM request goes out and its answer is read
 * while this firm is modeled, and a SIGTERM is seen before the next stage rather than after the whole firm.
 */
async function yieldToEventLoop(): Promise<void> {
  await setImmediate()
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
