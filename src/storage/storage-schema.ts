import {z} from 'zod'
import {UserError} from '../base/errors.js'

/**
 * How ftm reaches S3. Read from the environment (never from the run record) so that the CLI and every worker,
 * wherever it runs, resolve the same endpoint; credentials come from the AWS SDK's standard chain.
 */
export const s3SettingsSchema = z.strictObject({
  region: z.string().min(1).optional().describe('AWS region (AWS_REGION); the SDK follows region redirects'),
  endpoint: z.url().optional().describe('an S3-compatible endpoint (FTM_S3_ENDPOINT or AWS_ENDPOINT_URL_S3)'),
  forcePathStyle: z.boolean().describe('bucket in the path, not the host name (FTM_S3_FORCE_PATH_STYLE)'),
  maxAttempts: z.number().int().min(1).max(20).describe('attempts per request on transient errors (FTM_S3_MAX_ATTEMPTS)'),
})

export type S3Settings = z.infer<typeof s3SettingsSchema>

/** The S3 settings from environment variables; a custom endpoint implies path-style addressing unless told otherwise. */
export function s3SettingsFromEnvironment(environment: NodeJS.ProcessEnv): S3Settings {
  const text = (name: string): string | undefined => environment[name]?.trim() || undefined
  const endpoint = text('FTM_S3_ENDPOINT') ?? text('AWS_ENDPOINT_URL_S3') ?? text('AWS_ENDPOINT_URL')
  const pathStyle = text('FTM_S3_FORCE_PATH_STYLE')
  const attempts = text('FTM_S3_MAX_ATTEMPTS')
  const parsed = s3SettingsSchema.safeParse({
    region: text('AWS_REGION') ?? text('AWS_DEFAULT_REGION'),
    endpoint,
    forcePathStyle: pathStyle === undefined ? endpoint !== undefined : /^(1|true|yes)$/i.test(pathStyle),
    maxAttempts: attempts === undefined ? 5 : Number(attempts),
  })
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new UserError(
      `The S3 setting ${issue.path.join('.')} is invalid: ${issue.message}.`,
      'Check FTM_S3_ENDPOINT (a URL such as http://127.0.0.1:9000), FTM_S3_FORCE_PATH_STYLE (true/false), FTM_S3_MAX_ATTEMPTS and AWS_REGION.',
    )
  }
  return parsed.data
}
