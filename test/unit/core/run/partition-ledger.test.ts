import {mkdtempSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {Executor, JobHandle, JobPhase, JobState, PartitionJob} from '../../../../src/core/executor.js'
import {writeManifest} from '../../../../src/core/manifest.js'
import {judgeByCommittedFirms, readPartitionLedger} from '../../../../src/core/run/partition-ledger.js'
import type {RunRecord} from '../../../../src/core/run-record.js'
import {PartitionCheckpoints} from '../../../../src/pipeline/checkpoints.js'
import {failedFirmRows} from '../../../../src/pipeline/output/firm-rows.js'
import {ParquetWriter} from '../../../../src/pipeline/output/parquet-writer.js'
import {emptyRows} from '../../../../src/pipeline/output/table-columns.js'
import {LocalStorage} from '../../../../src/storage/local-storage.js'

const runId = '20261202-010000-abcd'
const quarter = '2024Q1'
const firmsOf = (partition: number): string[] => [`${partition}01`, `${partition}02`, `${partition}03`]

/** An executor that only answers status, with the phases a test gives it (a hand-written fake). */
function executorSaying(phases: Record<number, JobPhase>): Executor {
  return {
    name: 'fake',
    capabilities: {remote: false, detached: false},
    prepare: async () => {},
    submit: async () => [],
    status: async (handles: JobHandle[]) => handles.map((handle): JobState => ({handle, phase: phases[handle.partition] ?? 'failed'})),
    logs: async function* () {},
    cancel: async () => {},
  }
}

const handleOf = (partition: number): JobHandle => ({executor: 'fake', runId, quarter, partition, id: `job-${partition}`})
const jobOf = (partition: number): PartitionJob => ({runId, quarter, partition, runRecordLocation: 'unused'})

describe('the partition ledger', () => {
  let storage: LocalStorage
  let writer: ParquetWriter
  beforeAll(async () => {
    storage = new LocalStorage(mkdtempSync(path.join(os.tmpdir(), 'ftm-ledger-')))
    writer = await ParquetWriter.open()
    for (const partition of [0, 1, 2, 3]) {
      await writeManifest(storage, {runId, quarter, partition, firms: firmsOf(partition).map((id) => ({id, name: `Firm ${id}`}))})
    }
    // Partition 0 committed all its firms (in two chunks), partition 1 two of three, partitions 2 and 3 nothing.
    const commit = async (partition: number, firmIds: string[]): Promise<void> => {
      const checkpoints = new PartitionCheckpoints(storage, writer, runId, quarter, partition)
      await checkpoints.recover()
      const rows = emptyRows()
      for (const firmId of firmIds) {
        const firm = failedFirmRows({runId, quarter, partition, firmId, firmName: firmId, attempt: 1}, {kind: 'no_transcript', message: 'none'}, {totalMs: 1})
        for (const table of ['firms', 'topics', 'sentences'] as const) rows[table].push(...firm[table])
      }
      await checkpoints.commit(rows)
    }
    await commit(0, firmsOf(0).slice(0, 2))
    await commit(0, firmsOf(0).slice(2))
    await commit(1, firmsOf(1).slice(0, 2))
  })
  afterAll(async () => writer.close())

  it('starts only partitions neither done by their data nor running, and keeps the recorded handles of the others', async () => {
    // Given a record that knows jobs for partitions 0 (its job failed, but its firms are all committed), 1 and 2
    const record = {id: runId, jobs: [handleOf(0), handleOf(1), handleOf(2)]} as unknown as RunRecord
    // When partition 1's job still runs and partition 2's failed
    const ledger = await readPartitionLedger(storage, executorSaying({0: 'failed', 1: 'running', 2: 'failed'}), record, [0, 1, 2, 3].map(jobOf))
    // Then 0 is done, 1 is watched, and only 2 and 3 start
    expect(ledger.done.map((job) => job.partition)).toEqual([0])
    expect(ledger.running.map((job) => job.partition)).toEqual([1])
    expect(ledger.toStart.map((job) => job.partition)).toEqual([2, 3])
    expect(ledger.kept.map((handle) => handle.id)).toEqual(['job-0'])
    expect(ledger.runningHandles.map((handle) => handle.id)).toEqual(['job-1'])
  })

  it('counts a pending job as live only on an executor whose jobs go on without the CLI', async () => {
    // A pending process job of a killed monitor never starts by itself; a pending Batch job is queued in Batch.
    const record = {id: runId, jobs: [handleOf(2)]} as unknown as RunRecord
    const local = await readPartitionLedger(storage, executorSaying({2: 'pending'}), record, [jobOf(2)])
    expect(local.toStart.map((job) => job.partition)).toEqual([2])
    const detached = {...executorSaying({2: 'pending'}), capabilities: {remote: true, detached: true}}
    const queued = await readPartitionLedger(storage, detached, record, [jobOf(2)])
    expect(queued.running.map((job) => job.partition)).toEqual([2])
    expect(queued.toStart).toEqual([])
  })

  it('asks the executor nothing for a run without recorded jobs', async () => {
    const record = {id: runId, jobs: []} as unknown as RunRecord
    const silent = {...executorSaying({}), status: async () => expect.fail('status asked without jobs')}
    const ledger = await readPartitionLedger(storage, silent, record, [0, 2].map(jobOf))
    expect(ledger.done.map((job) => job.partition)).toEqual([0])
    expect(ledger.toStart.map((job) => job.partition)).toEqual([2])
  })

  it('fails a succeeded job whose committed firms do not cover its manifest, naming the count; a covered one succeeded', async () => {
    const states: JobState[] = [1, 2].map((partition) => ({handle: handleOf(partition), phase: 'succeeded'}))
    states.unshift({handle: handleOf(0), phase: 'cancelled', reason: 'stopped after its last commit'})
    states.push({handle: handleOf(3), phase: 'cancelled'}, {handle: handleOf(3), phase: 'running'})
    const checked = await judgeByCommittedFirms(storage, runId, states)
    expect(checked.map((state) => state.phase)).toEqual(['succeeded', 'failed', 'failed', 'cancelled', 'running'])
    expect(checked[0]!.reason).toBeUndefined()
    expect(checked[1]!.reason).toBe("the worker exited 0 but committed 2 of 3 firms: check the image's entrypoint")
    expect(checked[2]!.reason).toBe("the worker exited 0 but committed 0 of 3 firms: check the image's entrypoint")
  })
})
