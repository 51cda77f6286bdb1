import {mkdtempSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {CsvSource} from '../../../src/sources/csv-source.js'
import {openSource} from '../../../src/sources/open-source.js'

const header = 'companyid,companyname,transcriptid,componentorder,componenttext,mostimportantdateutc,speakertypename'

function csvFile(lines: string[], content = [header, ...lines].join('\n')): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'ftm-csv-')), 'calls.csv')
  writeFileSync(file, content)
  return file
}

describe('CsvSource', () => {
  it('assigns calls to quarters by call date and lists firms in id order', async () => {
    const source = new CsvSource(
      csvFile([
        '20,Beta,1,0,"Hello, world.",2024-03-31 22:00:00,Executives',
        '3,Alpha,2,0,Text.,2024-02-01 10:00:00,Executives',
        '3,Alpha,3,0,Text.,2024-04-01 10:00:00,Executives',
      ]),
    )
    expect(await source.listQuarters()).toEqual(['2024Q1', '2024Q2'])
    expect(await source.listFirms('2024Q1')).toEqual([
      {id: '3', name: 'Alpha'},
      {id: '20', name: 'Beta'},
    ])
  })

  it('returns components in order and takes the latest call when a firm has several in a quarter', async () => {
    const source = new CsvSource(
      csvFile([
        '7,Gamma,100,1,"Second, with ""quotes"".",2024-01-20 10:00:00,Analysts',
        '7,Gamma,100,0,First.,2024-01-20 10:00:00,Executives',
        '7,Gamma,99,0,Older call.,2024-01-10 10:00:00,Executives',
      ]),
    )
    const call = await source.fetchFirm('7', '2024Q1')
    expect(call?.transcriptId).toBe('100')
    expect(call?.components.map((component) => component.text)).toEqual(['First.', 'Second, with "quotes".'])
    expect(await source.fetchFirm('7', '2024Q2')).toBeUndefined()
  })

  it('loads only the firms and quarters in scope', async () => {
    const file = csvFile(['1,A,1,0,x.,2024-01-02 00:00:00,Executives', '2,B,2,0,y.,2024-01-02 00:00:00,Executives'])
    const source = new CsvSource(file, {firmIds: new Set(['2'])})
    expect((await source.listFirms('2024Q1')).map((firm) => firm.id)).toEqual(['2'])
  })

  it('names a missing file and how to fix it', () => {
    expect(() => openSource('/nowhere/calls.csv')).toThrow('The source file /nowhere/calls.csv does not exist.')
    try {
      openSource('/nowhere/calls.csv')
    } catch (error) {
      expect((error as {hint: string}).hint).toContain('--source')
    }
  })

  it('names missing columns', async () => {
    const source = new CsvSource(csvFile([], 'companyid,companyname,componenttext\n1,A,x'))
    await expect(source.listFirms('2024Q1')).rejects.toThrow(/lacks the columns transcriptid, componentorder, mostimportantdateutc, speakertypename/)
  })
})
