import {isUserError} from '../../base/errors.js'
import {partitionInputKey} from '../layout.js'
import type {Manifest} from '../manifest.js'
import type {RunRecord} from '../run-record.js'
import {PartitionInputWriter} from '../../sources/partition-input.js'
import type {TranscriptSource} from '../../sources/transcript-source.js'
import {isDatabaseSource} from '../../sources/wrds/source-uri.js'
import type {Storage} from '../../storage/storage.js'
import {checkSourceUnchanged} from './source-fingerprint.js'

/**
 * Whether a run planned from this source gets partition inputs: every file source (local or S3) does; a database
 * (WRDS, PostgreSQL) does not, its workers query it per firm.
 */
export function writesPartitionInputs(source: string): boolean {
  return !isDatabaseSource(source)
}

/**
 * Writes each partition's transcripts (the call the source chose for each of its firms) as its own Parquet input,
 * from the source the plan was made with, one partition at a time. The run record, written after, is what makes
 * them trusted: a planner that dies here leaves no record, so nothing would resume on a half-written input.
 */
export async function writePartitionInputs(storage: Storage, source: TranscriptSource, manifests: readonly Manifest[]): Promise<void> {
  const writer = await PartitionInputWriter.open()
  try {
    for (const manifest of manifests) {
      const key = partitionInputKey(manifest.runId, manifest.quarter, manifest.partition)
      await writer.write(
        storage,
        key,
        manifest.firms.map((firm) => firm.id),
        (firmId) => source.fetchFirm(firmId, manifest.quarter),
      )
    }
  } finally {
    await writer.close()
  }
}

/** Where a worker finds its partition's input, when its run was planned with inputs (older runs read the source). */
export function partitionInputOf(record: RunRecord, quarter: string, partition: number): string | undefined {
  return record.partitionInputs ? partitionInputKey(record.id, quarter, partition) : undefined
}

/**
 * What a resume asks of the source the run was planned from. A run with partition inputs reads only those (they
 * are what was planned), so a source that changed or is gone is a warning; a run without them (older runs,
 * databases) still stops on a changed source file.
 */
export async function checkResumeSource(record: RunRecord, onWarning?: (message: string) => void, environment: NodeJS.ProcessEnv = process.env): Promise<void> {
  try {
    await checkSourceUnchanged(record.id, record.source, record.sourceFingerprint, environment)
  } catch (error) {
    if (!record.partitionInputs || !isUserError(error)) throw error
    onWarning?.(`${error.message} The resume goes on with the partition inputs written when the run was planned (runs/${record.id}/inputs/), as planned.`)
  }
}
