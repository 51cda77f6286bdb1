import {mkdtempSync, rmSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {DuckDBInstance} from '@duckdb/node-api'
import {commitTable, parseChunkKey} from '../core/layout.js'
import type {Storage} from '../storage/storage.js'

/** Mean per-firm times of one run's successful firms, in seconds, by stage. */
export interface RunFirmTimes {
  runId: string
  firms: number
  totalSeconds: number
  stages: {fetch: number; preprocess: number; embed: number; cluster: number; label: number}
}

/**
 * Reads the committed firms tables of the newest `maxRuns` runs under a root and returns, per run, how long its
 * successful firms took on average (stage columns of the firms table; reduce, cluster and keywords count as cluster).
 */
export async function measureFirmTimes(storage: Storage, options: {maxRuns?: number} = {}): Promise<RunFirmTimes[]> {
  const chunks = (await storage.list(`${commitTable}/`)).map((key) => ({key, chunk: parseChunkKey(key)})).filter((entry) => entry.chunk?.table === commitTable)
  const runIds = [...new Set(chunks.map((entry) => entry.chunk!.runId))].sort().slice(-(options.maxRuns ?? 10))
  const chosen = chunks.filter((entry) => runIds.includes(entry.chunk!.runId))
  if (chosen.length === 0) return []
  const cache = mkdtempSync(path.join(os.tmpdir(), 'ftm-measure-'))
  const instance = await DuckDBInstance.create(':memory:')
  const connection = await instance.connect()
  try {
    const files: string[] = []
    for (const [index, entry] of chosen.entries()) {
      const local = storage.localPath(entry.key)
      if (local) files.push(local)
      else if (await storage.getFile(entry.key, path.join(cache, `${index}.parquet`))) files.push(path.join(cache, `${index}.parquet`))
    }
    const list = files.map((file) => `'${file.replaceAll("'", "''")}'`).join(', ')
    const reader = await connection.runAndReadAll(`
      SELECT run_id, count(*), avg(total_ms), avg(coalesce(fetch_ms, 0)), avg(coalesce(preprocess_ms, 0)), avg(coalesce(embed_ms, 0)),
             avg(coalesce(reduce_ms, 0) + coalesce(cluster_ms, 0) + coalesce(keywords_ms, 0)), avg(coalesce(label_ms, 0))
      FROM read_parquet([${list}], union_by_name = true)
      WHERE status = 'ok' AND total_ms IS NOT NULL
      GROUP BY run_id ORDER BY run_id`)
    return reader.getRowsJson().map((row) => {
      const [runId, firms, total, fetch, preprocess, embed, cluster, label] = row
      const seconds = (value: unknown): number => Number(value) / 1000
      return {
        runId: String(runId),
        firms: Number(firms),
        totalSeconds: seconds(total),
        stages: {fetch: seconds(fetch), preprocess: seconds(preprocess), embed: seconds(embed), cluster: seconds(cluster), label: seconds(label)},
      }
    })
  } finally {
    connection.closeSync()
    instance.closeSync()
    rmSync(cache, {recursive: true, force: true})
  }
}
