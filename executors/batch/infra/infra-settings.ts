import {z} from 'zod'

/** Retention periods CloudWatch Logs accepts, in days. */
export const logRetentionDays = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const

const ids = (kind: string, what: string) =>
  z.array(z.string().regex(new RegExp(`^${kind}-[0-9a-f]{8,17}$`), `expected ids like ${kind}-0123456789abcdef0`)).describe(what)

/** Parameters of the Batch stack `ftm batch infra synth` writes: the `infra` section. Names of the queue, compute
 * environment and job definition come from the `batch` section, so the executor finds them with no further flags. */
export const infraSettingsSchema = z.strictObject({
  stackName: z.string().regex(/^[A-Za-z][A-Za-z0-9-]*$/, 'letters, digits and hyphens, starting with a letter').describe('CloudFormation stack name'),
  vpcId: z.string().regex(/^(vpc-[0-9a-f]{8,17})?$/, 'expected an id like vpc-0123456789abcdef0, or empty').describe('an existing VPC for the compute environments (empty: a new small VPC with public subnets and no NAT gateway)'),
  subnets: ids('subnet', 'subnet ids in infra.vpcId (required with it)'),
  securityGroups: ids('sg', 'security group ids for the instances (empty: a new one allowing only outbound traffic)'),
  instanceTypes: z.array(z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, 'expected instance types like g5.xlarge')).min(1).describe('GPU instance types of the compute environments'),
  maxVcpus: z.number().int().min(1).describe('most vCPUs the Spot compute environment may run'),
  onDemandFallback: z.boolean().describe('add an on-demand compute environment behind the Spot one in the queue'),
  onDemandMaxVcpus: z.number().int().min(1).describe('most vCPUs the on-demand fallback may run'),
  bucket: z.string().describe('an existing bucket for the output root (empty: a new private bucket)'),
  prefix: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._/-]*[A-Za-z0-9]$/, 'a key prefix without leading or trailing slash').describe('key prefix of the output root; the job may read and write only under it'),
  repository: z.string().regex(/^[a-z0-9][a-z0-9._/-]*$/, 'lowercase repository name').describe('ECR repository of the pipeline image'),
  imageTag: z.string().describe('image tag the job definition runs (empty: the tag of docker.image)'),
  logGroup: z.string().min(1).describe('CloudWatch Logs group the stack creates for the workers'),
  logRetentionDays: z
    .number()
    .int()
    .refine((days) => (logRetentionDays as readonly number[]).includes(days), `one of ${logRetentionDays.join(', ')}`)
    .describe('days the worker logs are kept'),
})

export type InfraSettings = z.infer<typeof infraSettingsSchema>

/** Defaults: a new VPC, bucket and repository; Spot only, up to 64 vCPUs (16 g4dn/g5/g6.xlarge workers). */
export const defaultInfraSettings: InfraSettings = {
  stackName: 'ftm-batch',
  vpcId: '',
  subnets: [],
  securityGroups: [],
  instanceTypes: ['g4dn.xlarge', 'g5.xlarge', 'g6.xlarge', 'g4dn.2xlarge'],
  maxVcpus: 64,
  onDemandFallback: false,
  onDemandMaxVcpus: 16,
  bucket: '',
  prefix: 'ftm',
  repository: 'ftm-pipeline',
  imageTag: '',
  logGroup: '/ftm/batch/worker',
  logRetentionDays: 30,
}
