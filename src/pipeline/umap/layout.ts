// UMAP's layout: stochastic gradient descent on the fuzzy cross-entropy, edge by edge, with negative sampling
// (umap-learn's optimize_layout_euclidean with move_other). The similarity 1/(1 + a·d^(2b)) needs d^(2b): it is
// computed once per pair from b's tables (fast-power.ts), and d^(2b−2) as that over d², so no Math.pow is called.
// Each sample depends on the one before (the head moves), so the loop is bound by the latency of one sample: the
// squared distance is summed in four lanes (d mod 4) rather than one chain, and the head's coordinates stay in
// locals (10 dimensions) or a scratch row (any other) until its edge is done.
import type {SparseGraph} from './fuzzy-set.js'
import type {CurveParameters} from './curve-parameters.js'
import {type PowerTable, powerTable, tablePower} from './fast-power.js'

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
  else layoutEpochAnyDimension(state, epoch)
}

/** The squared distance of the rows at `left` and `right`, in four lanes by d mod 4, summed as (0 + 1) + (2 + 3). */
function squaredDistance(leftValues: Float64Array, left: number, rightValues: Float64Array, right: number, dim: number): number {
  let lane0 = 0
  let lane1 = 0
  let lane2 = 0
  let lane3 = 0
  let d = 0
  for (; d + 3 < dim; d += 4) {
    const e0 = leftValues[left + d]! - rightValues[right + d]!
    const e1 = leftValues[left + d + 1]! - rightValues[right + d + 1]!
    const e2 = leftValues[left + d + 2]! - rightValues[right + d + 2]!
    const e3 = leftValues[left + d + 3]! - rightValues[right + d + 3]!
    lane0 += e0 * e0
    lane1 += e1 * e1
    lane2 += e2 * e2
    lane3 += e3 * e3
  }
  if (d < dim) {
    const e0 = leftValues[left + d]! - rightValues[right + d]!
    lane0 += e0 * e0
  }
  if (d + 1 < dim) {
    const e1 = leftValues[left + d + 1]! - rightValues[right + d + 1]!
    lane1 += e1 * e1
  }
  if (d + 2 < dim) {
    const e2 = leftValues[left + d + 2]! - rightValues[right + d + 2]!
    lane2 += e2 * e2
  }
  return lane0 + lane1 + (lane2 + lane3)
}

/** The epoch for any dimension; the same arithmetic in the same order as layoutEpoch10. */
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

