import type {RunSummary} from '../inspect/summarize-run.js'
import {UserError} from '../base/errors.js'
import type {OutputFormat} from '../inspect/output-format.js'
import {formatCsv, formatTable} from './format-table.js'

/** The run summary of `ftm inspect` as text: counts per quarter, topics per firm, failures, a few firms' topics. */
export function formatSummary(runId: string, root: string, summary: RunSummary): string {
  const lines = [`Run ${runId} (${root})\n`]
  lines.push(formatTable(['quarter', 'firms', 'ok', 'failed', 'topics', 'sentences'], summary.quarters.map((quarter) => Object.values(quarter))))
  const spread = summary.topicsPerFirm
  lines.push(`\nTopics per firm: min ${spread.min}, median ${spread.median}, mean ${spread.mean}, max ${spread.max}`)
  if (summary.failures.length > 0) {
    lines.push('\nFailures:')
    lines.push(formatTable(['error_kind', 'firms', 'example'], summary.failures.map((failure) => Object.values(failure)), 90))
  }
  for (const firm of summary.firms) {
    lines.push(`\n${firm.quarter} ${firm.firmId} ${firm.firmName}`)
    for (const topic of firm.topics) lines.push(`  ${String(topic.topicId).padStart(2)}  ${topic.label}  (${topic.size} sentences)  ${topic.keywords.slice(0, 8).join(', ')}`)
  }
  lines.push(`\nQuery further:  ftm inspect --run ${runId} --sql "SELECT * FROM topics LIMIT 10"`)
  lines.push('Reports:        ftm inspect firm --firm <id> | failures | keywords | labels | slowest | stages | partitions | views')
  lines.push('Export:         ftm inspect --report report.html | --database results.duckdb | --sql "..." --output rows.parquet')
  return lines.join('\n')
}

/** The summary as the text of an output file: CSV of the per-quarter counts, JSON of the whole summary, or its text. */
export function summaryFileText(runId: string, root: string, summary: RunSummary, format: OutputFormat): string {
  if (format === 'csv') return formatCsv(['quarter', 'firms', 'ok', 'failed', 'topics', 'sentences'], summary.quarters.map((quarter) => Object.values(quarter)))
  if (format === 'json') return JSON.stringify({runId, ...summary}, null, 2)
  if (format === 'table') return formatSummary(runId, root, summary)
  throw new UserError(
    'The summary is not a table, so it cannot be written as Parquet.',
    'Write it as .csv, .json or .txt, or export a query: `ftm inspect --sql "SELECT * FROM firms" --output firms.parquet`.',
  )
}
