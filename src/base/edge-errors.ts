import {errorMessage, UserError} from './errors.js'
import {ExitCode} from './exit-codes.js'

/**
 * One classification of the errors that come from outside ftm: the file system, S3, AWS Batch, PostgreSQL and HTTP.
 * `user`: the user can fix it (exit 2, with the fix); `transient`: it may pass by itself (retry with backoff, then
 * exit 75 saying what was retried); `unknown`: no rule knows it, so it is treated as a bug in ftm.
 */
export type EdgeErrorKind = 'user' | 'transient' | 'unknown'

export interface EdgeErrorClass {
  kind: EdgeErrorKind
  /** The code the decision was made on (EACCES, SlowDown, HTTP 503, 28P01), when there is one. */
  code?: string
  /** For a user-fixable error: what to do. */
  fix?: string
}

/** File-system codes the user fixes, each with the fix. */
const fileSystemFixes: Record<string, string> = {
  EACCES: 'Give ftm permission to the path (chmod/chown), or pick another path (for output: a writable --root).',
  EPERM: 'Give ftm permission to the path (chmod/chown), or pick another path (for output: a writable --root).',
  EROFS: 'The file system is read-only: pick a writable --root.',
  ENOSPC: 'The disk is full: free space or pick a --root on another disk, then rerun (or `ftm run --resume <id>`).',
  EDQUOT: 'The disk quota is used up: free space or pick a --root elsewhere.',
  EISDIR: 'The path is a directory: pass a file (for --source, the .csv, .parquet or .jsonl file itself).',
  ENOTDIR: 'A part of the path is a file, not a directory: fix the path.',
  ENOENT: 'The path does not exist: check it.',
  ENAMETOOLONG: 'The path is too long: pick a shorter one.',
  ELOOP: 'The path is a loop of symbolic links: fix the link.',
}

/** Network and local-resource codes that may pass by themselves. */
const transientCodes = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN', 'ECONNABORTED',
  'EBUSY', 'EMFILE', 'ENFILE', 'EAGAIN',
  'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CLOSED',
])

/** Service error names (S3, Batch, CloudWatch Logs, Secrets Manager) for throttling and server faults. */
const transientNames = new Set([
  'SlowDown', 'InternalError', 'ServiceUnavailable', 'RequestTimeout', 'RequestTimeTooSkewed', 'TimeoutError',
  'Throttling', 'ThrottlingException', 'ThrottledException', 'TooManyRequestsException', 'RequestLimitExceeded',
  'ProvisionedThroughputExceededException', 'ServerException', 'InternalServerError', 'InternalFailure',
])

/** Service error names the user fixes: credentials, permissions, missing buckets or resources. */
const serviceFixes: Record<string, string> = {
  NoSuchBucket: 'Create the bucket, or fix the s3:// path (and FTM_S3_ENDPOINT for an S3-compatible store).',
  AccessDenied: 'Check that the AWS credentials here may use this bucket or resource.',
  AccessDeniedException: 'Check that the AWS credentials here may use this resource (its IAM policy).',
  Forbidden: 'Check that the AWS credentials here may use this bucket.',
  InvalidAccessKeyId: 'Check the AWS credentials (AWS_PROFILE, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or an instance role).',
  SignatureDoesNotMatch: 'Check the AWS secret key (AWS_SECRET_ACCESS_KEY or the profile).',
  ExpiredToken: 'The AWS session expired: refresh the credentials (aws sso login, or new keys).',
  ExpiredTokenException: 'The AWS session expired: refresh the credentials (aws sso login, or new keys).',
  InvalidToken: 'Check the AWS session token (AWS_SESSION_TOKEN).',
  UnrecognizedClientException: 'Check the AWS credentials and AWS_REGION.',
  CredentialsProviderError: 'Give ftm AWS credentials (AWS_PROFILE, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or an instance role).',
}

/** PostgreSQL SQLSTATE codes the user fixes (login, database, schema, permissions). */
const postgresFixes: Record<string, string> = {
  '28P01': 'The database refused the password: check PGPASSWORD, ~/.pgpass or the secret.',
  '28000': 'The database refused the login: check the user name and that it may connect.',
  '3D000': 'The database does not exist: fix the database in the source URI.',
  '3F000': 'The schema does not exist: fix ?schema= in the source URI.',
  '42P01': 'A transcript table is missing: check ?schema= in the source URI.',
  '42501': 'The login may not read these tables: ask for read access or use another login.',
}

