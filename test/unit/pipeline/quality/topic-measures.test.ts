import {describe, expect, it} from 'vitest'
import {genericLabelShare, isGenericLabel} from '../../../../src/pipeline/quality/generic-label.js'
import {topicPurities} from '../../../../src/pipeline/quality/topic-purity.js'
import {backgroundFactor} from '../../../../src/pipeline/stages/background-weight.js'

describe('generic labels', () => {
  it('calls a label generic when its leading word (or every word of its leading phrase) is call language', () => {
    expect(isGenericLabel('expect, demand, cloud')).toBe(true)
    expect(isGenericLabel('remain strong, pricing')).toBe(true)
    expect(isGenericLabel('strong demand, cloud')).toBe(false)
    expect(isGenericLabel('gross margin, mix')).toBe(false)
    expect(genericLabelShare(['follow, margin', 'buyback, dividend', 'see, growth', 'tariff'])).toBe(0.5)
  })
})

describe('topic purity', () => {
  it('is the share of a topic\'s sentences carrying its most common true label; outliers are no topic', () => {
    expect(topicPurities(['a', 'a', 'b', 'b', 'b', 'c'], [0, 0, 0, 1, 1, -1])).toEqual([2 / 3, 1])
  })
})

describe('the call-language background', () => {
  it('weighs down words every call uses in every topic, not topic words, and is off at weight 0', () => {
    expect(backgroundFactor('expect', 1)).toBeLessThan(0.3)
    expect(backgroundFactor('gigawatt', 1)).toBe(1)
    expect(backgroundFactor('expect', 0)).toBe(1)
    // A phrase takes the geometric mean of its words.
    expect(backgroundFactor('expect gigawatt', 1)).toBeCloseTo(Math.sqrt(backgroundFactor('expect', 1)), 10)
  })
})
