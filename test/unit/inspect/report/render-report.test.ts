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

  it('escapes topic text in the map, the sentences and the themes, and says when the topics are a sample', () => {
    const topic = {anchor: 't-2024Q1-1-0', quarter: '2024Q1', firmId: '1', firmName: 'Acme <Corp>', topicId: 0, label: '<script>alert(1)</script>', keywords: ['a&b'], size: 9, subject: 'pricing', theme: null, x: 0.2, y: 0.8, sentences: ['We said "<b>hi</b>".']}
    const theme = {quarter: '2024Q1', themeId: 0, label: 'T <i>', keywords: ['k'], firms: 30, topics: 31, members: [{firmId: '1', firmName: 'Acme <Corp>', topicLabel: 'x', anchor: topic.anchor}]}
    const html = renderReport({...empty, research: {topics: [topic], totalTopics: 9000, themes: [theme], totalThemes: 1, subjects: []}})
    expect(html).not.toMatch(/<script>alert|<b>hi|Acme <Corp>|T <i>/)
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(html).toContain('href="#t-2024Q1-1-0"')
    expect(html).toContain('An even sample of 1 of the run’s 9,000 topics')
    expect(html).toContain('and 29 more')
  })
})
