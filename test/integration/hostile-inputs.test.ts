import {mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {type CliResult, runCli} from '../support/cli.js'
import {FakeChatServer} from '../../fakes/fake-chat-server.js'
import {sampleSubset, temporaryFolder} from '../support/sample-subset.js'

const header = 'companyid,companyname,transcriptid,componentorder,componenttext,mostimportantdateutc,speakertypename'

/** What a user must never see for a mistake of theirs: a stack trace or a claim that ftm has a bug. */
function expectClearRefusal(result: CliResult, message: RegExp): void {
  const output = result.stdout + result.stderr
  expect(result.exitCode, output).toBe(2)
  expect(output).toMatch(message)
  expect(output).not.toMatch(/bug in ftm|Unhandled 'error' event|\n\s+at /)
}

function allFiles(folder: string): string[] {
  return readdirSync(folder, {withFileTypes: true}).flatMap((entry) => (entry.isDirectory() ? allFiles(path.join(folder, entry.name)) : [path.join(folder, entry.name)]))
}

describe('hostile inputs at the command line', () => {
  const folder = temporaryFolder()
  const headerOnly = path.join(folder, 'header.csv')
  writeFileSync(headerOnly, `${header}\n`)

  it('a directory named x.csv as --source is exit 2 naming it', async () => {
    const directory = path.join(folder, 'x.csv')
    mkdirSync(directory)
    expectClearRefusal(await runCli(['run', '--source', directory, '--root', temporaryFolder()]), /is a directory, not a file/)
  })

  it('an empty or header-only source says the source has no rows', async () => {
    expectClearRefusal(await runCli(['run', '--source', headerOnly, '--root', temporaryFolder()]), /has no rows/)
  })

  it("--resume '' is exit 2 and starts nothing", async () => {
    const root = temporaryFolder()
    expectClearRefusal(await runCli(['run', '--resume', '', '--source', headerOnly, '--root', root]), /"" is not a run id/)
    expect(readdirSync(root)).toEqual([])
  })

  it("--root 's3://bucket/../../x' is rejected", async () => {
    expectClearRefusal(await runCli(['run', '--source', headerOnly, '--root', 's3://bucket/../../x']), /root \(from flag --root\) has a "\.\." segment/)
  })

  it('--executor batch --dry-run with a local root gets the refusal of a real submit', async () => {
    const {file} = sampleSubset({firms: 2, quarters: ['2024Q1']})
    const environment = {AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test'}
    const result = await runCli(['run', '--source', file, '--root', temporaryFolder(), '--executor', 'batch', '--dry-run'], {environment})
    expectClearRefusal(result, /Batch containers cannot read or write the local directory/)
  })

  it('an unknown FTM_* variable is a warning naming the closest key', async () => {
    const result = await runCli(['run', '--source', headerOnly, '--root', temporaryFolder()], {environment: {FTM_PARALEL: '3', FTM_LLM_BASE_URL: 'http://x/v1'}})
    expect(result.stderr).toContain('FTM_PARALEL is not one ftm reads and is ignored; did you mean FTM_PARALLEL?')
    expect(result.stderr).toContain('did you mean FTM_LLM__BASE_URL?')
  })

  it('every command that loads the config warns about an unknown FTM_* variable once, on stderr, never in --json stdout', async () => {
    const root = temporaryFolder()
    const warning = 'FTM_PARALEL is not one ftm reads and is ignored; did you mean FTM_PARALLEL?'
    for (const args of [['config', 'show', '--json'], ['runs', '--root', root, '--json'], ['plan', '--source', headerOnly, '--root', root, '--json']]) {
      const result = await runCli(args, {environment: {FTM_PARALEL: '3'}})
      expect(result.stderr.split(warning).length - 1, `ftm ${args.join(' ')}: ${result.stderr}`).toBe(1)
      expect(result.stdout).not.toContain('is not one ftm reads')
      expect(() => JSON.parse(result.stdout), result.stdout).not.toThrow()
    }
  })

  it('an S3 command prints no AWS SDK Node-version notice, and an unreachable S3 is exit 75 after the retries', async () => {
    const environment = {FTM_S3_ENDPOINT: 'http://127.0.0.1:9', FTM_S3_MAX_ATTEMPTS: '1', AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test'}
    const result = await runCli(['runs', '--root', 's3://ftm-bucket/out'], {environment})
    expect(result.exitCode, result.stderr).toBe(75)
    expect(result.stderr).not.toMatch(/NodeVersionSupportWarning|node >=22/)
  })
})

describe('secrets never written in clear', () => {
  const secrets = {
    FTM_LLM_API_KEY: 'sk-llm-key-3141592653',
    AWS_SECRET_ACCESS_KEY: 'aws-secret-2718281828',
    AWS_SESSION_TOKEN: 'aws-session-1618033988',
    PGPASSWORD: 'pg-password-1414213562',
    FTM_REGISTRY_PASSWORD: 'registry-password-1732050807',
  }
  const urlPassword = 'url-password-2236067977'
  let fake: FakeChatServer

  beforeAll(async () => {
    fake = await FakeChatServer.start({model: 'vllm-test', apiKey: secrets.FTM_LLM_API_KEY})
  })
  afterAll(async () => fake.close())

  it('greps every file under the root, every log and every printed payload for every secret value and URL password', async () => {
    const {file} = sampleSubset({firms: 2, quarters: ['2024Q1']})
    const root = temporaryFolder()
    const llm = {FTM_LLM__BASE_URL: fake.url, FTM_LLM__MODEL: 'vllm-test', AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'AKIATEST'}
    const printed: CliResult[] = []
    // A run that names topics through the LLM with its key, and every command a user would look with
    const run = await runCli(['run', '--source', file, '--root', root, '--json'], {environment: {...secrets, ...llm}})
    expect(run.exitCode, run.stderr).toBe(0)
    expect(fake.requestCount).toBeGreaterThan(0) // the key reached the server, so it was in the workers' environment
    printed.push(run)
    const runId = readdirSync(path.join(root, 'runs'))[0]!
    for (const args of [['status', runId], ['logs', runId], ['config', 'show'], ['runs']]) printed.push(await runCli([...args, '--root', root], {environment: {...secrets, ...llm}}))
    // The Batch payloads a dry run prints (the environment a job would get)
    printed.push(await runCli(['run', '--source', file, '--root', root, '--executor', 'batch', '--set', 'batch.endpoint=http://127.0.0.1:9', '--dry-run', '--json'], {environment: {...secrets, ...llm}}))
    // A password in llm.baseUrl or pipeline.embedding.url is refused, and not echoed
    const withPassword = fake.url.replace('http://', `http://user:${urlPassword}@`)
    const refused = [
      await runCli(['run', '--source', file, '--root', root], {environment: {...secrets, ...llm, FTM_LLM__BASE_URL: withPassword}}),
      await runCli(['config', 'show', '--set', `pipeline.embedding.url=${withPassword}`], {environment: secrets}),
    ]
    for (const result of refused) expect(result.exitCode, result.stderr).toBe(2)
    printed.push(...refused)

    const texts = [...allFiles(root).map((name) => ({where: name, text: readFileSync(name, 'latin1')})), ...printed.map((result, index) => ({where: `output ${index}`, text: result.stdout + result.stderr}))]
    expect(allFiles(root).some((name) => name.includes(`${path.sep}logs${path.sep}`))).toBe(true)
    for (const value of [...Object.values(secrets), urlPassword]) {
      expect(texts.filter(({text}) => text.includes(value)).map(({where}) => where), value).toEqual([])
    }
  })
})
