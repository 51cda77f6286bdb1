import type {Quarter} from '../base/quarter.js'

/** The output tables, one Hive-partitioned folder each. */
export const tables = ['firms', 'topics', 'sentences'] as const
export type TableName = (typeof tables)[number]

/** The table whose chunk file commits a chunk: it is written last. */
export const commitTable: TableName = 'firms'

/** A chunk of one partition's output: `part-00003-00012` is partition 3, chunk 12. */
export interface ChunkId {
  partition: number
  chunk: number
}

const pad = (value: number): string => String(value).padStart(5, '0')

/** `part-00003` */
export function partitionName(partition: number): string {
  return `part-${pad(partition)}`
}

/** Where the cross-firm themes reduce leaves its summary for a quarter of a run. */
export function themesSummaryKey(runId: string, quarter: string): string {
  return `runs/${runId}/themes/${quarter}.json`
}

/** Where `ftm themes` keeps the handles of the Batch jobs it submitted for a run (apart from the map's jobs). */
export function themesJobsKey(runId: string): string {
  return `runs/${runId}/themes/jobs.json`
}

/** Where the Batch executor notes each job it submitted for a run (and its log streams), one file per job. */
export function batchJobsPrefix(runId: string): string {
  return `runs/${runId}/batch-jobs/`
}

/** The run record of a run. */
export function runRecordKey(runId: string): string {
  return `runs/${runId}/run.json`
}

/** The folder holding every run record. */
export const runsPrefix = 'runs/'

/** The manifest (firm list) of one partition. */
export function manifestKey(runId: string, quarter: Quarter, partition: number): string {
  return `runs/${runId}/manifests/${quarter}/${partitionName(partition)}.json`
}

/** The transcripts of one partition, written when the run is planned: its workers read this, never the source. */
export function partitionInputKey(runId: string, quarter: Quarter, partition: number): string {
  return `runs/${runId}/inputs/${quarter}/${partitionName(partition)}.parquet`
}

/** The progress file a worker keeps up to date. */
export function progressKey(runId: string, quarter: Quarter, partition: number): string {
  return `runs/${runId}/progress/${quarter}/${partitionName(partition)}.json`
}

/** The folder of a run's progress files. */
export function progressPrefix(runId: string): string {
  return `runs/${runId}/progress/`
}

/** The numbered lease claims of one partition's workers: `runs/<id>/leases/<quarter>/part-00000/claim-000003.json`. */
export function partitionLeasePrefix(runId: string, quarter: Quarter, partition: number): string {
  return `runs/${runId}/leases/${quarter}/${partitionName(partition)}/claim-`
}

/** The log of one partition, where the executor keeps no logs of its own. */
export function logKey(runId: string, quarter: Quarter, partition: number): string {
  return `runs/${runId}/logs/${quarter}/${partitionName(partition)}.log`
}

/** The folder of a table's files for a quarter of a run (Hive partitions quarter= and run=), for any output table. */
export function tableFolder(table: string, quarter: Quarter, runId: string): string {
  return `${table}/quarter=${quarter}/run=${runId}/`
}

/** The folder of one table's chunks for a quarter of a run. */
export function chunkFolder(table: TableName, quarter: Quarter, runId: string): string {
  return tableFolder(table, quarter, runId)
}

/** The file of one chunk of one table. */
export function chunkKey(table: TableName, quarter: Quarter, runId: string, chunk: ChunkId): string {
  return `${chunkFolder(table, quarter, runId)}${partitionName(chunk.partition)}-${pad(chunk.chunk)}.parquet`
}

const chunkPattern = /^([a-z]+)\/quarter=(\d{4}Q[1-4])\/run=([^/]+)\/part-(\d{5})-(\d{5})\.parquet$/

export interface ParsedChunkKey extends ChunkId {
  table: TableName
  quarter: Quarter
  runId: string
}

/** Parses a chunk file key; undefined for anything else (temporary files, foreign files). */
export function parseChunkKey(key: string): ParsedChunkKey | undefined {
  const match = chunkPattern.exec(key)
  if (!match || !(tables as readonly string[]).includes(match[1]!)) return undefined
  return {
    table: match[1] as TableName,
    quarter: match[2]!,
    runId: match[3]!,
    partition: Number(match[4]),
    chunk: Number(match[5]),
  }
}
