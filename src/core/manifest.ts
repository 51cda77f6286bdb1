import {manifestKey} from './layout.js'
import type {FirmRef} from '../sources/firm-ref.js'
import type {Quarter} from '../base/quarter.js'
import {readJson, type Storage, writeJson} from '../storage/storage.js'

/** The firms of one partition, written before the run starts so a worker never gets firm lists in its environment. */
export interface Manifest {
  runId: string
  quarter: Quarter
  partition: number
  firms: FirmRef[]
}

/** Writes one partition's manifest. */
export async function writeManifest(storage: Storage, manifest: Manifest): Promise<void> {
  await writeJson(storage, manifestKey(manifest.runId, manifest.quarter, manifest.partition), manifest)
}

/** Reads one partition's manifest, or undefined when it does not exist. */
export async function readManifest(storage: Storage, runId: string, quarter: Quarter, partition: number): Promise<Manifest | undefined> {
  return readJson<Manifest>(storage, manifestKey(runId, quarter, partition))
}
