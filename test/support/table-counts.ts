import {expect} from 'vitest'
import type {InspectResult} from '../../src/commands/inspect.js'
import {parseJson, runCli} from './cli.js'

/** Rows and distinct keys per table of a run (optionally one quarter), through `ftm inspect --sql`. */
export async function countRows(root: string, runId: string, quarter?: string, environment?: NodeJS.ProcessEnv): Promise<Record<string, string>> {
  const where = quarter ? `WHERE quarter = '${quarter}'` : ''
  const sql = `SELECT
      (SELECT count(*) FROM firms ${where}) AS firm_rows,
      (SELECT count(DISTINCT firm_id) FROM firms ${where}) AS firms,
      (SELECT count(*) FROM topics ${where}) AS topic_rows,
      (SELECT count(DISTINCT (firm_id, topic_id)) FROM topics ${where}) AS topics,
      (SELECT count(*) FROM sentences ${where}) AS sentence_rows,
      (SELECT count(DISTINCT (firm_id, sentence_index)) FROM sentences ${where}) AS sentences,
      (SELECT coalesce(sum(n_sentences), 0) FROM firms ${where}) AS sentences_counted`
  const result = await runCli(['inspect', '--root', root, '--run', runId, '--sql', sql, '--json'], {environment})
  return parseJson<InspectResult>(result).query!.rows[0] as Record<string, string>
}

/** Asserts that every firm is in firms, topics and sentences exactly once. */
export function expectFirmsOnce(counts: Record<string, string>, firms: number): void {
  expect(counts.firm_rows).toBe(String(firms))
  expect(counts.firms).toBe(String(firms))
  expect(counts.topic_rows).toBe(counts.topics)
  expect(counts.sentence_rows).toBe(counts.sentences)
  expect(counts.sentence_rows).toBe(counts.sentences_counted)
}
