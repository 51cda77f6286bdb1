// UMAP's layout: stochastic gradient descent on the fuzzy cross-entropy, edge by edge, with negative sampling
// (umap-learn's optimize_layout_euclidean with move_other). The similarity 1/(1 + a·d^(2b)) needs d^(2b): it is
// computed once per pair from b's tables (fast-power.ts), and d^(2b−2) as that over d², so no Math.pow is called.
// Each sample depends on the one before (the head moves), so the loop is bound by the latency of one sample: the
// squared distance is summed in four lanes (d mod 4) rather than one chain, and the head's coordinates stay in
// locals (10 dimensions) or a scratch row (any other) until its edge is done.
import type {SparseGraph} from './fuzzy-set.js'
import type {CurveParameters} from './curve-parameters.js'
import {type PowerTable, powerTable, tablePower} from './fast-power.js'
import {clip, layoutEpoch10, layoutEpoch15, squaredDistance} from './unrolled-layout.js'

/** Settings of the layout optimisation. */
export interface LayoutOptions {
  epochs: number
  negativeSampleRate: number
  repulsionStrength: number
  learningRate: number
}

/** The edges to sample: both directions of each graph entry, with how often each is sampled. */
export interface LayoutEdges {
  head: Int32Array
  tail: Int32Array
  epochsPerSample: Float64Array
}

/**
 * The graph's entries with weight ≥ max / epochs (umap-learn prunes the rest), each sampled every max/weight epochs.
 */
export function layoutEdges(graph: SparseGraph, epochs: number): LayoutEdges {
  let largest = 0
  for (let entry = 0; entry < graph.weights.length; entry++) if (graph.weights[entry]! > largest) largest = graph.weights[entry]!
  const floor = largest / epochs
  let count = 0
  for (let entry = 0; entry < graph.weights.length; entry++) if (graph.weights[entry]! >= floor) count++
  const head = new Int32Array(count)
  const tail = new Int32Array(count)
  const epochsPerSample = new Float64Array(count)
  let out = 0
  for (let row = 0; row < graph.n; row++) {
    for (let entry = graph.rowStart[row]!; entry < graph.rowStart[row + 1]!; entry++) {
      const weight = graph.weights[entry]!
      if (weight < floor) continue
      head[out] = row
      tail[out] = graph.columns[entry]!
      epochsPerSample[out++] = largest / weight
    }
  }
  return {head, tail, epochsPerSample}
}

/** The running state of a layout: the per-edge schedules and the negative-sampling generator's state. */
export interface LayoutState {
  readonly embedding: Float64Array
  readonly dim: number
  readonly edges: LayoutEdges
  readonly curve: CurveParameters
  readonly options: LayoutOptions
  readonly epochsPerNegative: Float64Array
  readonly nextSample: Float64Array
  readonly nextNegative: Float64Array
  /** mulberry32's state (as src/pipeline/stages/random.ts), kept in a typed array so no number is boxed per draw. */
  readonly random: Uint32Array
  /** One row of dim doubles: the head's coordinates while its edge is worked on. */
  readonly scratch: Float64Array
  /** x^b's tables for the curve's b. */
  readonly power: PowerTable
}

/** Prepares the SGD over `embedding` (n × dim, row-major, changed in place by layoutEpoch). */
export function layoutState(embedding: Float64Array, dim: number, edges: LayoutEdges, curve: CurveParameters, options: LayoutOptions, seed: number): LayoutState {
  const epochsPerNegative = Float64Array.from(edges.epochsPerSample, (value) => value / options.negativeSampleRate)
  return {
    embedding,
    dim,
    edges,
    curve,
    options,
    epochsPerNegative,
    nextSample: Float64Array.from(edges.epochsPerSample),
    nextNegative: Float64Array.from(epochsPerNegative),
    random: Uint32Array.of(seed >>> 0),
    scratch: new Float64Array(dim),
    power: powerTable(curve.b),
  }
}

/** Runs epoch `epoch` (from 0) of the layout: every edge due is pulled together, its negative samples pushed apart. */
export function layoutEpoch(state: LayoutState, epoch: number): void {
  if (state.dim === 10) layoutEpoch10(state, epoch)
  else if (state.dim === 15) layoutEpoch15(state, epoch)
  else layoutEpochAnyDimension(state, epoch)
}

/** The epoch for any dimension; the same arithmetic in the same order as the unrolled kernels. */
export function layoutEpochAnyDimension(state: LayoutState, epoch: number): void {
  const {embedding, dim, nextSample, nextNegative, epochsPerNegative} = state
  const {head, tail, epochsPerSample} = state.edges
  const edgeCount = head.length
  const n = embedding.length / dim
  const a = state.curve.a
  const attractionScale = -2 * a * state.curve.b
  const repulsionScale = 2 * state.options.repulsionStrength * state.curve.b
  const rate = state.options.learningRate * (1 - epoch / state.options.epochs)
  const table = state.power
  // The head's row in scratch[0, dim), its latest coordinates while its edge is worked on.
  const point = state.scratch
  let random = state.random[0]!
  for (let edge = 0; edge < edgeCount; edge++) {
    if (nextSample[edge]! > epoch) continue
    const from = head[edge]! * dim
    const to = tail[edge]! * dim
    for (let d = 0; d < dim; d++) point[d] = embedding[from + d]!
    const squared = squaredDistance(point, 0, embedding, to, dim)
    if (squared > 0) {
      const power = tablePower(squared, table)
      const step = (attractionScale * power) / (squared * (a * power + 1))
      for (let d = 0; d < dim; d++) {
        const move = clip(step * (point[d]! - embedding[to + d]!)) * rate
        point[d]! += move
        embedding[to + d]! -= move
      }
    }
    nextSample[edge]! += epochsPerSample[edge]!
    const negatives = Math.floor((epoch - nextNegative[edge]!) / epochsPerNegative[edge]!)
    for (let sample = 0; sample < negatives; sample++) {
      // mulberry32 (src/pipeline/stages/random.ts's generator) inlined: a call would box its uint32 state.
      random = (random + 0x6d2b79f5) >>> 0
      let mixed = random | 0
      mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1)
      mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61)
      const other = Math.floor((((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296) * n) * dim
      if (other === from) continue
      const distance = squaredDistance(point, 0, embedding, other, dim)
      if (distance <= 0) continue
      const power = tablePower(distance, table)
      const step = repulsionScale / ((0.001 + distance) * (a * power + 1))
      for (let d = 0; d < dim; d++) point[d]! += clip(step * (point[d]! - embedding[other + d]!)) * rate
    }
    for (let d = 0; d < dim; d++) embedding[from + d] = point[d]!
    nextNegative[edge]! += negatives * epochsPerNegative[edge]!
  }
  state.random[0] = random
}
