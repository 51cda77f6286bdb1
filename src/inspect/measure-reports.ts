import type {Report} from './reports.js'

/** The canned reports over the measure views. */
export const measureReports: Report[] = [
  {
    name: 'panel',
    description: 'one row per firm and quarter with the call totals and each subject\'s share, tone and risk (--output panel.parquet|.csv, or --database)',
    sql: `SELECT * FROM panel WHERE ($1 IS NULL OR quarter = $1) AND ($2 IS NULL OR firm_id = $2) ORDER BY firm_id, quarter`,
    parameters: (options) => [options.quarter ?? null, options.firm ?? null],
  },
  {
    name: 'panel-themes',
    description: 'one row per firm, quarter and cross-firm theme (after `ftm themes`) with its share, tone and risk',
    sql: `SELECT * FROM panel_themes WHERE ($1 IS NULL OR quarter = $1) AND ($2 IS NULL OR firm_id = $2) ORDER BY firm_id, quarter, theme_id`,
    parameters: (options) => [options.quarter ?? null, options.firm ?? null],
  },
  {
    name: 'continuity',
    description: "a firm's topics across quarters: each linked to the previous quarter's most similar topic (carried, new, first, dropped)",
    sql: `SELECT quarter, firm_id, status, topic_id, label, subject, previous_quarter, previous_topic_id, previous_label, similarity
          FROM topic_continuity WHERE ($1 IS NULL OR firm_id = $1) AND ($2 IS NULL OR quarter = $2)
          ORDER BY firm_id, quarter, topic_id NULLS LAST, previous_topic_id`,
    parameters: (options) => [options.firm ?? null, options.quarter ?? null],
  },
  {
    name: 'subjects',
    description: "each taxonomy subject's share of the calls per quarter (mean over firms; --firm for one firm), with its tone",
    sql: `
      WITH shares AS (
        SELECT quarter, firm_id, unnest(subjects) AS subject, unnest(subject_shares) AS share
        FROM firms WHERE status = 'ok' AND ($1 IS NULL OR firm_id = $1)),
      tone AS (
        SELECT quarter, subject, sum(positive_words) AS positive, sum(negative_words) AS negative
        FROM sentences WHERE subject IS NOT NULL AND ($1 IS NULL OR firm_id = $1) GROUP BY ALL)
      SELECT s.quarter, s.subject, count(*)::INTEGER AS firms, round(avg(s.share), 4) AS mean_share,
             round(count(*) FILTER (s.share > 0) / count(*), 4) AS firms_share,
             round((any_value(t.positive) - any_value(t.negative)) / nullif(any_value(t.positive) + any_value(t.negative), 0), 4) AS net_tone
      FROM shares s LEFT JOIN tone t USING (quarter, subject)
      GROUP BY s.quarter, s.subject ORDER BY s.quarter, mean_share DESC, s.subject`,
    parameters: (options) => [options.firm ?? null],
  },
]
