import {z} from 'zod'

/** WRDS's PostgreSQL server (wrds/wrds: wrds/sql.py). */
export const wrdsDefaults = {host: 'wrds-pgdata.wharton.upenn.edu', port: 9737, database: 'wrds'} as const

/**
 * The settings of a database source, written as a URI so that they travel in the run record's `source`:
 * `wrds://[user@][host[:port]][/database][?sslmode=…&schema=…&secret=…&pool=…&userVariable=…&passwordVariable=…]`
 * (`postgres://…` alike, without the WRDS defaults). Never a password: that comes from the environment, ~/.pgpass or
 * a Secrets Manager secret.
 */
export const databaseSourceSchema = z.strictObject({
  host: z.string().min(1).optional().describe('server (wrds://: WRDS; postgres://: PGHOST or localhost)'),
  port: z.number().int().min(1).max(65535).optional(),
  database: z.string().min(1).optional(),
  user: z.string().min(1).optional().describe('login, when not in the environment or the secret'),
  sslmode: z.enum(['require', 'verify-full', 'disable']).describe('require: TLS without certificate check (WRDS); disable: only for a local server'),
  schema: z.string().regex(/^[a-z_][a-z0-9_]*$/i, 'expected a schema name such as ciq or ciq_transcripts').describe('schema of the Capital IQ transcript tables'),
  secret: z
    .string()
    .regex(/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/, 'expected a Secrets Manager secret ARN')
    .optional()
    .describe('an AWS Secrets Manager secret holding {"username","password"}'),
  pool: z.number().int().min(1).max(32).describe('connections per worker'),
  userVariable: z.string().regex(/^[A-Z_][A-Z0-9_]*$/i).describe('environment variable with the login'),
  passwordVariable: z.string().regex(/^[A-Z_][A-Z0-9_]*$/i).describe('environment variable with the password'),
})

export type DatabaseSourceSettings = z.infer<typeof databaseSourceSchema>
