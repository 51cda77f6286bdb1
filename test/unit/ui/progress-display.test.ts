import {describe, expect, it} from 'vitest'
import type {PartitionProgress} from '../../../src/core/progress.js'
import type {RunView} from '../../../src/core/run/monitor-run.js'
import {formatDuration, ProgressDisplay} from '../../../src/ui/progress-display.js'

class CapturedStream {
  text = ''
  constructor(readonly isTTY: boolean) {}
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
    // The second update moves the cursor up over the three lines of the first and clears them.
    expect(stream.text).toContain('\x1b[3A\x1b[0J')
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
