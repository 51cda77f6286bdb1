import {BatchClient} from '@aws-sdk/client-batch'
import {CloudWatchLogsClient} from '@aws-sdk/client-cloudwatch-logs'

/** Where the Batch and CloudWatch Logs APIs are: a region, and an endpoint override for a local fake. */
export interface BatchEndpoint {
  region: string
  endpoint?: string
}

/** The two clients the Batch executor uses, pointed at one endpoint. */
export interface BatchClients {
  batch: BatchClient
  logs: CloudWatchLogsClient
}

/** Creates the Batch and CloudWatch Logs clients; credentials come from the SDK's default chain. */
export function createBatchClients(where: BatchEndpoint): BatchClients {
  const options = {region: where.region, ...(where.endpoint ? {endpoint: where.endpoint} : {})}
  return {batch: new BatchClient(options), logs: new CloudWatchLogsClient(options)}
}
