import type {PartitionView, RunView} from '../core/run/monitor-run.js'
import {estimateSecondsLeft} from '../core/progress.js'
import {partitionName} from '../core/layout.js'
import {partitionReason} from '../core/run/partition-reason.js'

/** Shows a run's progress: a live table on a terminal, plain lines (one per change worth telling) elsewhere. */
export class ProgressDisplay {
  private drawnLines = 0
  private readonly told = new Map<string, string>()

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}

  /** True when the stream is a terminal that can be redrawn. */
  get live(): boolean {
    return Boolean(this.stream.isTTY) && process.env.TERM !== 'dumb'
  }

  /** Draws one update. */
  update(view: RunView): void {
    if (this.live) this.redraw(view)
    else this.tellChanges(view)
  }

  /** Writes a line above the live table (or plainly). */
  note(line: string): void {
    this.clear()
    this.stream.write(`${line}\n`)
    this.drawnLines = 0
  }

  /** Leaves the last table on screen. */
  finish(): void {
    this.drawnLines = 0
  }

  private redraw(view: RunView): void {
    const rows = this.stream.rows ? Math.max(5, this.stream.rows - 4) : 30
    const all = view.partitions
    const shown = all.length <= rows ? all : all.filter((partition) => partition.state.phase === 'running' || partition.state.phase === 'failed').slice(0, rows - 1)
    const lines = shown.map(describePartition)
    if (shown.length < all.length) lines.push(`… ${all.length - shown.length} more partitions (${totals(view)})`)
    lines.push(totals(view))
    this.clear()
    this.stream.write(`${lines.join('\n')}\n`)
    this.drawnLines = lines.length
  }

  private clear(): void {
    if (this.drawnLines > 0 && this.live) this.stream.write(`\x1b[${this.drawnLines}A\x1b[0J`)
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

function totals(view: RunView): string {
  const count = (phase: string): number => view.partitions.filter((partition) => partition.state.phase === phase).length
  const firms = view.partitions.reduce((sum, partition) => sum + (partition.progress ? partition.progress.firmsResumed + partition.progress.firmsProcessed : 0), 0)
  const total = view.partitions.reduce((sum, partition) => sum + (partition.progress?.firmsTotal ?? 0), 0)
  return `run ${view.runId}: ${firms}/${total} firms; partitions ${count('succeeded')} done, ${count('running')} running, ${count('pending')} pending, ${count('failed')} failed`
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
