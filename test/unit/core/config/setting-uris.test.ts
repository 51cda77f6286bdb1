import os from 'node:os'
import {describe, expect, it} from 'vitest'
import {loadConfig} from '../../../../src/core/config/load-config.js'

const load = (values: Record<string, unknown>, assignments: string[] = [], environment: NodeJS.ProcessEnv = {}) =>
  loadConfig({cwd: os.tmpdir(), environment, assignments, flags: {values, names: {root: '--root', source: '--source'}}})

const refusal = (work: () => unknown): {name: string; exitCode: number; message: string; hint: string} => {
  try {
    work()
  } catch (error) {
    return error as {name: string; exitCode: number; message: string; hint: string}
  }
  throw new Error('expected a refusal')
}

describe('one validation of URIs and secret-bearing settings', () => {
  it('rejects an s3:// root with "..", "." or empty segments', () => {
    for (const root of ['s3://bucket/../../x', 's3://bucket/a/./b', 's3://bucket//x']) {
      const error = refusal(() => load({root}))
      expect(error.name).toBe('UserError')
      expect(error.exitCode).toBe(2)
      expect(error.message).toContain('root (from flag --root) has')
    }
    expect(load({root: 's3://bucket/ftm/runs/'}).config.root).toBe('s3://bucket/ftm/runs/')
  })

  it('rejects an s3:// source with ".." the same way, and a bad bucket name', () => {
    expect(refusal(() => load({source: 's3://bucket/../calls.csv'})).message).toContain('source (from flag --source) has a ".." segment')
    expect(refusal(() => load({root: 's3:///x'})).message).toContain('not a valid bucket name')
  })

  it('refuses a password in llm.baseUrl, pipeline.embedding.url, --source and --root, naming where it came from, never the password', () => {
    const cases: Array<[string, () => unknown]> = [
      ['llm.baseUrl (from flag --set llm.baseUrl)', () => load({}, ['llm.baseUrl=http://user:hunter2@vllm:8000/v1', 'llm.model=m'])],
      ['llm.baseUrl (from environment variable FTM_LLM__BASE_URL)', () => load({}, ['llm.model=m'], {FTM_LLM__BASE_URL: 'https://me:hunter2@vllm/v1'})],
      ['pipeline.embedding.url', () => load({}, ['pipeline.embedding.url=http://a:hunter2@embed/v1'])],
      ['source (from flag --source)', () => load({source: 'postgres://wrds:hunter2@db:5432/wrds'})],
    ]
    for (const [where, work] of cases) {
      const error = refusal(work)
      expect(error.message).toContain(`${where}`)
      expect(error.message).toContain('contains a password')
      expect(`${error.message} ${error.hint}`).not.toContain('hunter2')
    }
    expect(refusal(cases[0]![1]).hint).toContain('FTM_LLM_API_KEY')
  })

  it('keeps a user name without a password, and plain URLs', () => {
    expect(load({source: 'wrds://jdoe@wrds-pgdata.wharton.upenn.edu'}).config.source).toBe('wrds://jdoe@wrds-pgdata.wharton.upenn.edu')
    expect(load({}, ['llm.baseUrl=http://vllm:8000/v1', 'llm.model=m']).config.llm.baseUrl).toBe('http://vllm:8000/v1')
  })
})

describe('unknown FTM_* variables', () => {
  it('warn, naming the closest variable ftm reads', () => {
    const {warnings} = load({}, [], {FTM_PARALEL: '3', FTM_LLM_BASE_URL: 'http://x/v1', FTM_PARALLEL: '2', FTM_RUN: 'x', PATH: '/bin'})
    expect(warnings).toEqual([
      'the environment variable FTM_LLM_BASE_URL is not one ftm reads and is ignored; did you mean FTM_LLM__BASE_URL?',
      'the environment variable FTM_PARALEL is not one ftm reads and is ignored; did you mean FTM_PARALLEL?',
    ])
  })

  it('know the variables the configuration points at, and say nothing near-less', () => {
    const {warnings} = load({}, ['llm.apiKeyVariable=FTM_MY_VLLM_KEY'], {FTM_MY_VLLM_KEY: 'k', FTM_ZZZZZZZZZZZZZZZZZZZZZZ: '1'})
    expect(warnings).toEqual(['the environment variable FTM_ZZZZZZZZZZZZZZZZZZZZZZ is not one ftm reads and is ignored'])
  })
})
