import {createHash} from 'node:crypto'
import {open, stat} from 'node:fs/promises'
import {UserError} from '../../base/errors.js'

/** What a resume checks to know the source is the one the run was planned from (a local file source). */
export interface SourceFingerprint {
  size: number
  modifiedAt: string
  /** SHA-256 of the file's first and last 64 KiB (the header and a sample of the rows). */
  sampleSha256: string
}

const sampleBytes = 64 * 1024

/** The fingerprint of a local source file; undefined for other sources (S3 objects and databases are not fingerprinted yet). */
export async function fingerprintSource(source: string): Promise<SourceFingerprint | undefined> {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(source)) return undefined
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

/** Stops a resume whose source file changed since the run was planned, naming what changed and what to do. */
export async function checkSourceUnchanged(runId: string, source: string, recorded: SourceFingerprint | undefined): Promise<void> {
  if (!recorded) return
  const current = await fingerprintSource(source)
  const changes: string[] = []
  if (!current) changes.push('it is gone')
  else {
    // A file only touched (same size, same sampled bytes) is the same source; its modification time is kept for the message.
    if (current.size !== recorded.size) changes.push(`its size went from ${recorded.size} to ${current.size} bytes`)
    if (current.sampleSha256 !== recorded.sampleSha256) changes.push(`its content differs (modified ${current.modifiedAt})`)
  }
  if (changes.length === 0) return
  throw new UserError(
    `The source ${source} changed since run ${runId} was planned: ${changes.join(', ')} (recorded ${recorded.size} bytes, modified ${recorded.modifiedAt}).`,
    `Restore the file the run was planned from and resume again, or start a new run on the changed file with \`ftm run --source ${source}\`.`,
  )
}
