import type {EstimateConfig, ExecutorEstimateConfig} from '../config/estimate-schema.js'

/** Seconds one firm takes, where that figure came from, and its split by stage. */
export interface FirmTime {
  seconds: number
  source: 'configured' | 'measured'
  stages: Record<string, number>
  /** Measured only: how many firm rows, from how many runs. */
  firms?: number
  runs?: number
}

/** Time and cost of running some partitions one way. */
export interface CostEstimate {
  /** An executor name, or `sequential` for the single-instance baseline. */
  name: string
  partitions: number
  parallel: number
  firmSeconds: number
  firmTimeSource: FirmTime['source']
  /** Instance-hours of compute (the ADR's "GPU hours"): what is paid for. */
  instanceHours: number
  hourlyPrice: number
  cost: number
  /** Compute time from the first partition starting to the last finishing, then with the executor's overhead. */
  computeHours: number
  wallHours: number
  /** Fractions saved against the sequential baseline (undefined on the baseline itself). */
  savings?: {cost: number; time: number}
}

/**
 * The sequential single-instance baseline: every firm one after another on one instance, as before ADR-005.
 * Cost counts compute hours; wall time multiplies them by the baseline's overhead factor.
 */
export function estimateSequential(partitionSizes: readonly number[], firmTime: FirmTime, settings: EstimateConfig['sequential']): CostEstimate {
  const firms = partitionSizes.reduce((sum, size) => sum + size, 0)
  const computeHours = (firms * firmTime.seconds) / 3600
  return {
    name: 'sequential',
    partitions: 1,
    parallel: 1,
    firmSeconds: firmTime.seconds,
    firmTimeSource: firmTime.source,
    instanceHours: computeHours,
    hourlyPrice: settings.hourlyPrice,
    cost: computeHours * settings.hourlyPrice,
    computeHours,
    wallHours: computeHours * settings.overheadFactor,
  }
}

/**
 * One executor: partitions start in plan order as slots free up (at most `parallel` at once, as every executor
 * queues them); partition-billed executors pay each partition's instance time, machine-billed ones the machine's.
 */
export function estimateExecutor(
  name: string,
  partitionSizes: readonly number[],
  parallel: number,
  firmTime: FirmTime,
  settings: ExecutorEstimateConfig,
  baseline?: CostEstimate,
): CostEstimate {
  const durations = partitionSizes.map((size) => settings.startupSeconds + size * firmTime.seconds)
  const makespanSeconds = scheduleMakespan(durations, parallel)
  const instanceSeconds = settings.billing === 'partition' ? durations.reduce((sum, duration) => sum + duration, 0) : makespanSeconds
  const estimate: CostEstimate = {
    name,
    partitions: partitionSizes.length,
    parallel: Math.min(parallel, Math.max(1, partitionSizes.length)),
    firmSeconds: firmTime.seconds,
    firmTimeSource: firmTime.source,
    instanceHours: instanceSeconds / 3600,
    hourlyPrice: settings.hourlyPrice,
    cost: (instanceSeconds / 3600) * settings.hourlyPrice,
    computeHours: makespanSeconds / 3600,
    wallHours: (makespanSeconds / 3600) * settings.overheadFactor,
  }
  if (baseline) {
    estimate.savings = {
      cost: baseline.cost > 0 ? 1 - estimate.cost / baseline.cost : 0,
      time: baseline.wallHours > 0 ? 1 - estimate.wallHours / baseline.wallHours : 0,
    }
  }
  return estimate
}

/** When the last of some jobs finishes if they start in order, each as soon as one of `slots` is free. */
export function scheduleMakespan(durations: readonly number[], slots: number): number {
  const free = Array.from({length: Math.max(1, Math.min(slots, durations.length))}, () => 0)
  for (const duration of durations) {
    const earliest = free.indexOf(Math.min(...free))
    free[earliest] = free[earliest]! + duration
  }
  return Math.max(0, ...free)
}

/** The configured per-firm time: the sum of the configured stage times. */
export function configuredFirmTime(stageSeconds: EstimateConfig['stageSeconds']): FirmTime {
  const stages = {...stageSeconds}
  return {seconds: Object.values(stages).reduce((sum, value) => sum + value, 0), source: 'configured', stages}
}
