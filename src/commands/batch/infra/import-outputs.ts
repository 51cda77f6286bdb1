import {exitCodeHelp} from '../../../base/exit-codes.js'
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {Args, Flags} from '@oclif/core'
import {configFileName} from '../../../core/config/load-config.js'
import {UserError} from '../../../base/errors.js'
import {FtmCommand, loadCommandConfig} from '../../../ui/base-command.js'

export default class BatchInfraImportOutputs extends FtmCommand {
  static override summary = "Write the deployed stack's outputs (queue, job definition, image, roles, logs, root) into ftm.config.json."
  static override description = `Reads FILE: the JSON of \`aws cloudformation describe-stacks --stack-name <infra.stackName>\` (or of \`cdk deploy --outputs-file\`), and sets batch.jobQueue, batch.jobDefinition, batch.image, batch.jobRole, batch.executionRole, batch.logGroup, batch.region and root in ftm.config.json (created when missing; with --profile, under profiles.<name>). Other values of the file are kept.

Exit codes:
${exitCodeHelp({0: 'outputs written into ftm.config.json', 1: '-', 130: '-'})}`

  static override examples = [
    'aws cloudformation describe-stacks --stack-name ftm-batch --output json > outputs.json && <%= config.bin %> <%= command.id %> outputs.json',
    '<%= config.bin %> <%= command.id %> outputs.json --profile batch',
  ]

  static override args = {file: Args.string({description: 'the describe-stacks or cdk outputs JSON', required: true})}

  static override flags = {
    config: Flags.string({char: 'c', description: 'configuration file to write (default: ftm.config.json found upward, else ./ftm.config.json)'}),
    profile: Flags.string({description: 'write the values under profiles.<name>'}),
  }

  async run(): Promise<unknown> {
    const {args, flags} = await this.parse(BatchInfraImportOutputs)
    let text: string
    try {
      text = readFileSync(args.file, 'utf8')
    } catch (error) {
      throw new UserError(`Cannot read ${args.file}.`, 'Write it first with `aws cloudformation describe-stacks --stack-name ftm-batch --output json > outputs.json`.', {cause: error})
    }
    const {configValuesOf, parseStackOutputs, writeConfigValues} = await import('../../../../executors/batch/infra/outputs.js')
    const values = configValuesOf(parseStackOutputs(text, args.file))
    const file = flags.config ? path.resolve(flags.config) : (loadCommandConfig({}).configFile ?? path.resolve(configFileName))
    writeConfigValues(file, values, flags.profile)
    // The file must still load: a bad value would otherwise surface at the next run.
    loadCommandConfig({configFile: file, profile: flags.profile})
    if (!this.jsonEnabled()) {
      this.log(`Wrote into ${file}${flags.profile ? ` (profile ${flags.profile})` : ''}:`)
      for (const [key, value] of Object.entries(values)) this.log(`  ${key} = ${value}`)
    }
    return {configFile: file, profile: flags.profile, values}
  }
}
