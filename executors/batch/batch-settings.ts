import {z} from 'zod'

/** `NAME=arn:aws:secretsmanager:...` or an SSM parameter ARN: a secret the container gets by reference. */
export const secretReferencePattern = /^[A-Za-z_][A-Za-z0-9_]*=arn:aws[\w-]*:(secretsmanager|ssm):[\w-]+:\d{12}:\S+$/

/** Settings of the AWS Batch executor and of `ftm batch setup`: the `batch` section. */
export const batchSettingsSchema = z.strictObject({
  region: z.string().min(1).describe('AWS region of the job queue'),
  endpoint: z.string().describe('Batch and CloudWatch Logs endpoint override, e.g. a local fake (empty: AWS)'),
  jobQueue: z.string().min(1).describe('job queue partitions are submitted to'),
  jobDefinition: z.string().min(1).describe('job definition name `ftm batch setup` registers'),
  image: z.string().describe('pipeline image of the job definition, e.g. an ECR URI (empty: docker.image)'),
  vcpus: z.number().int().min(1).max(256).describe('vCPUs per partition job'),
  memory: z.number().int().min(512).describe('memory per partition job, MiB'),
  gpus: z.number().int().min(0).max(16).describe('GPUs per partition job'),
  timeoutSeconds: z.number().int().min(60).describe('most seconds one attempt may run before Batch stops it'),
  attempts: z.number().int().min(1).max(10).describe('tries per partition, the first included (Spot reclaims and exit codes 75/143 are retried)'),
  secrets: z
    .array(z.string().regex(secretReferencePattern, 'expected NAME=arn:aws:secretsmanager:<region>:<account>:secret:<name>'))
    .describe('container secrets by reference, NAME=<Secrets Manager ARN> (values never leave AWS)'),
  executionRole: z.string().describe('ECS execution role ARN (needed for secrets and awslogs)'),
  jobRole: z.string().describe('IAM role ARN the workers run as (needs the output bucket)'),
  logGroup: z.string().min(1).describe('CloudWatch Logs group of the workers'),
  computeEnvironment: z.string().min(1).describe('Spot compute environment `ftm batch setup` creates or checks'),
  stuckRunnableMinutes: z.number().min(0).describe('report a job RUNNABLE this long with the queue and compute environment reasons (0: never)'),
  apiAttempts: z.number().int().min(1).max(20).describe('tries per Batch and CloudWatch Logs call; throttling, 5xx and network errors are retried with backoff'),
})

export type BatchSettings = z.infer<typeof batchSettingsSchema>

/** Defaults: the ADR's job definition (4 vCPU, 16 GiB, 1 GPU, 5 h, 3 attempts). */
export const defaultBatchSettings: BatchSettings = {
  region: 'us-east-1',
  endpoint: '',
  jobQueue: 'ftm-spot',
  jobDefinition: 'ftm-worker',
  image: '',
  vcpus: 4,
  memory: 16384,
  gpus: 1,
  timeoutSeconds: 18000,
  attempts: 3,
  secrets: [],
  executionRole: '',
  jobRole: '',
  logGroup: '/aws/batch/job',
  computeEnvironment: 'ftm-spot-gpu',
  stuckRunnableMinutes: 30,
  apiAttempts: 8,
}
