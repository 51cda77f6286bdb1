// Workers that read only their firms (issue 22, item 4): `npx tsx bench/partition-inputs.ts [--firms 880,5000]`
// (after `npm run build`). For each size it generates a realistic quarter (bench:scale's shape: 150-600 sentences per
// call), plans it twice in a child process of the built code, the old way (manifests only: workers parse the source)
// and the new way (plus one Parquet input per partition), and starts partition 0's `ftm worker` of each run until it
// has committed a few firms. It prints the planner's CPU time and peak RSS, and each worker's CPU time and wall time
// to its first committed firm and its peak RSS (VmHWM), old and new side by side.
import {readFileSync, statSync} from 'node:fs'
import path from 'node:path'
import {execa, type ResultPromise} from 'execa'
import {writeTranscriptFiles} from '../fixtures/generator/index.js'
import {repositoryRoot, temporaryFolder} from './support.js'

const option = (name: string, fallback: string): string => {
  const index = process.argv.indexOf(`--${name}`)
  return index === -1 ? fallback : process.argv[index + 1]!
}
const sizes = option('firms', '880,5000').split(',').map(Number)
const partitions = Number(option('partitions', '5'))
const firmsToCommit = Number(option('commit', '3'))
const quarter = '2024Q1'
const dist = (file: string): string => path.join(repositoryRoot, 'dist', 'src', file)
const clockTicks = 100 // USER_HZ on Linux

interface Planned {
  runId: string
  cpuSeconds: number
  peakMiB: number
  wallSeconds: number
}

/** Plans a run in a fresh process of the built code: `old` writes what ftm wrote before partition inputs. */
async function plan(source: string, root: string, how: 'old' | 'new'): Promise<Planned> {
  const script = `
    import {loadConfig} from ${JSON.stringify(dist('core/config/load-config.js'))}
    import {createRun} from ${JSON.stringify(dist('core/run/start-run.js'))}
    import {planRecord} from ${JSON.stringify(dist('core/run/plan-record.js'))}
    import {writeManifest} from ${JSON.stringify(dist('core/manifest.js'))}
    import {writeRunRecord} from ${JSON.stringify(dist('core/run-record.js'))}
    import {openStorage} from ${JSON.stringify(dist('storage/open-storage.js'))}
    const started = Date.now()
    const flags = {values: {source: ${JSON.stringify(source)}, root: ${JSON.stringify(root)}, partitions: ${partitions}}, names: {}}
    const {config} = loadConfig({cwd: ${JSON.stringify(root)}, environment: {}, assignments: ['worker.checkpointInterval=1', 'worker.progressIntervalSeconds=0'], flags})
    let record
    if (${JSON.stringify(how)} === 'new') record = (await createRun({config, executorName: 'process'})).record
    else {
      const storage = openStorage(config.root)
      const planned = await planRecord({config, storage, executorName: 'process', status: 'running'})
      delete planned.record.partitionInputs // as recorded before inputs: its worker parses the source
      for (const manifest of planned.manifests) await writeManifest(storage, manifest)
      await writeRunRecord(storage, planned.record)
      record = planned.record
    }
    const usage = process.resourceUsage()
    console.log(JSON.stringify({runId: record.id, cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6, peakMiB: usage.maxRSS / 1024, wallSeconds: (Date.now() - started) / 1000}))`
  const result = await execa(process.execPath, ['--input-type=module', '-e', script], {cwd: repositoryRoot})
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!) as Planned
}

interface WorkerMeasure {
  firstCommitWallSeconds: number
  firstCommitCpuSeconds: number
  peakMiB: number
}

/** Starts partition 0's worker, waits for its first committed firms, then stops it (SIGTERM: it commits and exits). */
async function measureWorker(root: string, runId: string): Promise<WorkerMeasure> {
  const progressFile = path.join(root, 'runs', runId, 'progress', quarter, 'part-00000.json')
  const started = Date.now()
  const worker: ResultPromise = execa(process.execPath, [path.join(repositoryRoot, 'bin', 'run.js'), 'worker'], {
    env: {FTM_RUN: path.join(root, 'runs', runId, 'run.json'), FTM_QUARTER: quarter, FTM_PARTITION: '0'},
    reject: false,
  })
  let first: {wall: number; cpu: number} | undefined
  let peakKiB = 0
  for (;;) {
    const status = readProc(worker.pid!)
    if (!status) throw new Error(`the worker ended early: ${(await worker).stderr}`)
    peakKiB = Math.max(peakKiB, status.peakKiB)
    const committed = readCommitted(progressFile)
    if (committed >= 1 && !first) first = {wall: (Date.now() - started) / 1000, cpu: status.cpuSeconds}
    if (committed >= firmsToCommit) break
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  worker.kill('SIGTERM')
  await worker
  return {firstCommitWallSeconds: first!.wall, firstCommitCpuSeconds: first!.cpu, peakMiB: peakKiB / 1024}
}

function readCommitted(file: string): number {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as {firmsCommitted: number}).firmsCommitted
  } catch {
    return 0 // not written yet, or being replaced
  }
}

/** A process's CPU seconds so far and its peak RSS, or undefined once it has exited. */
function readProc(pid: number): {cpuSeconds: number; peakKiB: number} | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / clockTicks
    const peakKiB = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0)
    return fields[0] === 'Z' ? undefined : {cpuSeconds, peakKiB}
  } catch {
    return undefined
  }
}

const rows: string[] = []
for (const firms of sizes) {
  const data = temporaryFolder('ftm-bench-inputs-data-')
  writeTranscriptFiles({firms, quarters: [quarter], seed: 5, minSentences: 150, maxSentences: 600, shape: 'realistic'}, data)
  const source = path.join(data, 'transcripts.csv')
  const megabytes = statSync(source).size / 1e6
  const root = temporaryFolder('ftm-bench-inputs-root-')
  const oldPlan = await plan(source, root, 'old')
  const newPlan = await plan(source, root, 'new')
  const inputMegabytes = statSync(path.join(root, 'runs', newPlan.runId, 'inputs', quarter, 'part-00000.parquet')).size / 1e6
  const oldWorker = await measureWorker(root, oldPlan.runId)
  const newWorker = await measureWorker(root, newPlan.runId)
  const line = (what: string, planned: Planned, worker: WorkerMeasure): string =>
    `| ${firms} firms, ${megabytes.toFixed(0)} MB | ${what} | ${planned.cpuSeconds.toFixed(1)} | ${planned.peakMiB.toFixed(0)} | ` +
    `${worker.firstCommitCpuSeconds.toFixed(1)} | ${worker.firstCommitWallSeconds.toFixed(1)} | ${worker.peakMiB.toFixed(0)} |`
  rows.push(line('source (before)', oldPlan, oldWorker), line(`partition inputs (after; part-00000: ${inputMegabytes.toFixed(1)} MB)`, newPlan, newWorker))
  console.error(rows.slice(-2).join('\n'))
}
console.log(`${partitions} partitions; worker: partition 0, stopped after ${firmsToCommit} committed firms (checkpoint interval 1)`)
console.log('| source | worker reads | planner CPU s | planner peak MiB | worker CPU s to first firm | worker wall s to first firm | worker peak MiB |')
console.log('|---|---|---|---|---|---|---|')
for (const row of rows) console.log(row)