/** The epoch for 10 dimensions (the per-firm default), unrolled: each negative sample reads its point and writes nothing. */
function layoutEpoch10(state: LayoutState, epoch: number): void {
  const {embedding, nextSample, nextNegative, epochsPerNegative} = state
  const {head, tail, epochsPerSample} = state.edges
  const edgeCount = head.length
  const n = embedding.length / 10
  const a = state.curve.a
  const attractionScale = -2 * a * state.curve.b
  const repulsionScale = 2 * state.options.repulsionStrength * state.curve.b
  const rate = state.options.learningRate * (1 - epoch / state.options.epochs)
  const table = state.power
  let random = state.random[0]!
  for (let edge = 0; edge < edgeCount; edge++) {
    if (nextSample[edge]! > epoch) continue
    const from = head[edge]! * 10
    const to = tail[edge]! * 10
    let x0 = embedding[from + 0]!
    let x1 = embedding[from + 1]!
    let x2 = embedding[from + 2]!
    let x3 = embedding[from + 3]!
    let x4 = embedding[from + 4]!
    let x5 = embedding[from + 5]!
    let x6 = embedding[from + 6]!
    let x7 = embedding[from + 7]!
    let x8 = embedding[from + 8]!
    let x9 = embedding[from + 9]!
    const y0 = embedding[to + 0]!
    const y1 = embedding[to + 1]!
    const y2 = embedding[to + 2]!
    const y3 = embedding[to + 3]!
    const y4 = embedding[to + 4]!
    const y5 = embedding[to + 5]!
    const y6 = embedding[to + 6]!
    const y7 = embedding[to + 7]!
    const y8 = embedding[to + 8]!
    const y9 = embedding[to + 9]!
    let e0 = x0 - y0
    let e1 = x1 - y1
    let e2 = x2 - y2
    let e3 = x3 - y3
    let e4 = x4 - y4
    let e5 = x5 - y5
    let e6 = x6 - y6
    let e7 = x7 - y7
    let e8 = x8 - y8
    let e9 = x9 - y9
    const squared = (e0 * e0 + e4 * e4 + e8 * e8 + (e1 * e1 + e5 * e5 + e9 * e9)) + (e2 * e2 + e6 * e6 + (e3 * e3 + e7 * e7))
    if (squared > 0) {
      const power = tablePower(squared, table)
      const step = (attractionScale * power) / (squared * (a * power + 1))
      e0 = clip(step * e0) * rate
      e1 = clip(step * e1) * rate
      e2 = clip(step * e2) * rate
      e3 = clip(step * e3) * rate
      e4 = clip(step * e4) * rate
      e5 = clip(step * e5) * rate
      e6 = clip(step * e6) * rate
      e7 = clip(step * e7) * rate
      e8 = clip(step * e8) * rate
      e9 = clip(step * e9) * rate
      x0 += e0
      x1 += e1
      x2 += e2
      x3 += e3
      x4 += e4
      x5 += e5
      x6 += e6
      x7 += e7
      x8 += e8
      x9 += e9
      embedding[to + 0] = y0 - e0
      embedding[to + 1] = y1 - e1
      embedding[to + 2] = y2 - e2
      embedding[to + 3] = y3 - e3
      embedding[to + 4] = y4 - e4
      embedding[to + 5] = y5 - e5
      embedding[to + 6] = y6 - e6
      embedding[to + 7] = y7 - e7
      embedding[to + 8] = y8 - e8
      embedding[to + 9] = y9 - e9
    }
    nextSample[edge]! += epochsPerSample[edge]!
    const negatives = Math.floor((epoch - nextNegative[edge]!) / epochsPerNegative[edge]!)
    for (let sample = 0; sample < negatives; sample++) {
      // mulberry32 (src/pipeline/stages/random.ts's generator) inlined: a call would box its uint32 state.
      random = (random + 0x6d2b79f5) >>> 0
      let mixed = random | 0
      mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1)
      mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61)
      const other = Math.floor((((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296) * n) * 10
      if (other === from) continue
      e0 = x0 - embedding[other + 0]!
      e1 = x1 - embedding[other + 1]!
      e2 = x2 - embedding[other + 2]!
      e3 = x3 - embedding[other + 3]!
      e4 = x4 - embedding[other + 4]!
      e5 = x5 - embedding[other + 5]!
      e6 = x6 - embedding[other + 6]!
      e7 = x7 - embedding[other + 7]!
      e8 = x8 - embedding[other + 8]!
      e9 = x9 - embedding[other + 9]!
      const distance = (e0 * e0 + e4 * e4 + e8 * e8 + (e1 * e1 + e5 * e5 + e9 * e9)) + (e2 * e2 + e6 * e6 + (e3 * e3 + e7 * e7))
      if (distance <= 0) continue
      const power = tablePower(distance, table)
      const step = repulsionScale / ((0.001 + distance) * (a * power + 1))
      x0 += clip(step * e0) * rate
      x1 += clip(step * e1) * rate
      x2 += clip(step * e2) * rate
      x3 += clip(step * e3) * rate
      x4 += clip(step * e4) * rate
      x5 += clip(step * e5) * rate
      x6 += clip(step * e6) * rate
      x7 += clip(step * e7) * rate
      x8 += clip(step * e8) * rate
      x9 += clip(step * e9) * rate
    }
    embedding[from + 0] = x0
    embedding[from + 1] = x1
    embedding[from + 2] = x2
    embedding[from + 3] = x3
    embedding[from + 4] = x4
    embedding[from + 5] = x5
    embedding[from + 6] = x6
    embedding[from + 7] = x7
    embedding[from + 8] = x8
    embedding[from + 9] = x9
    nextNegative[edge]! += negatives * epochsPerNegative[edge]!
  }
  state.random[0] = random
}

/**
 * The gradient clipped to ±4 (umap-learn's clip). Literals, not a constant, keep its bytecode small: V8 inlines the
 * 20 calls of the 10-d kernel and both powers only while their sizes add up to less than its budget.
 */
function clip(gradient: number): number {
  return gradient > 4 ? 4 : gradient < -4 ? -4 : gradient
}
