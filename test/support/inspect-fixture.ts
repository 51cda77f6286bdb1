import {readFileSync, writeFileSync} from 'node:fs'
import {parse} from 'csv-parse/sync'
import {stringify} from 'csv-stringify/sync'
import type {RunResult} from '../../src/commands/run.js'
import {parseJson, runCli} from './cli.js'
import {sampleSubset, temporaryFolder} from './sample-subset.js'

/** The output of one real run for inspect tests: 6 firms × 2 quarters, one firm-quarter made to fail. */
export interface InspectFixture {
  root: string
  runId: string
  firmIds: string[]
  quarters: string[]
  /** The firm whose 2024Q2 call was cut to a few components, so it fails with too_few_sentences. */
  failingFirm: string
  run: RunResult
}

/** Runs the built CLI once over a small sample subset and returns where its output is. */
export async function makeInspectFixture(): Promise<InspectFixture> {
  const quarters = ['2024Q1', '2024Q2']
  const {file, firmIds} = sampleSubset({firms: 6, quarters})
  const failingFirm = firmIds.at(-1)!
  const rows = parse(readFileSync(file), {columns: true}) as Record<string, string>[]
  const inSecondQuarter = (date: string): boolean => ['2024-04', '2024-05', '2024-06'].includes(date.slice(0, 7))
  const isFailingCall = (row: Record<string, string>): boolean => row.companyid === failingFirm && inSecondQuarter(row.mostimportantdateutc!)
  // Three components leave too few sentences: the worker records too_few_sentences and goes on.
  const kept = rows.filter((row) => !isFailingCall(row) || Number(row.componentorder) < 3)
  writeFileSync(file, stringify(kept, {header: true, columns: Object.keys(rows[0]!)}))
  const root = temporaryFolder('ftm-inspect-')
  // Theme settings for a handful of firms (a later `ftm themes` over this run clusters ~40 topics, not a quarter's).
  const smallThemes = ['--set', 'themes.hdbscan.minClusterSize=3', '--set', 'themes.hdbscan.minSamples=2', '--set', 'themes.minTopics=4', '--set', 'themes.umap.nNeighbors=5']
  const result = await runCli(['run', '--source', file, '--root', root, '--parallel', '2', '--checkpoint-interval', '2', ...smallThemes, '--json'])
  const run = parseJson<RunResult>(result)
  if (result.exitCode !== 0) throw new Error(`The fixture run failed (exit ${result.exitCode}):\n${result.stderr}`)
  return {root, runId: run.runId, firmIds, quarters, failingFirm, run}
}
