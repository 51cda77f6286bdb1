import {existsSync, mkdtempSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {chunkKey} from '../../../../src/core/layout.js'
import {describeReleased, releaseFailedFirms} from '../../../../src/core/run/retry-failed.js'
import {PartitionCheckpoints} from '../../../../src/pipeline/checkpoints.js'
import {failedFirmRows} from '../../../../src/pipeline/output/firm-rows.js'
import {ParquetWriter} from '../../../../src/pipeline/output/parquet-writer.js'
import {emptyRows} from '../../../../src/pipeline/output/table-columns.js'
import {LocalStorage} from '../../../../src/storage/local-storage.js'

const runId = '20261202-020000-abcd'
const quarter = '2024Q1'
const context = (firmId: string) => ({runId, quarter, partition: 0, firmId, firmName: `Firm ${firmId}`, attempt: 1})

/** A firm's rows: failed with a kind, or ok (a firms row that says so; its other tables stay empty here). */
function firmRows(firmId: string, kind?: string): ReturnType<typeof emptyRows> {
  const rows = failedFirmRows(context(firmId), {kind: kind ?? 'none', message: 'm'}, {totalMs: 1})
  if (!kind) rows.firms[0] = {...rows.firms[0], status: 'ok', error_kind: undefined, error_message: undefined}
  return rows
}

describe('releaseFailedFirms', () => {
  let root: string
  let storage: LocalStorage
  let writer: ParquetWriter
  beforeAll(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'ftm-retry-'))
    storage = new LocalStorage(root)
    writer = await ParquetWriter.open()
    const checkpoints = new PartitionCheckpoints(storage, writer, runId, quarter, 0)
    await checkpoints.recover()
    // Chunk 0: A ok, B no_transcript; chunk 1: C model_error alone; chunk 2: D no_transcript, E ok.
    for (const chunk of [[firmRows('A'), firmRows('B', 'no_transcript')], [firmRows('C', 'model_error')], [firmRows('D', 'no_transcript'), firmRows('E')]]) {
      const rows = emptyRows()
      for (const firm of chunk) for (const table of ['firms', 'topics', 'sentences'] as const) rows[table].push(...firm[table])
      await checkpoints.commit(rows)
    }
  })
  afterAll(async () => writer.close())

  const committed = async (): Promise<string[]> => [...(await new PartitionCheckpoints(storage, writer, runId, quarter, 0).recover()).committedFirms].sort()

  it('recovers the failed firms among the committed ones, so a resumed worker reports them', async () => {
    const recovered = await new PartitionCheckpoints(storage, writer, runId, quarter, 0).recover()
    expect(recovered).toMatchObject({failedFirms: 3, chunksCommitted: 3})
    expect(recovered.committedFirms.size).toBe(5)
  })

  it('uncommits only the failed firms of the kinds asked for, keeping every other row of their chunks', async () => {
    const released = await releaseFailedFirms(storage, runId, [{quarter, partition: 0}], ['no_transcript'])
    expect(released).toEqual({firms: 2, kinds: {no_transcript: 2}, partitions: ['2024Q1/0']})
    expect(describeReleased(released)).toBe('2 failed firms (no_transcript 2)')
    expect(await committed()).toEqual(['A', 'C', 'E'])
    expect((await new PartitionCheckpoints(storage, writer, runId, quarter, 0).recover()).failedFirms).toBe(1)
  })

  it('removes a chunk left with no firm, commit marker first, and the next chunk number stays clear of the kept ones', async () => {
    const released = await releaseFailedFirms(storage, runId, [{quarter, partition: 0}])
    expect(released).toEqual({firms: 1, kinds: {model_error: 1}, partitions: ['2024Q1/0']})
    for (const table of ['firms', 'topics', 'sentences'] as const) expect(existsSync(path.join(root, chunkKey(table, quarter, runId, {partition: 0, chunk: 1})))).toBe(false)
    expect(await committed()).toEqual(['A', 'E'])
    // Nothing failed is left: a second retry releases nothing.
    expect((await releaseFailedFirms(storage, runId, [{quarter, partition: 0}])).firms).toBe(0)
  })

  it('leaves partitions it was not given alone', async () => {
    expect(await releaseFailedFirms(storage, runId, [{quarter, partition: 1}])).toEqual({firms: 0, kinds: {}, partitions: []})
  })
})
