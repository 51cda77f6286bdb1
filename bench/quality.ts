// Topic quality and per-firm CPU on the hand-written quality corpus and on generated calls, 3 UMAP seeds and their mean.
//   npm run bench:quality -- [--sweep] [--firms 8] [--transformers-model DIR] [--out test-output/bench-quality]
// Without --sweep: the defaults side by side with the earlier defaults, on every data set. With --sweep: the
// settings compared to choose the defaults (embedding backend, context, HDBSCAN selection and sizes, outliers).
import {existsSync, mkdirSync, mkdtempSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {parseArgs} from 'node:util'
import {loadConfig} from '../src/core/config/load-config.js'
import {defaultConfig, type PipelineConfig} from '../src/core/config/schema.js'
import {createEmbedder} from '../src/pipeline/embedding/create-embedder.js'
import type {Embedder} from '../src/pipeline/embedding/embedder.js'
import {writeTranscriptFiles} from '../fixtures/generator/index.js'
import {type FirmScores, loadLabelledCalls, type LabelledCalls, scoreFirm} from './quality-scores.js'
import {earlierDefaults, sweepSettings} from './quality-settings.js'

const {values} = parseArgs({
  options: {
    firms: {type: 'string', default: '8'},
    sweep: {type: 'boolean', default: false},
    'transformers-model': {type: 'string'},
    out: {type: 'string', default: 'test-output/bench-quality'},
  },
})
const folder = values.out
mkdirSync(folder, {recursive: true})
const seeds = [42, 7, 1234]

const datasets: LabelledCalls[] = []
const corpus = path.join(import.meta.dirname, '..', 'fixtures', 'quality-corpus')
if (existsSync(path.join(corpus, 'labels.csv'))) datasets.push(await loadLabelledCalls('hand-written corpus', corpus))
else console.error('fixtures/quality-corpus has no labels.csv yet (npx tsx fixtures/quality-corpus/build.ts): skipped')
const planted = {firms: Number(values.firms), quarters: ['2024Q1'], seed: 11, minSentences: 280, maxSentences: 320}
writeTranscriptFiles(planted, path.join(folder, 'planted'))
datasets.push(await loadLabelledCalls(`generated, planted shape (${JSON.stringify(planted)})`, path.join(folder, 'planted')))
// The realistic shape's sizes vary (150–600 sentences): the scaled HDBSCAN sizes are checked on it.
const realistic = {firms: Number(values.firms), quarters: ['2024Q1'], seed: 5, minSentences: 150, maxSentences: 600, shape: 'realistic' as const}
writeTranscriptFiles(realistic, path.join(folder, 'realistic'))
datasets.push(await loadLabelledCalls(`generated, realistic shape (${JSON.stringify(realistic)})`, path.join(folder, 'realistic')))

interface Row {
  setting: string
  dataset: string
  /** Means over firms, then over seeds. */
  scores: Omit<FirmScores, 'cpuMs'>
  /** Median CPU ms per firm over every firm and seed. */
  cpuMs: number
}

const mean = (numbers: readonly number[]): number => numbers.reduce((sum, value) => sum + value, 0) / Math.max(1, numbers.length)
const median = (numbers: readonly number[]): number => {
  const sorted = [...numbers].sort((a, b) => a - b)
  return sorted.length % 2 ? sorted[(sorted.length - 1) / 2]! : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2
}
const embedders = new Map<string, Embedder>()
const embedderFor = async (pipeline: PipelineConfig): Promise<Embedder> => {
  const key = JSON.stringify(pipeline.embedding)
  if (!embedders.has(key)) embedders.set(key, await createEmbedder(pipeline.embedding))
  return embedders.get(key)!
}

async function measure(setting: string, pipeline: PipelineConfig, dataset: LabelledCalls): Promise<Row> {
  const embedder = await embedderFor(pipeline)
  await scoreFirm(dataset, dataset.calls[0]!, pipeline, embedder) // warm-up: lazy loads and JIT are not per-firm costs
  const perSeed: Omit<FirmScores, 'cpuMs'>[] = []
  const cpu: number[] = []
  for (const seed of seeds) {
    const seeded = {...pipeline, umap: {...pipeline.umap, seed}}
    const firms: FirmScores[] = []
    for (const call of dataset.calls) firms.push(await scoreFirm(dataset, call, seeded, embedder))
    cpu.push(...firms.map((firm) => firm.cpuMs))
    perSeed.push(meanScores(firms))
  }
  const row = {setting, dataset: dataset.name, scores: meanScores(perSeed), cpuMs: Math.round(median(cpu))}
  const s = row.scores
  console.error(`${dataset.name} / ${setting}: ARI ${s.ari.toFixed(3)} NMI ${s.nmi.toFixed(3)} topics ${s.topics.toFixed(1)}/${s.labelledTopics.toFixed(1)} outliers ${s.outlierShare.toFixed(2)} cpu ${row.cpuMs} ms`)
  return row
}

function meanScores(firms: readonly Omit<FirmScores, 'cpuMs'>[]): Omit<FirmScores, 'cpuMs'> {
  const keys = Object.keys(firms[0]!).filter((key) => key !== 'cpuMs') as (keyof Omit<FirmScores, 'cpuMs'>)[]
  return Object.fromEntries(keys.map((key) => [key, mean(firms.map((firm) => firm[key]).filter((value) => Number.isFinite(value)))])) as Omit<FirmScores, 'cpuMs'>
}

const settings: [string, PipelineConfig][] = values.sweep
  ? sweepSettings(defaultConfig.pipeline)
  : [
      ['earlier defaults (word vectors of the raw text, turn context 1 × 0.5, leaf 6/2 fixed, outliers kept, no merging, smoothing or background)', earlierDefaults(defaultConfig.pipeline)],
      ['defaults', defaultConfig.pipeline],
      // The built-in profile as a user gets it (src/core/config/profiles.ts), resolved where no config file is.
      [
        '--profile spectral-topics (spectral clustering by eigengap, hybrid embeddings, no smoothing)',
        loadConfig({cwd: mkdtempSync(path.join(os.tmpdir(), 'ftm-bench-')), environment: {}, profile: 'spectral-topics'}).config.pipeline,
      ],
    ]
if (values['transformers-model']) {
  const model = values['transformers-model']
  settings.push([`defaults, transformers ${path.basename(model)}`, {...defaultConfig.pipeline, embedding: {...defaultConfig.pipeline.embedding, backend: 'transformers', model}}])
}
const rows: Row[] = []
// The sweep chooses on the hand-written corpus; the generated calls check the choice (without --sweep).
for (const dataset of values.sweep ? datasets.slice(0, 1) : datasets) {
  // Side by side in one run, interleaved per data set, so CPU times share the machine's state.
  for (const [setting, pipeline] of settings) rows.push(await measure(setting, pipeline, dataset))
}

const lines = [
  `Machine: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores (one used), Node ${process.version}. UMAP seeds ${seeds.join(', ')}; scores are means over firms, then over seeds.`,
  'ARI/NMI leave out sentences labelled "none" (greetings, pleasantries, operator lines); outliers stay in as a class of their own.',
  'Purity: mean share of a found topic\'s sentences that carry its most common true label. Generic: share of labels led by a generic word (src/pipeline/quality/generic-label.ts).',
  'Lost: result and guidance sentences per firm that the safe-harbor filter dropped. CPU ms: median process CPU time per firm (user + system).',
  '',
  ...datasets.flatMap((dataset) => {
    const own = rows.filter((row) => row.dataset === dataset.name)
    if (own.length === 0) return []
    return [
      `**${dataset.name}**: ${dataset.calls.length} calls.`,
      '',
      '| setting | ARI | NMI | topics found / labelled | outlier share | purity | generic labels | NPMI | diversity | lost results/guidance | CPU ms |',
      '|---|---|---|---|---|---|---|---|---|---|---|',
      ...own.map(({setting, scores: s, cpuMs}) =>
        `| ${setting} | ${s.ari.toFixed(3)} | ${s.nmi.toFixed(3)} | ${s.topics.toFixed(1)} / ${s.labelledTopics.toFixed(1)} | ${s.outlierShare.toFixed(3)} | ${s.purity.toFixed(3)} | ${s.genericShare.toFixed(3)} | ${s.npmi.toFixed(3)} | ${s.diversity.toFixed(2)} | ${s.lostResults.toFixed(2)} | ${cpuMs} |`,
      ),
      '',
    ]
  }),
]
writeFileSync(path.join(folder, values.sweep ? 'sweep.md' : 'results.md'), `${lines.join('\n')}\n`)
console.log(lines.join('\n'))
