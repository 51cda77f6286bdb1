import {UserError} from '../base/errors.js'
import {ExitCode} from '../base/exit-codes.js'

const credentialCodes = new Set(['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'ExpiredToken', 'InvalidToken', 'AccessDenied', 'Forbidden'])
const networkCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH'])

/** The S3 error code of an SDK error, or of the network error beneath it. */
export function s3ErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined
  const value = error as {name?: string; Code?: string; code?: string; $metadata?: {httpStatusCode?: number}; cause?: unknown}
  return value.Code ?? value.code ?? (value.name && value.name !== 'Error' ? value.name : undefined) ?? s3ErrorCode(value.cause)
}

/** True when an object or bucket is missing (NoSuchKey, NotFound, HTTP 404). */
export function isMissingObject(error: unknown): boolean {
  const code = s3ErrorCode(error)
  const status = (error as {$metadata?: {httpStatusCode?: number}})?.$metadata?.httpStatusCode
  return code === 'NoSuchKey' || code === 'NotFound' || (status === 404 && code !== 'NoSuchBucket')
}

/** Turns what the SDK threw (after its retries) into an error that names the problem and the fix; never a secret. */
export function explainS3Error(error: unknown, action: string, location: string): Error {
  const code = s3ErrorCode(error) ?? ''
  const detail = error instanceof Error ? error.message : String(error)
  if (code === 'NoSuchBucket') {
    return new UserError(`The bucket of ${location} does not exist.`, 'Create the bucket, or fix the s3:// root (and FTM_S3_ENDPOINT for an S3-compatible store).', {cause: error})
  }
  if (credentialCodes.has(code) || code === 'CredentialsProviderError') {
    return new UserError(
      `S3 refused to ${action} ${location}: ${code}.`,
      'Check the AWS credentials (AWS_PROFILE, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or an instance role) and that they may use this bucket.',
      {cause: error},
    )
  }
  if (networkCodes.has(code) || /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|socket hang up/.test(detail)) {
    return new UserError(
      `S3 is unreachable (${code || detail}) while trying to ${action} ${location}.`,
      'Check the network, AWS_REGION and FTM_S3_ENDPOINT; ftm already retried.',
      {cause: error, exitCode: ExitCode.transient},
    )
  }
  return new Error(`S3 failed to ${action} ${location}: ${code ? `${code}: ` : ''}${detail}`, {cause: error})
}
