// The ADR-scale benchmark: `npm run bench:scale -- --firms 5000` (default 300 for a quick run).
// Generates a synthetic quarter (150–600 sentences per call), runs it with the process executor at --parallel 1
// and 2 against the fake LLM at a fixed latency, and reports per-stage medians and p95s, throughput, orchestration
// overhead, peak worker memory, LLM requests per firm and the projection to a 5000-firm quarter on Batch.
import {readdirSync, readFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {execa} from 'execa'
import {writeTranscriptFiles} from '../fixtures/generator/index.js'
import {repositoryRoot} from '../test/support/cli.js'
import {FakeChatServer} from '../test/support/fake-chat-server.js'
import {temporaryFolder} from '../test/support/sample-subset.js'

const argument = (name: string, fallback: number): number => {
  const index = process.argv.indexOf(`--${name}`)
  return index === -1 ? fallback : Number(process.argv[index + 1])
}
const firms = argument('firms', 300)
const latencyMs = argument('latency', 250)
const cli = path.join(repositoryRoot, 'bin', 'run.js')
const stages = ['fetch', 'preprocess', 'embed', 'reduce', 'cluster', 'keywords', 'label', 'total'] as const

interface Measured {
  parallel: number
  wallSeconds: number
  firmsPerSecond: number
  firstFirmSeconds: number
  partitionStartSeconds: number[]
  peakWorkerMiB: number
  requestsPerFirm: number
  stageMs: Record<string, {median: number; p95: number}>
}

async function measure(source: string, parallel: number, fake: FakeChatServer): Promise<Measured> {
  const root = temporaryFolder('ftm-bench-scale-')
  const requestsBefore = fake.requestCount
  const settings = [`llm.baseUrl=${fake.url}`, 'llm.model=bench', 'worker.progressIntervalSeconds=0.5']
  const started = Date.now()
  const run = execa(process.execPath, [cli, 'run', '--source', source, '--root', root, '--parallel', String(parallel), '--partitions', String(parallel), ...settings.flatMap((value) => ['--set', value]), '--json'], {reject: false})
  let peakKiB = 0
  const sampler = setInterval(() => (peakKiB = Math.max(peakKiB, ...workerPeaks(root))), 200)
  const result = await run
  clearInterval(sampler)
  const wallSeconds = (Date.now() - started) / 1000
  if (result.exitCode !== 0) throw new Error(`ftm run failed (${result.exitCode}): ${result.stderr}`)
  const runId = (JSON.parse(result.stdout) as {runId: string}).runId
  const columns = stages.map((stage) => `quantile_cont(${stage}_ms, 0.5) AS ${stage}_median, quantile_cont(${stage}_ms, 0.95) AS ${stage}_p95`)
  const sql = `SELECT ${columns.join(', ')}, count(*) FILTER (status = 'ok') AS ok, epoch(min(finished_at)) AS first_done FROM firms`
  const query = await execa(process.execPath, [cli, 'inspect', '--root', root, '--run', runId, '--sql', sql, '--json'])
  const row = (JSON.parse(query.stdout) as {query: {rows: Record<string, string | number>[]}}).query.rows[0]!
  const progress = readdirProgress(root, runId)
  return {
    parallel,
    wallSeconds,
    firmsPerSecond: firms / wallSeconds,
    firstFirmSeconds: Number(row.first_done) - started / 1000,
    partitionStartSeconds: progress.map((entry) => (Date.parse(entry.startedAt) - started) / 1000),
    peakWorkerMiB: peakKiB / 1024,
    requestsPerFirm: (fake.requestCount - requestsBefore) / Number(row.ok),
    stageMs: Object.fromEntries(stages.map((stage) => [stage, {median: Number(row[`${stage}_median`]), p95: Number(row[`${stage}_p95`])}])),
  }
}

/** VmHWM (peak resident memory) of the running workers, found through their progress files. */
function workerPeaks(root: string): number[] {
  try {
    const runId = readdirSync(path.join(root, 'runs'))[0]
    if (!runId) return []
    return readdirProgress(root, runId).map((entry) => {
      try {
        const status = readFileSync(`/proc/${entry.pid}/status`, 'utf8')
        return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0)
      } catch {
        return 0
      }
    })
  } catch {
    return []
  }
}

function readdirProgress(root: string, runId: string): {pid: number; startedAt: string}[] {
  const folder = path.join(root, 'runs', runId, 'progress', '2024Q1')
  try {
    return readdirSync(folder).map((file) => JSON.parse(readFileSync(path.join(folder, file), 'utf8')) as {pid: number; startedAt: string})
  } catch {
    return []
  }
}

const data = temporaryFolder('ftm-bench-data-')
const generated = Date.now()
writeTranscriptFiles({firms, quarters: ['2024Q1'], seed: 5, minSentences: 150, maxSentences: 600}, data)
console.log(`generated ${firms} calls (150–600 sentences) in ${((Date.now() - generated) / 1000).toFixed(1)} s`)
const fake = await FakeChatServer.start({latencyMs})
try {
  const results: Measured[] = []
  for (const parallel of [1, 2]) {
    const result = await measure(path.join(data, 'transcripts.csv'), parallel, fake)
    results.push(result)
    console.log(JSON.stringify(result))
  }
  const [one, two] = results as [Measured, Measured]
  const perFirm = one.stageMs.total!.median / 1000
  console.log(`machine: ${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`)
  console.log(`speed-up parallel 2 / 1: ${(two.firmsPerSecond / one.firmsPerSecond).toFixed(2)}×`)
  console.log(`median per-firm ${perFirm.toFixed(2)} s → 5000 firms sequential ${((5000 * perFirm) / 3600).toFixed(2)} h; 5 Batch partitions of 1000: ${((1000 * perFirm) / 3600).toFixed(2)} h each`)
} finally {
  await fake.close()
}
