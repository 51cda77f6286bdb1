// Manual timing check (not a test): `npx tsx bench/batch-submission.ts [partitions] [runs]`. Submits a run's
// partitions as --parallel 2 chains to the Batch fake (nothing is scheduled) and times the submission with the
// run record written after each SubmitJob (what ftm does) and once at the end (what it did before issue 19).
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {BatchExecutor} from '../executors/batch/batch-executor.js'
import {setupBatch} from '../executors/batch/setup.js'
import {loadConfig} from '../src/core/config/load-config.js'
import type {RunRecord} from '../src/core/run-record.js'
import {writeRunRecord} from '../src/core/run-record.js'
import {openStorage} from '../src/storage/open-storage.js'
import {startFakeBatch} from '../fakes/fake-batch/server.js'

const partitions = Number(process.argv[2] ?? 120)
const runs = Number(process.argv[3] ?? 5)
Object.assign(process.env, {AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1', AWS_PROFILE: ''})
const fake = await startFakeBatch()
fake.scheduler.paused = true
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
try {
  const root = mkdtempSync(path.join(tmpdir(), 'ftm-bench-'))
  const {config} = loadConfig({cwd: root, environment: {}, assignments: [`batch.endpoint=${fake.endpoint}`], flags: {values: {root, parallel: 2}, names: {}}})
  await setupBatch({settings: config.batch, image: 'ftm-pipeline:bench', create: {subnets: ['s'], securityGroups: ['g'], instanceRole: 'r', instanceTypes: ['g5.xlarge'], maxVcpus: 64}} as never)
  const times: Record<'incremental' | 'atEnd', number[]> = {incremental: [], atEnd: []}
  for (let run = 0; run < runs; run++) {
    for (const mode of ['incremental', 'atEnd'] as const) {
      const id = `20261202-0100${String(run).padStart(2, '0')}-${mode === 'incremental' ? 'aaaa' : 'bbbb'}`
      const record = {version: 1, id, status: 'running', config, executor: {name: 'batch', parallel: 2}, plan: [], jobs: [], createdAt: '', updatedAt: ''} as unknown as RunRecord
      const storage = openStorage(root)
      const jobs = Array.from({length: partitions}, (_, partition) => ({runId: id, quarter: '2024Q1', partition, runRecordLocation: `${root}/runs/${id}/run.json`}))
      const executor = new BatchExecutor({storage})
      const start = performance.now()
      const onSubmitted = mode === 'incremental' ? async (handles: RunRecord['jobs']) => writeRunRecord(storage, {...record, jobs: handles}) : undefined
      const handles = await executor.submit(record, jobs, {onSubmitted})
      await writeRunRecord(storage, {...record, jobs: handles})
      times[mode].push(performance.now() - start)
    }
  }
  for (const mode of ['incremental', 'atEnd'] as const) console.log(`${mode}: median ${median(times[mode]).toFixed(0)} ms for ${partitions} SubmitJobs (${times[mode].map((time) => time.toFixed(0)).join(', ')})`)
  console.log(`ratio incremental/atEnd: ${(median(times.incremental) / median(times.atEnd)).toFixed(2)}`)
} finally {
  await fake.close()
}
