import {partitionInputOf} from '../core/run/partition-inputs.js'
import type {RunRecord} from '../core/run-record.js'
import type {WorkerContract} from '../core/worker-contract.js'
import {openSource} from '../sources/open-source.js'
import {PartitionInputSource} from '../sources/partition-input.js'
import type {TranscriptSource} from '../sources/transcript-source.js'
import type {Storage} from '../storage/storage.js'

/**
 * Where a partition's worker reads its transcripts: the partition's own input when the run was planned with one
 * (file sources), never the run's source; else (a database, or a run planned before inputs) the source itself,
 * limited to the quarter and the firms still to do.
 */
export async function openWorkerSource(options: {
  record: RunRecord
  storage: Storage
  contract: WorkerContract
  firmIds: readonly string[]
  log: (line: string) => void
}): Promise<TranscriptSource> {
  const {record, contract} = options
  const input = partitionInputOf(record, contract.quarter, contract.partition)
  if (input) {
    options.log(`ftm worker: reading the partition input ${input}`)
    return PartitionInputSource.open(options.storage, input, contract.quarter)
  }
  return openSource(record.source, {
    quarters: new Set([contract.quarter]),
    firmIds: new Set(options.firmIds),
    encoding: record.config.sourceEncoding,
    onWarning: (message) => options.log(`ftm worker: warning: ${message}`),
  })
}
