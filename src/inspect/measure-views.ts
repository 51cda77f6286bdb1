import type {DuckDBConnection} from '@duckdb/node-api'

/** The measure views, with what they hold. */
export const measureViewCatalog: {name: string; description: string}[] = [
  {
    name: 'panel',
    description:
      'one row per firm and quarter for regressions: the call totals, and per taxonomy subject its share of the sentences (sh_), net tone (tone_) and risk sentences as a share of the call (risk_)',
  },
  {
    name: 'panel_themes',
    description:
      "one row per firm, quarter and cross-firm theme (after `ftm themes`): the theme's share of the call's sentences, its net tone and its risk sentences as a share of the call",
  },
  {
    name: 'topic_continuity',
    description:
      "each topic linked to the most similar topic of the same firm's previous quarter in the run (embedding cosine): carried, new, first (no earlier quarter), or dropped (a previous topic nothing links to)",
  },
]

/** The column name of a subject in the panel: lowercase letters, digits and underscores. */
export function subjectColumn(prefix: 'sh' | 'tone' | 'risk', subject: string): string {
  return `${prefix}_${subject.toLowerCase().replaceAll(/[^a-z0-9]+/g, '_')}`
}

const quote = (text: string): string => `'${text.replaceAll("'", "''")}'`

/** The panel's SQL for these subjects: one row per (firm, quarter) with status ok. */
export function panelSql(subjects: readonly string[]): string {
  const subjectColumns = subjects.flatMap((subject) => {
    const where = `subject = ${quote(subject)}`
    return [
      `coalesce(sum(s.sentences) FILTER (${where}), 0) / f.n_sentences AS ${subjectColumn('sh', subject)}`,
      `CASE WHEN coalesce(sum(s.positive + s.negative) FILTER (${where}), 0) = 0 THEN NULL
            ELSE (sum(s.positive) FILTER (${where}) - sum(s.negative) FILTER (${where})) / sum(s.positive + s.negative) FILTER (${where}) END AS ${subjectColumn('tone', subject)}`,
      `coalesce(sum(s.risk) FILTER (${where}), 0) / f.n_sentences AS ${subjectColumn('risk', subject)}`,
    ]
  })
  return `
    WITH by_subject AS (
      SELECT quarter, firm_id, subject, count(*) AS sentences, sum(positive_words) AS positive, sum(negative_words) AS negative, sum(risk) AS risk
      FROM sentences WHERE subject IS NOT NULL GROUP BY quarter, firm_id, subject)
    SELECT f.firm_id, any_value(f.firm_name) AS firm_name, f.quarter,
           CAST(substr(f.quarter, 1, 4) AS INTEGER) AS year, CAST(substr(f.quarter, 6, 1) AS INTEGER) AS quarter_of_year,
           any_value(f.call_date) AS call_date, any_value(f.transcript_id) AS transcript_id, any_value(f.run_id) AS run_id,
           any_value(f.n_sentences) AS n_sentences, any_value(f.n_words) AS n_words, any_value(f.n_topics) AS n_topics,
           any_value(f.presentation_sentences) AS presentation_sentences, any_value(f.qa_sentences) AS qa_sentences,
           any_value(f.analyst_sentences) AS analyst_sentences, any_value(f.management_sentences) AS management_sentences,
           any_value(f.qa_rule) AS qa_rule,
           any_value(f.positive_words) AS positive_words, any_value(f.negative_words) AS negative_words, any_value(f.net_tone) AS net_tone,
           any_value(f.uncertainty_words) AS uncertainty_words, any_value(f.litigious_words) AS litigious_words,
           any_value(f.constraining_words) AS constraining_words, any_value(f.risk_sentences) AS risk_sentences,
           any_value(f.risk_sentences) / any_value(f.n_sentences) AS risk_share${subjectColumns.map((column) => `,\n           ${column}`).join('')}
    FROM firms f LEFT JOIN by_subject s ON s.quarter = f.quarter AND s.firm_id = f.firm_id
    WHERE f.status = 'ok'
    GROUP BY f.firm_id, f.quarter, f.n_sentences`
}

/** The long panel of cross-firm themes: a quarter's themes have their own ids, so they are rows, not columns. */
export const panelThemesSql = `
  SELECT m.firm_id, m.quarter, m.theme_id, any_value(h.label) AS theme_label,
         sum(t.sentence_share) AS sh, CASE WHEN sum(t.positive_words + t.negative_words) = 0 THEN NULL
           ELSE (sum(t.positive_words) - sum(t.negative_words)) / sum(t.positive_words + t.negative_words) END AS tone,
         sum(t.risk_sentences) / any_value(f.n_sentences) AS risk, count(*)::INTEGER AS n_topics
  FROM theme_members m
  JOIN topics t ON t.quarter = m.quarter AND t.firm_id = m.firm_id AND t.topic_id = m.topic_id
  JOIN themes h ON h.quarter = m.quarter AND h.theme_id = m.theme_id
  JOIN firms f ON f.quarter = m.quarter AND f.firm_id = m.firm_id AND f.status = 'ok'
  GROUP BY m.firm_id, m.quarter, m.theme_id`

