import {createLogUpdate} from 'log-update'
import type {PartitionView, RunView} from '../core/run/monitor-run.js'
import {estimateSecondsLeft} from '../core/progress.js'
import {partitionName} from '../core/layout.js'
import {partitionReason} from '../core/run/partition-reason.js'
import {truncate} from './format-table.js'

/** What the display knows of a run before its first partition reports: its firms in all, and when it started. */
export interface RunOutline {
  plan: {firms: number}[]
}

/**
 * Shows a run's progress: a live table on a terminal (redrawn in place by log-update, each line cut to the terminal's
 * width so nothing wraps or piles up), plain lines (one per change worth telling) elsewhere. The totals line counts
 * the firms of partitions that have not started, and gives the elapsed time and an ETA for the whole run.
 */
export class ProgressDisplay {
  private readonly told = new Map<string, string>()
  private readonly render: ReturnType<typeof createLogUpdate>
  private plannedFirms: number | undefined
  private readonly startedAt: number

  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly now: () => number = Date.now,
  ) {
    this.render = createLogUpdate(stream, {showCursor: true})
    this.startedAt = now()
  }

  /** True when the stream is a terminal that can be redrawn. */
  get live(): boolean {
    return Boolean(this.stream.isTTY) && process.env.TERM !== 'dumb'
  }

  /** Learns the run's planned firms, so the totals count partitions that have not reported yet. */
  outline(run: RunOutline): void {
    this.plannedFirms = run.plan.reduce((sum, quarter) => sum + quarter.firms, 0)
  }

  /** Draws one update. */
  update(view: RunView): void {
    if (this.live) this.redraw(view)
    else this.tellChanges(view)
  }

  /** Writes a line above the live table (or plainly). */
  note(line: string): void {
    if (this.live) this.render.clear()
    this.stream.write(`${line}\n`)
  }

  /** Leaves the last table on screen. */
  finish(): void {
    this.render.done()
  }

  /** The totals line: firms done of all planned, partitions by phase, elapsed time and the run's ETA. */
  totals(view: RunView): string {
    const count = (phase: string): number => view.partitions.filter((partition) => partition.state.phase === phase).length
    const sum = (pick: (partition: PartitionView) => number): number => view.partitions.reduce((total, partition) => total + pick(partition), 0)
    const done = sum((partition) => (partition.progress ? partition.progress.firmsResumed + partition.progress.firmsProcessed : 0))
    const processed = sum((partition) => partition.progress?.firmsProcessed ?? 0)
    const planned = Math.max(this.plannedFirms ?? 0, sum((partition) => partition.progress?.firmsTotal ?? 0))
    const elapsed = (this.now() - this.startedAt) / 1000
    const rate = elapsed > 0 ? processed / elapsed : 0
    const eta = done >= planned || elapsed < 1 ? '' : rate > 0 ? `, ETA ${formatDuration((planned - done) / rate)}` : ''
    const phases = `partitions ${count('succeeded')} done, ${count('running')} running, ${count('pending')} pending, ${count('failed')} failed`
    return `run ${view.runId}: ${done}/${planned} firms; ${phases}; elapsed ${formatDuration(elapsed)}${eta}`
  }

  private redraw(view: RunView): void {
    const rows = this.stream.rows ? Math.max(5, this.stream.rows - 4) : 30
    const width = Math.max(20, (this.stream.columns ?? 80) - 1)
    const all = view.partitions
    const shown = all.length <= rows ? all : all.filter((partition) => partition.state.phase === 'running' || partition.state.phase === 'failed').slice(0, rows - 1)
    const lines = shown.map(describePartition)
    if (shown.length < all.length) lines.push(`… ${all.length - shown.length} more partitions`)
    lines.push(this.totals(view))
    this.render(lines.map((line) => truncate(line, width)).join('\n'))
  }

  private tellChanges(view: RunView): void {
    for (const partition of view.partitions) {
      const key = `${partition.state.handle.quarter}/${partition.state.handle.partition}`
      const progress = partition.progress
      const fingerprint = `${partition.state.phase}:${progress?.chunksCommitted ?? 0}`
      if (this.told.get(key) === fingerprint) continue
      this.told.set(key, fingerprint)
      this.stream.write(`${describePartition(partition)}\n`)
    }
  }
}

function describePartition(partition: PartitionView): string {
  const {state, progress} = partition
  const name = `${state.handle.quarter} ${partitionName(state.handle.partition)}`
  if (!progress || state.phase === 'pending') return `${name}  ${state.phase}`
  const done = progress.firmsResumed + progress.firmsProcessed
  const bar = progressBar(done / Math.max(1, progress.firmsTotal), 20)
  const eta = state.phase === 'running' ? estimateSecondsLeft(progress) : undefined
  const parts = [
    name,
    bar,
    `${done}/${progress.firmsTotal} firms`,
    `${progress.firmsFailed} failed`,
    `${progress.rate.toFixed(2)} firms/s`,
    eta === undefined ? '' : `ETA ${formatDuration(eta)}`,
    state.phase === 'failed' ? `failed: ${partitionReason(state, progress) ?? ''}` : state.phase,
    state.interruptions ? `${state.interruptions} Spot reclaim${state.interruptions > 1 ? 's' : ''}` : '',
  ]
  return parts.filter(Boolean).join('  ')
}

function progressBar(fraction: number, width: number): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width)
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`
}

/** 75 → "1:15", 3725 → "1:02:05". */
export function formatDuration(seconds: number): string {
  const whole = Math.round(seconds)
  const hours = Math.floor(whole / 3600)
  const minutes = Math.floor((whole % 3600) / 60)
  const rest = String(whole % 60).padStart(2, '0')
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`
}
