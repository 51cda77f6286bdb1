import {describe, expect, it} from 'vitest'
import {defaultConfig} from '../../../../src/core/config/schema.js'
import {reduceOutliers} from '../../../../src/pipeline/stages/reduce-outliers.js'
import {smoothTopics} from '../../../../src/pipeline/stages/smooth-topics.js'

const keywords = defaultConfig.pipeline.keywords
const vector = (...values: number[]): Float32Array => Float32Array.from(values)

describe('reduceOutliers', () => {
  const embeddings = [vector(1, 0), vector(0.9, 0.1), vector(0, 1), vector(0.1, 0.9), vector(0.8, 0.3), vector(-1, -1)]
  const sentences = embeddings.map((_, index) => ({index, terms: ['word']}))
  const clustered = Int32Array.from([0, 0, 1, 1, -1, -1])

  it('moves an outlier to the topic whose mean embedding is most similar when it reaches the threshold, and keeps the similarity', () => {
    const {assignments, similarities} = reduceOutliers(sentences, clustered, embeddings, {strategy: 'embeddings', threshold: 0.5}, keywords)
    expect([...assignments]).toEqual([0, 0, 1, 1, 0, -1])
    expect(similarities[4]).toBeGreaterThan(0.9)
    // The sentence pointing away from every topic stays an outlier; its best similarity is still recorded.
    expect(similarities[5]).toBeLessThan(0.5)
    expect(Number.isNaN(similarities[0]!)).toBe(true)
  })

  it('by c-TF-IDF: an outlier joins the topic that uses its words', () => {
    const texts = [['cloud', 'growth'], ['cloud', 'region'], ['dividend', 'buyback'], ['dividend', 'payout'], ['buyback', 'dividend'], ['weather']]
    const termSentences = texts.map((terms, index) => ({index, terms}))
    const {assignments} = reduceOutliers(termSentences, clustered, embeddings, {strategy: 'c-tf-idf', threshold: 0.1}, keywords)
    expect([...assignments]).toEqual([0, 0, 1, 1, 1, -1])
  })

  it('changes nothing with strategy none', () => {
    const {assignments} = reduceOutliers(sentences, clustered, embeddings, {strategy: 'none', threshold: 0}, keywords)
    expect([...assignments]).toEqual([...clustered])
  })
})

describe('smoothTopics', () => {
  it('lets a lone sentence take its neighbours\' topic inside its group, keeps lasting changes and group borders', () => {
    const assignments = Int32Array.from([0, 0, 1, 0, 0, 2, 2, 2, -1, 2])
    const groups = [0, 0, 0, 0, 0, 0, 0, 0, 0, 1]
    expect([...smoothTopics(assignments, groups, 1)]).toEqual([0, 0, 0, 0, 0, 2, 2, 2, 2, 2])
    // Across a group border nothing votes: the last sentence keeps its own topic.
    expect([...smoothTopics(Int32Array.from([0, 0, 1]), [0, 0, 1], 1)]).toEqual([0, 0, 1])
    expect([...smoothTopics(assignments, groups, 0)]).toEqual([...assignments])
  })
})
