import {execFileSync} from 'node:child_process'
import {writeFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {openSource} from '../../../src/sources/open-source.js'
import {repositoryRoot} from '../../support/cli.js'
import {temporaryFolder} from '../../support/sample-subset.js'

const header = 'companyid,companyname,transcriptid,componentorder,componenttext,mostimportantdateutc,speakertypename'
const rows = [
  ['1', 'A Corp', '11', '0', 'Revenue grew.', '2024-02-01 14:00:00', 'Executives', 'Presenter Speech'],
  ['1', 'A Corp', '11', '1', 'Why did it grow?', '2024-02-01 14:00:00', 'Analysts', 'Question'],
  ['1', 'A Corp', '11', '2', 'Pricing.', '2024-02-01 14:00:00', 'Executives', ''],
]

async function componentTypes(file: string): Promise<(string | undefined)[]> {
  const source = openSource(file)
  const call = await source.fetchFirm('1', '2024Q1')
  await source.close()
  return call!.components.map((component) => component.componentType)
}

describe('the optional transcriptcomponenttypename column', () => {
  const folder = temporaryFolder()

  it('is read from CSV, JSON Lines and Parquet; an empty value is no type', async () => {
    const csv = path.join(folder, 'calls.csv')
    writeFileSync(csv, [`${header},transcriptcomponenttypename`, ...rows.map((row) => row.join(','))].join('\n'))
    const jsonl = path.join(folder, 'calls.jsonl')
    const names = [...header.split(','), 'transcriptcomponenttypename']
    writeFileSync(jsonl, rows.map((row) => JSON.stringify(Object.fromEntries(names.map((name, index) => [name, row[index]])))).join('\n'))
    const parquet = path.join(folder, 'calls.parquet')
    const script = `import {DuckDBInstance} from '@duckdb/node-api'
      const connection = await (await DuckDBInstance.create(':memory:')).connect()
      await connection.run("COPY (SELECT * FROM read_csv('${csv}', header = true, all_varchar = true)) TO '${parquet}' (FORMAT parquet)")`
    execFileSync(process.execPath, ['--input-type=module', '-e', script], {cwd: repositoryRoot})
    for (const file of [csv, jsonl, parquet]) expect(await componentTypes(file)).toEqual(['Presenter Speech', 'Question', undefined])
  })

  it('may be absent', async () => {
    const csv = path.join(folder, 'plain.csv')
    writeFileSync(csv, [header, ...rows.map((row) => row.slice(0, 7).join(','))].join('\n'))
    expect(await componentTypes(csv)).toEqual([undefined, undefined, undefined])
  })
})
