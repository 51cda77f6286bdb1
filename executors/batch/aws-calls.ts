import {UserError} from '../../src/base/errors.js'
import {isTransientError, withRetry} from '../../src/core/retry.js'

/** How one client's calls are retried and explained. */
export interface AwsCallPolicy {
  /** `AWS Batch` or `CloudWatch Logs`, as messages name it. */
  service: string
  region: string
  /** The endpoint in use when it is not AWS's own (a setting or AWS_ENDPOINT_URL_*). */
  endpoint?: string
  /** Tries per call, the first included. */
  attempts: number
  /** The first backoff wait; each next one doubles, with jitter. */
  baseDelayMs: number
  /** Error names the caller handles itself (e.g. a log stream not there yet): passed on as they are. */
  passThrough?: readonly string[]
  /**
   * Asked before a call is tried again after an error: an answer it returns is taken as the call's (e.g. the job a
   * SubmitJob created although its answer was a 500), so a call that took effect is not repeated.
   */
  beforeRetry?: (operation: string, input: unknown) => Promise<unknown>
}

/** The shape of an error the AWS SDK (or Node's network stack under it) throws. */
interface AwsErrorShape {
  name?: string
  message?: string
  code?: string
  hostname?: string
  $fault?: string
  $metadata?: {httpStatusCode?: number}
}

const credentialErrors = new Set(['CredentialsProviderError', 'UnrecognizedClientException', 'InvalidSignatureException', 'ExpiredTokenException', 'InvalidClientTokenId', 'SignatureDoesNotMatch'])
const unreachableCodes = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT'])

/**
 * Installs ftm's policy on an SDK client: throttling, 5xx and network errors are retried with exponential backoff
 * and jitter (the SDK's own retries are off, so this is the one policy), and what still fails becomes a UserError
 * that names the service, the operation and what to check.
 */
export function applyCallPolicy(client: {middlewareStack: {add: (middleware: never, options: {step: 'initialize'; name: string}) => void}}, policy: AwsCallPolicy): void {
  const middleware = (next: (args: unknown) => Promise<unknown>, context: {commandName?: string}) => async (args: unknown) => {
    const operation = (context.commandName ?? 'request').replace(/Command$/, '')
    let tries = 0
    try {
      return await withRetry(
        async () => {
          tries++
          const earlier = tries > 1 ? await policy.beforeRetry?.(operation, (args as {input?: unknown}).input) : undefined
          return earlier === undefined ? next(args) : {output: earlier, response: undefined}
        },
        {attempts: policy.attempts, baseDelayMs: policy.baseDelayMs, maxDelayMs: 20_000, isRetryable: isTransientError},
      )
    } catch (error) {
      throw explainAwsError(error, operation, tries, policy)
    }
  }
  client.middlewareStack.add(middleware as never, {step: 'initialize', name: 'ftmCallPolicy'})
}

/**
 * The user-facing error for an AWS call that failed for good; errors that are not AWS's or the network's (a bug)
 * and the names the caller handles come back unchanged.
 */
export function explainAwsError(error: unknown, operation: string, tries: number, policy: AwsCallPolicy): unknown {
  const candidate = (error ?? {}) as AwsErrorShape
  if (typeof error !== 'object' || error === null || policy.passThrough?.includes(candidate.name ?? '')) return error
  const where = policy.endpoint ? `${policy.endpoint} (region ${policy.region})` : `region ${policy.region}`
  const call = `${policy.service} ${operation}`
  const said = `${candidate.name && candidate.name !== 'Error' ? `${candidate.name}: ` : ''}${candidate.message ?? String(error)}`
  const endpointHint = policy.endpoint
    ? `Check the endpoint ${policy.endpoint} (batch.endpoint, AWS_ENDPOINT_URL_BATCH or AWS_ENDPOINT_URL) and that it is up.`
    : `Check batch.region (${policy.region}) and the network; an endpoint override goes in batch.endpoint or AWS_ENDPOINT_URL_BATCH.`
  const status = candidate.$metadata?.httpStatusCode
  const code = candidate.code ?? (candidate as {cause?: AwsErrorShape}).cause?.code
  if (code && unreachableCodes.has(code)) {
    const what = code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? `cannot resolve the host${candidate.hostname ? ` ${candidate.hostname}` : ''}` : `cannot connect (${code})`
    return new UserError(`${call} failed: ${what} of ${where}${tries > 1 ? `, after ${tries} tries` : ''}.`, endpointHint, {cause: error})
  }
  if (credentialErrors.has(candidate.name ?? '')) {
    return new UserError(
      `${call} failed at ${where}: the AWS credentials were not accepted (${said}).`,
      'Check the credentials: AWS_PROFILE (and `aws sso login`), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, and that they belong to the account of the queue.',
      {cause: error},
    )
  }
  if (candidate.name === 'AccessDeniedException' || candidate.name === 'AccessDenied' || status === 403) {
    const action = policy.service === 'CloudWatch Logs' ? `logs:${operation}` : `batch:${operation}`
    return new UserError(`${call} was denied at ${where} (${said}).`, `Give the IAM identity ftm runs as the ${action} permission, or use a profile that has it.`, {cause: error})
  }
  if (isTransientError(error)) {
    return new UserError(
      `${call} kept failing at ${where} after ${tries} tries (${said}).`,
      `The service is throttling or failing on its side: wait a few minutes and run the command again (a run continues with \`ftm run --resume <run id>\`). ${endpointHint}`,
      {cause: error},
    )
  }
  if (status !== undefined && status >= 400 && status < 500) {
    const check =
      policy.service === 'CloudWatch Logs'
        ? 'Check batch.logGroup and that the log group exists in this region.'
        : 'Check batch.jobQueue, batch.jobDefinition and batch.region; `ftm batch setup` checks the queue and registers the job definition.'
    return new UserError(`${call} refused the request at ${where} (${said}).`, check, {cause: error})
  }
  return error
}
