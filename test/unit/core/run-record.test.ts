import {mkdtempSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {isUserError} from '../../../src/base/errors.js'
import {defaultConfig} from '../../../src/core/config/schema.js'
import {runRecordKey} from '../../../src/core/layout.js'
import {readRunRecord, type RunRecord, writeRunRecord} from '../../../src/core/run-record.js'
import {LocalStorage} from '../../../src/storage/local-storage.js'
import {writeJson} from '../../../src/storage/storage.js'

const runId = '20261128-143205-7f3a'

function newRecord(storage: LocalStorage): RunRecord {
  return {
    version: 1,
    id: runId,
    status: 'running',
    createdAt: '2026-11-28T14:32:05.000Z',
    updatedAt: '2026-11-28T14:32:05.000Z',
    ftmVersion: '0.1.0',
    root: storage.uri,
    source: 'fixtures/sample/transcripts.csv',
    plan: [{quarter: '2024Q1', firms: 40, partitions: 2}],
    config: defaultConfig,
    executor: {name: 'process', parallel: 2},
    jobs: [{executor: 'process', runId, quarter: '2024Q1', partition: 0, id: '2024Q1/0', pid: 42}],
  }
}

async function failure(read: Promise<unknown>): Promise<string> {
  const error = await read.then(() => undefined, (caught: unknown) => caught)
  if (!isUserError(error)) throw new Error(`expected a UserError, got ${String(error)}`)
  return `${error.message} ${error.hint}`
}

describe('readRunRecord', () => {
  const storage = new LocalStorage(mkdtempSync(path.join(os.tmpdir(), 'ftm-run-record-')))

  it('reads back what writeRunRecord wrote, executor details of the handles included', async () => {
    const record = newRecord(storage)
    await writeRunRecord(storage, record, new Date('2026-11-28T15:00:00.000Z'))
    expect(await readRunRecord(storage, runId)).toEqual({...record, updatedAt: '2026-11-28T15:00:00.000Z'})
  })

  it('refuses a record of a newer format, saying which ftm wrote it', async () => {
    await writeJson(storage, runRecordKey(runId), {...newRecord(storage), version: 2, ftmVersion: '0.9.0'})
    expect(await failure(readRunRecord(storage, runId))).toMatch(/^Run 20261128-143205-7f3a was written by a newer ftm \(0\.9\.0, run record version 2\); this ftm \(\S+\) reads version 1\. Use ftm 0\.9\.0 or newer for this run\.$/)
  })

  it('names the first value that does not fit, in the record or its configuration', async () => {
    await writeJson(storage, runRecordKey(runId), {...newRecord(storage), status: 'exploded'})
    expect(await failure(readRunRecord(storage, runId))).toMatch(/is not one this ftm can read: status: .*changed by hand/)
    const config = {...defaultConfig, parallel: 0}
    await writeJson(storage, runRecordKey(runId), {...newRecord(storage), config})
    expect(await failure(readRunRecord(storage, runId))).toMatch(/can read: config\.parallel: /)
  })

  it('reads a record written before a configuration section existed, with that section at its defaults', async () => {
    const older: Partial<typeof defaultConfig> = {...defaultConfig}
    delete older.themes
    await writeJson(storage, runRecordKey(runId), {...newRecord(storage), config: {...older, pipeline: {...defaultConfig.pipeline, umap: {...defaultConfig.pipeline.umap, nEpochs: undefined}}}})
    const record = await readRunRecord(storage, runId)
    expect(record.config.themes).toEqual(defaultConfig.themes)
    expect(record.config.pipeline.umap.nEpochs).toBe(defaultConfig.pipeline.umap.nEpochs)
  })

  it('still says a missing run is missing', async () => {
    expect(await failure(readRunRecord(storage, '20261128-000000-0000'))).toContain('There is no run 20261128-000000-0000 under')
  })
})
