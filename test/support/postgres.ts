import {execFileSync} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import {wrdsFixtureSql, type WrdsFixture} from '../../fixtures/wrds/fixture-sql.js'
import {sampleTranscripts} from './cli.js'

/**
 * The PostgreSQL that .ci/run starts: FTM_TEST_POSTGRES_URL (a login that may create databases), else the role
 * .ci/run creates on 127.0.0.1:5432. Tests reach it with psql; the code under test uses node-postgres.
 */
export const adminUrl = process.env.FTM_TEST_POSTGRES_URL ?? 'postgres://ftm_test:ftm-test-password@127.0.0.1:5432/postgres'

/** Why PostgreSQL cannot be used here, or undefined when it can. */
export const postgresMissing: string | undefined = (() => {
  try {
    execFileSync('psql', [adminUrl, '-Atqc', 'SELECT 1'], {stdio: 'pipe', timeout: 20_000})
    return undefined
  } catch (error) {
    return `cannot connect with psql to ${new URL(adminUrl).host} (${String((error as {stderr?: Buffer}).stderr ?? (error as Error).message).trim().split('\n')[0]})`
  }
})()

/** A fresh database for one test file, with the parts of its login the tests pass to ftm separately. */
export interface TestDatabase {
  host: string
  port: number
  database: string
  user: string
  password: string
  /** The URI for psql (with the password: never give it to ftm as a source). */
  url: string
  fixture?: WrdsFixture
  drop(): void
}

/** Creates a database with a random name; with `loadFixture`, fills it with the WRDS-shaped sample transcripts. */
export function createTestDatabase(options: {loadFixture?: boolean; csvFile?: string} = {}): TestDatabase {
  const admin = new URL(adminUrl)
  const database = `ftm_test_${randomBytes(4).toString('hex')}`
  psql(adminUrl, `CREATE DATABASE ${database}`)
  const url = new URL(adminUrl)
  url.pathname = `/${database}`
  const result: TestDatabase = {
    host: admin.hostname,
    port: Number(admin.port || 5432),
    database,
    user: decodeURIComponent(admin.username),
    password: decodeURIComponent(admin.password),
    url: url.toString(),
    drop: () => psql(adminUrl, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`),
  }
  if (options.loadFixture) {
    result.fixture = wrdsFixtureSql(options.csvFile ?? sampleTranscripts)
    psql(result.url, result.fixture.sql)
  }
  return result
}

/** Runs SQL through psql, stopping at the first error. */
export function psql(url: string, sql: string): string {
  return execFileSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-Atq'], {input: sql, stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024}).toString()
}
