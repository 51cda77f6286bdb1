import {UserError} from '../../base/errors.js'
import {ExitCode} from '../../base/exit-codes.js'

const networkCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE'])

/** True for errors worth retrying: the network, or a server that restarts or drops the connection. */
export function isTransientDatabaseError(error: unknown): boolean {
  const code = (error as {code?: string})?.code ?? ''
  const message = error instanceof Error ? error.message : ''
  return networkCodes.has(code) || code.startsWith('08') || code === '57P01' || code === '57P03' || /Connection terminated|timeout exceeded when trying to connect/i.test(message)
}

/**
 * Turns a node-postgres error into one that names the problem and the fix. `where` says which server
 * (host:port/database, never a password); the message of a refused login names the user at most.
 */
export function explainDatabaseError(error: unknown, where: string, schema: string): Error {
  const code = (error as {code?: string})?.code ?? ''
  const message = error instanceof Error ? error.message : String(error)
  if (code === '28P01' || code === '28000' || /password authentication failed|no password supplied|client password must be a string/i.test(message)) {
    return new UserError(
      `The database at ${where} refused the login: ${message.replace(/password authentication failed/i, 'authentication failed')}.`,
      'Set PGUSER and PGPASSWORD (or the variables named by ?userVariable/?passwordVariable), add the server to ~/.pgpass, or give ?secret=<Secrets Manager ARN>.',
      {cause: error},
    )
  }
  if (code === '3D000') return new UserError(`The database at ${where} does not exist.`, 'Fix the database name in the source URI (WRDS: wrds).', {cause: error})
  if (code === '42P01' || code === '3F000') {
    return new UserError(
      `The transcript tables are missing at ${where}: ${message}.`,
      `ftm reads ${schema}.wrds_transcript_detail, ${schema}.wrds_transcript_person and ${schema}.ciqtranscriptcomponent; on WRDS try ?schema=ciq_transcripts, and check your subscription includes Capital IQ transcripts.`,
      {cause: error},
    )
  }
  if (code === '42501') {
    return new UserError(`The login may not read the transcript tables at ${where}: ${message}.`, 'Ask WRDS (or the database owner) for access to the Capital IQ transcript tables.', {cause: error})
  }
  if (/does not support SSL/i.test(message)) {
    return new UserError(`The database at ${where} does not offer TLS, which ftm requires by default.`, 'For a local test server only, add ?sslmode=disable to the source.', {cause: error})
  }
  if (isTransientDatabaseError(error)) {
    return new UserError(
      `The database at ${where} is unreachable (${code || message}).`,
      'Check the network (WRDS accepts connections on port 9737), the host and port in the source, and any VPN; ftm already retried.',
      {cause: error, exitCode: ExitCode.transient},
    )
  }
  return new Error(`The database at ${where} failed: ${message}`, {cause: error})
}
