/** The stages timed in each firm row, in pipeline order, with their column. */
export const stages = ['fetch', 'preprocess', 'embed', 'reduce', 'cluster', 'keywords', 'label'] as const

/** Views built on `firms`, `topics` and `sentences`: name, what it holds, and its SQL. */
export const derivedViews: {name: string; description: string; sql: string}[] = [
  {
    name: 'topic_keywords',
    description: 'one row per keyword of a topic, with its rank (1 = best) and c-TF-IDF score',
    sql: `SELECT run_id, quarter, firm_id, firm_name, topic_id, label, size,
                 unnest(keywords) AS keyword, unnest(generate_series(1, len(keywords))) AS rank, unnest(keyword_scores) AS score
          FROM topics`,
  },
  {
    name: 'topic_sentences',
    description: "a topic's representative sentences in order (rank 1 = most representative), with their text",
    sql: `WITH representative AS (
            SELECT run_id, quarter, firm_id, topic_id, label,
                   unnest(representative_sentences) AS sentence_index, unnest(generate_series(1, len(representative_sentences))) AS rank
            FROM topics)
          SELECT r.run_id, r.quarter, r.firm_id, r.topic_id, r.label, r.rank, r.sentence_index, s.speaker_type, s.text
          FROM representative r JOIN sentences s USING (quarter, firm_id, sentence_index)`,
  },
  {
    name: 'failures',
    description: 'firms that failed, with the kind of failure and its message',
    sql: `SELECT run_id, quarter, partition, firm_id, firm_name, error_kind, error_message, attempt, finished_at
          FROM firms WHERE status = 'failed'`,
  },
  {
    name: 'stage_timings',
    description: 'one row per firm and pipeline stage with its milliseconds (stage_order follows the pipeline)',
    sql: `SELECT run_id, quarter, partition, firm_id, firm_name, stage, stage_order, ms FROM (
            ${stages.map((stage, index) => `SELECT run_id, quarter, partition, firm_id, firm_name, '${stage}' AS stage, ${index + 1} AS stage_order, ${stage}_ms AS ms FROM firms`).join('\n            UNION ALL ')}
          ) WHERE ms IS NOT NULL`,
  },
]
