// Topic quality on the planted-topic sample: mean adjusted Rand index of each firm's topics against the planted
// ones, with and without the context window. `npx tsx bench/topic-quality.ts [firms]`
import {readFileSync} from 'node:fs'
import {parse} from 'csv-parse/sync'
import {defaultConfig, type PipelineConfig} from '../src/core/config/schema.js'
import {WordVectorEmbedder} from '../src/pipeline/embedding/word-vector-embedder.js'
import {modelFirm} from '../src/pipeline/model-firm.js'
import {adjustedRandIndex} from '../src/pipeline/quality/adjusted-rand-index.js'
import {CsvSource} from '../src/sources/csv-source.js'

const firmCount = Number(process.argv[2] ?? 20)
const labels = new Map<string, string>()
for (const row of parse(readFileSync('fixtures/sample/labels.csv'), {columns: true}) as Record<string, string>[]) {
  labels.set(`${row.transcriptid}/${row.componentorder}/${row.sentence_in_component}`, row.topic!)
}
const source = new CsvSource('fixtures/sample/transcripts.csv')
const firms = (await source.listFirms('2024Q1')).slice(0, firmCount)
const embedder = new WordVectorEmbedder()

async function score(pipeline: PipelineConfig): Promise<{ari: number; topics: number; outliers: number}> {
  let ari = 0
  let topics = 0
  let outliers = 0
  for (const firm of firms) {
    const call = (await source.fetchFirm(firm.id, '2024Q1'))!
    const model = await modelFirm(call, pipeline, embedder)
    const planted = model.sentences.map((sentence) => labels.get(`${call.transcriptId}/${sentence.componentOrder}/${sentence.sentenceInComponent}`) ?? 'none')
    const kept = planted.map((topic, index) => (topic === 'none' ? -1 : index)).filter((index) => index >= 0)
    ari += adjustedRandIndex(kept.map((index) => planted[index]!), kept.map((index) => model.assignments[index]!))
    topics += model.topics.length
    outliers += model.assignments.filter((topic) => topic < 0).length / model.assignments.length
  }
  return {ari: ari / firms.length, topics: topics / firms.length, outliers: outliers / firms.length}
}

for (const contextWindow of [0, 1, 2]) {
  const pipeline = {...defaultConfig.pipeline, embedding: {...defaultConfig.pipeline.embedding, contextWindow}}
  const result = await score(pipeline)
  console.log(`contextWindow ${contextWindow}: mean ARI ${result.ari.toFixed(3)}, topics/firm ${result.topics.toFixed(1)}, outlier share ${result.outliers.toFixed(2)} (${firms.length} firms)`)
}
