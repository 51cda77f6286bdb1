import type {ReportData} from '../../src/inspect/report/report-data.js'
import {type IndexedTopic, reportLimits, type ReportTheme, topicAnchor} from '../../src/inspect/report/research-data.js'

const words = ['margin', 'guidance', 'demand', 'pricing', 'capex', 'inventory', 'tariffs', 'cloud', 'deposits', 'freight', 'backlog', 'buyback', 'churn', 'yield', 'hedging', 'wages']
const subjects = ['Revenue and demand', 'Margins and costs', 'Capital allocation', 'Guidance and outlook', 'Supply chain', 'Regulation', 'Technology', 'Labor', 'Credit quality', 'Pricing', 'Macro', 'M&A', 'ESG', 'Liquidity', 'Competition', 'Other']

/**
 * A report's data as a 5000-firm, two-quarter run gives it, built in memory: every firm-quarter in the per-firm
 * lists, and the topic sample, themes and subjects at the report's own limits (what gatherReportData keeps).
 */
export function largeReportData(firms = 5000, quarters = ['2024Q1', '2024Q2']): ReportData {
  const firmIds = Array.from({length: firms}, (_, index) => String(100_000 + index))
  const perFirm = quarters.flatMap((quarter) => firmIds.map((firmId, index) => ({quarter, firmId, firmName: `Firm ${index} Holdings Inc`, topics: 4 + ((index * 7) % 13)})))
  const totalTopics = perFirm.reduce((sum, firm) => sum + firm.topics, 0)
  const stride = Math.ceil(totalTopics / reportLimits.topics)
  const topics: IndexedTopic[] = Array.from({length: Math.ceil(totalTopics / stride)}, (_, index) => {
    const firm = perFirm[(index * stride) % perFirm.length]!
    const topicId = index % firm.topics
    const subject = subjects[index % subjects.length]!
    const angle = (index % subjects.length) * 0.4
    return {
      anchor: topicAnchor(firm.quarter, firm.firmId, topicId),
      quarter: firm.quarter,
      firmId: firm.firmId,
      firmName: firm.firmName,
      topicId,
      label: `${words[index % words.length]} and ${words[(index + 3) % words.length]} outlook ${index}`,
      keywords: Array.from({length: 8}, (_, k) => words[(index + k) % words.length]!),
      size: 6 + (index % 40),
      subject,
      theme: index % 3 === 0 ? `Theme ${index % 40}` : null,
      x: 0.5 + 0.4 * Math.cos(angle) * ((index % 97) / 97),
      y: 0.5 + 0.4 * Math.sin(angle) * ((index % 89) / 89),
      sentences: Array.from({length: reportLimits.sentencesPerTopic}, (_, s) => `We saw ${words[(index + s) % words.length]} improve across the segment this quarter, and we expect ${words[(index + s + 5) % words.length]} to stay firm into next year as customers keep ordering (${index}.${s}).`),
    }
  })
  const themes: ReportTheme[] = quarters.flatMap((quarter) =>
    Array.from({length: reportLimits.themesPerQuarter}, (_, themeId) => ({
      quarter,
      themeId,
      label: `Theme ${themeId}`,
      keywords: Array.from({length: 8}, (_, k) => words[(themeId + k) % words.length]!),
      firms: 300 - themeId * 5,
      topics: 320 - themeId * 5,
      members: Array.from({length: reportLimits.firmsPerTheme}, (_, m) => {
        const topic = topics[(themeId * 31 + m * 7) % topics.length]!
        return {firmId: topic.firmId, firmName: topic.firmName, topicLabel: topic.label, anchor: topic.anchor}
      }),
    })),
  )
  const table = (columns: string[], rows: number): ReportData['firmTopics'] => ({columns, rows: Array.from({length: rows}, (_, row) => columns.map((column, index) => (index === 0 ? quarters[0]! : `${column} ${row}`)))})
  return {
    runId: '20261202-060000-5000',
    run: {status: 'succeeded', createdAt: '2026-12-02 06:00:00+00', finishedAt: '2026-12-02 18:00:00+00', executor: 'batch', parallel: 5, source: 's3://calls/2024.parquet', root: 's3://results/ftm', reason: null},
    summary: {
      quarters: quarters.map((quarter) => ({quarter, firms: firms, ok: firms - 12, failed: 12, topics: totalTopics / quarters.length, sentences: firms * 300})),
      failures: [{errorKind: 'too_few_sentences', firms: 20, example: 'too few sentences'}, {errorKind: 'fetch_failed', firms: 4, example: 'the source timed out'}],
      topicsPerFirm: {min: 4, median: 10, max: 16, mean: 10},
      firms: [],
    },
    topicsPerFirm: perFirm,
    topicSizes: Array.from({length: totalTopics}, (_, index) => 6 + ((index * 17) % 80)),
    quarters,
    keywordTrends: words.slice(0, 8).map((keyword, index) => ({keyword, shares: quarters.map((_, q) => 0.1 + index * 0.03 + q * 0.02)})),
    failuresByKind: [{kind: 'too_few_sentences', firms: 20}, {kind: 'fetch_failed', firms: 4}],
    throughput: quarters.flatMap((quarter) => Array.from({length: 5}, (_, partition) => ({quarter, partition, firmsPerSecond: 0.07 + partition * 0.001, firms: 1000, seconds: 14_000, phase: 'succeeded'}))),
    stages: ['fetch', 'preprocess', 'embed', 'reduce', 'cluster', 'keywords', 'label'].map((stage, index) => ({stage, meanMs: 500 + index * 700, share: 1 / 7})),
    firmTopics: table(['quarter', 'firm_id', 'firm_name', 'topic_id', 'size', 'label', 'keywords', 'representative'], 120),
    failures: table(['quarter', 'firm_id', 'firm_name', 'error_kind', 'error_message'], 24),
    slowest: table(['quarter', 'firm_id', 'firm_name', 'status', 'n_sentences', 'total_ms'], 10),
    research: {
      topics,
      totalTopics,
      themes,
      totalThemes: quarters.length * 120,
      subjects: subjects.map((subject, index) => ({subject, share: (16 - index) / 136, topics: 4000 - index * 200, firms: 4000 - index * 100, leading: 1000 - index * 60})),
    },
  }
}
