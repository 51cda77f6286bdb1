import {describe, expect, it} from 'vitest'
import type {ReportData} from '../../../../src/inspect/report/report-data.js'
import {renderReport} from '../../../../src/inspect/report/render-report.js'

const empty: ReportData = {
  runId: '20261128-130647-89a6',
  summary: {quarters: [], failures: [], topicsPerFirm: {min: 0, median: 0, max: 0, mean: 0}, firms: []},
  topicsPerFirm: [],
  topicSizes: [],
  quarters: [],
  keywordTrends: [],
  failuresByKind: [],
  throughput: [],
  stages: [],
  firmTopics: {columns: ['firm_id'], rows: []},
  failures: {columns: ['firm_id'], rows: []},
  slowest: {columns: ['firm_id'], rows: []},
  research: {topics: [], totalTopics: 0, themes: [], totalThemes: 0, subjects: []},
}

describe('the HTML report', () => {
  it('says what is missing instead of drawing empty or broken charts', () => {
    const html = renderReport(empty, new Date('2026-11-28T00:00:00Z'))
    expect(html).not.toMatch(/NaN|undefined|Infinity/)
    expect(html).toContain('No firm was modeled.')
    expect(html).toContain('No firm failed.')
    expect(html).toContain('no partition has started')
  })

  it('escapes text from the data and draws one bar per firm up to 40, a histogram beyond', () => {
    const firms = (count: number): ReportData['topicsPerFirm'] =>
      Array.from({length: count}, (_, index) => ({quarter: '2024Q1', firmId: String(index), firmName: '<b>Acme</b>', topics: 3 + (index % 5)}))
    const small = renderReport({...empty, quarters: ['2024Q1'], topicsPerFirm: firms(12)})
    expect(small).not.toContain('<b>Acme</b>')
    expect(small.match(/data-chart="topics-per-firm">[\s\S]*?<\/figure>/)![0].match(/class="bar"/g)).toHaveLength(12)
    const large = renderReport({...empty, quarters: ['2024Q1'], topicsPerFirm: firms(500)})
    expect(large.match(/data-chart="topics-per-firm">[\s\S]*?<\/figure>/)![0].match(/class="bar"/g)).toHaveLength(5)
  })
})
