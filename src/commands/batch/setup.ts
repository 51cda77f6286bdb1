import {exitCodeHelp} from '../../base/exit-codes.js'
import {Flags} from '@oclif/core'
import {FtmCommand, loadCommandConfig} from '../../ui/base-command.js'
import {configFlags} from '../../ui/common-flags.js'

export default class BatchSetup extends FtmCommand {
  static override summary = 'Register the worker job definition on AWS Batch, and create or check the Spot queue.'
  static override description = `Registers batch.jobDefinition (image, vCPU, memory, GPU, timeout, retry strategy, awslogs, secrets by ARN); a new revision only when something changed. Spot reclaims (status reason "Host EC2*") and worker exit codes 75 and 143 are retried up to batch.attempts times; every other failure is final. With --create, a missing Spot compute environment (SPOT_PRICE_CAPACITY_OPTIMIZED, GPU instance types, the ECS_AL2023_NVIDIA image) and job queue are created. The queue and its compute environments are then checked, and what is wrong with them is listed (exit code 1). --dry-run prints the requests and sends nothing.

Exit codes:
${exitCodeHelp({0: 'job definition registered (or unchanged) and the queue is usable', 1: 'the queue or its compute environments have problems (listed)', 130: '-'})}`

  static override examples = [
    '<%= config.bin %> <%= command.id %> --image 123456789012.dkr.ecr.us-east-1.amazonaws.com/ftm-pipeline:0.1.0',
    '<%= config.bin %> <%= command.id %> --image <uri> --create --subnets subnet-a,subnet-b --security-groups sg-1 --instance-role ecsInstanceRole',
    '<%= config.bin %> <%= command.id %> --image <uri> --dry-run --json',
  ]

  static override flags = {
    image: Flags.string({description: 'the pipeline image URI (default: batch.image, else docker.image)'}),
    create: Flags.boolean({description: 'create the compute environment and job queue when missing'}),
    subnets: Flags.string({description: '--create: subnet ids, comma-separated'}),
    'security-groups': Flags.string({description: '--create: security group ids, comma-separated'}),
    'instance-role': Flags.string({description: '--create: the ECS instance profile name or ARN'}),
    'instance-types': Flags.string({description: '--create: GPU instance types', default: 'g4dn.xlarge,g5.xlarge,g6.xlarge,g4dn.2xlarge'}),
    'max-vcpus': Flags.integer({description: '--create: most vCPUs the compute environment may run', default: 64}),
    'dry-run': Flags.boolean({description: 'print the requests that would be sent, send nothing'}),
    set: Flags.string({description: 'any configuration value, e.g. --set batch.gpus=1', multiple: true}),
    config: configFlags.config,
    profile: Flags.string({description: 'a profile of the configuration file (profiles.<name>)'}),
  }

  async run(): Promise<unknown> {
    const {flags} = await this.parse(BatchSetup)
    const {config} = loadCommandConfig({configFile: flags.config, profile: flags.profile, assignments: flags.set})
    const {setupBatch} = await import('../../../executors/batch/setup.js')
    const list = (text: string | undefined): string[] => (text ?? '').split(',').map((item) => item.trim()).filter(Boolean)
    const outcome = await setupBatch({
      settings: config.batch,
      image: flags.image ?? (config.batch.image || config.docker.image),
      dryRun: flags['dry-run'],
      create: flags.create
        ? {subnets: list(flags.subnets), securityGroups: list(flags['security-groups']), instanceRole: flags['instance-role'] ?? '', instanceTypes: list(flags['instance-types']), maxVcpus: flags['max-vcpus']}
        : undefined,
    })
    if (outcome.problems.length > 0) process.exitCode = 1
    if (this.jsonEnabled()) return outcome
    if (outcome.dryRun) {
      for (const request of outcome.requests) this.log(`${request.operation}\n${JSON.stringify(request.input, null, 2)}`)
      return outcome
    }
    const definition = outcome.jobDefinition
    this.log(`Job definition ${definition.name}:${definition.revision} ${definition.registered ? 'registered' : 'unchanged (no new revision)'}.`)
    for (const request of outcome.requests.filter((entry) => entry.operation !== 'RegisterJobDefinition')) this.log(`${request.operation}: sent.`)
    if (outcome.problems.length === 0) this.log(`Job queue ${config.batch.jobQueue} and its compute environments look right.`)
    else this.log(`Problems:\n${outcome.problems.map((problem) => `  - ${problem}`).join('\n')}`)
    return outcome
  }
}
