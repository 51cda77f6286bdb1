import {setTimeout as sleep} from 'node:timers/promises'
import {describe, expect, it} from 'vitest'
import type {Quarter} from '../../../src/base/quarter.js'
import {type RunRecord, runRecordLocation} from '../../../src/core/run-record.js'
import type {PartitionCheckpoints} from '../../../src/pipeline/checkpoints.js'
import {createEmbedder} from '../../../src/pipeline/embedding/create-embedder.js'
import {FirmError} from '../../../src/pipeline/firm-error.js'
import {type LoopOutcome, processFirms} from '../../../src/pipeline/firm-loop.js'
import type {FirmModel} from '../../../src/pipeline/model-firm.js'
import type {TopicNamer} from '../../../src/pipeline/naming/topic-namer.js'
import type {TableRows} from '../../../src/pipeline/output/table-columns.js'
import {ProgressReporter} from '../../../src/pipeline/progress-reporter.js'
import {openSource} from '../../../src/sources/open-source.js'
import type {Storage} from '../../../src/storage/storage.js'
import {prepareRun} from '../../support/prepared-run.js'
import {sampleSubset, temporaryFolder} from '../../support/sample-subset.js'

const quarter = '2024Q1' as Quarter

/** A namer that answers after a delay and writes down when it was asked and when it answered. */
function slowNamer(events: string[], options: {failCall?: number; delayMs?: number} = {}): TopicNamer {
  let calls = 0
  return {
    async nameTopics(model: FirmModel, firmName: string, signal?: AbortSignal) {
      events.push(`name ${firmName}`)
      const call = ++calls
      await sleep(options.delayMs ?? 50, undefined, {signal}) // rejects when aborted, as the real namer does
      events.push(`named ${firmName}`)
      if (call === options.failCall) throw new FirmError('llm_error', `the LLM endpoint failed for ${firmName}`)
      for (const topic of model.topics) Object.assign(topic, {label: `llm name for ${firmName}`, labelSource: 'llm'})
      return {named: model.topics.length, keywordLabels: 0, cacheHits: 0}
    },
  } as unknown as TopicNamer
}

async function runLoop(
  namer: TopicNamer,
  events: string[],
  options: {stopAtFetch?: number} = {},
): Promise<{outcome: LoopOutcome; committed: TableRows[]; record: RunRecord}> {
  const data = sampleSubset({firms: 3, quarters: [quarter]})
  const {storage, record} = await prepareRun({source: data.file, root: temporaryFolder(), partitions: 1})
  const source = openSource(record.source, {quarters: new Set([quarter])})
  const stop = new AbortController()
  const fetchFirm = source.fetchFirm.bind(source)
  let fetches = 0
  source.fetchFirm = async (firmId, inQuarter) => {
    if (++fetches === options.stopAtFetch) stop.abort(new Error('SIGTERM'))
    const transcript = await fetchFirm(firmId, inQuarter)
    events.push(`fetch ${transcript?.firmName}`)
    return transcript
  }
  const committed: TableRows[] = []
  const checkpoints = {commit: async (rows: TableRows) => void committed.push(rows)} as unknown as PartitionCheckpoints
  const firms = data.firmIds.map((id) => ({id, name: ''}))
  try {
    const outcome = await processFirms({
      record,
      contract: {runRecordLocation: runRecordLocation(storage, record.id), root: record.root, runId: record.id, quarter, partition: 0},
      remaining: firms,
      source,
      embedder: await createEmbedder(record.config.pipeline.embedding),
      namer,
      checkpoints,
      reporter: progressReporter(storage, record, firms.length),
      signal: stop.signal,
      log: () => {},
    })
    return {outcome, committed, record}
  } finally {
    await source.close()
  }
}

function progressReporter(storage: Storage, record: RunRecord, firmsTotal: number): ProgressReporter {
  const now = new Date().toISOString()
  return new ProgressReporter(storage, {
    runId: record.id,
    quarter,
    partition: 0,
    phase: 'running',
    firmsTotal,
    firmsResumed: 0,
    firmsProcessed: 0,
    firmsFailed: 0,
    firmsCommitted: 0,
    chunksCommitted: 0,
    startedAt: now,
    updatedAt: now,
    rate: 0,
    attempt: 1,
    host: 'test',
    pid: process.pid,
  })
}

describe('the firm loop', () => {
  it("names a firm's topics while the next firm is fetched and modeled, and keeps the firms in order", async () => {
    const events: string[] = []
    const {outcome, committed} = await runLoop(slowNamer(events), events)
    expect(outcome.phase).toBe('done')
    const names = events.filter((event) => event.startsWith('fetch')).map((event) => event.slice('fetch '.length))
    expect(names).toHaveLength(3)
    const [a, b, c] = names
    // The next firm is fetched before the names of the previous one arrive; one naming is in flight at a time.
    expect(events).toEqual([`fetch ${a}`, `name ${a}`, `fetch ${b}`, `named ${a}`, `name ${b}`, `fetch ${c}`, `named ${b}`, `name ${c}`, `named ${c}`])
    const firms = committed.flatMap((rows) => rows.firms)
    expect(firms.map((firm) => firm.firm_name)).toEqual(names)
    expect(firms.every((firm) => firm.status === 'ok')).toBe(true)
    const topics = committed.flatMap((rows) => rows.topics)
    expect(topics.length).toBeGreaterThan(0)
    for (const topic of topics) expect(topic).toMatchObject({label: `llm name for ${String(topic.firm_name)}`, label_source: 'llm'})
    // The last firm has no next firm to overlap with: the loop waits the whole answer for it.
    expect(Number(firms[2]!.label_ms)).toBeGreaterThanOrEqual(40)
  })

  it('turns a naming failure into that firm’s failed row while the others succeed', async () => {
    const events: string[] = []
    const {outcome, committed} = await runLoop(slowNamer(events, {failCall: 2, delayMs: 1}), events)
    expect(outcome.phase).toBe('done')
    const firms = committed.flatMap((rows) => rows.firms)
    const middle = firms[1]!.firm_name
    expect(events).toContain(`named ${String(middle)}`)
    expect(firms.map((firm) => [firm.firm_name, firm.status, firm.error_kind ?? null])).toEqual([
      [firms[0]!.firm_name, 'ok', null],
      [middle, 'failed', 'llm_error'],
      [firms[2]!.firm_name, 'ok', null],
    ])
    expect(committed.flatMap((rows) => rows.topics).some((topic) => topic.firm_name === middle)).toBe(false)
  })

  it('lets the firm being named finish and commit when a stop arrives while the next firm is modeled', async () => {
    const events: string[] = []
    const {outcome, committed} = await runLoop(slowNamer(events), events, {stopAtFetch: 2})
    expect(outcome.phase).toBe('stopped')
    const firms = committed.flatMap((rows) => rows.firms)
    const first = events[0]!.slice('fetch '.length)
    expect(firms.map((firm) => [firm.firm_name, firm.status])).toEqual([[first, 'ok']])
    expect(committed.flatMap((rows) => rows.topics).every((topic) => topic.label_source === 'llm')).toBe(true)
    expect(events.filter((event) => event.startsWith('name '))).toHaveLength(1) // the second firm is redone later
  })
})
