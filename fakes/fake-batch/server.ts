import {fileURLToPath} from 'node:url'
import {createServer, type IncomingMessage, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'
import path from 'node:path'
import {JobTable} from './jobs.js'
import {LogStore} from './log-store.js'
import {Resources} from './resources.js'
import {Scheduler, type SchedulerOptions} from './scheduler.js'
import {clientError, FakeAwsError, readBody, sendError, sendJson} from './wire.js'

/** The repository root: the worker the fake runs by default is this checkout's `bin/run.js`. */
const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url))

/** One request the fake received, for assertions on what the client sent. */
export interface ReceivedCall {
  operation: string
  body: Record<string, unknown>
}

/** A running fake of AWS Batch and CloudWatch Logs on 127.0.0.1. */
export interface FakeBatch {
  endpoint: string
  region: string
  calls: ReceivedCall[]
  jobs: JobTable
  resources: Resources
  logs: LogStore
  scheduler: Scheduler
  /** Answers the next `count` calls of an operation with HTTP 429 TooManyRequestsException. */
  throttle(operation: string, count: number): void
  /**
   * Injects a fault into a Batch or CloudWatch Logs operation: after `after` calls answered normally, the next
   * `count` (default: all) get HTTP 429 (`throttle`) or 500 ServerException (`server`), and nothing is done for them;
   * with `tookEffect` the call is carried out first and only its answer is the error (a SubmitJob whose job exists).
   */
  fault(operation: string, fault: Fault): void
  close(): Promise<void>
}

/** A fault the fake answers an operation with (see `FakeBatch.fault`). */
export interface Fault {
  kind: 'throttle' | 'server'
  after?: number
  count?: number
  /** Carry the call out, then answer with the error (as a server that fails after committing). */
  tookEffect?: boolean
}

const batchOperations: Record<string, string> = {
  submitjob: 'SubmitJob',
  describejobs: 'DescribeJobs',
  listjobs: 'ListJobs',
  terminatejob: 'TerminateJob',
  canceljob: 'CancelJob',
  registerjobdefinition: 'RegisterJobDefinition',
  describejobdefinitions: 'DescribeJobDefinitions',
  describejobqueues: 'DescribeJobQueues',
  describecomputeenvironments: 'DescribeComputeEnvironments',
  createcomputeenvironment: 'CreateComputeEnvironment',
  createjobqueue: 'CreateJobQueue',
}

/**
 * Starts the fake: Batch's restJson1 operations on `POST /v1/<operation>` and CloudWatch Logs' awsJson1_1 on `POST /`
 * with `X-Amz-Target: Logs_20140328.<operation>`. Jobs run as `ftm worker` processes (the built CLI).
 */
export async function startFakeBatch(options: Partial<SchedulerOptions> & {region?: string} = {}): Promise<FakeBatch> {
  const region = options.region ?? 'us-east-1'
  const resources = new Resources(region)
  const jobs = new JobTable(resources)
  const logs = new LogStore()
  const baseEnvironment = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('FTM_') && !name.startsWith('AWS_BATCH')))
  const scheduler = new Scheduler(jobs, resources, logs, {
    command: options.command ?? {file: process.execPath, arguments: [path.join(repositoryRoot, 'bin', 'run.js'), 'worker']},
    images: options.images,
    baseEnvironment: options.baseEnvironment ?? baseEnvironment,
    gpus: options.gpus ?? 8,
    slots: options.slots ?? 64,
    secretValues: options.secretValues ?? {},
    stopTimeoutSeconds: options.stopTimeoutSeconds ?? 30,
    timeoutMsPerSecond: options.timeoutMsPerSecond,
  })
  const calls: ReceivedCall[] = []
  const faults = new Map<string, Required<Fault>>()
  const injected = (operation: string): {error: FakeAwsError; tookEffect: boolean} | undefined => {
    const fault = faults.get(operation)
    if (!fault || fault.count <= 0) return undefined
    if (fault.after > 0) {
      fault.after--
      return undefined
    }
    fault.count--
    const error = fault.kind === 'throttle' ? new FakeAwsError('TooManyRequestsException', 'Too Many Requests', 429) : new FakeAwsError('ServerException', 'Internal server error', 500)
    return {error, tookEffect: fault.tookEffect}
  }

  const batch = (operation: string, body: Record<string, unknown>, size: number): unknown => {
    switch (operation) {
      case 'SubmitJob':
        if (size > 30 * 1024) throw clientError(`Job size must be less than 30 KiB, got ${Math.ceil(size / 1024)} KiB`)
        return jobs.submit(body, Date.now())
      case 'DescribeJobs':
        return jobs.describe(body)
      case 'ListJobs':
        return jobs.list(body)
      case 'TerminateJob':
      case 'CancelJob':
        scheduler.end(String(body.jobId ?? ''), String(body.reason ?? ''), operation === 'TerminateJob')
        return {}
      case 'RegisterJobDefinition':
        return resources.register(body)
      case 'DescribeJobDefinitions':
        return resources.describeDefinitions(body)
      case 'DescribeJobQueues':
        return resources.describeQueues(body)
      case 'DescribeComputeEnvironments':
        return resources.describeEnvironments(body)
      case 'CreateComputeEnvironment':
        return resources.createEnvironment(body)
      default:
        return resources.createQueue(body)
    }
  }

  const answer = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const text = await readBody(request)
    const target = request.headers['x-amz-target']
    const logsCall = typeof target === 'string' && target.startsWith('Logs_20140328.')
    const contentType = logsCall ? 'application/x-amz-json-1.1' : 'application/json'
    try {
      if (request.method !== 'POST') throw new FakeAwsError('UnknownOperationException', `${request.method} is not supported`, 404)
      const operation = logsCall ? target.slice('Logs_20140328.'.length) : batchOperations[(request.url ?? '').replace(/^\/v1\//, '').toLowerCase()]
      if (!operation) throw new FakeAwsError('UnknownOperationException', `No operation at ${request.url}`, 404)
      const body = JSON.parse(text || '{}') as Record<string, unknown>
      calls.push({operation, body})
      const fault = injected(operation)
      if (fault?.tookEffect) {
        if (logsCall) logs.handle(operation, body)
        else batch(operation, body, Buffer.byteLength(text))
      }
      if (fault) throw fault.error
      sendJson(response, logsCall ? logs.handle(operation, body) : batch(operation, body, Buffer.byteLength(text)), contentType)
    } catch (error) {
      sendError(response, error instanceof FakeAwsError ? error : new FakeAwsError('ServerException', String(error), 500), contentType)
    }
  }

  const server = createServer((request, response) => void answer(request, response))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as AddressInfo
  return {
    endpoint: `http://127.0.0.1:${port}`,
    region,
    calls,
    jobs,
    resources,
    logs,
    scheduler,
    throttle: (operation, count) => void faults.set(operation, {kind: 'throttle', after: 0, count, tookEffect: false}),
    fault: (operation, fault) => void faults.set(operation, {after: 0, count: Number.POSITIVE_INFINITY, tookEffect: false, ...fault}),
    close: async () => {
      scheduler.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
