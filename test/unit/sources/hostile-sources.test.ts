import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {isUserError} from '../../../src/base/errors.js'
import {CsvSource} from '../../../src/sources/csv-source.js'
import {JsonlSource} from '../../../src/sources/jsonl-source.js'
import {openSource} from '../../../src/sources/open-source.js'

const header = 'companyid,companyname,transcriptid,componentorder,componenttext,mostimportantdateutc,speakertypename'
const goodJson = (firm: number, order: number): string =>
  JSON.stringify({companyid: firm, companyname: `Firm ${firm}`, transcriptid: firm * 10, componentorder: order, componenttext: 'Revenue grew.', mostimportantdateutc: '2024-01-05 10:00:00', speakertypename: 'Executives'})

function file(name: string, content: string | Buffer): string {
  const target = path.join(mkdtempSync(path.join(os.tmpdir(), 'ftm-hostile-')), name)
  writeFileSync(target, content)
  return target
}

async function failure(work: () => Promise<unknown>): Promise<{exitCode: number; message: string; hint: string}> {
  const error: unknown = await work().then(() => undefined, (caught: unknown) => caught)
  expect(isUserError(error)).toBe(true)
  return error as {exitCode: number; message: string; hint: string}
}

describe('hostile sources', () => {
  it('names a directory given as --source and says what to pass (exit 2)', async () => {
    const folder = path.join(mkdtempSync(path.join(os.tmpdir(), 'ftm-hostile-')), 'x.csv')
    mkdirSync(folder)
    const error = await failure(async () => openSource(folder))
    expect(error.exitCode).toBe(2)
    expect(error.message).toBe(`The source ${folder} is a directory, not a file.`)
    expect(error.hint).toContain('the transcripts file itself')
  })

  it('turns a read error of the CSV stream (EISDIR) into exit 2 instead of an unhandled stream error', async () => {
    const folder = path.join(mkdtempSync(path.join(os.tmpdir(), 'ftm-hostile-')), 'y.csv')
    mkdirSync(folder)
    const error = await failure(() => new CsvSource(folder).listQuarters()) // past openSource's check, as a raced file would be
    expect(error.exitCode).toBe(2)
    expect(error.message).toBe(`ftm could not read the source ${folder} (EISDIR).`)
  })

  it('turns a read error of the JSONL stream into exit 2', async () => {
    const folder = path.join(mkdtempSync(path.join(os.tmpdir(), 'ftm-hostile-')), 'z.jsonl')
    mkdirSync(folder)
    const error = await failure(() => new JsonlSource(folder).listQuarters())
    expect(error.exitCode).toBe(2)
    expect(error.message).toContain('(EISDIR)')
  })

  it('says "the source has no rows" for an empty file and a header-only CSV', async () => {
    for (const source of [file('empty.csv', ''), file('header.csv', `${header}\n`), file('empty.jsonl', '\n\n')]) {
      const error = await failure(() => openSource(source).listQuarters!())
      expect(error.message).toBe(`The source ${source} has no rows.`)
    }
  })

  it('skips JSONL lines that are not JSON objects, with their line numbers, and keeps the rest', async () => {
    const warnings: string[] = []
    const source = new JsonlSource(file('calls.jsonl', [goodJson(1, 0), '{"companyid": 2, oops', goodJson(1, 1), '[1,2]', goodJson(3, 0)].join('\n')), {onWarning: (line) => warnings.push(line)})
    expect(await source.listFirms('2024Q1')).toEqual([{id: '1', name: 'Firm 1'}, {id: '3', name: 'Firm 3'}])
    expect((await source.fetchFirm('1', '2024Q1'))?.components).toHaveLength(2)
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/skipped 2 malformed rows \(line 2: not JSON \(.*\); line 4: not a JSON object\)/)
  })

  it('warns with counts and lines for bytes that are not UTF-8, and reads them as Latin-1 with encoding latin1', async () => {
    const latin1 = Buffer.concat([
      Buffer.from(`${header}\n1,A,10,0,Caf`), Buffer.from([0xe9]), Buffer.from(' revenue grew.,2024-01-05 10:00:00,Executives\n'),
      Buffer.from('1,A,10,1,Plain text.,2024-01-05 10:00:00,Executives\n'),
      Buffer.from('1,A,10,2,Na'), Buffer.from([0xef]), Buffer.from('ve costs.,2024-01-05 10:00:00,Executives\n'),
    ])
    const source = file('latin1.csv', latin1)
    const warnings: string[] = []
    await new CsvSource(source, {onWarning: (line) => warnings.push(line)}).listQuarters()
    expect(warnings).toEqual([
      `${source}: 2 components with bytes that are not UTF-8, read as \uFFFD (line 2: transcript 10 component 0; line 4: transcript 10 component 2); if the file is Latin-1 (Windows-1252), pass --encoding latin1`,
    ])
    const decoded = new CsvSource(source, {encoding: 'latin1', onWarning: (line) => warnings.push(line)})
    expect((await decoded.fetchFirm('1', '2024Q1'))?.components.map((component) => component.text)).toEqual(['Café revenue grew.', 'Plain text.', 'Naïve costs.'])
    expect(warnings).toHaveLength(1)
  })
})
