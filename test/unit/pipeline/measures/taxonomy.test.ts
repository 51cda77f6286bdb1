import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {defaultConfig} from '../../../../src/core/config/schema.js'
import {UserError} from '../../../../src/base/errors.js'
import {createEmbedder} from '../../../../src/pipeline/embedding/create-embedder.js'
import {defaultTaxonomy, matchSubject, parseTaxonomy, prepareTaxonomy, topicTermWeights} from '../../../../src/pipeline/measures/taxonomy.js'

describe('the default taxonomy', () => {
  it("has exactly the quality corpus's subject keys, in its order", () => {
    const readme = readFileSync('fixtures/quality-corpus/README.md', 'utf8')
    const listed = readme.slice(readme.indexOf('## Default taxonomy subjects')).match(/`([a-z-]+)`/g)!.map((key) => key.slice(1, -1))
    expect(defaultTaxonomy().map((subject) => subject.key)).toEqual(listed)
  })
})

describe('parseTaxonomy', () => {
  it('reads subjects with seed words only', () => {
    expect(parseTaxonomy('{"subjects": [{"key": "tariffs", "name": "Tariffs", "seedWords": ["tariff"]}]}', 't.json')).toEqual([
      {key: 'tariffs', name: 'Tariffs', description: '', seedWords: ['tariff']},
    ])
  })

  it.each([
    ['not json', /is not JSON/],
    ['{"subjects": []}', /subjects/],
    ['{"subjects": [{"key": "Bad Key", "name": "x", "seedWords": ["a"]}]}', /subjects\.0\.key/],
    ['{"subjects": [{"key": "a", "name": "A", "seedWords": ["x"]}, {"key": "a", "name": "B", "seedWords": ["y"]}]}', /the subject a twice/],
    ['{"subjects": [{"key": "a", "name": "A"}]}', /neither a description nor seed words/],
  ])('rejects %s with a UserError that says what is wrong', (text, message) => {
    expect(() => parseTaxonomy(text, 't.json')).toThrow(UserError)
    expect(() => parseTaxonomy(text, 't.json')).toThrow(message)
  })
})

describe('topicTermWeights', () => {
  it("weighs a topic's terms by c-TF-IDF over the firm's topics, leaving outliers out", () => {
    const sentences = [
      {index: 0, terms: ['dividend', 'cash']},
      {index: 1, terms: ['repurchase', 'cash']},
      {index: 2, terms: ['tariff', 'cash']},
      {index: 3, terms: ['weather']},
    ]
    const weights = topicTermWeights(sentences, Int32Array.from([0, 0, 1, -1]))
    expect([...weights.keys()]).toEqual([0, 1])
    // 6 terms over 2 topics: 3 per topic; "cash" occurs 3 times in all, "dividend" once.
    expect(weights.get(0)!.get('dividend')).toBeCloseTo(Math.log(1 + 3 / 1))
    expect(weights.get(0)!.get('cash')).toBeCloseTo(2 * Math.log(1 + 3 / 3))
    expect(weights.get(1)!.has('weather')).toBe(false)
  })
})

describe('matchSubject', () => {
  it("gives hand-made topics the subject carrying most of their weight, and none under the threshold", async () => {
    const embedder = await createEmbedder(defaultConfig.pipeline.embedding)
    const taxonomy = await prepareTaxonomy(defaultTaxonomy(), embedder)
    const embedding = new Float32Array(embedder.dimensions)
    const buyback = {embedding, termWeights: new Map([['repurchases', 2], ['dividend', 1.5], ['update', 1]])}
    const tariffs = {embedding, termWeights: new Map([['tariff', 2], ['china', 1], ['cost', 0.5]])}
    expect(matchSubject(buyback, taxonomy, 0.02)).toEqual({subject: 'capital-return', score: expect.closeTo(2 / 4.5 + 1.5 / 4.5, 6)})
    expect(matchSubject(tariffs, taxonomy, 0.02).subject).toBe('trade-and-geopolitics')
    expect(matchSubject(buyback, taxonomy, 0.9).subject).toBeNull()
    expect(matchSubject({embedding, termWeights: new Map([['hello', 1]])}, taxonomy, 0).subject).toBeNull()
  })
})
