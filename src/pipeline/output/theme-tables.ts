import {DuckDBInstance, INTEGER, LIST, listValue, VARCHAR} from '@duckdb/node-api'

/** The reduce step's output tables: one Parquet file per quarter of a run each. */
export const themeTables = ['themes', 'theme_members'] as const
export type ThemeTableName = (typeof themeTables)[number]

/** The columns of the reduce step's tables, in order. */
export const themeColumns: Record<ThemeTableName, readonly {name: string; type: 'VARCHAR' | 'INTEGER' | 'DOUBLE' | 'VARCHAR[]' | 'INTEGER[]'}[]> = {
  themes: [
    {name: 'run_id', type: 'VARCHAR'},
    {name: 'quarter', type: 'VARCHAR'},
    {name: 'theme_id', type: 'INTEGER'},
    {name: 'label', type: 'VARCHAR'},
    {name: 'label_source', type: 'VARCHAR'},
    {name: 'keywords', type: 'VARCHAR[]'},
    {name: 'n_firms', type: 'INTEGER'},
    {name: 'n_topics', type: 'INTEGER'},
    {name: 'top_firms', type: 'VARCHAR[]'},
    {name: 'top_firm_topics', type: 'INTEGER[]'},
  ],
  theme_members: [
    {name: 'run_id', type: 'VARCHAR'},
    {name: 'quarter', type: 'VARCHAR'},
    {name: 'theme_id', type: 'INTEGER'},
    {name: 'firm_id', type: 'VARCHAR'},
    {name: 'firm_name', type: 'VARCHAR'},
    {name: 'topic_id', type: 'INTEGER'},
    {name: 'topic_label', type: 'VARCHAR'},
    {name: 'similarity', type: 'DOUBLE'},
  ],
}

/** A committed firm topic, as the reduce step reads it. */
export interface TopicRecord {
  firmId: string
  firmName: string
  topicId: number
  label: string
  keywords: string[]
  keywordScores: number[]
  size: number
  embedding: Float32Array
}

const quoted = (file: string): string => `'${file.replaceAll("'", "''")}'`

/** Reads the topic rows of local Parquet files (committed `topics` chunks), ordered by firm and topic. */
export async function readTopicRecords(files: readonly string[]): Promise<TopicRecord[]> {
  if (files.length === 0) return []
  const instance = await DuckDBInstance.create(':memory:', {threads: '1'})
  const connection = await instance.connect()
  try {
    const reader = await connection.runAndReadAll(
      `SELECT firm_id, firm_name, topic_id, label, keywords, keyword_scores, size, embedding FROM read_parquet([${files.map(quoted).join(', ')}]) ORDER BY firm_id, topic_id`,
    )
    return reader.getRowObjectsJS().map((row) => ({
      firmId: String(row.firm_id),
      firmName: row.firm_name === null ? '' : String(row.firm_name),
      topicId: Number(row.topic_id),
      label: row.label === null ? '' : String(row.label),
      keywords: ((row.keywords as unknown[] | null) ?? []).map(String),
      keywordScores: ((row.keyword_scores as unknown[] | null) ?? []).map(Number),
      size: Number(row.size ?? 0),
      embedding: Float32Array.from(((row.embedding as unknown[] | null) ?? []).map(Number)),
    }))
  } finally {
    connection.closeSync()
  }
}

/** Writes rows of a reduce table to a local Parquet file. */
export async function writeThemeFile(table: ThemeTableName, rows: readonly Record<string, unknown>[], file: string): Promise<void> {
  const columns = themeColumns[table]
  const instance = await DuckDBInstance.create(':memory:', {threads: '1'})
  const connection = await instance.connect()
  try {
    await connection.run(`CREATE TEMP TABLE staged (${columns.map((column) => `"${column.name}" ${column.type}`).join(', ')})`)
    const appender = await connection.createAppender('staged')
    for (const row of rows) {
      for (const column of columns) {
        const value = row[column.name]
        if (value === null || value === undefined) appender.appendNull()
        else if (column.type === 'VARCHAR') appender.appendVarchar(String(value))
        else if (column.type === 'INTEGER') appender.appendInteger(Math.round(Number(value)))
        else if (column.type === 'DOUBLE') appender.appendDouble(Number(value))
        else if (column.type === 'VARCHAR[]') appender.appendList(listValue((value as unknown[]).map(String)), LIST(VARCHAR))
        else appender.appendList(listValue((value as unknown[]).map(Number)), LIST(INTEGER))
      }
      appender.endRow()
    }
    appender.closeSync()
    await connection.run(`COPY staged TO ${quoted(file)} (FORMAT parquet, COMPRESSION zstd)`)
  } finally {
    connection.closeSync()
  }
}

