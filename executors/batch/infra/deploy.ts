import {existsSync, readFileSync} from 'node:fs'
import {homedir} from 'node:os'
import path from 'node:path'
import {execa} from 'execa'
import {UserError} from '../../../src/base/errors.js'
import {configValuesOf, parseStackOutputs} from './outputs.js'

/** Where the synthesized stack is and where it goes. */
export interface DeployTarget {
  stackName: string
  outdir: string
  templateFile: string
  region: string
}

/** The commands that deploy a synthesized stack and bring its outputs into ftm.config.json, with and without cdk. */
export function deployCommands(target: DeployTarget): {cdk: string[]; cloudFormation: string[]} {
  const outputs = path.join(target.outdir, 'outputs.json')
  const importOutputs = `ftm batch infra import-outputs ${quote(outputs)}`
  return {
    cdk: [`AWS_REGION=${target.region} npx aws-cdk@2 deploy --app ${quote(target.outdir)} --require-approval never --outputs-file ${quote(outputs)}`, importOutputs],
    cloudFormation: [
      `aws cloudformation deploy --region ${target.region} --stack-name ${target.stackName} --template-file ${quote(target.templateFile)} --capabilities CAPABILITY_IAM`,
      `aws cloudformation describe-stacks --region ${target.region} --stack-name ${target.stackName} --output json > ${quote(outputs)}`,
      importOutputs,
    ],
  }
}

/** The `cdk` executable on PATH, if any (looked up without running anything). */
export function findCdk(environment: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const directory of (environment.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(directory, 'cdk')
    if (existsSync(candidate)) return candidate
  }
  return undefined
}

/** True when the AWS SDK's default chain has something to start from: variables, a profile or a config file. */
export function hasAwsCredentials(environment: NodeJS.ProcessEnv = process.env, home = homedir()): boolean {
  const variables = ['AWS_ACCESS_KEY_ID', 'AWS_PROFILE', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CONTAINER_CREDENTIALS_FULL_URI']
  if (variables.some((name) => environment[name])) return true
  return existsSync(path.join(home, '.aws', 'credentials')) || existsSync(path.join(home, '.aws', 'config'))
}

/** Deploys the synthesized assembly with `cdk deploy` (its output goes to the terminal); returns the config values. */
export async function deployWithCdk(cdk: string, target: DeployTarget): Promise<Record<string, string>> {
  const outputsFile = path.join(target.outdir, 'outputs.json')
  const result = await execa(cdk, ['deploy', '--app', target.outdir, '--require-approval', 'never', '--outputs-file', outputsFile], {
    stdio: 'inherit',
    reject: false,
    env: {AWS_REGION: target.region},
  })
  if (result.exitCode !== 0) {
    throw new UserError(`cdk deploy of ${target.stackName} failed (exit code ${result.exitCode}).`, 'Read the CloudFormation events above; fix the cause and run `ftm batch infra deploy` again.')
  }
  return configValuesOf(parseStackOutputs(readFileSync(outputsFile, 'utf8'), outputsFile))
}

/** Quotes a path for a POSIX shell when it needs it. */
function quote(text: string): string {
  return /^[\w./@:=-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`
}
