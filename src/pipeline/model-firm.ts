import type {PipelineConfig} from '../core/config/schema.js'
import type {FirmTranscript} from '../sources/transcript-source.js'
import {type Embedder, mixContext, normalize} from './embedding/embedder.js'
import {FirmError} from './firm-error.js'
import {hdbscan} from './hdbscan/index.js'
import {classTfidf, ngrams, similarityToClass, topTerms} from './stages/class-tfidf.js'
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
  const topics = await timed('keywords', () => describeTopics(sentences, assignments, embeddings, config.keywords))
  await timed('label', () => {
    for (const topic of topics) topic.label = keywordLabel(topic.keywords) || `topic ${topic.topicId}`
  })
  return {sentences, assignments, probabilities: clusters.probabilities, topics, timings}
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

function describeTopics(
  sentences: readonly PreparedSentence[],
  assignments: Int32Array,
  embeddings: readonly Float32Array[],
  options: PipelineConfig['keywords'],
): FirmTopic[] {
  const topicCount = assignments.reduce((max, topic) => Math.max(max, topic + 1), 0)
  if (topicCount === 0) return []
  // min_df counts sentences: a term said in one sentence only is noise. (BERTopic counts topics, since it fits its
  // vectorizer on one document per topic; with few outliers that drops exactly the words unique to a topic.)
  const allTerms = sentences.map((sentence) => ngrams(sentence.terms, options.ngramMax))
  const sentenceFrequency = new Map<string, number>()
  for (const terms of allTerms) for (const term of new Set(terms)) sentenceFrequency.set(term, (sentenceFrequency.get(term) ?? 0) + 1)
  const sentenceTerms = allTerms.map((terms) => terms.filter((term) => sentenceFrequency.get(term)! >= options.minDf))
  // Row 0 is the outlier class, as in BERTopic: it takes part in the idf.
  const classes = Array.from({length: topicCount + 1}, () => new Map<string, number>())
  sentenceTerms.forEach((terms, index) => {
    const counts = classes[assignments[index]! + 1]!
    for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1)
  })
  const model = classTfidf(classes, 1)
  return Array.from({length: topicCount}, (_, topicId) => {
    const members = sentences.map((sentence) => sentence.index).filter((index) => assignments[index] === topicId)
    const keywords = topTerms(model, topicId + 1, options.topN)
    const representativeSentences = members
      .map((index) => ({index, similarity: similarityToClass(model, topicId + 1, sentenceTerms[index]!)}))
      .sort((a, b) => b.similarity - a.similarity || a.index - b.index)
      .slice(0, options.representativeSentences)
      .map((entry) => entry.index)
    const embedding = new Float32Array(embeddings[0]!.length)
    for (const index of members) embeddings[index]!.forEach((value, dimension) => (embedding[dimension]! += value))
    return {
      topicId,
      label: '',
      labelSource: 'keywords' as const,
      keywords: keywords.map((entry) => entry.term),
      keywordScores: keywords.map((entry) => entry.score),
      size: members.length,
      representativeSentences,
      embedding: normalize(embedding),
    }
  })
}
