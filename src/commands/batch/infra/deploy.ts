import {exitCodeHelp} from '../../../base/exit-codes.js'
import path from 'node:path'
import {Flags} from '@oclif/core'
import {configFileName} from '../../../core/config/load-config.js'
import {FtmCommand, loadCommandConfig} from '../../../ui/base-command.js'
import {configFlags} from '../../../ui/common-flags.js'

export default class BatchInfraDeploy extends FtmCommand {
  static override summary = 'Deploy the AWS Batch stack with the cdk CLI, or print the exact commands that do.'
  static override description = `Synthesizes the stack as \`ftm batch infra synth\` does, then, when the \`cdk\` CLI is on PATH and AWS credentials are present, runs \`cdk deploy\` and writes the stack outputs (queue, job definition, image, roles, log group, region and the s3:// root) into ftm.config.json, so that \`ftm run --executor batch\` needs no further flags. Otherwise it prints the commands to run: \`npx aws-cdk@2 deploy\`, or plain \`aws cloudformation deploy\`, each followed by \`ftm batch infra import-outputs\`.

Exit codes:
${exitCodeHelp({0: 'deployed and the outputs written (or the commands printed)', 1: 'cdk deploy failed', 130: '-'})}`

  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --profile batch --set infra.onDemandFallback=true']

  static override flags = {
    out: Flags.string({description: 'the cloud assembly directory to write', default: 'cdk.out'}),
    'print-only': Flags.boolean({description: 'print the deploy commands even when cdk is installed'}),
    set: Flags.string({description: 'any configuration value, e.g. --set infra.maxVcpus=128', multiple: true}),
    config: configFlags.config,
    profile: Flags.string({description: 'a profile of the configuration file; the outputs are written into it'}),
  }

  async run(): Promise<unknown> {
    const {flags} = await this.parse(BatchInfraDeploy)
    const resolved = loadCommandConfig({configFile: flags.config, profile: flags.profile, assignments: flags.set})
    const {config} = resolved
    const {synthesizeBatchStack} = await import('../../../../executors/batch/infra/synthesize.js')
    const {deployCommands, deployWithCdk, findCdk, hasAwsCredentials} = await import('../../../../executors/batch/infra/deploy.js')
    const synthesized = synthesizeBatchStack({batch: config.batch, infra: config.infra, dockerImage: config.docker.image, outdir: path.resolve(flags.out)})
    const target = {stackName: synthesized.stackName, outdir: synthesized.outdir, templateFile: synthesized.templateFile, region: config.batch.region}
    const cdk = flags['print-only'] ? undefined : findCdk()
    if (cdk && hasAwsCredentials()) {
      const values = await deployWithCdk(cdk, target)
      const {writeConfigValues} = await import('../../../../executors/batch/infra/outputs.js')
      const file = resolved.configFile ?? path.resolve(configFileName)
      writeConfigValues(file, values, resolved.profile)
      if (!this.jsonEnabled()) this.log(`Deployed ${target.stackName}; wrote ${Object.keys(values).join(', ')} into ${file}.`)
      return {deployed: true, stackName: target.stackName, configFile: file, values}
    }
    const commands = deployCommands(target)
    const reason = cdk ? 'no AWS credentials were found' : 'the cdk CLI is not installed'
    if (!this.jsonEnabled()) {
      this.log(`Not deployed: ${flags['print-only'] ? '--print-only' : reason}. Template: ${synthesized.templateFile}`)
      this.log(`With the AWS CDK CLI:\n${commands.cdk.map((line) => `  ${line}`).join('\n')}`)
      this.log(`Or with the AWS CLI alone (the template needs no CDK bootstrap):\n${commands.cloudFormation.map((line) => `  ${line}`).join('\n')}`)
    }
    return {deployed: false, reason, stackName: target.stackName, templateFile: synthesized.templateFile, commands}
  }
}
