import {appendFileSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import path from 'node:path'
import {parse} from 'csv-parse/sync'
import {stringify} from 'csv-stringify/sync'
import {afterAll, describe, expect, it} from 'vitest'
import type {InspectResult} from '../../src/commands/inspect.js'
import {parseJson, runCli} from '../support/cli.js'
import {sampleSubset, temporaryFolder} from '../support/sample-subset.js'
import {prepareRun, startWorker} from '../support/prepared-run.js'
import {onlyRunId, readPartitionProgress, readRecord} from '../support/wait-for.js'

const quarter = '2024Q1'
const date = '2024-02-15 14:00:00'

/** A CSV of `good` real sample calls, with extra rows appended as [companyid, componentorder, text] per component. */
function callsWith(good: number, extra: {firmId: string; transcriptId: string; texts: string[]}[]): {file: string; goodIds: string[]} {
  const {file, firmIds} = sampleSubset({firms: good, quarters: [quarter]})
  const rows = extra.flatMap((call) =>
    call.texts.map((text, order) => [call.firmId, `Firm ${call.firmId}`, call.transcriptId, order, text, date, 'Executives']),
  )
  appendFileSync(file, stringify(rows))
  return {file, goodIds: firmIds}
}

/** The text of the first sample call, to give a firm with an odd id a real call. */
function realCallTexts(): string[] {
  const {file} = sampleSubset({firms: 1, quarters: [quarter]})
  return (parse(readFileSync(file), {columns: true}) as {componenttext: string}[]).map((row) => row.componenttext)
}

async function firmRows(root: string, runId: string): Promise<Record<string, unknown>[]> {
  const sql = 'SELECT firm_id, status, error_kind, error_message FROM firms ORDER BY firm_id'
  return parseJson<InspectResult>(await runCli(['inspect', '--root', root, '--run', runId, '--sql', sql, '--json'])).query!.rows
}

describe('failure tolerance', () => {
  it('gives each bad firm a clear failed row and models the rest, never writing outside the root', async () => {
    // Given good calls plus an empty call, a huge call, a two-sentence call and a firm id with path characters,
    // and a file with a malformed row, a duplicate component and bytes that are not UTF-8
    const {file, goodIds} = callsWith(3, [
      {firmId: '900001', transcriptId: '990001', texts: ['', '   ']},
      {firmId: '900002', transcriptId: '990002', texts: ['Revenue grew. '.repeat(5000)]},
      {firmId: '900003', transcriptId: '990003', texts: ['Margins improved on pricing. Demand stayed firm in Europe.']},
      {firmId: '../../escape', transcriptId: '990004', texts: realCallTexts()},
    ])
    appendFileSync(file, `900003,Firm 900003,990003,0,Duplicate component.,${date},Executives\n`)
    appendFileSync(file, `900005,Firm 900005,990005,notanumber,Malformed.,${date},Executives\n`)
    appendFileSync(file, Buffer.concat([Buffer.from(`900006,Firm 900006,990006,0,Caf`), Buffer.from([0xe9, 0xff]), Buffer.from(` sales fell.,${date},Executives\n`)]))
    const parent = temporaryFolder('ftm-parent-')
    const root = path.join(parent, 'out')

    // When the run goes
    const result = await runCli(['run', '--source', file, '--root', root, '--set', 'worker.maxCallCharacters=50000'])

    // Then it succeeds, with a failed row per bad firm and ok rows for the rest
    expect(result.exitCode, result.stderr).toBe(0)
    expect(result.stderr).toMatch(/Warning: .*transcripts\.csv: skipped 1 duplicate component, 1 malformed row \(/)
    expect(result.stderr).toMatch(/line \d+: transcript 990003 repeats component 0; the first is kept; line \d+: componentorder "notanumber" is not a whole number/)
    const runId = onlyRunId(root)!
    const rows = await firmRows(root, runId)
    const byId = Object.fromEntries(rows.map((row) => [row.firm_id, row]))
    for (const id of [...goodIds, '../../escape']) expect(byId[id]).toMatchObject({status: 'ok', error_kind: null})
    expect(byId['900001']).toMatchObject({status: 'failed', error_kind: 'bad_transcript'})
    expect(byId['900002']).toMatchObject({status: 'failed', error_kind: 'bad_transcript'})
    expect(String(byId['900002']!.error_message)).toContain('worker.maxCallCharacters = 50000')
    expect(byId['900003']).toMatchObject({status: 'failed', error_kind: 'too_few_sentences'})
    expect(byId['900006']).toMatchObject({status: 'failed', error_kind: 'too_few_sentences'})
    expect(rows).toHaveLength(goodIds.length + 5)
    // And nothing was written beside the root
    expect(readdirSync(parent)).toEqual(['out'])
  })

  it('trips the circuit breaker after consecutive failures: commits what it has, says why, exits 3', async () => {
    // Given four empty calls whose ids sort before the good ones
    const {file} = callsWith(
      3,
      ['1', '2', '3', '4'].map((id) => ({firmId: id, transcriptId: `99${id}`, texts: ['']})),
    )
    const root = temporaryFolder()
    // When the breaker allows 3 failures in a row
    const result = await runCli(['run', '--source', file, '--root', root, '--partitions', '1', '--set', 'worker.breakerConsecutiveFailures=3'])
    // Then the worker tripped after the third with exit 3, its reason recorded, the failures committed
    expect(result.exitCode).toBe(1)
    const runId = onlyRunId(root)!
    expect(readPartitionProgress(root, quarter)).toMatchObject({phase: 'tripped', exitCode: 3, firmsProcessed: 3, firmsCommitted: 3})
    expect(readPartitionProgress(root, quarter)!.reason).toContain('3 firms failed in a row')
    expect(readRecord(root, runId).reason).toContain('3 firms failed in a row')
    expect((await firmRows(root, runId)).map((row) => row.firm_id)).toEqual(['1', '2', '3'])
  })

  it('makes the first failure fatal with allowFailures=false', async () => {
    const {file} = callsWith(2, [{firmId: '5', transcriptId: '995', texts: ['']}])
    const root = temporaryFolder()
    const result = await runCli(['run', '--source', file, '--root', root, '--partitions', '1', '--set', 'worker.allowFailures=false'])
    expect(result.exitCode).toBe(1)
    expect(readPartitionProgress(root, quarter)).toMatchObject({phase: 'tripped', exitCode: 3, firmsProcessed: 1})
  })

  it('trips at once when storage refuses writes for good (exit 3), before spending work on more firms', async () => {
    // Given a run whose output folder for the firms table cannot be created (a file stands in its way)
    const {file} = callsWith(4, [])
    const root = temporaryFolder()
    const {storage, record} = await prepareRun({source: file, root, partitions: 1, set: ['worker.checkpointInterval=1']})
    writeFileSync(path.join(root, 'firms'), 'not a folder')
    // When the worker commits its first chunk
    const result = await startWorker(storage, record, quarter)
    // Then the breaker tripped on the critical error with the breaker's exit code and the reason recorded
    expect(result.exitCode).toBe(3)
    const progress = readPartitionProgress(root, quarter)!
    expect(progress).toMatchObject({phase: 'tripped', exitCode: 3, firmsProcessed: 1, firmsCommitted: 0})
    expect(progress.reason).toMatch(/^storage is not writable: ENOTDIR/)
  })

  it('trips at once when the embedding model cannot load (exit 3), naming the model and the fix', async () => {
    const {file} = callsWith(2, [])
    const root = temporaryFolder()
    const model = path.join(root, 'no-such-model')
    const settings = ['pipeline.embedding.backend=transformers', `pipeline.embedding.model=${model}`]
    const result = await runCli(['run', '--source', file, '--root', root, '--partitions', '1', ...settings.flatMap((setting) => ['--set', setting])])
    expect(result.exitCode).toBe(1)
    const progress = readPartitionProgress(root, quarter)!
    expect(progress).toMatchObject({phase: 'tripped', exitCode: 3, firmsProcessed: 0})
    expect(progress.reason).toContain('the embedding model cannot load')
    expect(progress.reason).toContain(model)
  })

  describe('with a Spot interruption notice', () => {
    let server: Server | undefined
    afterAll(() => server?.close())

    it('commits the finished firms early and exits 143 so Batch retries the partition', async () => {
      // Given a metadata service that posts a notice once the worker finished two firms
      const {file, goodIds} = callsWith(20, [])
      const root = temporaryFolder()
      server = createServer((request, response) => {
        if (request.method === 'PUT') return response.end('token')
        const progress = readPartitionProgress(root, quarter)
        if (!progress || progress.firmsProcessed < 2) return response.writeHead(404).end()
        response.writeHead(200, {'content-type': 'application/json'}).end('{"action":"terminate","time":"2026-11-28T13:00:00Z"}')
      })
      await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
      const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      // When the worker watches for notices
      const settings = ['worker.spotWatch=on', `worker.spotEndpoint=${endpoint}`, 'worker.spotPollSeconds=0.1', 'worker.checkpointInterval=1000', 'worker.progressIntervalSeconds=0']
      const result = await runCli(['run', '--source', file, '--root', root, '--partitions', '1', ...settings.flatMap((setting) => ['--set', setting])])
      // Then it stopped early, committing every firm it had finished
      expect(result.exitCode).toBe(1)
      const progress = readPartitionProgress(root, quarter)!
      expect(progress).toMatchObject({phase: 'stopped', exitCode: 143})
      expect(progress.firmsCommitted).toBe(progress.firmsProcessed)
      expect(progress.firmsProcessed).toBeGreaterThanOrEqual(2)
      expect(progress.firmsProcessed).toBeLessThan(goodIds.length)
      expect(readFileSync(path.join(root, 'runs', onlyRunId(root)!, 'logs', quarter, 'part-00000.log'), 'utf8')).toContain('Spot interruption notice (terminate')
    })
  })
})
