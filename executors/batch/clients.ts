import {BatchClient, type SubmitJobCommandInput} from '@aws-sdk/client-batch'
import {CloudWatchLogsClient} from '@aws-sdk/client-cloudwatch-logs'
import {applyCallPolicy} from './aws-calls.js'
import {findSubmittedJob} from './jobs-by-name.js'

/** Where the Batch and CloudWatch Logs APIs are: a region, and an endpoint override for a local fake. */
export interface BatchEndpoint {
  region: string
  endpoint?: string
  /** Tries per Batch and CloudWatch Logs call (throttling, 5xx and network errors retried); default 8. */
  apiAttempts?: number
}

/** The two clients the Batch executor uses, pointed at one endpoint. */
export interface BatchClients {
  batch: BatchClient
  logs: CloudWatchLogsClient
}

/** Tries per call when the settings say nothing. */
export const defaultApiAttempts = 8

/** The endpoint the SDK will call for a service: the setting, else AWS_ENDPOINT_URL_<SERVICE>, else AWS_ENDPOINT_URL. */
export function effectiveEndpoint(where: BatchEndpoint, service: 'BATCH' | 'CLOUDWATCH_LOGS', environment: NodeJS.ProcessEnv = process.env): string | undefined {
  return where.endpoint || environment[`AWS_ENDPOINT_URL_${service}`] || environment.AWS_ENDPOINT_URL || undefined
}

/**
 * Creates the Batch and CloudWatch Logs clients; credentials come from the SDK's default chain. Every call goes
 * through ftm's retry policy and comes back, when it fails for good, as a message naming the service and operation.
 */
export function createBatchClients(where: BatchEndpoint): BatchClients {
  const options = {region: where.region, maxAttempts: 1, ...(where.endpoint ? {endpoint: where.endpoint} : {})}
  const attempts = where.apiAttempts ?? defaultApiAttempts
  const batch = new BatchClient(options)
  const logs = new CloudWatchLogsClient(options)
  // A SubmitJob whose answer was lost (5xx, timeout) may have created its job: look it up by name before sending again.
  const beforeRetry = async (operation: string, input: unknown): Promise<unknown> => (operation === 'SubmitJob' ? findSubmittedJob(batch, input as SubmitJobCommandInput) : undefined)
  applyCallPolicy(batch, {service: 'AWS Batch', region: where.region, endpoint: effectiveEndpoint(where, 'BATCH'), attempts, baseDelayMs: 250, beforeRetry})
  applyCallPolicy(logs, {service: 'CloudWatch Logs', region: where.region, endpoint: effectiveEndpoint(where, 'CLOUDWATCH_LOGS'), attempts, baseDelayMs: 250, passThrough: ['ResourceNotFoundException']})
  return {batch, logs}
}
