import type {RunStatusReport} from '../core/run/run-status.js'
import type {RunListing} from '../core/run/list-runs.js'
import {partitionName} from '../core/layout.js'
import {colorPhase} from './color.js'
import {formatTable} from './format-table.js'
import {formatTimestamp} from './format-time.js'
import {formatDuration} from './progress-display.js'

/** `ftm status`'s text. */
export function formatRunStatus(report: RunStatusReport, color: boolean): string {
  const lines: string[] = []
  const root = `--root ${report.root}`
  lines.push(`Run ${report.runId}: ${colorPhase(report.stalled ? 'stalled' : report.status, color)}${report.reason ? ` (${report.reason})` : ''}`)
  lines.push(`  executor ${report.executor}, ${report.parallel} at a time, started ${formatTimestamp(report.createdAt)}${report.finishedAt ? `, finished ${formatTimestamp(report.finishedAt)}` : ''}`)
  if (report.monitor) {
    const alive = report.monitor.alive === undefined ? 'on another machine' : report.monitor.alive ? 'alive' : 'gone'
    lines.push(`  monitor: ${report.monitor.detached ? 'detached ' : ''}pid ${report.monitor.pid} on ${report.monitor.host} (${alive})${report.monitor.logFile ? `, log ${report.monitor.logFile}` : ''}`)
  }
  const {totals} = report
  lines.push(`  firms ${totals.firmsDone}/${totals.firms} done, ${totals.firmsFailed} failed, ${totals.firmsCommitted} committed${totals.interruptions > 0 ? `; ${totals.interruptions} attempts lost to Spot reclaims` : ''}`)
  lines.push('')
  lines.push(
    formatTable(
      ['quarter', 'partition', 'phase', 'firms', 'failed', 'rate', 'ETA', 'attempt', 'worker', 'note'],
      report.partitions.map((partition) => [
        partition.quarter,
        partitionName(partition.partition),
        colorPhase(partition.phase, color),
        `${partition.firmsDone}/${partition.firmsTotal ?? '?'}`,
        partition.firmsFailed,
        partition.rate > 0 ? `${partition.rate.toFixed(2)}/s` : '',
        partition.etaSeconds === undefined ? '' : formatDuration(partition.etaSeconds),
        `${partition.attempt ?? ''}${partition.interruptions > 0 ? ` (${partition.interruptions} Spot)` : ''}`,
        partition.pid ? `${partition.pid}@${partition.host}` : '',
        partition.reason ?? '',
      ]),
      70,
    ),
  )
  for (const job of report.themes) {
    const detail = [job.backendStatus, job.reason].filter(Boolean).join(': ')
    lines.push(`  themes ${job.quarter}: ${colorPhase(job.phase, color)} (job ${job.jobId}${detail ? `, ${detail}` : ''})`)
  }
  lines.push('')
  if (report.stalled) lines.push(`The process that ran it has stopped. Continue:  ftm run --resume ${report.runId} ${root}`)
  else if (report.status === 'running') lines.push(`Follow:  ftm logs ${report.runId} --follow ${root}    Stop:  ftm cancel ${report.runId} ${root}`)
  else if (report.status !== 'succeeded') lines.push(`Continue:  ftm run --resume ${report.runId} ${root}`)
  else lines.push(`Results:  ftm inspect --run ${report.runId} ${root}`)
  return lines.join('\n')
}

/** `ftm runs`'s text. */
export function formatRunList(root: string, runs: RunListing[], color: boolean): string {
  if (runs.length === 0) return `No runs under ${root}. Start one with \`ftm run\`.`
  return [
    `Runs under ${root}, newest first:\n`,
    formatTable(
      ['run', 'status', 'quarters', 'firms', 'partitions', 'executor', 'started', 'finished'],
      runs.map((run) => [
        run.runId,
        colorPhase(run.monitorGone ? 'running (no monitor)' : run.status, color),
        describeQuarters(run.quarters),
        run.firms,
        run.partitions,
        run.executor,
        formatTimestamp(run.createdAt),
        formatTimestamp(run.finishedAt),
      ]),
      40,
    ),
  ].join('\n')
}

function describeQuarters(quarters: string[]): string {
  return quarters.length <= 3 ? quarters.join(', ') : `${quarters[0]}..${quarters.at(-1)} (${quarters.length})`
}
