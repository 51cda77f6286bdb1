import {existsSync, readdirSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {writeTranscriptFiles} from '../../fixtures/generator/index.js'
import type {InspectResult} from '../../src/commands/inspect.js'
import {seededRandom} from '../../src/pipeline/stages/random.js'
import {parseJson, runCli} from '../support/cli.js'
import {prepareRun, startWorker} from '../support/prepared-run.js'
import {temporaryFolder} from '../support/sample-subset.js'
import {readPartitionProgress, waitFor} from '../support/wait-for.js'

const quarter = '2024Q1'
const firmCount = 200
const sigkills = 12
const sigterms = 3
const checkpointInterval = 7

describe('crash injection', () => {
  it(`survives ${sigkills} SIGKILLs and ${sigterms} SIGTERMs of a ${firmCount}-firm partition with every firm exactly once`, async () => {
    // Given a 200-firm partition of short synthetic calls
    const data = temporaryFolder('ftm-crash-data-')
    writeTranscriptFiles({firms: firmCount, quarters: [quarter], seed: 23, minSentences: 60, maxSentences: 70}, data)
    const root = temporaryFolder('ftm-crash-root-')
    const {storage, record} = await prepareRun({
      source: path.join(data, 'transcripts.csv'),
      root,
      partitions: 1,
      set: [`worker.checkpointInterval=${checkpointInterval}`, 'worker.progressIntervalSeconds=0'],
    })
    const random = seededRandom(2026)
    // Kill points: a SIGKILL after a random number of finished firms, a SIGTERM now and then.
    const plan = Array.from({length: sigkills + sigterms}, (_, index) => ((index + 1) % 5 === 0 ? 'SIGTERM' : 'SIGKILL') as NodeJS.Signals)
    const stats = {kills: 0, terms: 0, processed: 0, redoneAfterTerm: [] as number[], halfVisible: 0}

    for (const signal of plan) {
      const worker = startWorker(storage, record, quarter)
      const target = 1 + Math.floor(random() * 9)
      const startedAttempt = (readPartitionProgress(root, quarter)?.attempt ?? 0) + 1
      const progress = await waitFor(() => {
        const current = readPartitionProgress(root, quarter)
        if (!current || current.attempt !== startedAttempt || current.phase !== 'running') return undefined
        return current.firmsProcessed >= target || current.firmsResumed + current.firmsProcessed >= firmCount - 2 ? current : undefined
      }, 5, worker)
      if (progress.firmsResumed + progress.firmsProcessed >= firmCount - 2) {
        await worker
        break
      }
      // A SIGKILL lands anywhere, also in the middle of a commit: wait a random moment first.
      if (signal === 'SIGKILL') await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 400)))
      worker.kill(signal)
      const result = await worker
      const after = readPartitionProgress(root, quarter)!
      stats.processed += after.firmsProcessed
      if (signal === 'SIGTERM') {
        stats.terms++
        expect(result.exitCode).toBe(143)
        expect(after).toMatchObject({phase: 'stopped', exitCode: 143})
        // Every firm it finished is committed (finished minus committed by this attempt is 0): only the firm in
        // progress, if any, is redone.
        stats.redoneAfterTerm.push(after.firmsProcessed - (after.firmsCommitted - after.firmsResumed))
      } else {
        stats.kills++
        expect(result.signal).toBe('SIGKILL')
      }
      stats.halfVisible += countHalfVisibleChunks(root, record.id)
    }

    // When the last attempt runs to the end
    const last = await startWorker(storage, record, quarter)
    expect(last.exitCode, String(last.stderr)).toBe(0)
    stats.processed += readPartitionProgress(root, quarter)!.firmsProcessed

    // Then every firm is in every table exactly once, and no chunk was ever half visible
    const sql = `SELECT (SELECT count(*) FROM firms) AS firm_rows, (SELECT count(DISTINCT firm_id) FROM firms) AS firms,
        (SELECT count(*) FROM topics) AS topic_rows, (SELECT count(DISTINCT (firm_id, topic_id)) FROM topics) AS topics,
        (SELECT count(*) FROM sentences) AS sentence_rows, (SELECT count(DISTINCT (firm_id, sentence_index)) FROM sentences) AS sentences,
        (SELECT sum(n_sentences) FROM firms) AS sentences_counted, (SELECT sum(n_topics) FROM firms) AS topics_counted`
    const counts = parseJson<InspectResult>(await runCli(['inspect', '--root', root, '--run', record.id, '--sql', sql, '--json'])).query!.rows[0]!
    const duplicates = Number(counts.firm_rows) - Number(counts.firms) + Number(counts.topic_rows) - Number(counts.topics) + Number(counts.sentence_rows) - Number(counts.sentences)
    const lost = firmCount - Number(counts.firms)
    console.log(
      `crash injection: ${stats.kills} SIGKILLs and ${stats.terms} SIGTERMs survived; firms lost ${lost}, duplicates ${duplicates}, ` +
        `firms processed ${stats.processed} for ${firmCount} (redone ${stats.processed - firmCount}), ` +
        `redone after each SIGTERM ${JSON.stringify(stats.redoneAfterTerm)}, half-visible chunks ${stats.halfVisible}`,
    )
    expect(stats.kills).toBeGreaterThanOrEqual(10)
    expect(stats.terms).toBeGreaterThanOrEqual(2)
    expect(lost).toBe(0)
    expect(duplicates).toBe(0)
    expect(counts.sentence_rows).toBe(counts.sentences_counted)
    expect(counts.topic_rows).toBe(counts.topics_counted)
    expect(stats.halfVisible).toBe(0)
    for (const redone of stats.redoneAfterTerm) expect(redone).toBeLessThanOrEqual(1)
  })
})

function chunkFiles(root: string, table: string, runId: string): string[] {
  const folder = path.join(root, table, `quarter=${quarter}`, `run=${runId}`)
  return existsSync(folder) ? readdirSync(folder).filter((name) => name.endsWith('.parquet')) : []
}

/** Committed chunks (a firms file) whose topics or sentences file is missing: readers would see half a chunk. */
function countHalfVisibleChunks(root: string, runId: string): number {
  const topics = new Set(chunkFiles(root, 'topics', runId))
  const sentences = new Set(chunkFiles(root, 'sentences', runId))
  return chunkFiles(root, 'firms', runId).filter((chunk) => !topics.has(chunk) || !sentences.has(chunk)).length
}
