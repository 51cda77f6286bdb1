import {mkdtempSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {CsvSource} from '../../../src/sources/csv-source.js'
import {checkTranscript} from '../../../src/pipeline/firm-loop.js'
import {FirmError} from '../../../src/pipeline/firm-error.js'

const header = 'companyid,companyname,transcriptid,componentorder,componenttext,mostimportantdateutc,speakertypename'

function csvFile(content: string | Buffer): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'ftm-bad-csv-')), 'calls.csv')
  writeFileSync(file, content)
  return file
}

function sourceWithWarnings(file: string): {source: CsvSource; warnings: string[]} {
  const warnings: string[] = []
  return {source: new CsvSource(file, {onWarning: (message) => warnings.push(message)}), warnings}
}

describe('CsvSource with bad input', () => {
  it('skips malformed rows with their line numbers and keeps the good ones', async () => {
    const {source, warnings} = sourceWithWarnings(
      csvFile(
        [
          header,
          '1,A,10,0,Good text.,2024-01-05 10:00:00,Executives',
          '1,A,10,one,Bad order.,2024-01-05 10:00:00,Executives',
          '2,B,20,0,Bad date.,yesterday,Executives',
          ',C,30,0,No firm.,2024-01-05 10:00:00,Executives',
          '1,A,10,1,"Unclosed quote,2024-01-05 10:00:00,Executives',
        ].join('\n'),
      ),
    )
    expect((await source.listFirms('2024Q1')).map((firm) => firm.id)).toEqual(['1'])
    expect((await source.fetchFirm('1', '2024Q1'))!.components.map((component) => component.text)).toEqual(['Good text.'])
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/skipped 4 malformed rows \(line 3: componentorder "one" is not a whole number.*; line 4: mostimportantdateutc "yesterday" is not a date; line 5: no companyid\)/)
  })

  it('keeps the first of duplicate components and says so', async () => {
    const {source, warnings} = sourceWithWarnings(
      csvFile([header, '1,A,10,0,First.,2024-01-05 10:00:00,Executives', '1,A,10,0,Again.,2024-01-05 10:00:00,Executives'].join('\n')),
    )
    expect((await source.fetchFirm('1', '2024Q1'))!.components.map((component) => component.text)).toEqual(['First.'])
    expect(warnings[0]).toContain('skipped 1 duplicate component (line 3: transcript 10 repeats component 0; the first is kept)')
  })

  it('reads bytes that are not UTF-8 as replacement characters instead of failing', async () => {
    const latin1 = Buffer.concat([Buffer.from(`${header}\n1,A,10,0,Caf`), Buffer.from([0xe9]), Buffer.from(' revenue grew.,2024-01-05 10:00:00,Executives\n')])
    const {source} = sourceWithWarnings(csvFile(latin1))
    expect((await source.fetchFirm('1', '2024Q1'))!.components[0]!.text).toBe('Caf\uFFFD revenue grew.')
  })

  it('keeps firm ids with path characters as plain values', async () => {
    const {source} = sourceWithWarnings(csvFile([header, '../../etc/passwd,Evil,10,0,Text here.,2024-01-05 10:00:00,Executives'].join('\n')))
    expect(await source.listFirms('2024Q1')).toEqual([{id: '../../etc/passwd', name: 'Evil'}])
  })
})

describe('checkTranscript', () => {
  const call = (texts: string[]) => ({
    firmId: '1',
    firmName: 'A',
    transcriptId: '10',
    callDate: '2024-01-05T10:00:00.000Z',
    components: texts.map((text, componentOrder) => ({componentOrder, text, speakerType: 'Executives'})),
  })

  it('fails a call without text and a call over the size limit as bad_transcript', () => {
    expect(() => checkTranscript(call(['', '  ']), 1000)).toThrow(FirmError)
    expect(() => checkTranscript(call(['', '  ']), 1000)).toThrow(/has no text in any of its 2 components/)
    expect(() => checkTranscript(call(['x'.repeat(600), 'y'.repeat(600)]), 1000)).toThrow(/1200 characters of text, more than worker.maxCallCharacters = 1000/)
    expect(() => checkTranscript(call(['Fine text.']), 1000)).not.toThrow()
  })
})
