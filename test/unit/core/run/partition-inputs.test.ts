import {existsSync, readdirSync, rmSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {isUserError} from '../../../../src/base/errors.js'
import {loadConfig} from '../../../../src/core/config/load-config.js'
import {readManifest} from '../../../../src/core/manifest.js'
import {checkResumeSource, writesPartitionInputs} from '../../../../src/core/run/partition-inputs.js'
import {createRun} from '../../../../src/core/run/start-run.js'
import {openSource} from '../../../../src/sources/open-source.js'
import {PartitionInputSource} from '../../../../src/sources/partition-input.js'
import {LocalStorage} from '../../../../src/storage/local-storage.js'
import type {Storage} from '../../../../src/storage/storage.js'
import {sampleSubset, temporaryFolder} from '../../../support/sample-subset.js'

const quarter = '2024Q1'
const configFor = (root: string, file: string) =>
  loadConfig({cwd: os.tmpdir(), environment: {}, flags: {values: {root, source: file, partitions: 3}, names: {}}}).config

describe('partition inputs at plan time', () => {
  it("write each partition's firms, exactly the calls the source chose for them, before the run record", async () => {
    const root = temporaryFolder()
    const {file, firmIds} = sampleSubset({firms: 7, quarters: [quarter]})
    const {storage, record} = await createRun({config: configFor(root, file), executorName: 'process'})
    expect(record.partitionInputs).toBe(true)
    expect(await storage.list(`runs/${record.id}/inputs/`)).toEqual([0, 1, 2].map((partition) => `runs/${record.id}/inputs/${quarter}/part-0000${partition}.parquet`))
    const original = openSource(file)
    const written: string[] = []
    for (const partition of [0, 1, 2]) {
      const manifest = (await readManifest(storage, record.id, quarter, partition))!
      const input = await PartitionInputSource.open(storage, `runs/${record.id}/inputs/${quarter}/part-0000${partition}.parquet`, quarter)
      expect(await input.listFirms(quarter)).toEqual(manifest.firms)
      for (const firm of manifest.firms) expect(await input.fetchFirm(firm.id, quarter)).toEqual(await original.fetchFirm(firm.id, quarter))
      written.push(...manifest.firms.map((firm) => firm.id))
      await input.close()
    }
    await original.close()
    expect(written).toEqual(firmIds)
  })

  it('leave no run behind when storing an input fails (a crash while planning leaves nothing a resume would trust)', async () => {
    const root = temporaryFolder()
    const {file} = sampleSubset({firms: 6, quarters: [quarter]})
    const local = new LocalStorage(root)
    let stored = 0
    const failing: Storage = Object.assign(Object.create(local) as Storage, {
      putFile: async (key: string, localFile: string) => {
        if (++stored > 1) throw Object.assign(new Error(`ENOSPC: no space left on device, open '${key}'`), {code: 'ENOSPC'})
        return local.putFile(key, localFile)
      },
    })
    const error: unknown = await createRun({config: configFor(root, file), executorName: 'process', storage: failing}).catch((caught: unknown) => caught)
    expect(isUserError(error)).toBe(true)
    expect((error as Error).message).toBe(`ftm could not write the new run to ${root} (ENOSPC).`)
    expect(existsSync(path.join(root, 'runs')) ? readdirSync(path.join(root, 'runs')) : []).toEqual([])
  })

  it('are written for file sources (local or S3), never for databases, which workers query per firm', () => {
    expect(writesPartitionInputs('/data/calls.csv')).toBe(true)
    expect(writesPartitionInputs('s3://bucket/calls.parquet')).toBe(true)
    expect(writesPartitionInputs('wrds://user@wrds-pgdata.wharton.upenn.edu')).toBe(false)
    expect(writesPartitionInputs('postgres://ftm@127.0.0.1:5432/postgres?schema=ciq')).toBe(false)
  })

  it('make a changed or missing source a warning on resume; a run without them still stops', async () => {
    const root = temporaryFolder()
    const {file} = sampleSubset({firms: 2, quarters: [quarter]})
    const {record} = await createRun({config: configFor(root, file), executorName: 'process'})
    rmSync(file)
    const warnings: string[] = []
    await checkResumeSource(record, (message) => warnings.push(message))
    expect(warnings).toEqual([expect.stringMatching(new RegExp(`^The source ${file} changed since run ${record.id} was planned: it is gone.*partition inputs written when the run was planned`))])
    const older = {...record, partitionInputs: undefined}
    const refused = await checkResumeSource(older, (message) => warnings.push(message)).catch((caught: unknown) => caught)
    expect(isUserError(refused)).toBe(true)
    expect(warnings).toHaveLength(1)
  })
})
