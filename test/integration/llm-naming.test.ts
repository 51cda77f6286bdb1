import {readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {InspectResult} from '../../src/commands/inspect.js'
import type {RunResult} from '../../src/commands/run.js'
import {parseJson, runCli} from '../support/cli.js'
import {FakeChatServer, fakeLabel} from '../../fakes/fake-chat-server.js'
import {sampleSubset, temporaryFolder} from '../support/sample-subset.js'

const secret = 'sk-fake-0123456789abcdef'

/** Every file under a folder, recursively. */
function allFiles(folder: string): string[] {
  return readdirSync(folder, {withFileTypes: true}).flatMap((entry) =>
    entry.isDirectory() ? allFiles(path.join(folder, entry.name)) : [path.join(folder, entry.name)],
  )
}

async function query(root: string, sql: string): Promise<Record<string, unknown>[]> {
  return parseJson<InspectResult>(await runCli(['inspect', '--root', root, '--sql', sql, '--json'])).query!.rows
}

describe('ftm run names topics through an OpenAI-compatible endpoint', () => {
  const data = sampleSubset({firms: 3, quarters: ['2024Q1']})
  let fake: FakeChatServer

  const run = (root: string, environment: Record<string, string> = {}) =>
    runCli(['run', '--source', data.file, '--root', root, '--json'], {
      environment: {
        FTM_LLM__BASE_URL: fake.url,
        FTM_LLM__MODEL: 'vllm-test',
        FTM_LLM__RETRIES: '1',
        FTM_LLM__BACKOFF_SECONDS: '0.01',
        FTM_LLM_API_KEY: secret,
        ...environment,
      },
    })

  beforeAll(async () => {
    fake = await FakeChatServer.start({model: 'vllm-test', apiKey: secret, latencyMs: 30})
  })
  afterAll(async () => fake.close())

  describe('with a healthy endpoint', () => {
    const root = temporaryFolder()
    let first: Awaited<ReturnType<typeof run>>

    beforeAll(async () => {
      first = await run(root)
    })

    it('names every topic of a firm in one request, with LLM labels in the topics table', async () => {
      expect(first.exitCode, first.stderr).toBe(0)
      expect(fake.requestCount).toBe(3)
      const topics = await query(root, 'SELECT firm_id, topic_id, label, label_source, keywords FROM topics ORDER BY firm_id, topic_id')
      expect(new Set(topics.map((topic) => topic.firm_id))).toEqual(new Set(data.firmIds))
      for (const topic of topics) expect(topic).toMatchObject({label_source: 'llm', label: fakeLabel(topic.keywords as string[])})
      const perFirm = data.firmIds.map((firm) => topics.filter((topic) => topic.firm_id === firm).length).sort()
      expect(fake.received.map((request) => request.topics.length).sort()).toEqual(perFirm)
    })

    it('times the wait for names into label_ms: the last firm, with no next firm to model meanwhile, waits the whole answer', async () => {
      const firms = await query(root, 'SELECT label_ms FROM firms ORDER BY finished_at DESC LIMIT 1')
      expect(Number(firms[0]!.label_ms)).toBeGreaterThanOrEqual(25)
    })

    it('keeps the API key out of the run record, logs, output and terminal', () => {
      expect(first.stdout + first.stderr).not.toContain(secret)
      const files = allFiles(root)
      expect(files.some((file) => file.endsWith('run.json'))).toBe(true)
      for (const file of files) expect(readFileSync(file).includes(secret), file).toBe(false)
      const record = JSON.parse(readFileSync(files.find((file) => file.endsWith('run.json'))!, 'utf8')) as {config: {llm: Record<string, unknown>}}
      expect(record.config.llm).toMatchObject({baseUrl: fake.url, model: 'vllm-test', apiKeyVariable: 'FTM_LLM_API_KEY'})
    })

    it('does not pay twice when the firms are run again on the same root', async () => {
      const again = await run(root)
      expect(again.exitCode, again.stderr).toBe(0)
      expect(parseJson<RunResult>(again).runId).not.toBe(parseJson<RunResult>(first).runId)
      expect(fake.requestCount).toBe(3)
      const labels = await query(root, "SELECT count(*) AS llm FROM topics WHERE label_source = 'llm'")
      const all = await query(root, 'SELECT count(*) AS topics FROM topics')
      expect(labels[0]!.llm).toBe(all[0]!.topics)
    })
  })

  describe('with an endpoint that keeps failing', () => {
    let broken: FakeChatServer
    beforeAll(async () => {
      broken = await FakeChatServer.start({decide: () => 'server-error'})
    })
    afterAll(async () => broken.close())

    it('keeps keyword labels and the firms ok with onFailure fallback, and says the LLM named nothing (exit 1)', async () => {
      const root = temporaryFolder()
      const result = await run(root, {FTM_LLM__BASE_URL: broken.url})
      expect(result.exitCode, result.stderr).toBe(1)
      const summary = parseJson<RunResult>(result)
      expect(summary.status).toBe('succeeded')
      expect(summary.reason).toMatch(/named none of the \d+ topics: every label fell back to keywords/)
      // The first firm tries twice (llm.retries = 1); once the endpoint is known to fail, later firms try once.
      expect(broken.requestCount).toBe(4)
      const firms = await query(root, 'SELECT status, count(*) AS firms FROM firms GROUP BY status')
      expect(firms).toEqual([{status: 'ok', firms: '3'}])
      const sources = await query(root, 'SELECT DISTINCT label_source FROM topics')
      expect(sources).toEqual([{label_source: 'keywords'}])
    })

    it('ends with exit 0 and the same reason when llm.whenAllFallback is warn', async () => {
      const result = await run(temporaryFolder(), {FTM_LLM__BASE_URL: broken.url, FTM_LLM__WHEN_ALL_FALLBACK: 'warn'})
      expect(result.exitCode, result.stderr).toBe(0)
      expect(parseJson<RunResult>(result).reason).toContain('every label fell back to keywords')
    })

    it('fails firms with llm_error and trips the circuit breaker with onFailure fail', async () => {
      const root = temporaryFolder()
      const result = await run(root, {FTM_LLM__BASE_URL: broken.url, FTM_LLM__ON_FAILURE: 'fail', FTM_WORKER__BREAKER_CONSECUTIVE_FAILURES: '2'})
      expect(result.exitCode).not.toBe(0)
      const firms = await query(root, 'SELECT firm_id, status, error_kind, error_message FROM firms ORDER BY firm_id')
      expect(firms).toHaveLength(2)
      for (const firm of firms) expect(firm).toMatchObject({status: 'failed', error_kind: 'llm_error'})
      expect(String(firms[0]!.error_message)).toContain('HTTP 500')
      const log = allFiles(root).filter((file) => file.includes(`${path.sep}logs${path.sep}`)).map((file) => readFileSync(file, 'utf8')).join('\n')
      expect(log).toContain('2 firms failed in a row')
    })
  })
})
