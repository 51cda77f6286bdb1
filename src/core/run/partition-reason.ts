import type {JobState} from '../executor.js'
import type {PartitionProgress} from '../progress.js'

/**
 * Why a partition is where it is: the backend's own words (Batch's "Job attempt duration exceeded timeout", a Spot
 * reclaim, CannotPullContainerError) beside the worker's, so neither hides the other; undefined when succeeded.
 */
export function partitionReason(state: JobState, progress: PartitionProgress | undefined): string | undefined {
  if (state.phase === 'succeeded') return undefined
  const worker = progress?.reason
  const backend = state.backendReason
  if (!backend) return worker ?? state.reason
  if (!worker || backend.includes(worker)) return `${state.backend ?? 'executor'}: ${backend}`
  return `${state.backend ?? 'executor'}: ${backend}; worker: ${worker}`
}
