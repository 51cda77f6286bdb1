import {chmodSync, writeFileSync} from 'node:fs'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import path from 'node:path'
import {afterAll, beforeAll, expect, it} from 'vitest'
import {decoyMarker} from '../../fixtures/wrds/fixture-sql.js'
import {isUserError} from '../../src/base/errors.js'
import {checkSourceUnchanged, fingerprintSource} from '../../src/core/run/source-fingerprint.js'
import {CsvSource} from '../../src/sources/csv-source.js'
import {openSource} from '../../src/sources/open-source.js'
import {parseDatabaseSource} from '../../src/sources/wrds/source-uri.js'
import {WrdsSource} from '../../src/sources/wrds/wrds-source.js'
import {sampleTranscripts} from '../support/cli.js'
import {createTestDatabase, postgresMissing, psql, type TestDatabase} from '../support/postgres.js'
import {temporaryFolder} from '../support/sample-subset.js'
import {describeWithService} from '../support/service.js'

const credentialVariables = ['PGUSER', 'PGPASSWORD', 'PGPASSFILE', 'PGHOST', 'PGPORT', 'PGDATABASE']

describeWithService('PostgreSQL', postgresMissing, 'the WRDS source against PostgreSQL with a WRDS-shaped schema', () => {
  let database: TestDatabase
  let saved: Record<string, string | undefined>
  const instant = async (): Promise<void> => {}
  const uri = (parameters = ''): string => `postgres://${database.host}:${database.port}/${database.database}${parameters}`
  const login = (): NodeJS.ProcessEnv => ({PGUSER: database.user, PGPASSWORD: database.password})
  const source = (parameters = '', environment = login()): WrdsSource => new WrdsSource(parseDatabaseSource(uri(parameters)), {}, environment, instant)

  beforeAll(() => {
    saved = Object.fromEntries(credentialVariables.map((name) => [name, process.env[name]]))
    // node-postgres falls back to these; the tests pass credentials explicitly.
    for (const name of credentialVariables) delete process.env[name]
    database = createTestDatabase({loadFixture: true})
  })
  afterAll(() => {
    database?.drop()
    for (const [name, value] of Object.entries(saved)) if (value !== undefined) process.env[name] = value
  })

  it('returns the same firms and calls as the CSV they were loaded from, in both quarters', async () => {
    const wrds = source()
    const csv = new CsvSource(sampleTranscripts)
    try {
      for (const quarter of ['2024Q1', '2024Q2']) {
        const firms = await wrds.listFirms(quarter)
        expect(firms).toEqual(await csv.listFirms(quarter))
        expect(firms.length).toBeGreaterThan(10)
        for (const firm of firms) {
          const call = await wrds.fetchFirm(firm.id, quarter)
          // WRDS adds each component's type (transcriptcomponenttypename), which the sample CSV does not carry.
          const withoutTypes = {...call!, components: call!.components.map(({componentType: _type, ...component}) => component)}
          expect(withoutTypes).toEqual(await csv.fetchFirm(firm.id, quarter))
          const analystTypes = new Set(call!.components.filter((component) => component.speakerType === 'Analysts').map((component) => component.componentType))
          expect([...analystTypes]).toEqual(['Question'])
        }
      }
    } finally {
      await wrds.close()
    }
  })

  it('keeps earnings calls only and the latest version of each call', async () => {
    const wrds = source()
    try {
      const {nonEarningsFirm, supersededTranscripts} = database.fixture!
      expect((await wrds.listFirms(nonEarningsFirm.quarter)).map((firm) => firm.id)).not.toContain(nonEarningsFirm.id)
      expect(await wrds.fetchFirm(nonEarningsFirm.id, nonEarningsFirm.quarter)).toBeUndefined()
      const csv = new CsvSource(sampleTranscripts)
      for (const quarter of ['2024Q1', '2024Q2']) {
        for (const firm of await csv.listFirms(quarter)) {
          const call = (await wrds.fetchFirm(firm.id, quarter))!
          expect(call.components.some((component) => component.text.includes(decoyMarker))).toBe(false)
        }
      }
      expect(supersededTranscripts).toHaveLength(3)
    } finally {
      await wrds.close()
    }
  })

  it('opens through openSource, requires TLS by default and connects with it', async () => {
    const wrds = openSource(uri(), {firmIds: new Set(['1'])})
    const saved = {...process.env}
    Object.assign(process.env, login())
    try {
      expect(await wrds.listFirms('2024Q1')).toEqual([])
      // The pool's connection is still open: the server says whether it is encrypted.
      const encrypted = psql(database.url, `SELECT bool_and(s.ssl) FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE a.application_name = 'ftm' AND a.datname = '${database.database}'`)
      expect(encrypted.trim()).toBe('t')
    } finally {
      await wrds.close()
      process.env = saved
    }
    expect(parseDatabaseSource('wrds://')).toMatchObject({host: 'wrds-pgdata.wharton.upenn.edu', port: 9737, database: 'wrds', sslmode: 'require'})
  })

  it('takes the login from other variables, or the password from ~/.pgpass', async () => {
    const named = source('?userVariable=WRDS_USER&passwordVariable=WRDS_PASSWORD', {WRDS_USER: database.user, WRDS_PASSWORD: database.password})
    expect((await named.listFirms('2024Q1')).length).toBeGreaterThan(0)
    await named.close()

    const passFile = path.join(temporaryFolder(), 'pgpass')
    writeFileSync(passFile, `${database.host}:${database.port}:*:${database.user}:${database.password}\n`)
    chmodSync(passFile, 0o600)
    process.env.PGPASSFILE = passFile
    try {
      const fromFile = source('', {PGUSER: database.user})
      expect((await fromFile.listFirms('2024Q1')).length).toBeGreaterThan(0)
      await fromFile.close()
    } finally {
      delete process.env.PGPASSFILE
    }
  })

  it('reads the login from an AWS Secrets Manager secret', async () => {
    const requests: string[] = []
    const server: Server = createServer((request, response) => {
      let body = ''
      request.on('data', (chunk: Buffer) => (body += chunk.toString()))
      request.on('end', () => {
        requests.push(`${String(request.headers['x-amz-target'])} ${body}`)
        const {SecretId} = JSON.parse(body) as {SecretId: string}
        response.setHeader('content-type', 'application/x-amz-json-1.1')
        response.end(JSON.stringify({ARN: SecretId, Name: 'wrds', VersionId: 'v1', SecretString: JSON.stringify({username: database.user, password: database.password})}))
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const saved = {...process.env}
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_SECRETS_MANAGER: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    })
    const arn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:wrds-login-AbCdEf'
    try {
      const fromSecret = source(`?secret=${encodeURIComponent(arn)}`, {})
      expect((await fromSecret.listFirms('2024Q1')).length).toBeGreaterThan(0)
      await fromSecret.close()
      expect(requests).toEqual([`secretsmanager.GetSecretValue ${JSON.stringify({SecretId: arn})}`])
    } finally {
      process.env = saved
      server.close()
    }
  })

  it('explains a refused login without the password, an unreachable server and missing tables', async () => {
    const secret = 'not-the-password-4711'
    const refused = source('', {PGUSER: database.user, PGPASSWORD: secret})
    const loginError = (await refused.listFirms('2024Q1').catch((error: unknown) => error)) as Error & {hint: string}
    await refused.close()
    expect(isUserError(loginError)).toBe(true)
    expect(loginError.message).toMatch(/refused the login/)
    expect(`${loginError.message} ${loginError.hint}`).not.toContain(secret)

    const unreachable = new WrdsSource(parseDatabaseSource(`postgres://127.0.0.1:9/${database.database}`), {}, login(), instant)
    const networkError = (await unreachable.listFirms('2024Q1').catch((error: unknown) => error)) as Error & {exitCode: number}
    await unreachable.close()
    expect(networkError.message).toMatch(/unreachable/)
    expect(networkError.exitCode).toBe(75)

    const empty = createTestDatabase()
    try {
      const missing = new WrdsSource(parseDatabaseSource(`postgres://${empty.host}:${empty.port}/${empty.database}`), {}, login(), instant)
      const tableError = (await missing.fetchFirm('1', '2024Q1').catch((error: unknown) => error)) as Error & {hint: string}
      await missing.close()
      expect(tableError.message).toMatch(/transcript tables are missing/)
      expect(tableError.hint).toMatch(/ciq_transcripts/)
    } finally {
      empty.drop()
    }
  })

  it("a run's fingerprint of WRDS is per quarter the count of call transcripts and the highest id; a new version stops a resume", async () => {
    const own = createTestDatabase({loadFixture: true})
    try {
      const source = `postgres://${own.host}:${own.port}/${own.database}`
      const recorded = (await fingerprintSource(source, ['2024Q1', '2024Q2'], login()))!
      expect(recorded.kind).toBe('database')
      const quarters = (recorded as {quarters: Record<string, {transcripts: number; latestTranscriptId: string}>}).quarters
      expect(quarters['2024Q1']!.transcripts).toBeGreaterThan(0)
      await expect(checkSourceUnchanged('r', source, recorded, login())).resolves.toBeUndefined()
      // When WRDS publishes a corrected version of a call in 2024Q1 (a new transcript id)
      psql(own.url, `INSERT INTO ciq.wrds_transcript_detail (companyid, companyname, keydevid, transcriptid, mostimportantdateutc, keydeveventtypeid, transcriptpresentationtypeid)
        SELECT companyid, companyname, keydevid, 999999999, mostimportantdateutc, keydeveventtypeid, 5 FROM ciq.wrds_transcript_detail
        WHERE keydeveventtypeid = 48 AND mostimportantdateutc >= '2024-01-01' AND mostimportantdateutc < '2024-04-01' LIMIT 1`)
      const refused = (await checkSourceUnchanged('r', source, recorded, login()).catch((error: unknown) => error)) as Error & {hint: string; exitCode: number}
      expect(refused.exitCode).toBe(2)
      expect(refused.message).toContain(`2024Q1 had ${quarters['2024Q1']!.transcripts} earnings-call transcripts up to id ${quarters['2024Q1']!.latestTranscriptId}, now ${quarters['2024Q1']!.transcripts + 1} up to id 999999999`)
      expect(refused.message).not.toContain('2024Q2')
      expect(refused.hint).toContain('Start a new run')
    } finally {
      own.drop()
    }
  })
})

it('refuses a password in the source URI and unknown settings', () => {
  expect(() => parseDatabaseSource('postgres://user:secret@host/db')).toThrow(/contains a password/)
  expect(() => parseDatabaseSource('wrds://?sslmode=prefer')).toThrow(/sslmode/)
  expect(() => parseDatabaseSource('wrds://?password=x')).toThrow(/unknown parameters/)
})
