// UMAP speed and quality, ftm's own against umap-js (the old path), on the same 300-sentence firms in one run.
//   npm run bench:umap -- [--firms 12] [--seeds 42,43,44] [--out test-output/bench-umap]
// Per firm: CPU ms of the reduce stage (ftm, umap-js with exact neighbours as ftm used it), the whole firm on the
// default path, and the quality of HDBSCAN on each layout (ARI/NMI against the planted topics, trustworthiness).
import {execFileSync} from 'node:child_process'
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
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
import type {FirmTranscript} from '../src/sources/transcript-source.js'
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
interface Firm {
  call: FirmTranscript
  vectors: Float32Array[]
  truth: string[]
}
const firms: Firm[] = []
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
const quality = (layout: number[][], firm: Firm): {ari: number; nmi: number; trust: number} => {
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

/** umap-learn (Python) and uwot (R) on the same vectors where this machine has them: median CPU ms per firm, or why not. */
for (const [index, firm] of firms.entries()) {
  writeFileSync(path.join(folder, `vectors-${String(index).padStart(3, '0')}.csv`), firm.vectors.map((vector) => Array.from(vector).join(',')).join('\n') + '\n')
}
const peerSettings = `n_neighbors 15, n_components ${pipeline.umap.nComponents}, min_dist ${pipeline.umap.minDist}, cosine, ${pipeline.umap.nEpochs} epochs, one thread`
const python = `
import glob, sys, time, statistics, warnings
warnings.filterwarnings("ignore")
import numpy, umap
files = sorted(glob.glob(sys.argv[1] + "/vectors-*.csv"))
times = []
for index, name in enumerate(files):
    data = numpy.loadtxt(name, delimiter=",", dtype=numpy.float32)
    model = umap.UMAP(n_neighbors=15, n_components=${pipeline.umap.nComponents}, min_dist=${pipeline.umap.minDist}, metric="cosine", n_epochs=${pipeline.umap.nEpochs}, random_state=42, init="spectral")
    start = time.process_time()
    model.fit_transform(data)
    if index > 0:
        times.append((time.process_time() - start) * 1000)
print(umap.__version__ if hasattr(umap, "__version__") else "0.5", statistics.median(times))
`
const r = `
library(uwot)
files <- sort(Sys.glob(file.path(commandArgs(TRUE)[1], "vectors-*.csv")))
times <- c()
for (index in seq_along(files)) {
  data <- as.matrix(read.csv(files[index], header = FALSE))
  used <- system.time(umap(data, n_neighbors = 15, n_components = ${pipeline.umap.nComponents}, min_dist = ${pipeline.umap.minDist}, metric = "cosine", n_epochs = ${pipeline.umap.nEpochs}, n_threads = 1, n_sgd_threads = 1, init = "spectral"), gcFirst = FALSE)
  if (index > 1) times <- c(times, (used[["user.self"]] + used[["sys.self"]]) * 1000)
}
cat(as.character(packageVersion("uwot")), median(times), "\n")
`
function peer(command: string, args: string[]): {version: string; ms: number} | undefined {
  try {
    const output = execFileSync(command, args, {encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], env: {...process.env, NUMBA_NUM_THREADS: '1', OMP_NUM_THREADS: '1'}}).trim()
    const [version, ms] = output.split(/\s+/).slice(-2)
    return Number.isFinite(Number(ms)) ? {version: version!, ms: Number(ms)} : undefined
  } catch {
    return undefined
  }
}
// Debian's umap-learn installs for the system Python, which a pyenv shim on PATH may hide.
const umapLearn = peer(existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3', ['-c', python, folder])
const uwot = peer('Rscript', ['-e', r, folder])

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
console.log(
  umapLearn
    ? `| reduce, umap-learn ${umapLearn.version} (${peerSettings}; first firm, the compile, left out) | ${ms(umapLearn.ms)} |\n| ratio ftm / umap-learn | ${(ftmReduce / umapLearn.ms).toFixed(2)} |`
    : '| reduce, umap-learn | cannot be had here (no python3 with umap; Debian: apt-get install umap-learn) |',
)
console.log(
  uwot
    ? `| reduce, uwot ${uwot.version} (${peerSettings}) | ${ms(uwot.ms)} |\n| ratio ftm / uwot | ${(ftmReduce / uwot.ms).toFixed(2)} |`
    : '| reduce, uwot | cannot be had here (no Rscript with uwot; Debian: apt-get install r-cran-uwot) |',
)
console.log('')
console.log(`## Quality over seeds ${seeds.join(', ')} (${firms.length} firms each; HDBSCAN at the defaults; 'none' sentences left out)\n`)
console.log('| | ARI | NMI | trustworthiness (k = 15) |')
console.log('|---|---|---|---|')
for (const [name, list] of [['ftm', scores.ftm], ['umap-js', scores.umapJs]] as const) {
  console.log(`| ${name} | ${mean(list.map((s) => s.ari)).toFixed(3)} | ${mean(list.map((s) => s.nmi)).toFixed(3)} | ${mean(list.map((s) => s.trust)).toFixed(3)} |`)
}
console.log('\n| seed | ARI ftm | ARI umap-js |\n|---|---|---|')
for (const line of perSeed) console.log(line)
