import type {DatabaseSourceSettings} from '../source-schema.js'
import {UserError} from '../../base/errors.js'

/** A login for the database; a missing password leaves it to ~/.pgpass (node-postgres reads it, as libpq does). */
export interface Credentials {
  user?: string
  password?: string
}

/**
 * The login, first found wins: the Secrets Manager secret named in the source, the environment variables
 * (PGUSER/PGPASSWORD unless the source names others), the user in the URI; the password may then come from ~/.pgpass.
 */
export async function resolveCredentials(settings: DatabaseSourceSettings, environment: NodeJS.ProcessEnv): Promise<Credentials> {
  if (settings.secret) return readSecret(settings.secret)
  return {
    user: environment[settings.userVariable] || settings.user,
    password: environment[settings.passwordVariable] || undefined,
  }
}

async function readSecret(arn: string): Promise<Credentials> {
  const region = arn.split(':')[3]
  // Loaded only when a secret is configured, so other sources never load the AWS SDK.
  const {GetSecretValueCommand, SecretsManagerClient} = await import('@aws-sdk/client-secrets-manager')
  const client = new SecretsManagerClient({region, maxAttempts: 5})
  let text: string | undefined
  try {
    text = (await client.send(new GetSecretValueCommand({SecretId: arn}))).SecretString
  } catch (error) {
    const code = (error as {name?: string}).name ?? 'error'
    throw new UserError(
      `The database secret ${arn} cannot be read (${code}).`,
      'Check that the secret exists in that region and that the AWS credentials here (or the job role) may call secretsmanager:GetSecretValue on it.',
      {cause: error},
    )
  } finally {
    client.destroy()
  }
  let value: unknown
  try {
    value = JSON.parse(text ?? '')
  } catch {
    value = undefined
  }
  const secret = value as {username?: unknown; password?: unknown} | undefined
  if (typeof secret?.username !== 'string' || typeof secret.password !== 'string') {
    throw new UserError(`The database secret ${arn} is not a JSON object with "username" and "password".`, 'Store it as {"username": "...", "password": "..."}.')
  }
  return {user: secret.username, password: secret.password}
}
