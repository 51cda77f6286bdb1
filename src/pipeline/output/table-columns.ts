import type {TableName} from '../../core/layout.js'
import {firmMeasureColumns, sentenceMeasureColumns, topicMeasureColumns} from './measure-columns.js'

/** Column types of the output tables, in DuckDB's words. */
export type ColumnType = 'VARCHAR' | 'INTEGER' | 'DOUBLE' | 'TIMESTAMPTZ' | 'VARCHAR[]' | 'INTEGER[]' | 'FLOAT[]' | 'DOUBLE[]'

export interface Column {
  name: string
  type: ColumnType
}

const column = (name: string, type: ColumnType): Column => ({name, type})

/** The columns of each output table, in order: the one definition the writer and the docs use. */
export const tableColumns: Record<TableName, readonly Column[]> = {
  firms: [
    column('run_id', 'VARCHAR'),
    column('quarter', 'VARCHAR'),
    column('partition', 'INTEGER'),
    column('firm_id', 'VARCHAR'),
    column('firm_name', 'VARCHAR'),
    column('status', 'VARCHAR'),
    column('error_kind', 'VARCHAR'),
    column('error_message', 'VARCHAR'),
    column('transcript_id', 'VARCHAR'),
    column('call_date', 'TIMESTAMPTZ'),
    column('n_components', 'INTEGER'),
    column('n_sentences', 'INTEGER'),
    column('n_topics', 'INTEGER'),
    column('n_outliers', 'INTEGER'),
    column('fetch_ms', 'INTEGER'),
    column('preprocess_ms', 'INTEGER'),
    column('embed_ms', 'INTEGER'),
    column('reduce_ms', 'INTEGER'),
    column('cluster_ms', 'INTEGER'),
    column('keywords_ms', 'INTEGER'),
    column('label_ms', 'INTEGER'),
    column('total_ms', 'INTEGER'),
    column('attempt', 'INTEGER'),
    column('finished_at', 'TIMESTAMPTZ'),
    column('outlier_share', 'DOUBLE'),
    column('cluster_outlier_share', 'DOUBLE'),
    ...firmMeasureColumns,
  ],
  topics: [
    column('run_id', 'VARCHAR'),
    column('quarter', 'VARCHAR'),
    column('firm_id', 'VARCHAR'),
    column('firm_name', 'VARCHAR'),
    column('topic_id', 'INTEGER'),
    column('label', 'VARCHAR'),
    column('label_source', 'VARCHAR'),
    column('keywords', 'VARCHAR[]'),
    column('keyword_scores', 'DOUBLE[]'),
    column('size', 'INTEGER'),
    column('representative_sentences', 'INTEGER[]'),
    column('embedding', 'FLOAT[]'),
    ...topicMeasureColumns,
  ],
  sentences: [
    column('run_id', 'VARCHAR'),
    column('quarter', 'VARCHAR'),
    column('firm_id', 'VARCHAR'),
    column('transcript_id', 'VARCHAR'),
    column('component_order', 'INTEGER'),
    column('sentence_index', 'INTEGER'),
    column('speaker_type', 'VARCHAR'),
    column('text', 'VARCHAR'),
    column('topic_id', 'INTEGER'),
    column('probability', 'DOUBLE'),
    column('cluster_topic_id', 'INTEGER'),
    column('outlier_similarity', 'DOUBLE'),
    ...sentenceMeasureColumns,
  ],
}

/** A row of an output table: column name to value (null for missing). */
export type TableRow = Record<string, unknown>

/** Rows of every table for a set of firms. */
export interface TableRows {
  firms: TableRow[]
  topics: TableRow[]
  sentences: TableRow[]
}

/** Empty rows for every table. */
export function emptyRows(): TableRows {
  return {firms: [], topics: [], sentences: []}
}
