import {estimatedExecutors, type EstimateConfig} from '../config/estimate-schema.js'
import type {Config} from '../config/schema.js'
import {partitionCount} from '../partition.js'
import type {Quarter} from '../../base/quarter.js'
import {type CostEstimate, configuredFirmTime, estimateExecutor, estimateSequential, type FirmTime} from './estimate-cost.js'

/** A quarter as a run would split it. */
export interface QuarterLayout {
  quarter: Quarter
  firms: number
  partitions: number
  /** Firms in each partition, in plan order. */
  partitionSizes: number[]
}

/** Mean per-firm times measured in one earlier run (from its firms table). */
export interface MeasuredRun {
  runId: string
  executor: string
  firms: number
  totalSeconds: number
  stages: Record<string, number>
}

/** What `ftm plan` shows: the partitions, and time and cost per executor beside the sequential baseline. */
export interface PlanEstimate {
  quarters: QuarterLayout[]
  totals: {firms: number; partitions: number}
  parallel: number
  /** The per-firm time used for each executor, and the configured reference. */
  firmTimes: Record<string, FirmTime>
  baseline: CostEstimate
  executors: CostEstimate[]
  /** What the executors are compared on: measured times for each, or configured times for all. */
  basis: {times: 'measured' | 'configured'; measuredExecutors: string[]}
}

/** Splits each quarter's firm count as a run would (balanced partitions, larger ones first). */
export function layoutQuarters(counts: readonly {quarter: Quarter; firms: number}[], config: Pick<Config, 'partitions' | 'parallel' | 'firmsPerPartition'>): QuarterLayout[] {
  return counts.map(({quarter, firms}) => {
    const partitions = partitionCount(firms, config)
    const base = partitions > 0 ? Math.floor(firms / partitions) : 0
    const larger = partitions > 0 ? firms % partitions : 0
    return {quarter, firms, partitions, partitionSizes: Array.from({length: partitions}, (_, index) => base + (index < larger ? 1 : 0))}
  })
}

/** Estimates wall time and cost of the layout on every costed executor and on one instance sequentially. */
export function estimatePlan(quarters: QuarterLayout[], config: Pick<Config, 'parallel'> & {estimate: EstimateConfig}, measured: readonly MeasuredRun[] = []): PlanEstimate {
  const settings = config.estimate
  const sizes = quarters.flatMap((quarter) => quarter.partitionSizes)
  const reference = configuredFirmTime(settings.stageSeconds)
  const baseline = estimateSequential(sizes, reference, settings.sequential)
  const firmTimes: Record<string, FirmTime> = {reference}
  const measuredTimes = new Map(estimatedExecutors.map((name) => [name, settings.useMeasured ? measuredFirmTime(measured.filter((run) => run.executor === name)) : undefined]))
  const measuredExecutors = estimatedExecutors.filter((name) => measuredTimes.get(name))
  // Like with like: measured times only when every executor has them; a mix would set CPU seconds against GPU ones.
  const times = measuredExecutors.length === estimatedExecutors.length ? 'measured' : 'configured'
  const executors = estimatedExecutors.map((name) => {
    const firmTime = times === 'measured' ? measuredTimes.get(name)! : reference
    firmTimes[name] = measuredTimes.get(name) ?? reference
    return estimateExecutor(name, sizes, config.parallel, firmTime, settings[name], baseline)
  })
  return {
    quarters,
    totals: {firms: sizes.reduce((sum, size) => sum + size, 0), partitions: sizes.length},
    parallel: config.parallel,
    firmTimes,
    baseline,
    executors,
    basis: {times, measuredExecutors},
  }
}

/** The firm-weighted mean of some runs' measured times, or undefined when there are none. */
export function measuredFirmTime(runs: readonly MeasuredRun[]): FirmTime | undefined {
  const firms = runs.reduce((sum, run) => sum + run.firms, 0)
  if (firms === 0) return undefined
  const mean = (pick: (run: MeasuredRun) => number): number => runs.reduce((sum, run) => sum + pick(run) * run.firms, 0) / firms
  const stageNames = [...new Set(runs.flatMap((run) => Object.keys(run.stages)))]
  return {
    seconds: mean((run) => run.totalSeconds),
    source: 'measured',
    stages: Object.fromEntries(stageNames.map((stage) => [stage, mean((run) => run.stages[stage] ?? 0)])),
    firms,
    runs: runs.length,
  }
}
