import type {ComputeEnvironmentDetail, CreateComputeEnvironmentCommandInput, CreateJobQueueCommandInput, JobQueueDetail} from '@aws-sdk/client-batch'
import type {BatchSettings} from './batch-settings.js'

/** What `ftm batch setup --create` needs to make a Spot compute environment. */
export interface ComputeEnvironmentOptions {
  subnets: string[]
  securityGroups: string[]
  /** The ECS instance profile (name or ARN). */
  instanceRole: string
  instanceTypes: string[]
  maxVcpus: number
}

/** NVIDIA GPU instance families (x86_64) the AL2023 NVIDIA AMI supports; p3 and g3 are not among them. */
const gpuFamilies = /^(g4dn|g5|g6|g6e|gr6|p4d|p4de|p5|p5e|p5en)(\.|$)/

/** The CreateComputeEnvironment request: managed Spot, price-capacity-optimized, GPU types, the AL2023 NVIDIA AMI. */
export function computeEnvironmentInput(settings: BatchSettings, options: ComputeEnvironmentOptions): CreateComputeEnvironmentCommandInput {
  return {
    computeEnvironmentName: settings.computeEnvironment,
    type: 'MANAGED',
    state: 'ENABLED',
    computeResources: {
      type: 'SPOT',
      allocationStrategy: 'SPOT_PRICE_CAPACITY_OPTIMIZED',
      minvCpus: 0,
      maxvCpus: options.maxVcpus,
      instanceTypes: options.instanceTypes,
      subnets: options.subnets,
      securityGroupIds: options.securityGroups,
      instanceRole: options.instanceRole,
      ec2Configuration: [{imageType: 'ECS_AL2023_NVIDIA'}],
    },
    tags: {'ftm-managed': 'true'},
  }
}

/** The CreateJobQueue request: one queue over the Spot compute environment. */
export function jobQueueInput(settings: BatchSettings): CreateJobQueueCommandInput {
  return {
    jobQueueName: settings.jobQueue,
    state: 'ENABLED',
    priority: 1,
    computeEnvironmentOrder: [{order: 1, computeEnvironment: settings.computeEnvironment}],
    tags: {'ftm-managed': 'true'},
  }
}

/** What is wrong with a job queue for ftm's jobs, in words; empty when nothing is. */
export function queueProblems(queue: JobQueueDetail | undefined, settings: BatchSettings): string[] {
  if (!queue) return [`job queue ${settings.jobQueue} does not exist (create it with --create)`]
  const problems: string[] = []
  if (queue.state !== 'ENABLED') problems.push(`job queue ${queue.jobQueueName} is ${queue.state}: enable it`)
  if (queue.status !== 'VALID' && queue.status !== 'CREATING' && queue.status !== 'UPDATING') {
    problems.push(`job queue ${queue.jobQueueName} is ${queue.status}${queue.statusReason ? `: ${queue.statusReason}` : ''}`)
  }
  if (!queue.computeEnvironmentOrder?.length) problems.push(`job queue ${queue.jobQueueName} has no compute environment`)
  return problems
}

/** What is wrong with a compute environment for Spot GPU workers, in words; empty when nothing is. */
export function computeEnvironmentProblems(environment: ComputeEnvironmentDetail, settings: BatchSettings): string[] {
  const name = `compute environment ${environment.computeEnvironmentName}`
  const problems: string[] = []
  if (environment.state !== 'ENABLED') problems.push(`${name} is ${environment.state}: enable it`)
  if (environment.status === 'INVALID' || environment.status === 'DELETING' || environment.status === 'DELETED') {
    problems.push(`${name} is ${environment.status}${environment.statusReason ? `: ${environment.statusReason}` : ''}`)
  }
  const resources = environment.computeResources
  if (environment.type !== 'MANAGED' || !resources) return [...problems, `${name} is not a managed EC2 environment`]
  if (resources.type !== 'SPOT') problems.push(`${name} runs ${resources.type} instances, not SPOT`)
  else if (resources.allocationStrategy !== 'SPOT_PRICE_CAPACITY_OPTIMIZED') {
    problems.push(`${name} allocates Spot with ${resources.allocationStrategy ?? 'BEST_FIT'}; SPOT_PRICE_CAPACITY_OPTIMIZED is interrupted least`)
  }
  if (settings.gpus > 0) {
    const notGpu = (resources.instanceTypes ?? []).filter((type) => !gpuFamilies.test(type))
    if (notGpu.length > 0 || !resources.instanceTypes?.length) problems.push(`${name} allows instance types without a supported NVIDIA GPU (${notGpu.join(', ') || 'none listed'}): GPU jobs can wait in RUNNABLE`)
    const imageTypes = (resources.ec2Configuration ?? []).map((entry) => entry.imageType)
    if (!imageTypes.includes('ECS_AL2023_NVIDIA')) problems.push(`${name} uses ${imageTypes.join(', ') || 'the default AMI'}, not ECS_AL2023_NVIDIA (AL2 images are blocked for new environments from 30 Jun 2026)`)
  }
  if ((resources.maxvCpus ?? 0) < settings.vcpus) problems.push(`${name} has at most ${resources.maxvCpus} vCPUs; one job needs ${settings.vcpus}`)
  return problems
}
