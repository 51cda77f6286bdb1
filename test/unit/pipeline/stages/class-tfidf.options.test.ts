import {describe, expect, it} from 'vitest'
import {classTfidf, topTerms} from '../../../../src/pipeline/stages/class-tfidf.js'
import {maximalMarginalRelevance} from '../../../../src/pipeline/stages/maximal-marginal-relevance.js'
import {cosineSimilarity} from '../../../../src/pipeline/stages/vectors.js'
import {isPersonName, personNameWords} from '../../../../src/pipeline/stages/person-names.js'
import {preprocess} from '../../../../src/pipeline/stages/preprocess.js'
import type {FirmTranscript} from '../../../../src/sources/transcript-source.js'

const counts = (text: string): Map<string, number> => {
  const map = new Map<string, number>()
  for (const word of text.split(' ')) map.set(word, (map.get(word) ?? 0) + 1)
  return map
}
const rounded = (values: Float64Array): number[] => [...values].map((value) => +value.toFixed(6))
const reference = [counts('revenue growth revenue margin'), counts('cloud growth cloud cloud')]

describe('c-TF-IDF options (topic-model.md §1.3 test vectors)', () => {
  it('bm25_weighting: idf = ln((A+1)/(f+0.5))', () => {
    const model = classTfidf(reference, 1, {bm25Weighting: true})
    expect(rounded(model.idf)).toEqual([0.356675, 0.693147, 1.203973, 0.693147])
    // Scores are tf × bm25 idf: class 0 = [0, 1/4, 1/4, 2/4] × idf.
    expect(rounded(model.scores[0]!)).toEqual([0, 0.173287, 0.300993, 0.346574])
  })

  it('reduce_frequent_words: tf = √tf', () => {
    const model = classTfidf(reference, 1, {reduceFrequentWords: true})
    expect(rounded(model.scores[0]!)).toEqual([0, 0.549306, 0.804719, 0.776836])
  })

  it('bm25 idf turns negative for terms more frequent than A + 0.5, which then never rank', () => {
    const model = classTfidf([counts('the the the the the a'), counts('the the the b')], 1, {bm25Weighting: true})
    expect(model.idf[model.columns.get('the')!]).toBeLessThan(0)
    expect(topTerms(model, 0, 10).map((entry) => entry.term)).toEqual(['a'])
  })
})

describe('maximalMarginalRelevance', () => {
  const topic = [1, 0, 0]
  const candidates = [
    [0.9, 0.1, 0],
    [0.89, 0.12, 0],
    [0.5, 0, 0.5],
  ]

  it('with diversity 0 keeps the order of similarity to the topic', () => {
    expect(maximalMarginalRelevance(topic, candidates, 3, 0)).toEqual([0, 1, 2])
  })

  it('with diversity skips a near-duplicate of a chosen keyword', () => {
    // Candidate 1 is almost candidate 0; candidate 2 is less relevant but different.
    expect(cosineSimilarity(candidates[0]!, candidates[1]!)).toBeGreaterThan(0.99)
    expect(maximalMarginalRelevance(topic, candidates, 2, 0.5)).toEqual([0, 2])
  })

  it('is deterministic on ties (lower index first) and never picks more than it has', () => {
    expect(maximalMarginalRelevance(topic, [[1, 0, 0], [1, 0, 0]], 5, 0.3)).toEqual([0, 1])
  })
})

const call = (texts: [string, string][]): FirmTranscript => ({
  firmId: '1',
  firmName: 'Acme Corp.',
  transcriptId: '9',
  callDate: '2024-02-01T00:00:00Z',
  components: texts.map(([speakerType, text], componentOrder) => ({componentOrder, speakerType, text})),
})

describe('person names', () => {
  const transcript = call([
    ['Operator', 'Good morning. I would now like to turn the call over to Sofia Kowalski, Head of Investor Relations. Please go ahead.'],
    ['Executives', 'Thank you, operator. Joining me today are Carlos Haddad, our Chief Executive Officer, and Grace Park, our Chief Financial Officer.'],
    ['Executives', 'Thanks, Sofia. Carlos Haddad here: cloud revenue grew in every region and the grace period on loans ended. Park Avenue leases and park expansion drove growth.'],
    ['Operator', 'Our next question comes from Mei Whitaker with Lakeside Research.'],
    ['Analysts', 'Yes, thanks, Mei. Hi, Carlos. Cloud margins improved: how durable is cloud pricing for Whitaker clients?'],
    ['Executives', 'Sure. Hi, Mark. Cloud pricing stays firm, Mark, and margins keep expanding.'],
  ])

  it('collects names from introductions, role descriptions and greetings', () => {
    expect([...personNameWords(transcript)].sort()).toEqual(['carlos', 'grace', 'haddad', 'kowalski', 'mark', 'mei', 'park', 'sofia', 'whitaker'])
  })

  it('drops capitalised occurrences only, so common words that are also names survive in lowercase', () => {
    const names = personNameWords(transcript)
    expect(isPersonName('Grace', names)).toBe(true)
    expect(isPersonName('grace', names)).toBe(false)
    const terms = preprocess(transcript, {dropOperator: true, dropSafeHarbor: true}).flatMap((sentence) => sentence.terms)
    for (const name of ['sofia', 'carlos', 'haddad', 'mei', 'whitaker', 'mark', 'kowalski']) expect(terms).not.toContain(name)
    expect(terms).toContain('grace')
    expect(terms).toContain('park')
    expect(terms).toContain('cloud')
  })
})
