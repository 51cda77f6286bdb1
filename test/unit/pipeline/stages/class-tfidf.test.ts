import {describe, expect, it} from 'vitest'
import {classTfidf, ngrams, similarityToClass, topTerms} from '../../../../src/pipeline/stages/class-tfidf.js'
import {keywordLabel} from '../../../../src/pipeline/stages/keyword-label.js'

const counts = (text: string): Map<string, number> => {
  const map = new Map<string, number>()
  for (const word of text.split(' ')) map.set(word, (map.get(word) ?? 0) + 1)
  return map
}

describe('classTfidf', () => {
  it("matches BERTopic's c-TF-IDF on the reference vector (topic-model.md §1.3)", () => {
    // Given class 0 = "revenue growth revenue margin" and class 1 = "cloud growth cloud cloud"
    const model = classTfidf([counts('revenue growth revenue margin'), counts('cloud growth cloud cloud')], 1)
    // Then vocabulary, idf and scores match the reference
    expect(model.vocabulary).toEqual(['cloud', 'growth', 'margin', 'revenue'])
    expect([...model.idf].map((value) => +value.toFixed(6))).toEqual([0.847298, 1.098612, 1.609438, 1.098612])
    expect([...model.scores[0]!].map((value) => +value.toFixed(6))).toEqual([0, 0.274653, 0.402359, 0.549306])
    expect([...model.scores[1]!].map((value) => +value.toFixed(6))).toEqual([0.635473, 0.274653, 0, 0])
  })

  it('counts min_df over classes and keeps every term when nothing would pass', () => {
    const model = classTfidf([counts('a b c'), counts('a d'), counts('a b')], 2)
    expect(model.vocabulary).toEqual(['a', 'b'])
    expect(classTfidf([counts('x'), counts('y')], 2).vocabulary).toEqual(['x', 'y'])
  })

  it('ranks top terms by score, never returns zero-score terms, and ties go alphabetically', () => {
    const model = classTfidf([counts('revenue growth revenue margin'), counts('cloud growth cloud cloud')], 1)
    expect(topTerms(model, 0, 10).map((entry) => entry.term)).toEqual(['revenue', 'margin', 'growth'])
    expect(topTerms(model, 1, 1).map((entry) => entry.term)).toEqual(['cloud'])
  })

  it('scores a document closer to its own class', () => {
    const model = classTfidf([counts('revenue growth revenue margin'), counts('cloud growth cloud cloud')], 1)
    expect(similarityToClass(model, 1, ['cloud', 'cloud'])).toBeGreaterThan(similarityToClass(model, 0, ['cloud', 'cloud']))
    expect(similarityToClass(model, 0, ['unknown'])).toBe(0)
  })
})

describe('ngrams', () => {
  it('makes unigrams then bigrams inside one sentence', () => {
    expect(ngrams(['supply', 'chain', 'cost'], 2)).toEqual(['supply', 'chain', 'cost', 'supply chain', 'chain cost'])
    expect(ngrams(['alone'], 2)).toEqual(['alone'])
  })
})

describe('keywordLabel', () => {
  it('lets a phrase stand for its own words', () => {
    expect(keywordLabel(['chain', 'supply', 'supply chain', 'component', 'freight'])).toBe('supply chain, component, freight')
  })

  it('skips a word already inside a chosen phrase', () => {
    expect(keywordLabel(['data center', 'data', 'demand', 'capacity'])).toBe('data center, demand, capacity')
  })

  it('is empty without keywords', () => {
    expect(keywordLabel([])).toBe('')
  })
})
