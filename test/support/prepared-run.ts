import path from 'node:path'
import {execa, type ResultPromise} from 'execa'
import {loadConfig} from '../../src/core/config/load-config.js'
import {createRun} from '../../src/core/run/start-run.js'
import {runRecordLocation, type RunRecord} from '../../src/core/run-record.js'
import type {Storage} from '../../src/storage/storage.js'
import {repositoryRoot} from './cli.js'

/** Plans a run and writes its record and manifests, without starting workers, so a test can drive workers itself. */
export async function prepareRun(options: {source: string; root: string; partitions?: number; set?: string[]}): Promise<{storage: Storage; record: RunRecord}> {
  const {config} = loadConfig({
    cwd: options.root,
    environment: {},
    assignments: options.set,
    flags: {values: {source: options.source, root: options.root, ...(options.partitions ? {partitions: options.partitions} : {})}, names: {}},
  })
  return createRun({config, executorName: 'process'})
}

/** Starts `ftm worker` (the built CLI) for one partition of a prepared run, exactly as an executor does. */
export function startWorker(storage: Storage, record: RunRecord, quarter: string, partition = 0, environment: NodeJS.ProcessEnv = {}): ResultPromise<{reject: false; stdin: 'ignore'}> {
  return execa(process.execPath, [path.join(repositoryRoot, 'bin', 'run.js'), 'worker'], {
    env: {...process.env, ...environment, FTM_RUN: runRecordLocation(storage, record.id), FTM_QUARTER: quarter, FTM_PARTITION: String(partition)},
    reject: false,
    stdin: 'ignore',
  })
}
