import {describe, expect, it} from 'vitest'
import {adjustedRandIndex} from '../../../../src/pipeline/quality/adjusted-rand-index.js'
import {normalizedMutualInformation} from '../../../../src/pipeline/quality/normalized-mutual-information.js'
import {npmiCoherence, topicDiversity} from '../../../../src/pipeline/quality/topic-coherence.js'

describe('normalizedMutualInformation', () => {
  it('matches sklearn (arithmetic mean)', () => {
    expect(normalizedMutualInformation([0, 0, 1, 1], [1, 1, 0, 0])).toBeCloseTo(1, 12)
    expect(normalizedMutualInformation([0, 0, 0, 0], [0, 1, 2, 3])).toBe(0)
    expect(normalizedMutualInformation([0, 0, 1, 1], [0, 1, 0, 1])).toBeCloseTo(0, 12)
    expect(normalizedMutualInformation(['a', 'a'], ['x', 'x'])).toBe(1)
    // sklearn.metrics.normalized_mutual_info_score([0,0,1,2],[0,0,1,1]) = 0.8 (MI = ln 2·… ; H(U)=1.0397, H(V)=0.6931).
    const mutual = 0.5 * Math.log(2) + 0.25 * Math.log(2) + 0.25 * Math.log(2)
    const expected = mutual / ((1.5 * Math.log(2) + Math.log(2)) / 2)
    expect(normalizedMutualInformation([0, 0, 1, 2], [0, 0, 1, 1])).toBeCloseTo(expected, 12)
    expect(expected).toBeCloseTo(0.8, 12)
  })
})

describe('adjustedRandIndex', () => {
  it("matches sklearn's docstring vectors", () => {
    expect(adjustedRandIndex([0, 0, 1, 2], [0, 0, 1, 1])).toBeCloseTo(0.5714285714, 9)
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 1, 0, 1])).toBeCloseTo(-0.5, 12)
  })
})

describe('npmiCoherence', () => {
  it('computes NPMI over boolean windows', () => {
    const windows = [['revenue', 'growth'], ['revenue', 'growth'], ['credit', 'loss'], ['credit', 'revenue']]
    // revenue 3/4, growth 2/4, together 2/4: ln((0.5)/(0.375)) / −ln(0.5)
    const expected = Math.log((0.5 + 1e-12) / (0.75 * 0.5)) / -Math.log(0.5 + 1e-12)
    expect(npmiCoherence([['revenue', 'growth']], windows)).toBeCloseTo(expected, 9)
    // Words that never co-occur score near −1 (gensim's ε keeps the logarithm finite); always together +1.
    expect(npmiCoherence([['growth', 'loss']], windows)).toBeCloseTo(Math.log(1e-12 / (0.5 * 0.25)) / -Math.log(1e-12), 9)
    expect(npmiCoherence([['credit', 'loss']], [['credit', 'loss'], ['other']])).toBeCloseTo(1, 9)
    // A phrase occurs where all its words do; the model score is the mean of topic scores.
    expect(npmiCoherence([['revenue growth', 'revenue'], ['growth', 'loss']], windows)).toBeCloseTo((Math.log(0.5 / (0.5 * 0.75)) / -Math.log(0.5) + Math.log(1e-12 / (0.5 * 0.25)) / -Math.log(1e-12)) / 2, 6)
    expect(npmiCoherence([['absent', 'words']], windows)).toBeNaN()
  })
})

describe('topicDiversity', () => {
  it('counts unique top words over k × topics', () => {
    expect(topicDiversity([['a', 'b'], ['c', 'd']], 2)).toBe(1)
    expect(topicDiversity([['a', 'b'], ['a', 'c']], 2)).toBe(0.75)
    expect(topicDiversity([['a', 'b', 'z'], ['a', 'c', 'y']], 1)).toBe(0.5)
  })
})
