import {type RunSummary, summarizeRun} from '../summarize-run.js'
import type {Cell, ResultViews} from '../views.js'
import {gatherMeasureData, type MeasureReportData} from './measure-report.js'
import {gatherResearchData, type ResearchData} from './research-data.js'

/** A query's rows as a table for the report. */
export interface ReportTable {
  columns: string[]
  rows: Cell[][]
}

/** Everything the HTML report shows, gathered from the views. */
export interface ReportData {
  runId: string
  run?: {status: string; createdAt: string; finishedAt: string | null; executor: string; parallel: number; source: string; root: string; reason: string | null}
  summary: RunSummary
  topicsPerFirm: {quarter: string; firmId: string; firmName: string; topics: number}[]
  topicSizes: number[]
  quarters: string[]
  keywordTrends: {keyword: string; shares: (number | null)[]}[]
  failuresByKind: {kind: string; firms: number}[]
  throughput: {quarter: string; partition: number; firmsPerSecond: number; firms: number; seconds: number; phase: string}[]
  stages: {stage: string; meanMs: number; share: number}[]
  firmTopics: ReportTable
  failures: ReportTable
  slowest: ReportTable
  /** Call structure, subjects and topic measures; absent for a run written before the measures. */
  measures?: MeasureReportData
  /** The topic map's sample with its sentences, the themes and the subject breakdown. */
  research: ResearchData
}

/** Gathers the report's data: `firmLimit` bounds the firms whose topics are listed, `trendKeywords` the lines. */
export async function gatherReportData(views: ResultViews, runId: string, options: {firmLimit?: number; trendKeywords?: number} = {}): Promise<ReportData> {
  const summary = await summarizeRun(views, {firms: 0})
  const run = (await views.query('SELECT status, created_at::VARCHAR, finished_at::VARCHAR, executor, parallel, source, root, reason FROM runs WHERE run_id = $1', [runId])).rows[0]
  const topicsPerFirm = await views.query(`SELECT quarter, firm_id, firm_name, n_topics FROM firms WHERE status = 'ok' ORDER BY quarter, firm_id`)
  const sizes = await views.query('SELECT size FROM topics')
  const quarters = summary.quarters.map((quarter) => quarter.quarter)
  const trends = await views.query(
    `WITH modeled AS (SELECT quarter, count(*) FILTER (status = 'ok') AS firms FROM firms GROUP BY quarter),
          mentions AS (SELECT quarter, keyword, count(DISTINCT firm_id) AS firms FROM topic_keywords GROUP BY ALL),
          top AS (SELECT keyword FROM mentions GROUP BY keyword ORDER BY sum(firms) DESC, keyword LIMIT $1)
     SELECT t.keyword, list(CASE WHEN m.firms IS NULL THEN 0 ELSE m.firms / q.firms END ORDER BY q.quarter) AS shares
     FROM top t CROSS JOIN modeled q LEFT JOIN mentions m ON m.keyword = t.keyword AND m.quarter = q.quarter
     GROUP BY t.keyword ORDER BY sum(coalesce(m.firms, 0)) DESC, t.keyword`,
    [options.trendKeywords ?? 8],
  )
  const throughput = await views.query(
    'SELECT quarter, partition, firms_per_second, firms_committed, seconds, phase FROM partitions ORDER BY quarter, partition',
  )
  const stages = await views.query(
    'SELECT stage, avg(ms), sum(ms) / sum(sum(ms)) OVER () FROM stage_timings GROUP BY stage, stage_order ORDER BY stage_order',
  )
  const firmTopics = await views.query(
    `WITH chosen AS (SELECT quarter, firm_id FROM firms WHERE status = 'ok' ORDER BY quarter, firm_id LIMIT $1)
     SELECT t.quarter, t.firm_id, t.firm_name, t.topic_id, t.size, t.label, array_to_string(list_slice(t.keywords, 1, 6), ', ') AS keywords,
            (SELECT s.text FROM topic_sentences s WHERE s.quarter = t.quarter AND s.firm_id = t.firm_id AND s.topic_id = t.topic_id AND s.rank = 1) AS representative
     FROM topics t JOIN chosen USING (quarter, firm_id) ORDER BY t.quarter, t.firm_id, t.size DESC, t.topic_id`,
    [options.firmLimit ?? 12],
  )
  const failures = await views.query('SELECT quarter, firm_id, firm_name, error_kind, error_message FROM failures ORDER BY error_kind, quarter, firm_id LIMIT 200')
  const slowest = await views.query(
    `SELECT quarter, firm_id, firm_name, status, n_sentences, total_ms FROM firms WHERE total_ms IS NOT NULL ORDER BY total_ms DESC, firm_id LIMIT 10`,
  )
  return {
    runId,
    run: run && {
      status: String(run[0]),
      createdAt: String(run[1]),
      finishedAt: run[2] === null ? null : String(run[2]),
      executor: String(run[3]),
      parallel: Number(run[4]),
      source: String(run[5]),
      root: String(run[6]),
      reason: run[7] === null ? null : String(run[7]),
    },
    summary,
    topicsPerFirm: topicsPerFirm.rows.map(([quarter, firmId, firmName, topics]) => ({quarter: String(quarter), firmId: String(firmId), firmName: String(firmName), topics: Number(topics)})),
    topicSizes: sizes.rows.map(([size]) => Number(size)),
    quarters,
    keywordTrends: trends.rows.map(([keyword, shares]) => ({keyword: String(keyword), shares: (shares as Cell[]).map((share) => (share === null ? null : Number(share)))})),
    failuresByKind: summary.failures.map((failure) => ({kind: failure.errorKind, firms: failure.firms})),
    throughput: throughput.rows.map(([quarter, partition, rate, firms, seconds, phase]) => ({
      quarter: String(quarter),
      partition: Number(partition),
      firmsPerSecond: Number(rate),
      firms: Number(firms),
      seconds: Number(seconds),
      phase: String(phase),
    })),
    stages: stages.rows.map(([stage, mean, share]) => ({stage: String(stage), meanMs: Number(mean), share: Number(share)})),
    firmTopics,
    failures,
    slowest,
    measures: await gatherMeasureData(views, {firmLimit: options.firmLimit}),
    research: await gatherResearchData(views),
  }
}
