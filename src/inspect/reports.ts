import {UserError} from '../base/errors.js'
import type {Parameter} from './views.js'
import {measureReports} from './measure-reports.js'
import {themeReport} from './theme-report.js'

/** What a canned report can be narrowed by. */
export interface ReportOptions {
  firm?: string
  quarter?: string
  limit: number
}

/** A canned report: one query over the views, with its parameters taken from the options. */
export interface Report {
  name: string
  description: string
  sql: string
  parameters(options: ReportOptions): Parameter[]
}

// Firms that mention a term (a keyword or a label) per quarter, as a share of the quarter's modeled firms, with the
// share in the quarter before and the change. $1 = quarter or null, $2 = terms per quarter.
const trendSql = (terms: string): string => `
  WITH terms AS (${terms}),
  modeled AS (SELECT quarter, count(*) FILTER (status = 'ok') AS firms FROM firms GROUP BY quarter),
  quarters AS (SELECT quarter, lag(quarter) OVER (ORDER BY quarter) AS previous FROM modeled),
  counts AS (
    SELECT t.quarter, t.term, count(DISTINCT t.firm_id)::INTEGER AS firms, count(DISTINCT t.firm_id) / any_value(m.firms) AS share
    FROM terms t JOIN modeled m USING (quarter) GROUP BY t.quarter, t.term),
  ranked AS (SELECT *, row_number() OVER (PARTITION BY quarter ORDER BY firms DESC, term) AS rank FROM counts)
  SELECT r.quarter, r.rank::INTEGER AS rank, r.term, r.firms, round(r.share, 3) AS share, q.previous AS previous_quarter,
         CASE WHEN q.previous IS NULL THEN NULL ELSE round(coalesce(p.share, 0), 3) END AS previous_share,
         CASE WHEN q.previous IS NULL THEN NULL ELSE round(r.share - coalesce(p.share, 0), 3) END AS change
  FROM ranked r JOIN quarters q USING (quarter) LEFT JOIN counts p ON p.quarter = q.previous AND p.term = r.term
  WHERE r.rank <= $2 AND ($1 IS NULL OR r.quarter = $1)
  ORDER BY r.quarter, r.rank`

