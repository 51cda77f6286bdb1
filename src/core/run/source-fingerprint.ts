import {createHash} from 'node:crypto'
import {open, stat} from 'node:fs/promises'
import {UserError} from '../../base/errors.js'
import type {Quarter} from '../../base/quarter.js'
import {describeSourceObject} from '../../sources/remote-file-source.js'
import {isDatabaseSource, parseDatabaseSource} from '../../sources/wrds/source-uri.js'
import {WrdsSource} from '../../sources/wrds/wrds-source.js'

/** What a resume checks to know the source is the one the run was planned from. */
export type SourceFingerprint = FileFingerprint | ObjectFingerprint | DatabaseFingerprint

/** A local source file (records written before the kinds existed have no `kind`). */
export interface FileFingerprint {
  kind?: 'file'
  size: number
  modifiedAt: string
  /** SHA-256 of the file's first and last 64 KiB (the header and a sample of the rows). */
  sampleSha256: string
}

/** A source file on S3: what HeadObject says of it. */
export interface ObjectFingerprint {
  kind: 's3'
  etag: string
  size: number
  lastModified?: string
}

/** A WRDS database: per quarter of the run, its earnings-call transcripts (every version) and the highest id. */
export interface DatabaseFingerprint {
  kind: 'database'
  quarters: Record<Quarter, {transcripts: number; latestTranscriptId: string}>
}

const sampleBytes = 64 * 1024

/** The fingerprint of a source in the run's quarters; undefined where there is nothing to fingerprint (a missing file). */
export async function fingerprintSource(source: string, quarters: readonly Quarter[] = [], environment: NodeJS.ProcessEnv = process.env): Promise<SourceFingerprint | undefined> {
  if (isDatabaseSource(source)) {
    const database = new WrdsSource(parseDatabaseSource(source), {}, environment)
    try {
      return {kind: 'database', quarters: await database.fingerprint(quarters)}
    } finally {
      await database.close()
    }
  }
  if (/^s3:\/\//i.test(source)) {
    const object = await describeSourceObject(source, environment)
    return object && {kind: 's3', etag: object.etag, size: object.size, lastModified: object.lastModified}
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(source)) return undefined
  return fingerprintFile(source)
}

async function fingerprintFile(source: string): Promise<FileFingerprint | undefined> {
  const info = await stat(source).catch(() => undefined)
  if (!info?.isFile()) return undefined
  const file = await open(source, 'r')
  try {
    const hash = createHash('sha256')
    const head = Buffer.alloc(Math.min(sampleBytes, info.size))
    await file.read(head, 0, head.length, 0)
    hash.update(head)
    if (info.size > sampleBytes) {
      const tail = Buffer.alloc(Math.min(sampleBytes, info.size - sampleBytes))
      await file.read(tail, 0, tail.length, info.size - tail.length)
      hash.update(tail)
    }
    return {size: info.size, modifiedAt: info.mtime.toISOString(), sampleSha256: hash.digest('hex')}
  } finally {
    await file.close()
  }
}

/** Stops a resume whose source changed since the run was planned, naming what changed and what to do. */
export async function checkSourceUnchanged(runId: string, source: string, recorded: SourceFingerprint | undefined, environment: NodeJS.ProcessEnv = process.env): Promise<void> {
  if (!recorded) return
  const quarters = recorded.kind === 'database' ? Object.keys(recorded.quarters) : []
  const current = await fingerprintSource(source, quarters, environment)
  const changes = describeChanges(recorded, current)
  if (changes.length === 0) return
  throw new UserError(`The source ${source} changed since run ${runId} was planned: ${changes.join(', ')}.`, restoreHint(recorded, source))
}

/** What differs between the recorded fingerprint and the current one; empty when the source is the same. */
function describeChanges(recorded: SourceFingerprint, current: SourceFingerprint | undefined): string[] {
  if (!current) return ['it is gone']
  if (recorded.kind === 'database') {
    const now = current.kind === 'database' ? current.quarters : {}
    return Object.entries(recorded.quarters)
      .filter(([quarter, then]) => now[quarter]?.transcripts !== then.transcripts || now[quarter]?.latestTranscriptId !== then.latestTranscriptId)
      .map(([quarter, then]) => `${quarter} had ${then.transcripts} earnings-call transcripts up to id ${then.latestTranscriptId}, now ${now[quarter]?.transcripts ?? 0} up to id ${now[quarter]?.latestTranscriptId ?? '0'}`)
  }
  if (recorded.kind === 's3') {
    if (current.kind !== 's3') return ['it is not the same kind of source']
    if (current.etag === recorded.etag && current.size === recorded.size) return []
    return [`its ETag went from ${recorded.etag} to ${current.etag} (${recorded.size} → ${current.size} bytes, last written ${current.lastModified ?? 'at an unknown time'}; recorded ${recorded.lastModified ?? 'unknown'})`]
  }
  if (current.kind !== undefined && current.kind !== 'file') return ['it is not the same kind of source']
  const changes: string[] = []
  // A file only touched (same size, same sampled bytes) is the same source; its modification time is kept for the message.
  if (current.size !== recorded.size) changes.push(`its size went from ${recorded.size} to ${current.size} bytes`)
  if (current.sampleSha256 !== recorded.sampleSha256) changes.push(`its content differs (modified ${current.modifiedAt})`)
  if (changes.length > 0) changes.push(`recorded ${recorded.size} bytes, modified ${recorded.modifiedAt}`)
  return changes.length > 0 ? [`${changes.slice(0, -1).join(', ')} (${changes.at(-1)})`] : []
}

function restoreHint(recorded: SourceFingerprint, source: string): string {
  if (recorded.kind === 'database') {
    return `WRDS published or withdrew transcripts in the run's quarters since it was planned: its partitions no longer match the data. Start a new run with \`ftm run --source ${source}\` to model the current data.`
  }
  const what = recorded.kind === 's3' ? 'Upload the object the run was planned from again' : 'Restore the file the run was planned from'
  return `${what} and resume again, or start a new run on the changed ${recorded.kind === 's3' ? 'object' : 'file'} with \`ftm run --source ${source}\`.`
}
