import {chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {deployCommands} from '../../../../../executors/batch/infra/deploy.js'
import {configValuesOf, parseStackOutputs, writeConfigValues} from '../../../../../executors/batch/infra/outputs.js'
import {loadConfig} from '../../../../../src/core/config/load-config.js'
import {runCli, sampleTranscripts} from '../../../../support/cli.js'

const outputs = {
  JobQueue: 'ftm-spot',
  JobDefinition: 'ftm-worker',
  Bucket: 'ftm-batch-bucket83908e77-1a2b3c',
  Root: 's3://ftm-batch-bucket83908e77-1a2b3c/ftm',
  Repository: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/ftm-pipeline',
  Image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/ftm-pipeline:latest',
  LogGroup: '/ftm/batch/worker',
  Region: 'eu-west-1',
  JobRole: 'arn:aws:iam::123456789012:role/ftm-batch-JobRole014917C6-AbC',
  ExecutionRole: 'arn:aws:iam::123456789012:role/ftm-batch-ExecutionRole605A040B-DeF',
}
/** The shape `aws cloudformation describe-stacks --output json` prints. */
const describeStacks = {
  Stacks: [{StackName: 'ftm-batch', StackStatus: 'CREATE_COMPLETE', Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({OutputKey, OutputValue, Description: 'x'}))}],
}

describe('stack outputs into the configuration', () => {
  it('reads describe-stacks, its Outputs list, and cdk --outputs-file alike', () => {
    const expected = configValuesOf(outputs)
    expect(configValuesOf(parseStackOutputs(JSON.stringify(describeStacks), 'a'))).toEqual(expected)
    expect(configValuesOf(parseStackOutputs(JSON.stringify(describeStacks.Stacks[0]!.Outputs), 'b'))).toEqual(expected)
    expect(configValuesOf(parseStackOutputs(JSON.stringify({'ftm-batch': outputs}), 'c'))).toEqual(expected)
    expect(expected).toMatchObject({'batch.jobQueue': 'ftm-spot', 'batch.region': 'eu-west-1', root: outputs.Root})
  })

  it('names missing outputs and non-JSON input', () => {
    const partial: Record<string, string> = {...outputs}
    delete partial.JobQueue
    expect(() => parseStackOutputs(JSON.stringify({'ftm-batch': partial}), 'out.json')).toThrow(/out\.json lacks the stack outputs JobQueue/)
    expect(() => parseStackOutputs('Stacks: none', 'out.json')).toThrow(expect.objectContaining({name: 'UserError', message: 'out.json is not JSON.'}))
  })

  it('writes into a profile and keeps every other value; the file then loads', () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'ftm-infra-config-'))
    const file = path.join(directory, 'ftm.config.json')
    writeFileSync(file, JSON.stringify({parallel: 3, batch: {gpus: 1}, profiles: {batch: {executor: 'batch'}}}))
    writeConfigValues(file, configValuesOf(outputs), 'batch')
    const written = JSON.parse(readFileSync(file, 'utf8'))
    expect(written.parallel).toBe(3)
    expect(written.profiles.batch).toMatchObject({executor: 'batch', root: outputs.Root, batch: {jobQueue: 'ftm-spot', image: outputs.Image}})
    const {config} = loadConfig({configFile: file, profile: 'batch', environment: {}})
    expect(config.batch).toMatchObject({jobQueue: 'ftm-spot', jobDefinition: 'ftm-worker', logGroup: '/ftm/batch/worker', region: 'eu-west-1', jobRole: outputs.JobRole, gpus: 1})
    rmSync(directory, {recursive: true, force: true})
  })

  it('the printed deploy commands use the template, the region and CAPABILITY_IAM', () => {
    const commands = deployCommands({stackName: 'ftm-batch', outdir: '/tmp/my out', templateFile: '/tmp/my out/ftm-batch.template.json', region: 'eu-west-1'})
    expect(commands.cloudFormation).toEqual([
      "aws cloudformation deploy --region eu-west-1 --stack-name ftm-batch --template-file '/tmp/my out/ftm-batch.template.json' --capabilities CAPABILITY_IAM",
      "aws cloudformation describe-stacks --region eu-west-1 --stack-name ftm-batch --output json > '/tmp/my out/outputs.json'",
      "ftm batch infra import-outputs '/tmp/my out/outputs.json'",
    ])
    expect(commands.cdk[0]).toBe("AWS_REGION=eu-west-1 npx aws-cdk@2 deploy --app '/tmp/my out' --require-approval never --outputs-file '/tmp/my out/outputs.json'")
  })
})