/** The canned reports, by name. */
export const reports: Report[] = [
  {
    name: 'firm',
    description: "a firm's topics: size, label, keywords, subject, share of the call, presentation vs Q&A, tone and its most representative sentences (needs --firm)",
    sql: `
      SELECT t.quarter, t.topic_id, t.size, t.label, t.label_source, list_slice(t.keywords, 1, 10) AS keywords,
             t.subject, round(t.sentence_share, 3) AS share, round(t.presentation_share, 3) AS presentation_share, round(t.qa_share, 3) AS qa_share,
             round(t.analyst_share, 3) AS analyst_share, t.first_raised_by, t.first_raised_in, round(t.net_tone, 3) AS net_tone, t.risk_sentences,
             (SELECT list(s.text ORDER BY s.rank) FROM topic_sentences s
              WHERE s.quarter = t.quarter AND s.firm_id = t.firm_id AND s.topic_id = t.topic_id AND s.rank <= $3) AS representative
      FROM topics t WHERE t.firm_id = $1 AND ($2 IS NULL OR t.quarter = $2)
      ORDER BY t.quarter, t.size DESC, t.topic_id`,
    parameters: (options) => [requireFirm(options), options.quarter ?? null, 3],
  },
  {
    name: 'failures',
    description: 'firms that failed, with the kind and message, and how many firms each kind hit',
    sql: `
      SELECT quarter, firm_id, firm_name, partition, error_kind, count(*) OVER (PARTITION BY error_kind)::INTEGER AS firms_of_kind,
             error_message, attempt
      FROM failures WHERE ($1 IS NULL OR quarter = $1) ORDER BY firms_of_kind DESC, error_kind, quarter, firm_id LIMIT $2`,
    parameters: (options) => [options.quarter ?? null, options.limit],
  },
  {
    name: 'keywords',
    description: 'the keywords most firms share in each quarter, with their change from the quarter before',
    sql: trendSql('SELECT DISTINCT quarter, firm_id, keyword AS term FROM topic_keywords'),
    parameters: (options) => [options.quarter ?? null, options.limit],
  },
  {
    name: 'labels',
    description: 'the topic labels most firms share in each quarter, with their change from the quarter before',
    sql: trendSql(`SELECT DISTINCT quarter, firm_id, lower(trim(label)) AS term FROM topics WHERE trim(label) <> ''`),
    parameters: (options) => [options.quarter ?? null, options.limit],
  },
  {
    name: 'slowest',
    description: 'the slowest firms, with their slowest stage and its share of the firm time',
    sql: `
      WITH slowest_stage AS (SELECT quarter, firm_id, arg_max(stage, ms) AS stage, max(ms) AS ms FROM stage_timings GROUP BY ALL)
      SELECT f.quarter, f.firm_id, f.firm_name, f.status, f.n_sentences, f.total_ms, s.stage AS slowest_stage, s.ms AS slowest_stage_ms,
             round(s.ms / nullif(f.total_ms, 0), 2) AS slowest_stage_share
      FROM firms f LEFT JOIN slowest_stage s USING (quarter, firm_id)
      WHERE ($1 IS NULL OR f.quarter = $1) AND f.total_ms IS NOT NULL
      ORDER BY f.total_ms DESC, f.firm_id LIMIT $2`,
    parameters: (options) => [options.quarter ?? null, options.limit],
  },
  {
    name: 'stages',
    description: 'time per pipeline stage over all firms: total, mean, median, 95th percentile, share',
    sql: `
      SELECT stage, count(*)::INTEGER AS firms, round(sum(ms) / 1000, 1) AS total_s, round(avg(ms), 1) AS mean_ms,
             round(quantile_cont(ms, 0.5), 1) AS median_ms, round(quantile_cont(ms, 0.95), 1) AS p95_ms, max(ms) AS max_ms,
             round(sum(ms) / sum(sum(ms)) OVER (), 3) AS share
      FROM stage_timings WHERE ($1 IS NULL OR quarter = $1) GROUP BY stage, stage_order ORDER BY stage_order`,
    parameters: (options) => [options.quarter ?? null],
  },
  {
    name: 'partitions',
    description: 'throughput per partition: firms done and failed, wall seconds, firms per second, phase',
    sql: `
      SELECT quarter, partition, phase, attempt, firms_total, firms_committed, firms_failed, round(seconds, 1) AS seconds,
             round(firms_per_second, 3) AS firms_per_second, exit_code, reason
      FROM partitions WHERE ($1 IS NULL OR quarter = $1) ORDER BY quarter, partition`,
    parameters: (options) => [options.quarter ?? null],
  },
  {
    name: 'views',
    description: 'the views and tables a query can use, with their columns',
    sql: `
      SELECT table_name AS view, list(column_name || ' ' || data_type ORDER BY ordinal_position) AS columns
      FROM information_schema.columns WHERE table_schema = 'main' AND table_name NOT LIKE 'ftm_%'
      GROUP BY table_name ORDER BY table_name`,
    parameters: () => [],
  },
  ...measureReports,
  themeReport,
]

/** The report of a name; an unknown name is a user error listing the known ones. */
export function findReport(name: string): Report {
  const report = reports.find((candidate) => candidate.name === name)
  if (!report) {
    throw new UserError(`There is no report "${name}".`, `Reports: summary, ${reports.map((known) => known.name).join(', ')}.`)
  }
  return report
}

function requireFirm(options: ReportOptions): string {
  if (!options.firm) throw new UserError('The firm report needs a firm.', 'Name it with --firm <firm id>, e.g. `ftm inspect firm --firm 161747`.')
  return options.firm
}
