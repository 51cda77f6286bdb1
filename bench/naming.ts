// Topic naming benchmark: `npm run bench:naming`. LLM requests per firm (one request per firm against one per
// topic, BERTopic's default) and naming throughput against the wire-level fake at a fixed latency.
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {defaultLlm, type LlmConfig} from '../src/core/config/llm-schema.js'
import {defaultConfig} from '../src/core/config/schema.js'
import {createEmbedder} from '../src/pipeline/embedding/create-embedder.js'
import {type FirmModel, modelFirm} from '../src/pipeline/model-firm.js'
import {chatClientFor} from '../src/pipeline/naming/create-namer.js'
import {TopicNamer} from '../src/pipeline/naming/topic-namer.js'
import {CsvSource} from '../src/sources/csv-source.js'
import {repositoryRoot} from './support.js'
import {type ChatBehaviour, FakeChatServer, firmModelWithTopics} from '../fakes/fake-chat-server.js'

interface Measure {
  firms: number
  topics: number
  requests: number
  seconds: number
}

/** Names each firm in turn (as the worker loop does) with `workers` independent namers running side by side. */
async function nameFirms(fake: FakeChatServer, firms: FirmModel[], settings: Partial<LlmConfig>, workers = 1): Promise<Measure> {
  const config = {...defaultLlm, baseUrl: fake.url, model: 'bench', backoffSeconds: 0.01, ...settings}
  const before = fake.requestCount
  const start = performance.now()
  const shares = Array.from({length: workers}, (_, worker) => firms.filter((_, index) => index % workers === worker))
  await Promise.all(
    shares.map(async (share) => {
      const namer = new TopicNamer(chatClientFor(config), config)
      for (const firm of share) await namer.nameTopics(firm, 'Bench Corp')
    }),
  )
  return {
    firms: firms.length,
    topics: firms.reduce((sum, firm) => sum + firm.topics.length, 0),
    requests: fake.requestCount - before,
    seconds: (performance.now() - start) / 1000,
  }
}

async function sampleFirms(count: number): Promise<FirmModel[]> {
  const source = new CsvSource(path.join(repositoryRoot, 'fixtures', 'sample', 'transcripts.csv'))
  const embedder = await createEmbedder(defaultConfig.pipeline.embedding)
  const models: FirmModel[] = []
  for (const firm of (await source.listFirms('2024Q1')).slice(0, count)) {
    const call = await source.fetchFirm(firm.id, '2024Q1')
    if (call) models.push(await modelFirm(call, defaultConfig.pipeline, embedder))
  }
  await source.close()
  return models
}

const row = (name: string, measure: Measure): string =>
  `| ${name} | ${measure.firms} | ${(measure.topics / measure.firms).toFixed(1)} | ${(measure.requests / measure.firms).toFixed(2)} | ${(measure.firms / measure.seconds * 60).toFixed(0)} | ${(measure.requests / measure.seconds * 60).toFixed(0)} |`

async function main(): Promise<void> {
  const latencyMs = Number(process.argv[2] ?? 250)
  const version = JSON.parse(readFileSync(path.join(repositoryRoot, 'package.json'), 'utf8')) as {version: string}
  const fake = await FakeChatServer.start({latencyMs})
  const synthetic = (count: number, topics = 20): FirmModel[] => Array.from({length: count}, (_, seed) => firmModelWithTopics(topics, seed))
  const lines = [
    `Fake endpoint latency ${latencyMs} ms per request; llm defaults (concurrency ${defaultLlm.concurrency}, ${defaultLlm.requestsPerMinute} requests/min per worker); ftm ${version.version}, Node ${process.version}.`,
    '',
    '| naming | firms | topics/firm | requests/firm | firms/min | requests/min |',
    '|---|---|---|---|---|---|',
  ]
  lines.push(row('one request per firm, 1 worker', await nameFirms(fake, synthetic(20), {})))
  lines.push(row('one request per topic (BERTopic default), 1 worker', await nameFirms(fake, synthetic(6), {maxTopicsPerRequest: 1})))
  lines.push(row('one request per firm, 5 workers', await nameFirms(fake, synthetic(50), {}, 5)))
  let calls = 0
  const flaky: ChatBehaviour[] = ['malformed', 'good', 'good', 'good', 'good', 'good', 'good', 'good', 'good', 'good']
  const faulty = await FakeChatServer.start({latencyMs, decide: () => flaky[calls++ % flaky.length]!})
  lines.push(row('one request per firm, 1 in 10 answers malformed', await nameFirms(faulty, synthetic(20), {})))
  await faulty.close()
  const real = await sampleFirms(8)
  lines.push(row('sample calls (real topics), one request per firm', await nameFirms(fake, real, {})))
  lines.push(row('sample calls (real topics), one request per topic', await nameFirms(fake, real, {maxTopicsPerRequest: 1})))
  await fake.close()
  console.log(lines.join('\n'))
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main()
