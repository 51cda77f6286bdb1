import {execFileSync} from 'node:child_process'
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {parse} from 'csv-parse/sync'
import {beforeAll, describe, expect, it} from 'vitest'
import {defaultConfig} from '../../../../src/core/config/schema.js'
import {createEmbedder} from '../../../../src/pipeline/embedding/create-embedder.js'
import {mixContext} from '../../../../src/pipeline/embedding/embedder.js'
import {callStructure} from '../../../../src/pipeline/measures/call-structure.js'
import {defaultTaxonomy, matchSubject, prepareTaxonomy, topicTermWeights} from '../../../../src/pipeline/measures/taxonomy.js'
import {describeTopics} from '../../../../src/pipeline/stages/describe-topics.js'
import {preprocess} from '../../../../src/pipeline/stages/preprocess.js'
import {CsvSource} from '../../../../src/sources/csv-source.js'
import type {FirmTranscript} from '../../../../src/sources/transcript-source.js'
import {repositoryRoot} from '../../../support/cli.js'

const folder = path.join(repositoryRoot, 'fixtures', 'quality-corpus')
type Row = Record<string, string>

describe('the measures on the hand-labelled quality corpus', () => {
  let calls: FirmTranscript[]
  let labels: Row[]
  let topics: Row[]

  beforeAll(async () => {
    // The corpus's CSV files are built from the hand-written calls, not committed.
    execFileSync(path.join(repositoryRoot, 'node_modules', '.bin', 'tsx'), [path.join(folder, 'build.ts')], {cwd: repositoryRoot, stdio: 'pipe'})
    labels = parse(readFileSync(path.join(folder, 'labels.csv')), {columns: true}) as Row[]
    topics = parse(readFileSync(path.join(folder, 'topics.csv')), {columns: true}) as Row[]
    const source = new CsvSource(path.join(folder, 'transcripts.csv'))
    calls = []
    for (const quarter of await source.listQuarters()) for (const firm of await source.listFirms(quarter)) calls.push((await source.fetchFirm(firm.id, quarter))!)
    await source.close()
  })

  const handPlaces = (call: FirmTranscript): Map<number, string> =>
    new Map(labels.filter((row) => row.transcriptid === call.transcriptId).map((row) => [Number(row.componentorder), `${row.role}/${row.section}`]))
  const found = (call: FirmTranscript): Map<number, string> =>
    new Map([...callStructure(call).components].map(([order, place]) => [order, `${place.role}/${place.section}`]))

  it('gives every component of at least 5 calls the section and role written by hand', () => {
    expect(calls.length).toBeGreaterThanOrEqual(5)
    for (const call of calls) expect(found(call)).toEqual(handPlaces(call))
  })

  it('finds the same sections from the speakers alone, without WRDS component types', () => {
    const typed = calls.filter((call) => call.components.some((component) => component.componentType))
    expect(typed.length).toBeGreaterThan(0)
    for (const call of typed) {
      const untyped = {...call, components: call.components.map(({componentType: _dropped, ...component}) => component)}
      expect(found(untyped)).toEqual(handPlaces(call))
    }
  })

  it('assigns the hand-labelled subject to at least 80% of the labelled topics', async () => {
    const config = defaultConfig.pipeline
    const embedder = await createEmbedder(config.embedding)
    const taxonomy = await prepareTaxonomy(defaultTaxonomy(), embedder)
    let hits = 0
    let total = 0
    for (const call of calls) {
      const sentences = preprocess(call, config)
      const topicOf = new Map(labels.filter((row) => row.transcriptid === call.transcriptId).map((row) => [`${row.componentorder}/${row.sentence_in_component}`, row.topic!]))
      const callTopics = topics.filter((row) => row.transcriptid === call.transcriptId)
      const keys = callTopics.map((row) => row.topic!)
      // The hand-labelled topics stand in for the clustering, so this measures the taxonomy alone.
      const assignments = Int32Array.from(sentences.map((sentence) => keys.indexOf(topicOf.get(`${sentence.componentOrder}/${sentence.sentenceInComponent}`) ?? 'none')))
      const embeddings = mixContext(await embedder.embed(sentences.map((sentence) => sentence.text)), sentences.map((sentence) => sentence.componentOrder), 1, 0.5)
      const described = await describeTopics(sentences, assignments, embeddings, config.keywords, embedder)
      const weights = topicTermWeights(sentences, assignments)
      for (const topic of described) {
        total++
        const match = matchSubject({embedding: topic.embedding, termWeights: weights.get(topic.topicId)!}, taxonomy, config.measures.minSubjectScore)
        if (match.subject === callTopics[topic.topicId]!.subject) hits++
      }
    }
    expect(total).toBe(topics.length)
    expect(hits / total).toBeGreaterThanOrEqual(0.8)
  })
})
