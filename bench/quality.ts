// Topic quality and per-stage speed on planted-topic calls of ~300 sentences, per embedder and per setting.
//   npm run bench:quality -- [--firms 20] [--transformers-model DIR] [--out test-output/bench-quality]
// Generates the calls with fixtures/generator (seed 11, 280–320 sentences), models each firm, and prints markdown.
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {parseArgs} from 'node:util'
import {parse} from 'csv-parse/sync'
import {defaultEmbedding} from '../src/core/config/embedding-schema.js'
import {defaultConfig, type PipelineConfig} from '../src/core/config/schema.js'
import {createEmbedder} from '../src/pipeline/embedding/create-embedder.js'
import type {Embedder} from '../src/pipeline/embedding/embedder.js'
import {modelFirm, type StageTimings} from '../src/pipeline/model-firm.js'
import {adjustedRandIndex} from '../src/pipeline/quality/adjusted-rand-index.js'
import {normalizedMutualInformation} from '../src/pipeline/quality/normalized-mutual-information.js'
import {npmiCoherence, topicDiversity} from '../src/pipeline/quality/topic-coherence.js'
import {CsvSource} from '../src/sources/csv-source.js'
import type {FirmTranscript} from '../src/sources/transcript-source.js'
import {writeTranscriptFiles} from '../fixtures/generator/index.js'

const {values} = parseArgs({
  options: {
    firms: {type: 'string', default: '20'},
    'transformers-model': {type: 'string'},
    out: {type: 'string', default: 'test-output/bench-quality'},
    quick: {type: 'boolean', default: false},
  },
})
const firmCount = Number(values.firms)
const folder = values.out
mkdirSync(folder, {recursive: true})
const generation = {firms: firmCount, quarters: ['2024Q1'], seed: 11, minSentences: 280, maxSentences: 320}
writeTranscriptFiles(generation, folder)

const planted = new Map<string, string>()
for (const row of parse(readFileSync(path.join(folder, 'labels.csv')), {columns: true}) as Record<string, string>[]) {
  planted.set(`${row.transcriptid}/${row.componentorder}/${row.sentence_in_component}`, row.topic!)
}
const source = new CsvSource(path.join(folder, 'transcripts.csv'))
const calls: FirmTranscript[] = []
for (const firm of await source.listFirms('2024Q1')) calls.push((await source.fetchFirm(firm.id, '2024Q1'))!)

interface Row {
  name: string
  sentences: number
  ari: number
  nmi: number
  ariClustered: number
  outliers: number
  topics: number
  plantedTopics: number
  npmi: number
  diversity: number
  timings: StageTimings & {total: number}
  /** Median CPU milliseconds of the process per firm: robust to other processes sharing the cores. */
  cpu: number
}

const mean = (numbers: readonly number[]): number => numbers.reduce((sum, value) => sum + value, 0) / Math.max(1, numbers.length)
const median = (numbers: readonly number[]): number => {
  const sorted = [...numbers].sort((a, b) => a - b)
  return sorted.length % 2 ? sorted[(sorted.length - 1) / 2]! : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2
}

async function measure(name: string, pipeline: PipelineConfig, embedder: Embedder): Promise<Row> {
  await modelFirm(calls[0]!, pipeline, embedder) // warm-up: lazy loads and JIT are not per-firm costs
  const perFirm: Omit<Row, 'name' | 'timings' | 'cpu'>[] = []
  const timings: (StageTimings & {total: number})[] = []
  const cpu: number[] = []
  for (const call of calls) {
    const before = process.cpuUsage()
    const model = await modelFirm(call, pipeline, embedder)
    const used = process.cpuUsage(before)
    cpu.push((used.user + used.system) / 1000)
    const truth = model.sentences.map((sentence) => planted.get(`${call.transcriptId}/${sentence.componentOrder}/${sentence.sentenceInComponent}`) ?? 'none')
    // Sentences planted as 'none' (greetings, filler) have no true topic: they are left out of ARI and NMI.
    // Outliers (−1) stay in, as one predicted class of their own: an outlier is a miss, never a free pass.
    const kept = truth.flatMap((topic, index) => (topic === 'none' ? [] : [index]))
    const keptTruth = kept.map((index) => truth[index]!)
    const keptPredicted = kept.map((index) => model.assignments[index]!)
    const clustered = kept.filter((index) => model.assignments[index]! >= 0)
    perFirm.push({
      sentences: model.sentences.length,
      ari: adjustedRandIndex(keptTruth, keptPredicted),
      nmi: normalizedMutualInformation(keptTruth, keptPredicted),
      ariClustered: clustered.length > 1 ? adjustedRandIndex(clustered.map((index) => truth[index]!), clustered.map((index) => model.assignments[index]!)) : 0,
      outliers: model.assignments.filter((topic) => topic < 0).length / model.assignments.length,
      topics: model.topics.length,
      plantedTopics: new Set(keptTruth).size,
      npmi: npmiCoherence(model.topics.map((topic) => topic.keywords), model.sentences.map((sentence) => sentence.terms)),
      diversity: topicDiversity(model.topics.map((topic) => topic.keywords), pipeline.keywords.topN),
    })
    const total = Object.values(model.timings).reduce((sum, value) => sum + value, 0)
    timings.push({...model.timings, total})
  }
  const average = (key: keyof Omit<Row, 'name' | 'timings' | 'cpu'>): number => mean(perFirm.map((firm) => firm[key]).filter((value) => Number.isFinite(value)))
  const stageMedians = Object.fromEntries(Object.keys(timings[0]!).map((stage) => [stage, median(timings.map((timing) => timing[stage as keyof typeof timing]))])) as unknown
  return {
    name,
    sentences: average('sentences'),
    ari: average('ari'),
    nmi: average('nmi'),
    ariClustered: average('ariClustered'),
    outliers: average('outliers'),
    topics: average('topics'),
    plantedTopics: average('plantedTopics'),
    npmi: average('npmi'),
    diversity: average('diversity'),
    timings: stageMedians as Row['timings'],
    cpu: Math.round(median(cpu)),
  }
}

