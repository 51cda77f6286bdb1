import {describe, expect, it} from 'vitest'
import type {RunSummary} from '../../../src/inspect/summarize-run.js'
import {summaryFileText} from '../../../src/ui/format-summary.js'

const summary: RunSummary = {
  quarters: [{quarter: '2024Q1', firms: 6, ok: 5, failed: 1, topics: 40, sentences: 900}],
  failures: [{errorKind: 'too_few_sentences', firms: 1, example: '42: 3 sentences'}],
  topicsPerFirm: {min: 5, median: 8, max: 11, mean: 8},
  firms: [],
}

describe('summaryFileText', () => {
  it('writes the per-quarter counts as CSV, the whole summary as JSON, and the text for a table', () => {
    expect(summaryFileText('r1', '/out', summary, 'csv')).toBe('quarter,firms,ok,failed,topics,sentences\n2024Q1,6,5,1,40,900')
    expect(JSON.parse(summaryFileText('r1', '/out', summary, 'json'))).toEqual({runId: 'r1', ...summary})
    expect(summaryFileText('r1', '/out', summary, 'table')).toContain('Run r1 (/out)')
  })

  it('refuses Parquet, naming the formats it can write and the query to export instead', () => {
    expect(() => summaryFileText('r1', '/out', summary, 'parquet')).toThrow(expect.objectContaining({hint: expect.stringMatching(/\.csv, \.json or \.txt.*--sql/)}))
  })
})
