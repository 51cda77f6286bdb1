import {execFileSync} from 'node:child_process'
import {readFileSync, statSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {parse} from 'csv-parse/sync'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {s3SettingsFromEnvironment} from '../../../src/storage/storage-schema.js'
import {CsvSource} from '../../../src/sources/csv-source.js'
import {openSource} from '../../../src/sources/open-source.js'
import type {TranscriptSource} from '../../../src/sources/transcript-source.js'
import {cachedFile} from '../../../src/storage/local-cache.js'
import {S3Storage} from '../../../src/storage/s3-storage.js'
import {repositoryRoot} from '../../support/cli.js'
import {startS3Server, type S3Server} from '../../support/s3-server.js'
import {sampleSubset, temporaryFolder} from '../../support/sample-subset.js'

/** Writes a CSV as Parquet with typed columns, as a WRDS export would be (DuckDB, in a child: tests may not import it). */
function csvToParquet(csv: string, parquet: string): void {
  const script = `
    import {DuckDBInstance} from '@duckdb/node-api'
    const connection = await (await DuckDBInstance.create(':memory:')).connect()
    await connection.run(\`COPY (SELECT companyid::BIGINT AS companyid, companyname, transcriptid::BIGINT AS transcriptid,
      componentorder::INTEGER AS componentorder, componenttext, mostimportantdateutc::TIMESTAMP AS mostimportantdateutc, speakertypename
      FROM read_csv('${csv}', header = true, all_varchar = true)) TO '${parquet}' (FORMAT parquet)\`)`
  execFileSync(process.execPath, ['--input-type=module', '-e', script], {cwd: repositoryRoot})
}

/** Writes a CSV as JSON Lines with numbers where WRDS has numbers. */
function csvToJsonl(csv: string, jsonl: string): void {
  const rows = parse(readFileSync(csv), {columns: true}) as Record<string, string>[]
  const lines = rows.map((row) => JSON.stringify({...row, companyid: Number(row.companyid), componentorder: Number(row.componentorder)}))
  writeFileSync(jsonl, `${lines.join('\n')}\n`)
}

async function expectSameAs(source: TranscriptSource, reference: TranscriptSource): Promise<void> {
  expect(await source.listQuarters!()).toEqual(await reference.listQuarters!())
  for (const quarter of await reference.listQuarters!()) {
    const firms = await reference.listFirms(quarter)
    expect(await source.listFirms(quarter)).toEqual(firms)
    for (const firm of firms) expect(await source.fetchFirm(firm.id, quarter)).toEqual(await reference.fetchFirm(firm.id, quarter))
  }
}

describe('Parquet and JSONL sources in the WRDS component shape', () => {
  const folder = temporaryFolder()
  const data = sampleSubset({firms: 5, folder})
  const parquet = path.join(folder, 'calls.parquet')
  const jsonl = path.join(folder, 'calls.jsonl')
  let server: S3Server

  beforeAll(async () => {
    csvToParquet(data.file, parquet)
    csvToJsonl(data.file, jsonl)
    server = await startS3Server(['ftm-sources'])
    Object.assign(process.env, server.environment, {FTM_CACHE_DIR: path.join(folder, 'cache')})
  })
  afterAll(async () => server?.stop())

  it('read the same calls as the CSV they were made from', async () => {
    const reference = new CsvSource(data.file)
    await expectSameAs(openSource(parquet), reference)
    await expectSameAs(openSource(jsonl), reference)
  })

  it('read files on S3 through the local cache', async () => {
    const storage = new S3Storage('s3://ftm-sources/exports', s3SettingsFromEnvironment(process.env))
    await storage.putFile('calls.parquet', parquet)
    await storage.putFile('calls.jsonl', jsonl)
    const reference = new CsvSource(data.file)
    await expectSameAs(openSource('s3://ftm-sources/exports/calls.parquet'), reference)
    await expectSameAs(openSource('s3://ftm-sources/exports/calls.jsonl'), reference)
    await expect(openSource('s3://ftm-sources/exports/missing.parquet').listFirms('2024Q1')).rejects.toThrow(/does not exist/)
  })

  it('skip rows they cannot place and keep the first of a repeated component', async () => {
    const file = path.join(folder, 'messy.jsonl')
    const row = {companyid: 7, companyname: 'Gamma', transcriptid: 100, componenttext: 'First.', mostimportantdateutc: '2024-01-20 10:00:00', speakertypename: 'Executives'}
    const lines = [
      {...row, componentorder: 1, componenttext: 'Second.'},
      {...row, componentorder: 0},
      {...row, componentorder: 0, componenttext: 'Repeated.'},
      {...row, componentorder: 'x'},
      {...row, componentorder: 2, mostimportantdateutc: 'not a date'},
    ]
    writeFileSync(file, `${lines.map((line) => JSON.stringify(line)).join('\n')}\n`)
    const call = await openSource(file).fetchFirm('7', '2024Q1')
    expect(call?.components.map((component) => component.text)).toEqual(['First.', 'Second.'])
  })

  it('name the columns a file lacks', async () => {
    const partial = path.join(folder, 'partial.jsonl')
    writeFileSync(partial, `${JSON.stringify({companyid: 1, companyname: 'A'})}\n`)
    await expect(openSource(partial).listQuarters!()).rejects.toThrow(/lacks the columns transcriptid, componentorder/)
    expect(() => openSource(path.join(folder, 'calls.xlsx'))).toThrow(/cannot read the source/)
  })
})

describe('the local cache of S3 objects', () => {
  let server: S3Server
  beforeAll(async () => {
    server = await startS3Server(['ftm-cache'])
    Object.assign(process.env, server.environment)
  })
  afterAll(async () => server?.stop())

  it('downloads once, reuses an unchanged copy, and fetches again when the object changes', async () => {
    const storage = new S3Storage('s3://ftm-cache/root', s3SettingsFromEnvironment(process.env))
    const cache = temporaryFolder('ftm-cache-')
    await storage.write('firms/quarter=2024Q1/part.parquet', 'first version')
    const first = await cachedFile(storage, 'firms/quarter=2024Q1/part.parquet', cache)
    expect(first.downloaded).toBe(true)
    expect(first.file).toBe(path.join(cache, 'firms', 'quarter=2024Q1', 'part.parquet'))
    const modified = statSync(first.file).mtimeMs
    expect((await cachedFile(storage, 'firms/quarter=2024Q1/part.parquet', cache)).downloaded).toBe(false)
    expect(statSync(first.file).mtimeMs).toBe(modified)
    await storage.write('firms/quarter=2024Q1/part.parquet', 'second version, longer')
    expect((await cachedFile(storage, 'firms/quarter=2024Q1/part.parquet', cache)).downloaded).toBe(true)
    expect(readFileSync(first.file, 'utf8')).toBe('second version, longer')
    // A copy damaged locally (size differs) is fetched again too.
    writeFileSync(first.file, 'x')
    expect((await cachedFile(storage, 'firms/quarter=2024Q1/part.parquet', cache)).downloaded).toBe(true)
  })
})