/** PostgreSQL SQLSTATE codes that may pass: connection loss, too many connections, shutdown, conflicts. */
function isTransientPostgres(code: string): boolean {
  return /^08/.test(code) || ['53300', '57P01', '57P02', '57P03', '40001', '40P01', '55P03'].includes(code)
}

/** HTTP statuses the user fixes: a wrong URL or key. */
const httpFixes: Record<number, string> = {
  401: 'The service refused the credentials: check the API key or token.',
  403: 'The service refused access: check the credentials and their permissions.',
  404: 'Nothing answers at that URL: check the address (for an LLM or embeddings server, its base URL ends in /v1).',
}

interface ErrorFields {
  code?: unknown
  name?: unknown
  Code?: unknown
  $retryable?: unknown
  $metadata?: {httpStatusCode?: number}
  statusCode?: unknown
  status?: unknown
  cause?: unknown
}

/** Classifies an error from the edge (file system, S3, Batch, PostgreSQL, HTTP), looking through its causes. */
export function classifyEdgeError(error: unknown, seen: Set<unknown> = new Set()): EdgeErrorClass {
  if (typeof error !== 'object' || error === null || seen.has(error)) return {kind: 'unknown'}
  seen.add(error)
  const fields = error as ErrorFields
  const code = typeof fields.code === 'string' ? fields.code : undefined
  const name = typeof fields.Code === 'string' ? fields.Code : typeof fields.name === 'string' ? fields.name : undefined
  if (code && code in fileSystemFixes) return {kind: 'user', code, fix: fileSystemFixes[code]}
  if (code && transientCodes.has(code)) return {kind: 'transient', code}
  if (code && /^[0-9A-Z]{5}$/.test(code) && /^[0-9]/.test(code)) {
    if (code in postgresFixes) return {kind: 'user', code, fix: postgresFixes[code]}
    if (isTransientPostgres(code)) return {kind: 'transient', code}
  }
  for (const candidate of [name, code]) {
    if (candidate && candidate in serviceFixes) return {kind: 'user', code: candidate, fix: serviceFixes[candidate]}
    if (candidate && transientNames.has(candidate)) return {kind: 'transient', code: candidate}
  }
  if (fields.$retryable) return {kind: 'transient', code: name}
  const status = httpStatus(fields)
  if (status !== undefined) {
    if (status === 429 || status >= 500) return {kind: 'transient', code: `HTTP ${status}`}
    if (status in httpFixes) return {kind: 'user', code: `HTTP ${status}`, fix: httpFixes[status]}
  }
  return fields.cause === undefined ? {kind: 'unknown'} : classifyEdgeError(fields.cause, seen)
}

/** True for an error worth retrying: the network, throttling, HTTP 429 and 5xx, SDK errors marked retryable. */
export function isTransientEdgeError(error: unknown): boolean {
  return classifyEdgeError(error).kind === 'transient'
}

/** What a failed operation was, for the message: "write", "runs/x/run.json under ./out". */
export interface EdgeAction {
  action: string
  location: string
  /** For a transient error: what was retried, e.g. "4 tries over about 8 s". */
  retried?: string
}

/**
 * The UserError for a known edge error: exit 2 with the fix for a user-fixable one, exit 75 saying what was retried
 * for a transient one; undefined for an error no rule knows (a bug in ftm). Never includes a secret: only the code
 * and the location the caller gives.
 */
export function explainEdgeError(error: unknown, what?: EdgeAction): UserError | undefined {
  const found = classifyEdgeError(error)
  const code = found.code ? ` (${found.code})` : ''
  const failed = what ? `ftm could not ${what.action} ${what.location}${code}` : `ftm stopped: ${errorMessage(error).replace(/\.$/, '')}`
  if (found.kind === 'user') return new UserError(`${failed}.`, found.fix ?? 'Check the path and its permissions.', {cause: error})
  if (found.kind === 'transient') {
    return new UserError(
      `${failed}${what?.retried ? ` after ${what.retried}` : ''}: the service or network did not recover.`,
      'This is usually passing (a network blip, throttling, a busy server): rerun the command, or `ftm run --resume <id>` for a run.',
      {cause: error, exitCode: ExitCode.transient},
    )
  }
  return undefined
}

function httpStatus(fields: ErrorFields): number | undefined {
  const status = fields.$metadata?.httpStatusCode ?? fields.statusCode ?? fields.status
  return typeof status === 'number' && status >= 100 && status < 600 ? status : undefined
}