const base = defaultConfig.pipeline
const withEmbedding = (overrides: Partial<PipelineConfig['embedding']>): PipelineConfig => ({...base, embedding: {...base.embedding, ...overrides}})
const rows: {section: string; row: Row}[] = []
const run = async (section: string, name: string, pipeline: PipelineConfig, embedder?: Embedder): Promise<void> => {
  const row = await measure(name, pipeline, embedder ?? (await createEmbedder(pipeline.embedding)))
  rows.push({section, row})
  console.error(`${section} / ${name}: ARI ${row.ari.toFixed(3)} NMI ${row.nmi.toFixed(3)} topics ${row.topics.toFixed(1)} wall ${row.timings.total} ms cpu ${row.cpu} ms`)
}

// Embedders, at the production clustering settings.
await run('embedder', 'word-vectors (SIF GloVe), context 1', base)
const umapEpochs = base.umap.nEpochs === 200 ? 0 : 200
await run('embedder', `word-vectors, context 1, UMAP nEpochs ${umapEpochs || '0 (500 here, umap-learn/umap-js default)'}`, {...base, umap: {...base.umap, nEpochs: umapEpochs}})
await run('embedder', 'word-vectors, no context', withEmbedding({contextWindow: 0}))
await run('embedder', 'tfidf-svd, context 1', withEmbedding({backend: 'tfidf-svd'}))
await run('embedder', 'tfidf-svd, no context', withEmbedding({backend: 'tfidf-svd', contextWindow: 0}))
if (values['transformers-model']) {
  await run('embedder', `transformers ${path.basename(values['transformers-model'])}, context 1`, withEmbedding({backend: 'transformers', model: values['transformers-model']}))
}
if (!values.quick) {
  // Clustering: does the production setting over-segment the planted topics?
  const wordVectors = await createEmbedder(defaultEmbedding)
  for (const hdbscan of [
    {minClusterSize: 6, minSamples: 2, selection: 'eom' as const},
    {minClusterSize: 10, minSamples: 2, selection: 'leaf' as const},
    {minClusterSize: 10, minSamples: 10, selection: 'eom' as const},
    {minClusterSize: 15, minSamples: 5, selection: 'eom' as const},
  ]) {
    await run('clustering', `${hdbscan.selection} mcs ${hdbscan.minClusterSize} ms ${hdbscan.minSamples}`, {...base, hdbscan}, wordVectors)
  }
  // Keyword options: ranking only, so ARI/NMI do not move; NPMI and diversity do.
  for (const keywords of [
    {bm25Weighting: true, reduceFrequentWords: false, diversity: 0},
    {bm25Weighting: false, reduceFrequentWords: true, diversity: 0},
    {bm25Weighting: false, reduceFrequentWords: false, diversity: 0.3},
  ]) {
    const name = Object.entries(keywords).filter(([, value]) => value).map(([key, value]) => (value === true ? key : `${key} ${value}`)).join(', ')
    await run('keywords', name, {...base, keywords: {...base.keywords, ...keywords}}, wordVectors)
  }
}

const cpu = os.cpus()[0]?.model ?? 'unknown CPU'
const lines = [
  `Machine: ${cpu}, ${os.cpus().length} cores (one used: the pipeline is single-threaded), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}.`,
  `Stage columns are median wall milliseconds per firm; CPU ms is the median process CPU time per firm (user + system).`,
  `Data: ${calls.length} generated firms (\`writeTranscriptFiles(${JSON.stringify(generation)})\`), ${mean(rows[0]?.row ? [rows[0].row.sentences] : [0]).toFixed(0)} kept sentences per firm on average.`,
  '',
  '| setting | ARI | NMI | ARI clustered only | outlier share | topics / planted | NPMI | diversity | preprocess | embed | reduce | cluster | keywords | total ms | CPU ms |',
  '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ...rows.map(({section, row}) => {
    const t = row.timings
    return `| ${section}: ${row.name} | ${row.ari.toFixed(3)} | ${row.nmi.toFixed(3)} | ${row.ariClustered.toFixed(3)} | ${row.outliers.toFixed(2)} | ${row.topics.toFixed(1)} / ${row.plantedTopics.toFixed(1)} | ${row.npmi.toFixed(3)} | ${row.diversity.toFixed(2)} | ${t.preprocess} | ${t.embed} | ${t.reduce} | ${t.cluster} | ${t.keywords + t.label} | ${t.total} | ${row.cpu} |`
  }),
]
writeFileSync(path.join(folder, 'results.md'), `${lines.join('\n')}\n`)
console.log(lines.join('\n'))
