import {existsSync, statSync} from 'node:fs'
import {readFile, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type {ObjectInfo, S3Storage} from './s3-storage.js'

/** Beside each cached file: the ETag and size of the object it was copied from. */
const metadataSuffix = '.ftm-etag'

/** The folder that caches an S3 root: FTM_CACHE_DIR, else $XDG_CACHE_HOME/ftm or ~/.cache/ftm, then s3/bucket/prefix. */
export function cacheFolder(storage: S3Storage, environment: NodeJS.ProcessEnv = process.env): string {
  const base = environment.FTM_CACHE_DIR || path.join(environment.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'ftm')
  return path.join(base, 's3', storage.bucket, ...storage.prefix.split('/').filter(Boolean))
}

/**
 * A local copy of an object (a committed Parquet chunk) for readers that need files, such as DuckDB without httpfs.
 * A copy whose recorded ETag and size match the object's is reused; otherwise the object is downloaded again.
 * Returns the file and whether it was downloaded.
 */
export async function cachedFile(storage: S3Storage, key: string, folder = cacheFolder(storage)): Promise<{file: string; downloaded: boolean}> {
  const file = path.join(folder, ...key.split('/'))
  const current = await storage.describe(key)
  if (!current) throw new Error(`The object ${storage.uri}/${key} disappeared while ftm was reading it`)
  if (await isCurrent(file, current)) return {file, downloaded: false}
  const fetched = await storage.download(key, file)
  if (!fetched) throw new Error(`The object ${storage.uri}/${key} disappeared while ftm was reading it`)
  await writeFile(`${file}${metadataSuffix}`, JSON.stringify({etag: fetched.etag, size: fetched.size}))
  return {file, downloaded: true}
}

async function isCurrent(file: string, object: ObjectInfo): Promise<boolean> {
  if (!existsSync(file) || statSync(file).size !== object.size) return false
  try {
    const cached = JSON.parse(await readFile(`${file}${metadataSuffix}`, 'utf8')) as {etag: string; size: number}
    return cached.etag === object.etag && cached.size === object.size
  } catch {
    return false
  }
}
