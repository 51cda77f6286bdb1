import {stripVTControlCharacters} from 'node:util'
import {describe, expect, it} from 'vitest'
import type {PartitionProgress} from '../../../src/core/progress.js'
import type {RunView} from '../../../src/core/run/monitor-run.js'
import {formatDuration, ProgressDisplay} from '../../../src/ui/progress-display.js'

class CapturedStream {
  text = ''
  constructor(
    readonly isTTY: boolean,
    readonly columns = 200,
  ) {}
  write(chunk: string): boolean {
    this.text += chunk
    return true
  }
}

const progress = (partition: number, processed: number, failed: number, chunks: number): PartitionProgress => ({
  runId: 'r',
  quarter: '2024Q1',
  partition,
  phase: 'running',
  firmsTotal: 100,
  firmsResumed: 10,
  firmsProcessed: processed,
  firmsFailed: failed,
  firmsCommitted: 10 + chunks * 10,
  chunksCommitted: chunks,
  startedAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:10Z',
  rate: 2,
  attempt: 1,
  host: 'h',
  pid: 1,
})

const view = (processed: number, chunks: number): RunView => ({
  runId: 'r',
  finished: false,
  partitions: [
    {state: {handle: {executor: 'process', runId: 'r', quarter: '2024Q1', partition: 0, id: 'a'}, phase: 'running'}, progress: progress(0, processed, 1, chunks)},
    {state: {handle: {executor: 'process', runId: 'r', quarter: '2024Q1', partition: 1, id: 'b'}, phase: 'pending'}},
  ],
})

describe('ProgressDisplay', () => {
  it('redraws a live table on a terminal: firms done/total, failures, rate and ETA per partition', () => {
    const stream = new CapturedStream(true)
    const display = new ProgressDisplay(stream as unknown as NodeJS.WriteStream)
    display.update(view(30, 2))
    display.update(view(40, 3))
    expect(stream.text).toContain('2024Q1 part-00000  [########............]  40/100 firms  1 failed  2.00 firms/s  ETA 0:30  running')
    expect(stream.text).toContain('2024Q1 part-00001  pending')
    // The second update erases the three lines of the first (log-update: erase line and up, three times, erase).
    expect(stream.text).toContain('\x1b[2K\x1b[1A\x1b[2K\x1b[1A\x1b[2K\x1b[1A\x1b[2K\x1b[G2024Q1 part-00000')
  })

  it('fits each line to an 80-column terminal, so redraws never wrap and pile up', () => {
    const stream = new CapturedStream(true, 80)
    const display = new ProgressDisplay(stream as unknown as NodeJS.WriteStream)
    display.update({...view(30, 2), runId: '20261202-013459-6b75'})
    const drawn = stripVTControlCharacters(stream.text).split('\n').filter(Boolean)
    expect(drawn.length).toBe(3)
    for (const line of drawn) expect(line.length).toBeLessThanOrEqual(79)
  })

  it('totals count the firms of unstarted partitions, with the elapsed time and the run\'s ETA', () => {
    let now = 0
    const display = new ProgressDisplay(new CapturedStream(true) as unknown as NodeJS.WriteStream, () => now)
    display.outline({plan: [{firms: 200}]})
    now = 20_000
    // 40 firms processed in 20 s (2 firms/s) and 10 resumed: 150 of the 200 planned firms left, 75 s at that rate.
    expect(display.totals(view(40, 3))).toBe('run r: 50/200 firms; partitions 0 done, 1 running, 1 pending, 0 failed; elapsed 0:20, ETA 1:15')
  })

  it('prints plain lines only when something changed when not on a terminal', () => {
    const stream = new CapturedStream(false)
    const display = new ProgressDisplay(stream as unknown as NodeJS.WriteStream)
    display.update(view(30, 2))
    display.update(view(35, 2))
    display.update(view(40, 3))
    const lines = stream.text.trim().split('\n')
    expect(lines).toHaveLength(3)
    expect(lines[2]).toContain('50/100 firms')
    expect(stream.text).not.toContain('\x1b[')
  })
})

describe('formatDuration', () => {
  it('writes minutes and seconds, and hours when there are any', () => {
    expect(formatDuration(75)).toBe('1:15')
    expect(formatDuration(3725)).toBe('1:02:05')
  })
})
