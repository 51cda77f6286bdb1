import type {PipelineConfig} from '../../core/config/schema.js'
import {type Embedder, normalize} from '../embedding/embedder.js'
import {backgroundFactor} from './background-weight.js'
import {classTfidf, ngrams, similarityToClass, topTerms} from './class-tfidf.js'
import {maximalMarginalRelevance} from './maximal-marginal-relevance.js'

/** What the representation stage needs of a sentence. */
export interface TopicSentence {
  index: number
  terms: string[]
  /** Whether each term stood right after the previous one in the sentence; absent: all did. */
  followsPrevious?: boolean[]
}

/** A topic's representation: everything but its label. */
export interface TopicDescription {
  topicId: number
  keywords: string[]
  keywordScores: number[]
  size: number
  representativeSentences: number[]
  embedding: Float32Array
}

/** BERTopic ranks this many c-TF-IDF words before the representation model (MMR) keeps top_n_words. */
const candidateKeywords = 30

/**
 * Topic representations as BERTopic builds them: c-TF-IDF over one class per topic (the outliers as row 0, which
 * takes part in the idf), optional bm25 idf and √tf, keywords re-ranked by MMR when `diversity` > 0 (candidates
 * and the topic's keyword string embedded by the firm's embedder), the sentences most similar to the topic's
 * c-TF-IDF row, and the topic embedding (the unit mean of its sentences' embeddings).
 */
export async function describeTopics(
  sentences: readonly TopicSentence[],
  assignments: Int32Array,
  embeddings: readonly Float32Array[],
  options: PipelineConfig['keywords'],
  embedder?: Embedder,
): Promise<TopicDescription[]> {
  const topicCount = assignments.reduce((max, topic) => Math.max(max, topic + 1), 0)
  if (topicCount === 0) return []
  // min_df counts sentences: a term said in one sentence only is noise. (BERTopic counts topics, since it fits its
  // vectorizer on one document per topic; with few outliers that drops exactly the words unique to a topic.)
  const allTerms = sentences.map((sentence) => ngrams(sentence.terms, options.ngramMax, sentence.followsPrevious))
  const sentenceFrequency = new Map<string, number>()
  for (const terms of allTerms) for (const term of new Set(terms)) sentenceFrequency.set(term, (sentenceFrequency.get(term) ?? 0) + 1)
  const sentenceTerms = allTerms.map((terms) => terms.filter((term) => sentenceFrequency.get(term)! >= options.minDf))
  const classes = Array.from({length: topicCount + 1}, () => new Map<string, number>())
  sentenceTerms.forEach((terms, index) => {
    const counts = classes[assignments[index]! + 1]!
    for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1)
  })
  const model = classTfidf(classes, 1, {bm25Weighting: options.bm25Weighting, reduceFrequentWords: options.reduceFrequentWords})
  // Keywords rank against the call-language background too: a word every call uses in every topic leads no label.
  const factors = model.vocabulary.map((term) => backgroundFactor(term, options.background))
  const weighted = {...model, scores: model.scores.map((row) => row.map((score, column) => score * factors[column]!))}
  const ranked = Array.from({length: topicCount}, (_, topicId) => topTerms(weighted, topicId + 1, Math.max(candidateKeywords, options.topN)))
  const keywords = options.diversity > 0 && embedder ? await diversify(ranked, options, embedder) : ranked.map((terms) => terms.slice(0, options.topN))
  return Array.from({length: topicCount}, (_, topicId) => {
    const members = sentences.map((sentence) => sentence.index).filter((index) => assignments[index] === topicId)
    const representativeSentences = members
      .map((index) => ({index, similarity: similarityToClass(model, topicId + 1, sentenceTerms[index]!)}))
      .sort((a, b) => b.similarity - a.similarity || a.index - b.index)
      .slice(0, options.representativeSentences)
      .map((entry) => entry.index)
    const embedding = new Float32Array(embeddings[0]!.length)
    for (const index of members) embeddings[index]!.forEach((value, dimension) => (embedding[dimension]! += value))
    return {
      topicId,
      keywords: keywords[topicId]!.map((entry) => entry.term),
      keywordScores: keywords[topicId]!.map((entry) => entry.score),
      size: members.length,
      representativeSentences,
      embedding: normalize(embedding),
    }
  })
}

/** BERTopic's MaximalMarginalRelevance: embeds the candidate words and the topic's word string in one call. */
async function diversify(
  ranked: {term: string; score: number}[][],
  options: PipelineConfig['keywords'],
  embedder: Embedder,
): Promise<{term: string; score: number}[][]> {
  const words = [...new Set(ranked.flatMap((terms) => terms.map((entry) => entry.term)))].sort()
  const topicTexts = ranked.map((terms) => terms.map((entry) => entry.term).join(' '))
  const vectors = await embedder.embed([...words, ...topicTexts])
  const wordVector = new Map(words.map((word, index) => [word, vectors[index]!]))
  return ranked.map((terms, topicId) => {
    if (terms.length === 0) return []
    const picked = maximalMarginalRelevance(vectors[words.length + topicId]!, terms.map((entry) => wordVector.get(entry.term)!), options.topN, options.diversity)
    return picked.map((index) => terms[index]!)
  })
}
