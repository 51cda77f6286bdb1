import type {PipelineConfig} from '../../core/config/schema.js'
import {normalize} from '../embedding/embedder.js'
import {classTfidf, ngrams, similarityToClass} from './class-tfidf.js'
import type {TopicSentence} from './describe-topics.js'

/** Outliers after reassignment: each sentence's topic, and for each outlier the similarity to the topic it was offered. */
export interface ReducedOutliers {
  assignments: Int32Array
  /** Similarity of each HDBSCAN outlier to its most similar topic (NaN for sentences HDBSCAN clustered). */
  similarities: Float64Array
}

/**
 * BERTopic's reduce_outliers: every outlier (−1) joins the topic it is most similar to when that similarity reaches
 * `threshold`; by `embeddings` (cosine to the unit mean embedding of each topic) or by `c-tf-idf` (cosine of the
 * sentence's c-TF-IDF vector to each topic's row). Ties go to the lower topic id. Clustered sentences stay put.
 */
export function reduceOutliers(
  sentences: readonly TopicSentence[],
  assignments: Int32Array,
  embeddings: readonly Float32Array[],
  options: PipelineConfig['outliers'],
  keywords: PipelineConfig['keywords'],
): ReducedOutliers {
  const similarities = new Float64Array(assignments.length).fill(Number.NaN)
  const result = Int32Array.from(assignments)
  const topicCount = assignments.reduce((max, topic) => Math.max(max, topic + 1), 0)
  if (options.strategy === 'none' || topicCount === 0 || !assignments.includes(-1)) return {assignments: result, similarities}
  const similarity = options.strategy === 'embeddings' ? embeddingSimilarity(assignments, embeddings, topicCount) : termSimilarity(sentences, assignments, topicCount, keywords)
  assignments.forEach((topic, index) => {
    if (topic >= 0) return
    let best = -1
    let bestSimilarity = -Infinity
    for (let candidate = 0; candidate < topicCount; candidate++) {
      const value = similarity(index, candidate)
      if (value > bestSimilarity) {
        best = candidate
        bestSimilarity = value
      }
    }
    similarities[index] = bestSimilarity
    if (bestSimilarity >= options.threshold) result[index] = best
  })
  return {assignments: result, similarities}
}

function embeddingSimilarity(assignments: Int32Array, embeddings: readonly Float32Array[], topicCount: number): (index: number, topic: number) => number {
  const dimensions = embeddings[0]!.length
  const centroids = Array.from({length: topicCount}, () => new Float32Array(dimensions))
  assignments.forEach((topic, index) => {
    if (topic >= 0) embeddings[index]!.forEach((value, dimension) => (centroids[topic]![dimension]! += value))
  })
  const units = centroids.map((centroid) => normalize(centroid))
  const unitSentences = new Map<number, Float32Array>()
  return (index, topic) => {
    let sentence = unitSentences.get(index)
    if (!sentence) unitSentences.set(index, (sentence = normalize(Float32Array.from(embeddings[index]!))))
    const centroid = units[topic]!
    let dot = 0
    for (let dimension = 0; dimension < dimensions; dimension++) dot += sentence[dimension]! * centroid[dimension]!
    return dot
  }
}

function termSimilarity(
  sentences: readonly TopicSentence[],
  assignments: Int32Array,
  topicCount: number,
  keywords: PipelineConfig['keywords'],
): (index: number, topic: number) => number {
  const terms = sentences.map((sentence) => ngrams(sentence.terms, keywords.ngramMax, sentence.followsPrevious))
  const classes = Array.from({length: topicCount}, () => new Map<string, number>())
  terms.forEach((sentenceTerms, index) => {
    const counts = classes[assignments[index]!]
    if (counts) for (const term of sentenceTerms) counts.set(term, (counts.get(term) ?? 0) + 1)
  })
  const model = classTfidf(classes, 1)
  return (index, topic) => similarityToClass(model, topic, terms[index]!)
}
