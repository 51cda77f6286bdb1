// Cross-firm themes at a whole quarter: `npx tsx bench/themes-scale.ts [--firms 5000] [--topics 137020]`.
// Topic vectors come from the realistic generator's 5000-firm quarter (bench:scale's seed 5, 150–600 sentences):
// each firm's planted-topic sentences, embedded with the default embedder and mixed with their turn as the
// pipeline does, are cut into ~27 consecutive groups per firm (137,020 topics over 5000 firms in the scale
// benchmark's run), each group's unit mean being one topic vector. The clustering (ftm themes' UMAP + HDBSCAN at
// the default settings) then runs in a child process of its own, which reports its CPU time and peak RSS.
import {execFileSync} from 'node:child_process'
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {parseArgs} from 'node:util'
import {parse} from 'csv-parse/sync'
import {defaultThemes} from '../src/core/config/themes-schema.js'
import {defaultConfig} from '../src/core/config/schema.js'
import {createEmbedder} from '../src/pipeline/embedding/create-embedder.js'
import {mixContext} from '../src/pipeline/embedding/embedder.js'
import {preprocess} from '../src/pipeline/stages/preprocess.js'
import {clusterThemes} from '../src/pipeline/themes/cluster-themes.js'
import {CsvSource} from '../src/sources/csv-source.js'
import {writeTranscriptFiles} from '../fixtures/generator/index.js'

const {values} = parseArgs({
  options: {
    firms: {type: 'string', default: '5000'},
    topics: {type: 'string', default: '137020'},
    out: {type: 'string', default: 'test-output/bench-themes-scale'},
    cluster: {type: 'string'},
  },
})

if (values.cluster) {
  // The child: read the vectors, cluster them, report CPU, peak RSS and the peak JavaScript heap.
  const buffer = readFileSync(values.cluster)
  const dim = buffer.readUInt32LE(0)
  const all = new Float32Array(buffer.buffer, buffer.byteOffset + 4, (buffer.length - 4) / 4)
  const vectors = Array.from({length: all.length / dim}, (_, index) => all.subarray(index * dim, index * dim + dim))
  let heapPeak = 0
  const sampler = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 200)
  const before = process.cpuUsage()
  const started = Date.now()
  const labels = await clusterThemes(vectors, defaultThemes)
  const used = process.cpuUsage(before)
  clearInterval(sampler)
  heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)
  const themes = new Set(labels)
  themes.delete(-1)
  console.log(
    JSON.stringify({
      topics: vectors.length,
      cpuSeconds: (used.user + used.system) / 1e6,
      wallSeconds: (Date.now() - started) / 1000,
      peakRssMiB: process.resourceUsage().maxRSS / 1024,
      peakHeapMiB: heapPeak / 2 ** 20,
      themes: themes.size,
      unclustered: labels.filter((label) => label < 0).length,
    }),
  )
  process.exit(0)
}

const firms = Number(values.firms)
const wanted = Number(values.topics)
const folder = values.out
mkdirSync(folder, {recursive: true})
const generationStart = Date.now()
writeTranscriptFiles({firms, quarters: ['2024Q1'], seed: 5, minSentences: 150, maxSentences: 600}, folder)
const planted = new Map<string, string>()
for (const row of parse(readFileSync(path.join(folder, 'labels.csv')), {columns: true}) as Record<string, string>[]) {
  planted.set(`${row.transcriptid}/${row.componentorder}/${row.sentence_in_component}`, row.topic!)
}
const pipeline = defaultConfig.pipeline
const embedder = await createEmbedder(pipeline.embedding)
const source = new CsvSource(path.join(folder, 'transcripts.csv'))
const perFirm = wanted / firms
const topicVectors: Float32Array[] = []
for (const firm of await source.listFirms('2024Q1')) {
  const call = (await source.fetchFirm(firm.id, '2024Q1'))!
  const sentences = preprocess(call, pipeline)
  const raw = await embedder.embed(sentences.map((sentence) => sentence.text))
  const vectors = mixContext(raw, sentences.map((sentence) => sentence.componentOrder), pipeline.embedding.contextWindow, pipeline.embedding.contextWeight)
  const byTopic = new Map<string, number[]>()
  sentences.forEach((sentence, index) => {
    const topic = planted.get(`${call.transcriptId}/${sentence.componentOrder}/${sentence.sentenceInComponent}`) ?? 'none'
    if (topic !== 'none') byTopic.set(topic, [...(byTopic.get(topic) ?? []), index])
  })
  const topical = [...byTopic.values()].reduce((sum, members) => sum + members.length, 0)
  const groupSize = Math.max(2, Math.round(topical / perFirm))
  for (const members of byTopic.values()) {
    for (let start = 0; start < members.length; start += groupSize) {
      const mean = new Float32Array(vectors[0]!.length)
      for (const index of members.slice(start, start + groupSize)) vectors[index]!.forEach((value, d) => (mean[d]! += value))
      const norm = Math.hypot(...mean)
      if (norm > 0) topicVectors.push(mean.map((value) => value / norm))
    }
  }
}
const topics = topicVectors.slice(0, wanted)
const dim = topics[0]!.length
const file = path.join(folder, 'topic-vectors.bin')
const header = Buffer.alloc(4)
header.writeUInt32LE(dim)
writeFileSync(file, Buffer.concat([header, ...topics.map((vector) => Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength))]))
console.error(`${topics.length} topic vectors (${dim}-d) from ${firms} generated calls in ${((Date.now() - generationStart) / 1000).toFixed(0)} s`)

const child = execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--cluster', file], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit']})
const result = JSON.parse(child.trim().split('\n').at(-1)!) as Record<string, number>
console.log(`## Themes over one quarter: ${result.topics!.toLocaleString('en-US')} topics (${firms} firms)\n`)
console.log('| | |')
console.log('|---|---|')
console.log(`| CPU time of the clustering (UMAP + HDBSCAN, default themes settings) | ${(result.cpuSeconds! / 60).toFixed(2)} min |`)
console.log(`| wall time | ${(result.wallSeconds! / 60).toFixed(2)} min |`)
console.log(`| peak RSS of the clustering process | ${(result.peakRssMiB! / 1024).toFixed(2)} GiB |`)
console.log(`| peak JavaScript heap | ${result.peakHeapMiB!.toFixed(0)} MiB |`)
console.log(`| candidate themes / unclustered topics | ${result.themes} / ${result.unclustered} |`)
