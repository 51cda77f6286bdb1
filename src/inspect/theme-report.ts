import type {Report} from './reports.js'

/**
 * The `themes` report: each quarter's cross-firm themes, largest first, with their firms, and the theme of the
 * quarter before that it carries on (the one sharing the most keywords, by Jaccard overlap). With --firm: only
 * the themes that firm's topics belong to.
 */
export const themeReport: Report = {
  name: 'themes',
  description: "each quarter's cross-firm themes (`ftm themes`): keywords, firms, and the previous quarter's theme each carries on (--firm: that firm's themes)",
  sql: `
    WITH quarters AS (SELECT quarter, lag(quarter) OVER (ORDER BY quarter) AS previous FROM (SELECT DISTINCT quarter FROM themes)),
    pairs AS (
      SELECT t.quarter, t.theme_id, p.theme_id AS previous_theme, p.label AS previous_label,
             len(list_intersect(t.keywords, p.keywords)) / len(list_distinct(list_concat(t.keywords, p.keywords))) AS overlap
      FROM themes t JOIN quarters q USING (quarter) JOIN themes p ON p.quarter = q.previous),
    best AS (SELECT quarter, theme_id, arg_max(previous_theme, overlap) AS previous_theme, arg_max(previous_label, overlap) AS previous_label,
                    max(overlap) AS overlap FROM pairs GROUP BY quarter, theme_id),
    firm_themes AS (SELECT DISTINCT quarter, theme_id FROM theme_members WHERE firm_id = $2)
    SELECT t.quarter, t.theme_id, t.label, t.label_source, t.n_firms, t.n_topics, list_slice(t.keywords, 1, 8) AS keywords, t.top_firms,
           CASE WHEN b.overlap > 0 THEN b.previous_theme END AS carries_theme, CASE WHEN b.overlap > 0 THEN b.previous_label END AS carries_label,
           round(b.overlap, 2) AS keyword_overlap
    FROM themes t LEFT JOIN best b USING (quarter, theme_id)
    WHERE ($1 IS NULL OR t.quarter = $1) AND ($2 IS NULL OR (t.quarter, t.theme_id) IN (SELECT (quarter, theme_id) FROM firm_themes))
    ORDER BY t.quarter, t.n_topics DESC, t.theme_id LIMIT $3`,
  parameters: (options) => [options.quarter ?? null, options.firm ?? null, options.limit],
}
