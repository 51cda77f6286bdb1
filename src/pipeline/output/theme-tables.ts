import {copyFile, rename} from 'node:fs/promises'
import path from 'node:path'
import {DuckDBInstance} from '@duckdb/node-api'
import {ParquetWriter} from './parquet-writer.js'
import type {Column} from './table-columns.js'

/** The reduce step's output tables: one Parquet file per quarter of a run each. */
export const themeTables = ['themes', 'theme_members'] as const
export type ThemeTableName = (typeof themeTables)[number]

/** The columns of the reduce step's tables, in order. */
export const themeColumns: Record<ThemeTableName, readonly Column[]> = {
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
    instance.closeSync()
  }
}

/** Writes rows of a reduce table to a local Parquet file, through the pipeline's one Parquet writer. */
export async function writeThemeFile(table: ThemeTableName, rows: readonly Record<string, unknown>[], file: string): Promise<void> {
  const writer = await ParquetWriter.open()
  try {
    const staged = await writer.writeRows(themeColumns[table], rows, path.basename(file))
    await rename(staged, file).catch(async () => {
      await copyFile(staged, file)
    })
  } finally {
    await writer.close()
  }
}