/**
 * The continuity SQL: each topic of the run linked to the most similar topic of the same firm's previous quarter in
 * the same root (cosine of their embeddings at least `minSimilarity`): the run's own quarters first, else the newest
 * other run under the root that modeled that firm-quarter (`root_topics`), so quarter-by-quarter runs link too.
 */
export function continuitySql(minSimilarity: number): string {
  return `
    WITH own AS (
      SELECT DISTINCT firm_id, quarter FROM topics),
    history AS (
      SELECT * FROM topics
      UNION ALL BY NAME
      SELECT * EXCLUDE (newest) FROM (
        SELECT r.*, dense_rank() OVER (PARTITION BY r.firm_id, r.quarter ORDER BY r.run_id DESC) AS newest
        FROM root_topics r ANTI JOIN own o ON o.firm_id = r.firm_id AND o.quarter = r.quarter)
      WHERE newest = 1),
    firm_quarters AS (
      SELECT DISTINCT firm_id, quarter FROM history),
    previous AS (
      SELECT firm_id, quarter, lag(quarter) OVER (PARTITION BY firm_id ORDER BY quarter) AS previous_quarter FROM firm_quarters),
    pairs AS (
      SELECT t.run_id, t.quarter, t.firm_id, t.topic_id, t.label, t.subject, p.previous_quarter,
             o.topic_id AS previous_topic_id, o.label AS previous_label,
             CASE WHEN len(t.embedding) = len(o.embedding) THEN list_cosine_similarity(t.embedding, o.embedding) END AS similarity
      FROM topics t JOIN previous p USING (firm_id, quarter)
      LEFT JOIN history o ON o.firm_id = t.firm_id AND o.quarter = p.previous_quarter),
    best AS (
      SELECT * FROM pairs
      QUALIFY row_number() OVER (PARTITION BY quarter, firm_id, topic_id ORDER BY similarity DESC NULLS LAST, previous_topic_id) = 1),
    linked AS (
      SELECT run_id, quarter, firm_id, topic_id, label, subject, previous_quarter,
             CASE WHEN similarity >= ${minSimilarity} THEN previous_topic_id END AS previous_topic_id,
             CASE WHEN similarity >= ${minSimilarity} THEN previous_label END AS previous_label,
             round(similarity::DOUBLE, 6) AS similarity,
             CASE WHEN previous_quarter IS NULL THEN 'first' WHEN similarity >= ${minSimilarity} THEN 'carried' ELSE 'new' END AS status
      FROM best)
    SELECT * FROM linked
    UNION ALL
    SELECT o.run_id, p.quarter, o.firm_id, NULL AS topic_id, NULL AS label, o.subject, o.quarter AS previous_quarter,
           o.topic_id AS previous_topic_id, o.label AS previous_label, NULL AS similarity, 'dropped' AS status
    FROM previous p JOIN own USING (firm_id, quarter) JOIN history o ON o.firm_id = p.firm_id AND o.quarter = p.previous_quarter
    WHERE NOT EXISTS (SELECT 1 FROM linked l WHERE l.firm_id = p.firm_id AND l.quarter = p.quarter AND l.previous_topic_id = o.topic_id)`
}

/** Creates the panel and continuity views; a run written before the measures gets neither. */
export async function createMeasureViews(connection: DuckDBConnection, options: {continuityMinSimilarity: number}): Promise<void> {
  const columns = (await connection.runAndReadAll(`SELECT column_name FROM information_schema.columns WHERE table_name = 'firms'`)).getRowsJson().map((row) => String(row[0]))
  if (!columns.includes('subjects')) return
  const subjects = await connection.runAndReadAll(
    `SELECT subjects FROM firms WHERE status = 'ok' AND subjects IS NOT NULL ORDER BY quarter, firm_id LIMIT 1`,
  )
  const first = subjects.getRowsJson()[0]?.[0]
  const keys = Array.isArray(first) ? first.map(String) : []
  await connection.run(`CREATE VIEW panel AS ${panelSql(keys)}`)
  await connection.run(`CREATE VIEW panel_themes AS ${panelThemesSql}`)
  await connection.run(`CREATE VIEW topic_continuity AS ${continuitySql(options.continuityMinSimilarity)}`)
}
