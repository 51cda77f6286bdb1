import {z} from 'zod'
import {type DatabaseSourceSettings, databaseSourceSchema, wrdsDefaults} from '../source-schema.js'
import {UserError} from '../../base/errors.js'

/** True when a source names a database: wrds://, postgres:// or postgresql://. */
export function isDatabaseSource(source: string): boolean {
  return /^(wrds|postgres|postgresql):\/\//i.test(source)
}

const allowedParameters = ['sslmode', 'schema', 'secret', 'pool', 'userVariable', 'passwordVariable'] as const

/** Parses a database source URI into validated settings; refuses a password in it (it would reach the run record). */
export function parseDatabaseSource(source: string): DatabaseSourceSettings {
  let url: URL
  try {
    url = new URL(source)
  } catch {
    throw new UserError(`The source ${source} is not a valid URI.`, 'Write it as wrds:// or postgres://user@host:port/database?sslmode=require.')
  }
  if (url.password) {
    throw new UserError(
      'The source URI contains a password, which would be stored in the run record.',
      'Remove it from --source and set PGPASSWORD (or ~/.pgpass, or ?secret=<Secrets Manager ARN>) instead.',
    )
  }
  const unknown = [...url.searchParams.keys()].filter((name) => !(allowedParameters as readonly string[]).includes(name))
  if (unknown.length > 0) {
    throw new UserError(`The source URI has unknown parameters: ${unknown.join(', ')}.`, `Allowed: ${allowedParameters.join(', ')}.`)
  }
  const wrds = url.protocol.toLowerCase() === 'wrds:'
  const parameter = (name: string): string | undefined => url.searchParams.get(name) ?? undefined
  const candidate = {
    host: decodeURIComponent(url.hostname) || (wrds ? wrdsDefaults.host : undefined),
    port: url.port ? Number(url.port) : wrds ? wrdsDefaults.port : undefined,
    database: decodeURIComponent(url.pathname.replace(/^\//, '')) || (wrds ? wrdsDefaults.database : undefined),
    user: url.username ? decodeURIComponent(url.username) : undefined,
    sslmode: parameter('sslmode') ?? 'require',
    schema: parameter('schema') ?? 'ciq',
    secret: parameter('secret'),
    pool: parameter('pool') === undefined ? 2 : Number(parameter('pool')),
    userVariable: parameter('userVariable') ?? 'PGUSER',
    passwordVariable: parameter('passwordVariable') ?? 'PGPASSWORD',
  }
  const parsed = databaseSourceSchema.safeParse(candidate)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new UserError(`The source setting ${issue.path.join('.')} is invalid: ${issue.message}.`, describeAllowed(issue))
  }
  return parsed.data
}

function describeAllowed(issue: z.core.$ZodIssue): string {
  const name = String(issue.path[0] ?? '')
  if (name === 'sslmode') return 'Use ?sslmode=require (default), verify-full, or disable (only for a local test server).'
  if (name === 'pool') return 'Use ?pool=N with N from 1 to 32.'
  return 'See README.md, "Transcripts from WRDS", for the form of the source URI.'
}
