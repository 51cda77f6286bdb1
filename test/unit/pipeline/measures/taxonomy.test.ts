import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {defaultConfig} from '../../../../src/core/config/schema.js'
import {UserError} from '../../../../src/core/errors.js'
import {createEmbedder} from '../../../../src/pipeline/embedding/create-embedder.js'
import {defaultTaxonomy, matchSubject, parseTaxonomy, prepareTaxonomy} from '../../../../src/pipeline/measures/taxonomy.js'

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

describe('matchSubject', () => {
  it('gives hand-made topics their subject with the offline embedder, and none under the threshold', async () => {
    const embedder = await createEmbedder(defaultConfig.pipeline.embedding)
    const taxonomy = await prepareTaxonomy(defaultTaxonomy(), embedder)
    const topic = async (sentences: string[], keywords: string[]) => {
      const vectors = await embedder.embed(sentences)
      const embedding = new Float32Array(vectors[0]!.length)
      for (const vector of vectors) vector.forEach((value, dimension) => (embedding[dimension]! += value / vectors.length))
      return {embedding, keywords, keywordScores: keywords.map((_, rank) => 1 / (rank + 1))}
    }
    const buyback = await topic(['We repurchased shares and raised the dividend.', 'The buyback authorization has room left.'], ['repurchase', 'dividend', 'buyback authorization'])
    const tariffs = await topic(['Tariffs on imports from China raise our costs.', 'Export controls limit our sales there.'], ['tariff', 'china', 'export control'])
    expect(matchSubject(buyback, taxonomy, 0.3).subject).toBe('capital-return')
    expect(matchSubject(tariffs, taxonomy, 0.3).subject).toBe('trade-and-geopolitics')
    const unmatched = matchSubject(buyback, taxonomy, 5)
    expect(unmatched.subject).toBeNull()
    expect(unmatched.score).toBeGreaterThan(0)
  })
})
