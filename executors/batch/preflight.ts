import {type BatchClient, DescribeJobDefinitionsCommand, DescribeJobQueuesCommand} from '@aws-sdk/client-batch'
import type {BatchSettings} from './batch-settings.js'
import {effectiveEndpoint} from './clients.js'
import {UserError} from '../../src/base/errors.js'
import type {Storage} from '../../src/storage/storage.js'

/** Refuses a local root (unless a test endpoint stands in for Batch): containers on AWS cannot reach it. `--dry-run` checks it too. */
export function checkStorageReachable(settings: BatchSettings, storage: Storage, environment: NodeJS.ProcessEnv = process.env): void {
  if (storage.localPath('runs/') !== undefined && !effectiveEndpoint(settings, 'BATCH', environment)) {
    throw new UserError(`Batch containers cannot read or write the local directory ${storage.uri}.`, 'Use an S3 root, e.g. --root s3://my-bucket/ftm.')
  }
}

/**
 * Checks that a run can go to Batch: output storage the containers can reach, the job definition registered and
 * the job queue enabled and valid.
 */
export async function checkReadyToSubmit(client: BatchClient, settings: BatchSettings, storage: Storage): Promise<void> {
  checkStorageReachable(settings, storage)
  const definitions = await client.send(new DescribeJobDefinitionsCommand({jobDefinitionName: settings.jobDefinition, status: 'ACTIVE'}))
  if (!definitions.jobDefinitions?.length) {
    throw new UserError(
      `The job definition ${settings.jobDefinition} is not registered in ${settings.region}.`,
      'Register it with `ftm batch setup --image <ECR image URI>` (see `ftm batch setup --help`).',
    )
  }
  const queue = (await client.send(new DescribeJobQueuesCommand({jobQueues: [settings.jobQueue]}))).jobQueues?.[0]
  if (!queue) {
    throw new UserError(`The job queue ${settings.jobQueue} does not exist in ${settings.region}.`, 'Create it with `ftm batch setup --create`, or set batch.jobQueue to an existing queue.')
  }
  if (queue.state !== 'ENABLED' || queue.status !== 'VALID') {
    throw new UserError(
      `The job queue ${settings.jobQueue} is ${queue.state}/${queue.status}${queue.statusReason ? ` (${queue.statusReason})` : ''}.`,
      'Enable it in the Batch console, or run `ftm batch setup` to see what is wrong with it.',
    )
  }
}
