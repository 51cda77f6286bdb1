import {describe, expect, it} from 'vitest'
import {applyCallPolicy, type AwsCallPolicy, explainAwsError} from '../../../../executors/batch/aws-calls.js'
import {isUserError, type UserError} from '../../../../src/base/errors.js'

const policy: AwsCallPolicy = {service: 'AWS Batch', region: 'eu-west-1', endpoint: 'http://batch.example:4566', attempts: 3, baseDelayMs: 1}
const awsError = (name: string, status: number, message = 'it went wrong'): Error => Object.assign(new Error(message), {name, $metadata: {httpStatusCode: status}})

function explained(error: unknown, tries = 1, over: Partial<AwsCallPolicy> = {}): UserError {
  const result = explainAwsError(error, 'SubmitJob', tries, {...policy, ...over})
  expect(isUserError(result), String(result)).toBe(true)
  return result as UserError
}

/** The middleware applyCallPolicy installs, called the way the SDK calls it. */
function installed(over: Partial<AwsCallPolicy> = {}): (next: () => Promise<unknown>) => Promise<unknown> {
  let middleware: ((next: () => Promise<unknown>, context: {commandName: string}) => (args: unknown) => Promise<unknown>) | undefined
  applyCallPolicy({middlewareStack: {add: (added: never) => void (middleware = added)}}, {...policy, ...over})
  return (next) => middleware!(next, {commandName: 'SubmitJobCommand'})({})
}

describe('AWS call policy: retries with backoff, then a message naming the service, the operation and what to check', () => {
  it('retries throttling and server errors until one try succeeds', async () => {
    const failures = [awsError('TooManyRequestsException', 429), awsError('ServerException', 500)]
    let tries = 0
    const answer = await installed()(async () => {
      tries++
      const failure = failures.shift()
      if (failure) throw failure
      return {output: 'ok'}
    })
    expect(answer).toEqual({output: 'ok'})
    expect(tries).toBe(3)
  })

  it('asks beforeRetry before each retry and takes its answer instead of sending the call again', async () => {
    let sent = 0
    const asked: unknown[] = []
    const beforeRetry = async (operation: string): Promise<unknown> => {
      asked.push(operation)
      return asked.length === 2 ? {jobId: 'created-before-the-500'} : undefined
    }
    const answer = await installed({attempts: 5, beforeRetry})(async () => {
      sent++
      throw awsError('ServerException', 500)
    })
    // Sent once, retried once after "not found", then found: the job is not submitted a third time
    expect(sent).toBe(2)
    expect(asked).toEqual(['SubmitJob', 'SubmitJob'])
    expect(answer).toEqual({output: {jobId: 'created-before-the-500'}, response: undefined})
  })

  it('gives up after its tries with a user-facing message, and does not retry a refused request', async () => {
    let tries = 0
    const failing = installed()(async () => {
      tries++
      throw awsError('ServerException', 500)
    })
    await expect(failing).rejects.toMatchObject({name: 'UserError', message: expect.stringContaining('AWS Batch SubmitJob kept failing at http://batch.example:4566 (region eu-west-1) after 3 tries (ServerException: it went wrong)')})
    expect(tries).toBe(3)
    tries = 0
    await expect(installed()(async () => {
      tries++
      throw awsError('ClientException', 400, 'Job queue ftm-spot does not exist')
    })).rejects.toMatchObject({message: expect.stringContaining('refused the request')})
    expect(tries).toBe(1)
  })

  it('says what to check for each kind of failure', () => {
    const unresolvable = explained(Object.assign(new Error('getaddrinfo ENOTFOUND batch.example'), {code: 'ENOTFOUND', hostname: 'batch.example'}))
    expect(unresolvable.message).toBe('AWS Batch SubmitJob failed: cannot resolve the host batch.example of http://batch.example:4566 (region eu-west-1).')
    expect(unresolvable.hint).toContain('AWS_ENDPOINT_URL_BATCH')
    expect(explained(Object.assign(new Error('connect ECONNREFUSED'), {code: 'ECONNREFUSED'}), 3).message).toContain('cannot connect (ECONNREFUSED)')
    expect(explained(awsError('UnrecognizedClientException', 403, 'The security token included in the request is invalid')).hint).toContain('AWS_PROFILE')
    expect(explained(awsError('AccessDeniedException', 403)).hint).toContain('batch:SubmitJob')
    expect(explained(awsError('AccessDeniedException', 403), 1, {service: 'CloudWatch Logs'}).hint).toContain('logs:SubmitJob')
    const refused = explained(awsError('ClientException', 400, 'Job queue ftm-spot does not exist'))
    expect(refused.message).toContain('(ClientException: Job queue ftm-spot does not exist)')
    expect(refused.hint).toContain('batch.jobQueue')
    expect(explained(awsError('ServerException', 500), 8, {endpoint: undefined}).hint).toContain('batch.region (eu-west-1)')
  })

  it('passes on the errors a caller handles, and leaves a bug a bug', () => {
    const missing = awsError('ResourceNotFoundException', 400)
    expect(explainAwsError(missing, 'GetLogEvents', 1, {...policy, passThrough: ['ResourceNotFoundException']})).toBe(missing)
    const bug = new TypeError('cannot read properties of undefined')
    expect(explainAwsError(bug, 'SubmitJob', 1, policy)).toBe(bug)
  })
})
