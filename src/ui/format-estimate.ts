import type {CostEstimate, FirmTime} from '../core/estimate/estimate-cost.js'
import type {PlanEstimate} from '../core/estimate/plan-estimate.js'
import {formatTable} from './format-table.js'

/** `ftm plan`'s text: partitions per quarter, the per-firm times used, and the cost table beside the baseline. */
export function formatPlanEstimate(plan: PlanEstimate): string {
  const lines: string[] = []
  lines.push(`${plan.quarters.length} quarter${plan.quarters.length === 1 ? '' : 's'}, ${plan.totals.firms} firms, ${plan.totals.partitions} partitions, at most ${plan.parallel} at a time\n`)
  lines.push(
    formatTable(
      ['quarter', 'firms', 'partitions', 'firms per partition'],
      plan.quarters.map((quarter) => [quarter.quarter, quarter.firms, quarter.partitions, sizeRange(quarter.partitionSizes)]),
    ),
  )
  lines.push('\nTime per firm:')
  for (const [name, time] of Object.entries(plan.firmTimes)) {
    if (name === 'reference' || time.source === 'measured') lines.push(`  ${name.padEnd(10)} ${describeFirmTime(time)}`)
  }
  lines.push(`  ${describeBasis(plan.basis)}`)
  lines.push('')
  const row = (estimate: CostEstimate): unknown[] => [
    estimate.name,
    `${estimate.firmSeconds.toFixed(estimate.firmSeconds < 10 ? 2 : 1)} s`,
    `${estimate.partitions} × ${estimate.parallel}`,
    `${estimate.instanceHours.toFixed(1)} h × $${estimate.hourlyPrice.toFixed(2)}`,
    `$${estimate.cost.toFixed(2)}`,
    formatHours(estimate.wallHours),
    estimate.savings ? percent(estimate.savings.cost) : '-',
    estimate.savings ? percent(estimate.savings.time) : '-',
  ]
  lines.push(
    formatTable(
      ['', 'per firm', 'partitions × parallel', 'instance-hours', 'cost', 'wall time', 'cost saved', 'time saved'],
      [row(plan.baseline), ...plan.executors.map(row)],
    ),
  )
  lines.push('\nCost counts instance-hours of compute; wall time adds each executor\'s overhead (estimate.<executor>.overheadFactor).')
  return lines.join('\n')
}

/** 0.35 h → "21 min", 9.6 h → "9.6 h". */
export function formatHours(hours: number): string {
  if (hours < 1) return `${Math.max(0, Math.round(hours * 60))} min`
  return `${hours.toFixed(1)} h`
}

function describeFirmTime(time: FirmTime): string {
  const stages = Object.entries(time.stages)
    .map(([stage, seconds]) => `${stage} ${seconds.toFixed(seconds < 10 ? 2 : 1)} s`)
    .join(', ')
  const where = time.source === 'measured' ? `measured over ${time.firms} firms in ${time.runs} run${time.runs === 1 ? '' : 's'}` : 'configured (estimate.stageSeconds)'
  return `${time.seconds.toFixed(time.seconds < 10 ? 2 : 1)} s (${stages}; ${where})`
}

function sizeRange(sizes: readonly number[]): string {
  if (sizes.length === 0) return '-'
  const low = Math.min(...sizes)
  const high = Math.max(...sizes)
  return low === high ? String(low) : `${low}-${high}`
}

function percent(fraction: number): string {
  return `${Math.round(fraction * 100)}%`
}

/** Which per-firm times the cost table compares, in a sentence. */
export function describeBasis(basis: PlanEstimate['basis']): string {
  if (basis.times === 'measured') return 'Compared on measured times: earlier runs measured every executor.'
  if (basis.measuredExecutors.length === 0) return 'Compared on the configured reference for every executor (no earlier run measured one).'
  const measured = `${basis.measuredExecutors.join(', ')} ${basis.measuredExecutors.length === 1 ? 'was' : 'were'}`
  return `Compared on the configured reference for every executor: only ${measured} measured, and one executor's measured times beside another's configured ones would not compare like with like.`
}
