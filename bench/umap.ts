// UMAP speed and quality, ftm's own against umap-js (the old path), on the same 300-sentence firms in one run.
//   npm run bench:umap -- [--firms 12] [--seeds 42,43,44] [--out test-output/bench-umap]
// Per firm: CPU ms of the reduce stage (ftm, umap-js with exact neighbours as ftm used it), the whole firm on the
// default path, and the quality of HDBSCAN on each layout (ARI/NMI against the planted topics, trustworthiness).
import {execFileSync} from 'node:child_process'
import {mkdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {parseArgs} from 'node:util'
import {parse} from 'csv-parse/sync'
import {UMAP} from 'umap-js'
import {defaultConfig} from '../src/core/config/schema.js'
import {createEmbedder} from '../src/pipeline/embedding/create-embedder.js'
import {mixContext} from '../src/pipeline/embedding/embedder.js'
import {hdbscan} from '../src/pipeline/hdbscan/index.js'
import {modelFirm} from '../src/pipeline/model-firm.js'
import {adjustedRandIndex} from '../src/pipeline/quality/adjusted-rand-index.js'
import {normalizedMutualInformation} from '../src/pipeline/quality/normalized-mutual-information.js'
import {trustworthiness} from '../src/pipeline/quality/trustworthiness.js'
import {preprocess} from '../src/pipeline/stages/preprocess.js'
import {seededRandom} from '../src/pipeline/stages/random.js'
import {cosineDistance, exactNeighbours, reduceDimensions} from '../src/pipeline/stages/reduce.js'
import {CsvSource} from '../src/sources/csv-source.js'
import {writeTranscriptFiles} from '../fixtures/generator/index.js'

const {values} = parseArgs({
  options: {
    firms: {type: 'string', default: '12'},
    seeds: {type: 'string', default: '42,43,44'},
    out: {type: 'string', default: 'test-output/bench-umap'},
  },
})
const folder = values.out
mkdirSync(folder, {recursive: true})
writeTranscriptFiles({firms: Number(values.firms), quarters: ['2024Q1'], seed: 11, minSentences: 280, maxSentences: 320}, folder)
const planted = new Map<string, string>()
for (const row of parse(readFileSync(path.join(folder, 'labels.csv')), {columns: true}) as Record<string, string>[]) {
  planted.set(`${row.transcriptid}/${row.componentorder}/${row.sentence_in_component}`, row.topic!)
}
const source = new CsvSource(path.join(folder, 'transcripts.csv'))
const pipeline = defaultConfig.pipeline
const embedder = await createEmbedder(pipeline.embedding)
const firms = []
for (const firm of await source.listFirms('2024Q1')) {
  const call = (await source.fetchFirm(firm.id, '2024Q1'))!
  const sentences = preprocess(call, pipeline)
  const raw = await embedder.embed(sentences.map((sentence) => sentence.text))
  const vectors = mixContext(raw, sentences.map((sentence) => sentence.componentOrder), pipeline.embedding.contextWindow, pipeline.embedding.contextWeight)
  const truth = sentences.map((sentence) => planted.get(`${call.transcriptId}/${sentence.componentOrder}/${sentence.sentenceInComponent}`) ?? 'none')
  firms.push({call, vectors, truth})
}

const cpuMs = async (work: () => unknown): Promise<number> => {
  const before = process.cpuUsage()
  await work()
  const used = process.cpuUsage(before)
  return (used.user + used.system) / 1000
}
const median = (numbers: readonly number[]): number => {
  const sorted = [...numbers].sort((a, b) => a - b)
  return sorted.length % 2 ? sorted[(sorted.length - 1) / 2]! : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2
}
const mean = (numbers: readonly number[]): number => numbers.reduce((sum, value) => sum + value, 0) / Math.max(1, numbers.length)

/** The reduce stage as ftm ran it before its own UMAP: umap-js with exact cosine neighbours. */
function umapJs(vectors: readonly Float32Array[], seed: number): number[][] {
  const data = vectors.map((vector) => Array.from(vector))
  const options = pipeline.umap
  const nNeighbors = Math.min(options.nNeighbors, data.length - 1)
  const model = new UMAP({nComponents: options.nComponents, nNeighbors, minDist: options.minDist, nEpochs: options.nEpochs || undefined, random: seededRandom(seed), distanceFn: cosineDistance})
  const knn = exactNeighbours(data, nNeighbors)
  model.setPrecomputedKNN(knn.indices, knn.distances)
  return model.fit(data)
}
const ours = (vectors: readonly Float32Array[], seed: number): Promise<number[][]> => reduceDimensions(vectors, {...pipeline.umap, seed})

// Speed: warm both up on the first firm, then time each firm (the same vectors for both).
await ours(firms[0]!.vectors, 42)
umapJs(firms[0]!.vectors, 42)
await modelFirm(firms[0]!.call, pipeline, embedder)
const timed = firms.slice(1)
const speed = {ftm: [] as number[], umapJs: [] as number[], firm: [] as number[]}
for (const firm of timed) {
  speed.ftm.push(await cpuMs(() => ours(firm.vectors, 42)))
  speed.umapJs.push(await cpuMs(() => umapJs(firm.vectors, 42)))
  speed.firm.push(await cpuMs(() => modelFirm(firm.call, pipeline, embedder)))
}

// Quality over seeds: HDBSCAN (the default settings) on each layout, against the planted topics.
const seeds = values.seeds.split(',').map(Number)
const quality = (layout: number[][], firm: (typeof firms)[number]): {ari: number; nmi: number; trust: number} => {
  const labels = hdbscan(layout, pipeline.hdbscan).labels
  const kept = firm.truth.flatMap((topic, index) => (topic === 'none' ? [] : [index]))
  const truth = kept.map((index) => firm.truth[index]!)
  const predicted = kept.map((index) => labels[index]!)
  const trust = trustworthiness(
    layout.length,
    15,
    (i, j) => cosineDistance(firm.vectors[i]!, firm.vectors[j]!),
    (i, j) => Math.hypot(...layout[i]!.map((value, d) => value - layout[j]![d]!)),
  )
  return {ari: adjustedRandIndex(truth, predicted), nmi: normalizedMutualInformation(truth, predicted), trust}
}
const scores = {ftm: [] as {ari: number; nmi: number; trust: number}[], umapJs: [] as {ari: number; nmi: number; trust: number}[]}
const perSeed: string[] = []
for (const seed of seeds) {
  const seedScores = {ftm: [] as number[], umapJs: [] as number[]}
  for (const firm of firms) {
    const a = quality(await ours(firm.vectors, seed), firm)
    const b = quality(umapJs(firm.vectors, seed), firm)
    scores.ftm.push(a)
    scores.umapJs.push(b)
    seedScores.ftm.push(a.ari)
    seedScores.umapJs.push(b.ari)
  }
  perSeed.push(`| ${seed} | ${mean(seedScores.ftm).toFixed(3)} | ${mean(seedScores.umapJs).toFixed(3)} |`)
}

/** umap-learn (Python) and uwot (R) where this machine has them; otherwise why not. */
function peer(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, {encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore']}).trim()
  } catch {
    return ''
  }
}
const umapLearn = peer('python3', ['-c', 'import umap; print(umap.__version__)'])
const uwot = peer('Rscript', ['-e', 'cat(as.character(packageVersion("uwot")))'])

const ms = (value: number): string => value.toFixed(0)
const ftmReduce = median(speed.ftm)
const jsReduce = median(speed.umapJs)
const firmCpu = median(speed.firm)
console.log(`## UMAP: ftm vs umap-js, ${timed.length} firms of ~300 sentences (CPU ms per firm, median after warm-up)\n`)
console.log('| | CPU ms per firm |')
console.log('|---|---|')
console.log(`| reduce, ftm's UMAP | ${ms(ftmReduce)} |`)
console.log(`| reduce, umap-js (the old path) | ${ms(jsReduce)} |`)
console.log(`| ratio ftm / umap-js | ${(ftmReduce / jsReduce).toFixed(2)} |`)
console.log(`| whole firm, default path (LLM excluded) | ${ms(firmCpu)} |`)
console.log(`| whole firm, old path (umap-js's reduce in place of ftm's) | ${ms(firmCpu - ftmReduce + jsReduce)} |`)
console.log(`| ratio whole firm ftm / old path | ${(firmCpu / (firmCpu - ftmReduce + jsReduce)).toFixed(2)} |`)
console.log(`\numap-learn: ${umapLearn ? `version ${umapLearn} present, not timed here` : 'cannot be had here (no python3 umap module; Debian has no python3-umap-learn for this release)'}`)
console.log(`uwot: ${uwot ? `version ${uwot} present, not timed here` : 'cannot be had here (no Rscript with uwot)'}\n`)
console.log(`## Quality over seeds ${seeds.join(', ')} (${firms.length} firms each; HDBSCAN at the defaults; 'none' sentences left out)\n`)
console.log('| | ARI | NMI | trustworthiness (k = 15) |')
console.log('|---|---|---|---|')
for (const [name, list] of [['ftm', scores.ftm], ['umap-js', scores.umapJs]] as const) {
  console.log(`| ${name} | ${mean(list.map((s) => s.ari)).toFixed(3)} | ${mean(list.map((s) => s.nmi)).toFixed(3)} | ${mean(list.map((s) => s.trust)).toFixed(3)} |`)
}
console.log('\n| seed | ARI ftm | ARI umap-js |\n|---|---|---|')
for (const line of perSeed) console.log(line)
