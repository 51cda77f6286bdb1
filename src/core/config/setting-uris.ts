import {UserError} from '../../base/errors.js'
import type {Config} from './schema.js'

/** The settings that hold a URI or a path that may be one, checked by the same rules. */
const uriSettings: ReadonlyArray<{key: string; read: (config: Config) => string | undefined}> = [
  {key: 'source', read: (config) => config.source},
  {key: 'root', read: (config) => config.root},
  {key: 'llm.baseUrl', read: (config) => config.llm.baseUrl},
  {key: 'pipeline.embedding.url', read: (config) => config.pipeline.embedding.url},
]

/** Where a secret goes instead of a URL, per setting. */
const secretHints: Record<string, string> = {
  source: 'For WRDS/PostgreSQL put the password in PGPASSWORD, ~/.pgpass or a Secrets Manager secret (?secret=arn:…); for S3 use AWS credentials.',
  root: 'Use AWS credentials (AWS_PROFILE, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY) for S3.',
  'llm.baseUrl': 'Put the key in the environment variable that llm.apiKeyVariable names (FTM_LLM_API_KEY by default) and leave it out of the URL.',
  'pipeline.embedding.url': 'Put the key in the environment variable that pipeline.embedding.apiKeyVariable names and leave it out of the URL.',
}

/**
 * Validates every URI and secret-bearing setting in one place, by the same rules: no password in a URL (it would be
 * written to the run record and the logs), and an s3:// URI without `..`, `.` or empty segments (a root that escapes
 * its bucket prefix). `originOf` names where a value came from (a flag, a variable, the config file).
 */
export function checkSettingUris(config: Config, originOf: (key: string) => string): void {
  for (const {key, read} of uriSettings) {
    const value = read(config)
    if (!value || !/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) continue
    const where = `${key} (from ${originOf(key)})`
    const authority = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(value)?.[1] ?? ''
    if (authority.includes('@') && authority.slice(0, authority.lastIndexOf('@')).includes(':')) {
      throw new UserError(`${where} contains a password, which would be written to the run record and the logs.`, `Remove it from the URL. ${secretHints[key] ?? ''}`.trim())
    }
    if (/^s3:\/\//i.test(value)) checkS3Uri(value, where)
  }
}

function checkS3Uri(value: string, where: string): void {
  const [bucket = '', ...segments] = value.slice('s3://'.length).replace(/\/$/, '').split('/')
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(bucket)) {
    throw new UserError(`${where} names the bucket "${bucket}", which is not a valid bucket name.`, 'Write s3://bucket/prefix with a bucket of letters, digits, dots and hyphens (S3: 3-63 lowercase).')
  }
  const bad = segments.find((segment) => segment === '' || segment === '.' || segment === '..')
  if (bad !== undefined) {
    throw new UserError(
      `${where} has ${bad === '' ? 'an empty segment (//)' : `a "${bad}" segment`}: ${value}.`,
      'Write the s3:// URI as s3://bucket/prefix/…, without "..", "." or empty segments (S3 keys are not paths, and a server may resolve them outside the bucket).',
    )
  }
}
