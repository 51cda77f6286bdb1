import type {Cell, ResultViews} from './views.js'

/** A run's results at a glance. */
export interface RunSummary {
  quarters: {quarter: string; firms: number; ok: number; failed: number; topics: number; sentences: number}[]
  failures: {errorKind: string; firms: number; example: string}[]
  topicsPerFirm: {min: number; median: number; max: number; mean: number}
  firms: {quarter: string; firmId: string; firmName: string; topics: {topicId: number; label: string; size: number; keywords: string[]}[]}[]
}

/** Counts per quarter, failures by kind, topics per firm, and the top topics of a few firms. */
export async function summarizeRun(views: ResultViews, options: {firms?: number; topicsPerFirm?: number} = {}): Promise<RunSummary> {
  const quarters = await views.query(`
    SELECT f.quarter, count(*) AS firms, count(*) FILTER (status = 'ok') AS ok, count(*) FILTER (status = 'failed') AS failed,
           coalesce(sum(n_topics), 0) AS topics, coalesce(sum(n_sentences), 0) AS sentences
    FROM firms f GROUP BY f.quarter ORDER BY f.quarter`)
  const failures = await views.query(`
    SELECT error_kind, count(*) AS firms, min(firm_id || ': ' || error_message) AS example
    FROM firms WHERE status = 'failed' GROUP BY error_kind ORDER BY firms DESC, error_kind`)
  const spread = await views.query(`
    SELECT coalesce(min(n_topics), 0), coalesce(median(n_topics), 0), coalesce(max(n_topics), 0), coalesce(avg(n_topics), 0)
    FROM firms WHERE status = 'ok'`)
  const topics = await views.query(
    `WITH chosen AS (SELECT quarter, firm_id, firm_name FROM firms WHERE status = 'ok' ORDER BY quarter, firm_id LIMIT $1)
     SELECT c.quarter, c.firm_id, c.firm_name, t.topic_id, t.label, t.size, t.keywords
     FROM chosen c JOIN topics t USING (quarter, firm_id)
     WHERE t.topic_id < $2 ORDER BY c.quarter, c.firm_id, t.topic_id`,
    [options.firms ?? 5, options.topicsPerFirm ?? 3],
  )
  const firms: RunSummary['firms'] = []
  for (const [quarter, firmId, firmName, topicId, label, size, keywords] of topics.rows) {
    let firm = firms.at(-1)
    if (!firm || firm.firmId !== firmId || firm.quarter !== quarter) {
      firm = {quarter: String(quarter), firmId: String(firmId), firmName: String(firmName), topics: []}
      firms.push(firm)
    }
    firm.topics.push({topicId: Number(topicId), label: String(label), size: Number(size), keywords: (keywords as Cell[]).map(String)})
  }
  const [min, median, max, mean] = (spread.rows[0] ?? [0, 0, 0, 0]).map(Number)
  return {
    quarters: quarters.rows.map(([quarter, count, ok, failed, topicCount, sentences]) => ({
      quarter: String(quarter),
      firms: Number(count),
      ok: Number(ok),
      failed: Number(failed),
      topics: Number(topicCount),
      sentences: Number(sentences),
    })),
    failures: failures.rows.map(([kind, count, example]) => ({errorKind: String(kind), firms: Number(count), example: String(example)})),
    topicsPerFirm: {min: min!, median: median!, max: max!, mean: Math.round(mean! * 10) / 10},
    firms,
  }
}
