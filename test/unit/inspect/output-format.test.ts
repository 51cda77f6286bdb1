import {describe, expect, it} from 'vitest'
import {findReport, reports} from '../../../src/inspect/reports.js'
import {resolveOutputFormat} from '../../../src/inspect/output-format.js'
import {formatRows} from '../../../src/ui/format-table.js'

describe('inspect output', () => {
  it('takes the format asked for, else the output file extension, else a table', () => {
    expect(resolveOutputFormat('csv', 'x.json')).toBe('csv')
    expect(resolveOutputFormat(undefined, 'out/rows.parquet')).toBe('parquet')
    expect(resolveOutputFormat(undefined, 'rows.JSON')).toBe('json')
    expect(resolveOutputFormat(undefined, 'rows.txt')).toBe('table')
    expect(resolveOutputFormat('csv', 'rows.dat')).toBe('csv')
    expect(resolveOutputFormat(undefined, undefined)).toBe('table')
  })

  it('refuses an output file whose extension names no format, naming the nearest one and --format', () => {
    expect(() => resolveOutputFormat(undefined, 'k.xlsx')).toThrow(expect.objectContaining({message: expect.stringContaining('.xlsx'), hint: expect.stringMatching(/k\.csv.*--format/)}))
    expect(() => resolveOutputFormat(undefined, 'rows')).toThrow(expect.objectContaining({message: expect.stringContaining('no extension')}))
  })

  it('refuses Parquet without a file, saying how to fix it', () => {
    expect(() => resolveOutputFormat('parquet', undefined)).toThrow(expect.objectContaining({hint: expect.stringContaining('--output')}))
  })

  it('renders rows as a table, CSV or JSON', () => {
    const columns = ['firm_id', 'keywords']
    const rows = [['1', ['supply chain', 'cost']], ['2', null]]
    expect(formatRows(columns, rows, 'csv')).toBe('firm_id,keywords\n1,"supply chain, cost"\n2,')
    expect(JSON.parse(formatRows(columns, rows, 'json'))).toEqual([{firm_id: '1', keywords: ['supply chain', 'cost']}, {firm_id: '2', keywords: null}])
    expect(formatRows(columns, rows, 'table').split('\n')[2]).toBe('1        supply chain, cost')
  })

  it('names the known reports when one is unknown, and asks the firm report for a firm', () => {
    expect(() => findReport('trends')).toThrow(expect.objectContaining({hint: expect.stringContaining('keywords')}))
    expect(() => findReport('firm').parameters({limit: 5})).toThrow(expect.objectContaining({hint: expect.stringContaining('--firm')}))
    expect(findReport('firm').parameters({firm: '42', limit: 5})).toEqual(['42', null, 3])
    expect(new Set(reports.map((report) => report.name)).size).toBe(reports.length)
  })
})