describe('ftm batch infra (the built CLI)', () => {
  let directory: string
  let bin: string
  const parse = (stdout: string) => JSON.parse(stdout) as Record<string, unknown>

  beforeAll(() => {
    directory = mkdtempSync(path.join(tmpdir(), 'ftm-infra-cli-'))
    bin = path.join(directory, 'bin')
    mkdirSync(bin)
  })
  afterAll(() => rmSync(directory, {recursive: true, force: true}))

  it('deploy without cdk synthesizes offline and prints the commands; import-outputs then configures the executor', async () => {
    const deploy = await runCli(['batch', 'infra', 'deploy', '--out', 'assembly', '--set', 'infra.logRetentionDays=14', '--json'], {cwd: directory, environment: {PATH: bin}})
    expect(deploy.stderr).toBe('')
    const result = parse(deploy.stdout)
    const templateFile = path.join(directory, 'assembly', 'ftm-batch.template.json')
    expect(result).toMatchObject({deployed: false, reason: 'the cdk CLI is not installed', templateFile})
    const template = JSON.parse(readFileSync(templateFile, 'utf8'))
    expect(Object.values(template.Resources).find((resource) => (resource as {Type: string}).Type === 'AWS::Logs::LogGroup')).toMatchObject({Properties: {RetentionInDays: 14}})
    expect((result.commands as {cloudFormation: string[]}).cloudFormation[0]).toContain(`--template-file ${templateFile} --capabilities CAPABILITY_IAM`)

    writeFileSync(path.join(directory, 'outputs.json'), JSON.stringify(describeStacks))
    const imported = await runCli(['batch', 'infra', 'import-outputs', 'outputs.json'], {cwd: directory})
    expect(imported.exitCode).toBe(0)
    expect(imported.stdout).toContain('batch.jobQueue = ftm-spot')
    const {config} = loadConfig({cwd: directory, environment: {}})
    expect(config.root).toBe(outputs.Root)
    expect(config.batch.image).toBe(outputs.Image)
  })

  it('deploy with cdk on PATH and credentials runs `cdk deploy` on the assembly and writes its outputs', async () => {
    // A stand-in for the cdk CLI (nothing here can reach AWS): records its arguments, writes an outputs file.
    const record = path.join(directory, 'cdk-arguments.json')
    writeFileSync(
      path.join(bin, 'cdk'),
      `#!${process.execPath}\nconst fs = require('node:fs')\nconst args = process.argv.slice(2)\nfs.writeFileSync(${JSON.stringify(record)}, JSON.stringify({args, region: process.env.AWS_REGION}))\n` +
        `fs.writeFileSync(args[args.indexOf('--outputs-file') + 1], JSON.stringify({'ftm-batch': ${JSON.stringify(outputs)}}))\n`,
    )
    chmodSync(path.join(bin, 'cdk'), 0o755)
    writeFileSync(path.join(directory, 'batch.json'), JSON.stringify({profiles: {batch: {parallel: 5}}}))
    const second = await runCli(['batch', 'infra', 'deploy', '--out', 'assembly', '--profile', 'batch', '--config', 'batch.json'], {
      cwd: directory,
      environment: {PATH: bin, AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'example', FTM_BATCH__REGION: 'eu-west-1'},
    })
    expect(second.stderr).toBe('')
    expect(second.exitCode).toBe(0)
    expect(JSON.parse(readFileSync(record, 'utf8'))).toEqual({
      args: ['deploy', '--app', path.join(directory, 'assembly'), '--require-approval', 'never', '--outputs-file', path.join(directory, 'assembly', 'outputs.json')],
      region: 'eu-west-1',
    })
    expect(existsSync(path.join(directory, 'assembly', 'ftm-batch.template.json'))).toBe(true)
    const {config} = loadConfig({configFile: path.join(directory, 'batch.json'), profile: 'batch', environment: {}})
    expect(config).toMatchObject({parallel: 5, root: outputs.Root, batch: {jobQueue: 'ftm-spot', executionRole: outputs.ExecutionRole}})
  })

  it('`ftm run` never loads the CDK (the infra commands import it only when they run)', async () => {
    const hook = path.join(directory, 'hook.mjs')
    writeFileSync(hook, "export async function resolve(specifier, context, next) {\n  const result = await next(specifier, context)\n  if (result.url.includes('/node_modules/aws-cdk-lib/') || result.url.includes('/node_modules/constructs/')) process.stderr.write(`CDK LOADED ${result.url}\\n`)\n  return result\n}\n")
    const register = path.join(directory, 'register.mjs')
    writeFileSync(register, `import {register} from 'node:module'\nregister(${JSON.stringify(pathToFileURL(hook).href)})\n`)
    const plain = path.join(directory, 'plain') // no ftm.config.json from the tests above
    mkdirSync(plain)
    const run = await runCli(['run', '--executor', 'batch', '--parallel', '5', '--source', sampleTranscripts, '--quarters', '2024Q1', '--root', 's3://bucket/ftm', '--dry-run', '--json'], {cwd: plain, environment: {NODE_OPTIONS: `--import ${register}`}})
    expect(run.stdout).toContain('"jobQueue": "ftm-spot"')
    expect(run.exitCode).toBe(0)
    expect(run.stderr).not.toContain('CDK LOADED')
    // The hook works: synthesis does load it.
    const synth = await runCli(['batch', 'infra', 'synth', '--out', 'hooked'], {cwd: plain, environment: {NODE_OPTIONS: `--import ${register}`}})
    expect(synth.stderr).toContain('CDK LOADED')
  })
})
