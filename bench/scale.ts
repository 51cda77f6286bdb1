// The ADR-scale benchmark: `npm run bench:scale` (a 5000-firm quarter; `-- --firms 300 --slice 100` for a quick run).
// Generates a synthetic quarter (150–600 sentences per call) and runs it through the real CLI with the process
// executor against the fake LLM at a fixed latency: the first `--slice` firms at --parallel 1, then the whole quarter
// at --parallel 2. Reports per-stage medians and p95s, throughput, orchestration overhead, peak worker memory, LLM
// requests per firm, and the projection to Batch with 5 partitions beside the ADR's table (through `ftm plan`).
import {readdirSync, readFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {execa} from 'execa'
import {writeTranscriptFiles} from '../fixtures/generator/index.js'
import {stages as timedStages} from '../src/inspect/derived-views.js'
import {FakeChatServer} from '../fakes/fake-chat-server.js'
import {repositoryRoot, temporaryFolder} from './support.js'

const argument = (name: string, fallback: number): number => {
  const index = process.argv.indexOf(`--${name}`)
  return index === -1 ? fallback : Number(process.argv[index + 1])
}
const quarterFirms = argument('firms', 5000)
const sliceFirms = Math.min(argument('slice', 200), quarterFirms)
const latencyMs = argument('latency', 250)
const cli = path.join(repositoryRoot, 'bin', 'run.js')
const stages = [...timedStages, 'total'] as const
type Stage = (typeof stages)[number]

interface Measured {
  firms: number
  parallel: number
  wallSeconds: number
  firmsPerSecond: number
  firstFirmSeconds: number
  partitionStartSeconds: number[]
  peakWorkerMiB: number
  llmRequests: number
  requestsPerFirm: number
  failedFirms: number
  stageMs: Record<Stage, {median: number; p95: number; mean: number}>
}

async function measure(source: string, firms: number, parallel: number, fake: FakeChatServer): Promise<Measured> {
  const root = temporaryFolder('ftm-bench-scale-')
  const requestsBefore = fake.requestCount
  const settings = [`llm.baseUrl=${fake.url}`, 'llm.model=bench', 'worker.progressIntervalSeconds=0.5']
  const flags = ['--source', source, '--root', root, '--parallel', String(parallel), '--partitions', String(parallel), '--json']
  const started = Date.now()
  const run = execa(process.execPath, [cli, 'run', ...flags, ...settings.flatMap((value) => ['--set', value])], {reject: false})
  let peakKiB = 0
  const sampler = setInterval(() => (peakKiB = Math.max(peakKiB, ...workerPeaks(root))), 200)
  const result = await run
  clearInterval(sampler)
  const wallSeconds = (Date.now() - started) / 1000
  if (result.exitCode !== 0) throw new Error(`ftm run failed (${result.exitCode}): ${result.stderr}`)
  const runId = (JSON.parse(result.stdout) as {runId: string}).runId
  const ok = "FILTER (status = 'ok')" // failed firms have no stage times, only fetch and total
  const columns = stages.map(
    (stage) =>
      `quantile_cont(${stage}_ms, 0.5) ${ok} AS ${stage}_median, quantile_cont(${stage}_ms, 0.95) ${ok} AS ${stage}_p95, avg(${stage}_ms) ${ok} AS ${stage}_mean`,
  )
  const sql = `SELECT ${columns.join(', ')}, count(*) FILTER (status = 'ok') AS ok, count(*) FILTER (status <> 'ok') AS failed,
    epoch(min(finished_at)) AS first_done FROM firms`
  const query = await execa(process.execPath, [cli, 'inspect', '--root', root, '--run', runId, '--sql', sql, '--json'])
  const row = (JSON.parse(query.stdout) as {query: {rows: Record<string, string | number>[]}}).query.rows[0]!
  const llmRequests = fake.requestCount - requestsBefore
  return {
    firms,
    parallel,
    wallSeconds,
    firmsPerSecond: firms / wallSeconds,
    firstFirmSeconds: Number(row.first_done) - started / 1000,
    partitionStartSeconds: readProgress(root, runId).map((entry) => (Date.parse(entry.startedAt) - started) / 1000),
    peakWorkerMiB: peakKiB / 1024,
    llmRequests,
    requestsPerFirm: llmRequests / Number(row.ok),
    failedFirms: Number(row.failed),
    stageMs: Object.fromEntries(
      stages.map((stage) => [stage, {median: Number(row[`${stage}_median`]), p95: Number(row[`${stage}_p95`]), mean: Number(row[`${stage}_mean`])}]),
    ) as Measured['stageMs'],
  }
}

/** VmHWM (peak resident memory) of the running workers, found through their progress files. */
function workerPeaks(root: string): number[] {
  try {
    const runId = readdirSync(path.join(root, 'runs'))[0]
    if (!runId) return []
    return readProgress(root, runId).map((entry) => {
      try {
        return Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${entry.pid}/status`, 'utf8'))?.[1] ?? 0)
      } catch {
        return 0 // the worker has exited
      }
    })
  } catch {
    return [] // the run has not written its record yet
  }
}

function readProgress(root: string, runId: string): {pid: number; startedAt: string}[] {
  const folder = path.join(root, 'runs', runId, 'progress', '2024Q1')
  try {
    return readdirSync(folder).map((file) => JSON.parse(readFileSync(path.join(folder, file), 'utf8')) as {pid: number; startedAt: string})
  } catch {
    return []
  }
}

interface PlanRow {
  name: string
  firmSeconds: number
  instanceHours: number
  hourlyPrice: number
  cost: number
  wallHours: number
}

/** `ftm plan` for a 5000-firm quarter on 5 Batch partitions, with per-stage seconds (undefined: the ADR's defaults). */
async function plan(stageSeconds?: Record<'preprocess' | 'embed' | 'cluster' | 'label', number>): Promise<{sequential: PlanRow; batch: PlanRow}> {
  const settings = ['estimate.useMeasured=false', ...Object.entries(stageSeconds ?? {}).map(([stage, seconds]) => `estimate.stageSeconds.${stage}=${seconds}`)]
  const result = await execa(process.execPath, [cli, 'plan', '--firms', '5000', '--partitions', '5', '--parallel', '5', '--json', ...settings.flatMap((value) => ['--set', value])], {
    cwd: temporaryFolder('ftm-bench-plan-'),
  })
  const planned = JSON.parse(result.stdout) as {baseline: PlanRow; executors: PlanRow[]}
  return {sequential: {...planned.baseline, name: 'sequential'}, batch: planned.executors.find((executor) => executor.name === 'batch')!}
}

const seconds = (value: number): string => (value >= 3600 ? `${(value / 3600).toFixed(2)} h` : value >= 60 ? `${(value / 60).toFixed(1)} min` : `${value.toFixed(1)} s`)
const planCells = (row: PlanRow): string =>
  `${row.firmSeconds.toFixed(2)} s | ${row.instanceHours.toFixed(2)} h × $${row.hourlyPrice.toFixed(2)} | $${row.cost.toFixed(2)} | ${seconds(row.wallHours * 3600)}`

const benchStart = Date.now()
const data = temporaryFolder('ftm-bench-data-')
writeTranscriptFiles({firms: quarterFirms, quarters: ['2024Q1'], seed: 5, minSentences: 150, maxSentences: 600, shape: 'realistic'}, path.join(data, 'quarter'))
// The same seed makes the smaller file the first firms of the quarter.
writeTranscriptFiles({firms: sliceFirms, quarters: ['2024Q1'], seed: 5, minSentences: 150, maxSentences: 600, shape: 'realistic'}, path.join(data, 'slice'))
console.log(`generated ${quarterFirms} realistic-shape calls (150–600 sentences) in ${seconds((Date.now() - benchStart) / 1000)}`)
const fake = await FakeChatServer.start({latencyMs})
try {
  const one = await measure(path.join(data, 'slice', 'transcripts.csv'), sliceFirms, 1, fake)
  console.log(JSON.stringify(one))
  const two = await measure(path.join(data, 'quarter', 'transcripts.csv'), quarterFirms, 2, fake)
  console.log(JSON.stringify(two))
  // A Batch partition runs one worker per instance, as parallel 1 does here: its mean per-stage times are the cost.
  const mean = (...names: Stage[]): number => names.reduce((sum, name) => sum + one.stageMs[name].mean, 0) / 1000
  const other = mean('total') - mean('fetch', 'preprocess', 'embed', 'reduce', 'cluster', 'keywords', 'label')
  const measuredPlan = await plan({
    preprocess: mean('fetch', 'preprocess') + other,
    embed: mean('embed'),
    cluster: mean('reduce', 'cluster', 'keywords'),
    label: mean('label'),
  })
  const adrPlan = await plan()
  const cpu = os.cpus()
  const lines = [
    `machine: ${cpu[0]?.model.trim() ?? 'cpu'} × ${cpu.length}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, fake LLM ${latencyMs} ms`,
    '',
    `| | parallel 1 (first ${sliceFirms} firms) | parallel 2 (whole quarter, ${quarterFirms} firms) |`,
    '|---|---|---|',
    `| wall time | ${seconds(one.wallSeconds)} | ${seconds(two.wallSeconds)} |`,
    `| firms per second | ${one.firmsPerSecond.toFixed(2)} | ${two.firmsPerSecond.toFixed(2)} |`,
    `| \`ftm run\` → first firm committed | ${seconds(one.firstFirmSeconds)} | ${seconds(two.firstFirmSeconds)} |`,
    `| \`ftm run\` → partition started | ${one.partitionStartSeconds.map(seconds).join(', ')} | ${two.partitionStartSeconds.map(seconds).join(', ')} |`,
    `| peak memory per worker | ${one.peakWorkerMiB.toFixed(0)} MiB | ${two.peakWorkerMiB.toFixed(0)} MiB |`,
    `| LLM requests per firm | ${one.requestsPerFirm.toFixed(2)} | ${two.requestsPerFirm.toFixed(2)} |`,
    `| naming throughput | ${(one.llmRequests / one.wallSeconds).toFixed(2)} requests/s | ${(two.llmRequests / two.wallSeconds).toFixed(2)} requests/s |`,
    `| failed firms | ${one.failedFirms} | ${two.failedFirms} |`,
    '',
    `| ms per firm, median / p95 (mean) | ${stages.join(' | ')} |`,
    `|---|${stages.map(() => '---').join('|')}|`,
    ...[one, two].map(
      (measured) =>
        `| parallel ${measured.parallel} | ${stages.map((stage) => `${measured.stageMs[stage].median.toFixed(0)} / ${measured.stageMs[stage].p95.toFixed(0)} (${measured.stageMs[stage].mean.toFixed(0)})`).join(' | ')} |`,
    ),
    '',
    '| 5000 firms | per firm | instance-hours × price | cost | wall time |',
    '|---|---|---|---|---|',
    `| ADR: sequential (g4dn.2xlarge) | ${planCells(adrPlan.sequential)} |`,
    `| ADR: Batch, 5 partitions (g4dn.xlarge Spot) | ${planCells(adrPlan.batch)} |`,
    `| measured: sequential | ${planCells(measuredPlan.sequential)} |`,
    `| measured: Batch, 5 partitions | ${planCells(measuredPlan.batch)} |`,
    '',
    `benchmark wall time: ${seconds((Date.now() - benchStart) / 1000)}`,
  ]
  console.log(lines.join('\n'))
} finally {
  await fake.close()
}
