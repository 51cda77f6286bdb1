import {chunkKey, commitTable, parseChunkKey, runsPrefix, type TableName, tables} from '../core/layout.js'
import {UserError} from '../base/errors.js'
import type {Storage} from '../storage/storage.js'

/** The committed chunk files of a run, per table: what readers may see. */
export type CommittedFiles = Record<TableName, string[]>

/** Lists the storage keys of a run's committed chunks: chunks whose firms file exists, never leftovers. */
export async function committedFiles(storage: Storage, runId: string): Promise<CommittedFiles> {
  const committed = (await storage.list(`${commitTable}/`)).map(parseChunkKey).filter((chunk) => chunk?.runId === runId)
  const files = Object.fromEntries(tables.map((table) => [table, [] as string[]])) as CommittedFiles
  for (const table of tables) {
    const present = new Set(await storage.list(`${table}/`))
    for (const chunk of committed) {
      const key = chunkKey(table, chunk!.quarter, runId, chunk!)
      if (present.has(key)) files[table].push(key)
    }
  }
  return files
}

/** The storage keys of one table's committed chunks across every run under the root. */
export async function rootCommittedFiles(storage: Storage, table: TableName): Promise<string[]> {
  const committed = (await storage.list(`${commitTable}/`)).map(parseChunkKey).filter((chunk) => chunk !== undefined)
  const present = new Set(await storage.list(`${table}/`))
  return committed.map((chunk) => chunkKey(table, chunk!.quarter, chunk!.runId, chunk!)).filter((key) => present.has(key))
}

/** The ids of the runs under a root, oldest first (run ids sort by start time). */
export async function runIds(storage: Storage): Promise<string[]> {
  return (await storage.list(runsPrefix))
    .map((key) => /^runs\/([^/]+)\/run\.json$/.exec(key)?.[1])
    .filter((id): id is string => Boolean(id))
    .sort()
}

/** The newest run under a root. */
export async function latestRunId(storage: Storage): Promise<string> {
  const latest = (await runIds(storage)).at(-1)
  if (!latest) {
    throw new UserError(`There are no runs under ${storage.uri}.`, 'Start one with `ftm run`, or point --root at the output of an earlier run.')
  }
  return latest
}
