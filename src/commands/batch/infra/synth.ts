import {exitCodeHelp} from '../../../base/exit-codes.js'
import path from 'node:path'
import {Flags} from '@oclif/core'
import {FtmCommand, loadCommandConfig} from '../../../ui/base-command.js'
import {configFlags} from '../../../ui/common-flags.js'

export default class BatchInfraSynth extends FtmCommand {
  static override summary = 'Write the CloudFormation template of the whole AWS Batch stack (offline, no AWS call).'
  static override description = `Synthesizes the AWS CDK app of executors/batch/infra in-process: an S3 bucket (or infra.bucket), an ECR repository, least-privilege job and execution roles, a Spot GPU compute environment (SPOT_PRICE_CAPACITY_OPTIMIZED, ECS_AL2023_NVIDIA), an optional on-demand fallback behind it, the job queue, a log group with retention, and the job definition with the executor's retry strategy and timeout. Names and job sizes come from the batch section, the rest from the infra section (see \`ftm config show\`). Writes a cloud assembly to --out, including <infra.stackName>.template.json.

Exit codes:
${exitCodeHelp({0: 'template written', 1: '-', 130: '-'})}`

  static override examples = [
    '<%= config.bin %> <%= command.id %> --out cdk.out',
    '<%= config.bin %> <%= command.id %> --set infra.onDemandFallback=true --set infra.bucket=my-research-bucket',
    '<%= config.bin %> <%= command.id %> --set infra.vpcId=vpc-1 --set infra.subnets=subnet-a,subnet-b --set infra.securityGroups=sg-1',
  ]

  static override flags = {
    out: Flags.string({description: 'the cloud assembly directory to write', default: 'cdk.out'}),
    set: Flags.string({description: 'any configuration value, e.g. --set infra.maxVcpus=128', multiple: true}),
    config: configFlags.config,
    profile: Flags.string({description: 'a profile of the configuration file (profiles.<name>)'}),
  }

  async run(): Promise<unknown> {
    const {flags} = await this.parse(BatchInfraSynth)
    const {config} = loadCommandConfig({configFile: flags.config, profile: flags.profile, assignments: flags.set})
    const {synthesizeBatchStack} = await import('../../../../executors/batch/infra/synthesize.js')
    const synthesized = synthesizeBatchStack({batch: config.batch, infra: config.infra, dockerImage: config.docker.image, outdir: path.resolve(flags.out)})
    const resources = Object.keys((synthesized.template.Resources ?? {}) as object).length
    const summary = {stackName: synthesized.stackName, outdir: synthesized.outdir, templateFile: synthesized.templateFile, resources, imageTag: synthesized.imageTag}
    if (!this.jsonEnabled()) {
      const relative = path.relative(process.cwd(), summary.templateFile)
      this.log(`Stack ${summary.stackName}: ${resources} resources, template ${relative.startsWith('..') ? summary.templateFile : relative}`)
      this.log('Deploy it with `ftm batch infra deploy` (same flags).')
    }
    return summary
  }
}
