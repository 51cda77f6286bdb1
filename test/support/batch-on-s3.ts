import {expect} from 'vitest'
import {type FakeBatch, startFakeBatch} from '../../fakes/fake-batch/server.js'
import {runCli} from './cli.js'
import {type S3Server, startS3Server} from './s3-server.js'
import {temporaryFolder} from './sample-subset.js'

/** The ADR's setup for a test: s3rver with bucket `ftm-batch`, the fake Batch whose instances reach it, and `ftm batch setup` done. */
export interface BatchOnS3 {
  s3: S3Server
  fake: FakeBatch
  /** The CLI's environment: S3's credentials and endpoint, a fresh cache folder. */
  environment: Record<string, string>
  /** The flags that point ftm at the fake Batch. */
  settings: () => string[]
  close: () => Promise<void>
}

/** Starts s3rver and the fake Batch (its instances get this process's environment without FTM_/AWS_, plus S3's) and runs `ftm batch setup`. */
export async function startBatchOnS3(): Promise<BatchOnS3> {
  const s3 = await startS3Server(['ftm-batch'])
  const instance = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('FTM_') && !name.startsWith('AWS_')))
  const fake = await startFakeBatch({baseEnvironment: {...instance, ...s3.environment}})
  const environment = {...s3.environment, FTM_CACHE_DIR: temporaryFolder('ftm-cache-')}
  const settings = (): string[] => ['--set', `batch.endpoint=${fake.endpoint}`, '--set', 'worker.spotWatch=off']
  const setup = await runCli(['batch', 'setup', '--image', 'ftm-pipeline:test', '--create', '--subnets', 's', '--security-groups', 'g', '--instance-role', 'r', ...settings()], {environment})
  expect(setup.exitCode, setup.stdout + setup.stderr).toBe(0)
  const close = async (): Promise<void> => {
    await fake.close()
    await s3.stop()
  }
  return {s3, fake, environment, settings, close}
}
