// The layout epoch written out for the two dimensions ftm uses by default: 10 (a firm's sentences) and 15 (a
// quarter's topics). The head's coordinates live in locals while its negative samples move it, so a sample reads
// its point once and writes nothing; the arithmetic, its order (distances in four lanes by d mod 4) and the
// mulberry32 draws (inlined: a call would box the uint32 state) are layout.ts's general loop, which the tests
// hold these kernels to bit for bit.
import type {LayoutState} from './layout.js'
import {tablePower} from './fast-power.js'

/** The epoch for 10 dimensions (the per-firm default). */
export function layoutEpoch10(state: LayoutState, epoch: number): void {
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
    const squared = e0 * e0 + e4 * e4 + e8 * e8 + (e1 * e1 + e5 * e5 + e9 * e9) + (e2 * e2 + e6 * e6 + (e3 * e3 + e7 * e7))
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
      const distance = e0 * e0 + e4 * e4 + e8 * e8 + (e1 * e1 + e5 * e5 + e9 * e9) + (e2 * e2 + e6 * e6 + (e3 * e3 + e7 * e7))
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

/** The epoch for 15 dimensions (the themes default); only the negative samples are written out. */
export function layoutEpoch15(state: LayoutState, epoch: number): void {
  const {embedding, nextSample, nextNegative, epochsPerNegative} = state
  const {head, tail, epochsPerSample} = state.edges
  const edgeCount = head.length
  const n = embedding.length / 15
  const a = state.curve.a
  const attractionScale = -2 * a * state.curve.b
  const repulsionScale = 2 * state.options.repulsionStrength * state.curve.b
  const rate = state.options.learningRate * (1 - epoch / state.options.epochs)
  const table = state.power
  let random = state.random[0]!
  for (let edge = 0; edge < edgeCount; edge++) {
    if (nextSample[edge]! > epoch) continue
    const from = head[edge]! * 15
    const to = tail[edge]! * 15
    // The pull as the general loop does it (a sixth of the samples): written out too, the kernel would be more
    // bytecode than V8 inlines the powers into.
    const squared = squaredDistance(embedding, from, embedding, to, 15)
    if (squared > 0) {
      const power = tablePower(squared, table)
      const step = (attractionScale * power) / (squared * (a * power + 1))
      for (let d = 0; d < 15; d++) {
        const move = clip(step * (embedding[from + d]! - embedding[to + d]!)) * rate
        embedding[from + d]! += move
        embedding[to + d]! -= move
      }
    }
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
    let x10 = embedding[from + 10]!
    let x11 = embedding[from + 11]!
    let x12 = embedding[from + 12]!
    let x13 = embedding[from + 13]!
    let x14 = embedding[from + 14]!
    let e0 = 0
    let e1 = 0
    let e2 = 0
    let e3 = 0
    let e4 = 0
    let e5 = 0
    let e6 = 0
    let e7 = 0
    let e8 = 0
    let e9 = 0
    let e10 = 0
    let e11 = 0
    let e12 = 0
    let e13 = 0
    let e14 = 0
    nextSample[edge]! += epochsPerSample[edge]!
    const negatives = Math.floor((epoch - nextNegative[edge]!) / epochsPerNegative[edge]!)
    for (let sample = 0; sample < negatives; sample++) {
      random = (random + 0x6d2b79f5) >>> 0
      let mixed = random | 0
      mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1)
      mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61)
      const other = Math.floor((((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296) * n) * 15
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
      e10 = x10 - embedding[other + 10]!
      e11 = x11 - embedding[other + 11]!
      e12 = x12 - embedding[other + 12]!
      e13 = x13 - embedding[other + 13]!
      e14 = x14 - embedding[other + 14]!
      const distance = e0 * e0 + e4 * e4 + e8 * e8 + e12 * e12 + (e1 * e1 + e5 * e5 + e9 * e9 + e13 * e13) + (e2 * e2 + e6 * e6 + e10 * e10 + e14 * e14 + (e3 * e3 + e7 * e7 + e11 * e11))
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
      x10 += clip(step * e10) * rate
      x11 += clip(step * e11) * rate
      x12 += clip(step * e12) * rate
      x13 += clip(step * e13) * rate
      x14 += clip(step * e14) * rate
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
    embedding[from + 10] = x10
    embedding[from + 11] = x11
    embedding[from + 12] = x12
    embedding[from + 13] = x13
    embedding[from + 14] = x14
    nextNegative[edge]! += negatives * epochsPerNegative[edge]!
  }
  state.random[0] = random
}

/**
 * The gradient clipped to ±4 (umap-learn's clip). Literals, not a constant, keep its bytecode small: V8 inlines the
 * 20 calls of the 10-d kernel (30 of the 15-d) and both powers only while their sizes add up to less than its budget.
 */
export function clip(gradient: number): number {
  return gradient > 4 ? 4 : gradient < -4 ? -4 : gradient
}

/** The squared distance of the rows at `left` and `right`, in four lanes by d mod 4, summed as (0 + 1) + (2 + 3). */
export function squaredDistance(leftValues: Float64Array, left: number, rightValues: Float64Array, right: number, dim: number): number {
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
