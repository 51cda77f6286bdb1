import {existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {parse} from 'csv-parse/sync'
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

  it('Latin-1 bytes in a CSV are a warning with counts and lines, and --encoding latin1 reads them', async () => {
    const {file} = sampleSubset({firms: 1, quarters: ['2024Q1']})
    // Two components get a Latin-1 é (0xE9), which is not UTF-8.
    const lines = readFileSync(file, 'latin1').split('\n')
    const rowsWithThe = lines.map((line, index) => (index > 0 && /^\d+,/.test(line) && line.includes(' the ') ? index : -1)).filter((index) => index > 0)
    for (const index of rowsWithThe.slice(0, 2)) lines[index] = lines[index]!.replace(/ the /, ' caf\u00e9 the ')
    writeFileSync(file, Buffer.from(lines.join('\n'), 'latin1'))
    const utf8 = await runCli(['run', '--source', file, '--root', temporaryFolder()])
    expect(utf8.exitCode, utf8.stderr).toBe(0)
    expect(utf8.stderr).toMatch(/2 components with bytes that are not UTF-8, read as \uFFFD \(line \d+: transcript \d+ component \d+; line \d+: /)
    expect(utf8.stderr).toContain('pass --encoding latin1')
    const latin1 = await runCli(['run', '--source', file, '--root', temporaryFolder(), '--encoding', 'latin1'])
    expect(latin1.exitCode, latin1.stderr).toBe(0)
    expect(latin1.stderr).not.toContain('not UTF-8')
  })

  it('a JSONL source with garbage lines skips them with their line numbers and models the rest', async () => {
    const {file} = sampleSubset({firms: 1, quarters: ['2024Q1']})
    const rows = parse(readFileSync(file), {columns: true}) as Record<string, string>[]
    const jsonl = path.join(temporaryFolder(), 'calls.jsonl')
    const lines = rows.map((row) => JSON.stringify(row))
    lines.splice(1, 0, '{"companyid": 1, broken')
    lines.splice(3, 0, 'not json at all')
    writeFileSync(jsonl, `${lines.join('\n')}\n`)
    const result = await runCli(['run', '--source', jsonl, '--root', temporaryFolder(), '--json'])
    expect(result.exitCode, result.stderr).toBe(0)
    expect(result.stderr).toMatch(/skipped 2 .*line 2.*line 4/)
    expect(JSON.parse(result.stdout).summary.quarters[0]).toMatchObject({ok: 1, failed: 0})
  })

  it('a root that cannot be written (a path under a file; chmod 500 does not stop root here) is exit 2, nothing half-written', async () => {
    const {file} = sampleSubset({firms: 1, quarters: ['2024Q1']})
    const blocker = path.join(temporaryFolder(), 'not-a-folder')
    writeFileSync(blocker, 'x')
    const result = await runCli(['run', '--source', file, '--root', path.join(blocker, 'out')])
    expectClearRefusal(result, /not-a-folder/)
    expect(readFileSync(blocker, 'utf8')).toBe('x')
  })

  it('--parallel 1000 on the process executor is refused with the reason, before a run exists', async () => {
    const {file} = sampleSubset({firms: 1, quarters: ['2024Q1']})
    const root = temporaryFolder()
    expectClearRefusal(await runCli(['run', '--source', file, '--root', root, '--parallel', '1000']), /--parallel 1000/)
    expect(readdirSync(root)).toEqual([])
  })

  it('the staging folder a SIGKILLed worker left in the temp folder is removed by the next run', async () => {
    // A folder named for a process that is gone (pids never reach 2^22 + 1 on Linux).
    const leftover = path.join(os.tmpdir(), 'ftm-parquet-4194305-hostile')
    mkdirSync(leftover, {recursive: true})
    const {file} = sampleSubset({firms: 1, quarters: ['2024Q1']})
    const result = await runCli(['run', '--source', file, '--root', temporaryFolder()])
    expect(result.exitCode, result.stderr).toBe(0)
    expect(existsSync(leftover)).toBe(false)
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
