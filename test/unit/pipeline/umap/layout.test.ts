import {describe, expect, it} from 'vitest'
import {seededRandom} from '../../../../src/pipeline/stages/random.js'
import {curveParameters} from '../../../../src/pipeline/umap/curve-parameters.js'
import {powerTable, tablePower} from '../../../../src/pipeline/umap/fast-power.js'
import {fuzzySimplicialSet} from '../../../../src/pipeline/umap/fuzzy-set.js'
import {exactKnn, flattenPoints, unitCosineDistance} from '../../../../src/pipeline/umap/knn-graph.js'
import {type LayoutEdges, type LayoutOptions, layoutEdges, layoutEpoch, layoutEpochAnyDimension, layoutState} from '../../../../src/pipeline/umap/layout.js'

const options: LayoutOptions = {epochs: 60, negativeSampleRate: 5, repulsionStrength: 1, learningRate: 1}
const curve = curveParameters(0.01)

/** The layout graph of 70 seeded points (cosine, 8 neighbours) and a seeded start in [0, 10]^dim. */
function layoutInput(dim: number): {edges: LayoutEdges; start: Float64Array} {
  const random = seededRandom(5)
  const points = Array.from({length: 70}, () => Array.from({length: 12}, () => random() - 0.5))
  const graph = fuzzySimplicialSet(exactKnn(flattenPoints(points, true), 8, unitCosineDistance))
  return {edges: layoutEdges(graph, options.epochs), start: Float64Array.from({length: 70 * dim}, () => random() * 10)}
}

/** The sum of squared differences in the layout's order: four lanes by d mod 4, then (0 + 1) + (2 + 3). */
function laneSum(differences: number[]): number {
  const lanes = [0, 0, 0, 0]
  differences.forEach((difference, d) => (lanes[d % 4]! += difference * difference))
  return lanes[0]! + lanes[1]! + (lanes[2]! + lanes[3]!)
}

const clip = (value: number): number => Math.max(-4, Math.min(4, value))

/**
 * The layout written the straightforward way: an object per edge with its next epochs, every update written to
 * the embedding at once, the negative samples drawn from seededRandom.
 */
function straightforwardLayout(embedding: Float64Array, dim: number, edges: LayoutEdges, seed: number): void {
  const n = embedding.length / dim
  const random = seededRandom(seed)
  const table = powerTable(curve.b)
  const schedule = Array.from(edges.head, (head, index) => ({
    head,
    tail: edges.tail[index]!,
    every: edges.epochsPerSample[index]!,
    next: edges.epochsPerSample[index]!,
    everyNegative: edges.epochsPerSample[index]! / options.negativeSampleRate,
    nextNegative: edges.epochsPerSample[index]! / options.negativeSampleRate,
  }))
  const row = (point: number): number[] => Array.from(embedding.subarray(point * dim, point * dim + dim))
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    const rate = options.learningRate * (1 - epoch / options.epochs)
    for (const edge of schedule) {
      if (edge.next > epoch) continue
      const differences = row(edge.head).map((value, d) => value - embedding[edge.tail * dim + d]!)
      const squared = laneSum(differences)
      if (squared > 0) {
        const power = tablePower(squared, table)
        const coefficient = (-2 * curve.a * curve.b * power) / (squared * (curve.a * power + 1))
        differences.forEach((difference, d) => {
          const move = clip(coefficient * difference) * rate
          embedding[edge.head * dim + d]! += move
          embedding[edge.tail * dim + d]! -= move
        })
      }
      edge.next += edge.every
      const negatives = Math.floor((epoch - edge.nextNegative) / edge.everyNegative)
      for (let sample = 0; sample < negatives; sample++) {
        const other = Math.floor(random() * n)
        if (other === edge.head) continue
        const away = row(edge.head).map((value, d) => value - embedding[other * dim + d]!)
        const distance = laneSum(away)
        if (distance <= 0) continue
        const coefficient = (2 * options.repulsionStrength * curve.b) / ((0.001 + distance) * (curve.a * tablePower(distance, table) + 1))
        away.forEach((difference, d) => (embedding[edge.head * dim + d]! += clip(coefficient * difference) * rate))
      }
      edge.nextNegative += negatives * edge.everyNegative
    }
  }
}

function fastLayout(dim: number, epoch: typeof layoutEpoch, seed: number): Float64Array {
  const {edges, start} = layoutInput(dim)
  const state = layoutState(start, dim, edges, curve, options, seed)
  for (let index = 0; index < options.epochs; index++) epoch(state, index)
  return start
}

describe('the layout epoch', () => {
  it('in 10 and 15 dimensions (the unrolled kernels) gives bit for bit what the straightforward loop gives', () => {
    for (const dim of [10, 15]) {
      const {edges, start} = layoutInput(dim)
      straightforwardLayout(start, dim, edges, 77)
      const fast = fastLayout(dim, layoutEpoch, 77)
      expect(Array.from(fast)).toEqual(Array.from(start))
      // It moved: the comparison is not of two untouched starts.
      expect(Array.from(fast)).not.toEqual(Array.from(layoutInput(dim).start))
    }
  })

  it('in any other dimension (and through the general loop in 10 and 15) gives the same as the straightforward loop', () => {
    for (const dim of [3, 7, 16]) {
      const {edges, start} = layoutInput(dim)
      straightforwardLayout(start, dim, edges, 78)
      expect(Array.from(fastLayout(dim, layoutEpoch, 78))).toEqual(Array.from(start))
    }
    for (const dim of [10, 15]) expect(Array.from(fastLayout(dim, layoutEpochAnyDimension, 79))).toEqual(Array.from(fastLayout(dim, layoutEpoch, 79)))
  })

  it('is deterministic under a seed and depends on it', () => {
    expect(Array.from(fastLayout(10, layoutEpoch, 5))).toEqual(Array.from(fastLayout(10, layoutEpoch, 5)))
    expect(Array.from(fastLayout(10, layoutEpoch, 5))).not.toEqual(Array.from(fastLayout(10, layoutEpoch, 6)))
  })

  it('draws its negative samples from mulberry32, the generator of seededRandom, one state carried across epochs', () => {
    const {edges, start} = layoutInput(10)
    const state = layoutState(start, 10, edges, curve, options, 1234)
    for (let index = 0; index < 3; index++) layoutEpoch(state, index)
    // The state after the draws equals seededRandom's after as many draws: count them from the schedule.
    let draws = 0
    const next = Float64Array.from(edges.epochsPerSample, (value) => value / options.negativeSampleRate)
    const due = Float64Array.from(edges.epochsPerSample)
    for (let epoch = 0; epoch < 3; epoch++) {
      for (let edge = 0; edge < due.length; edge++) {
        if (due[edge]! > epoch) continue
        due[edge]! += edges.epochsPerSample[edge]!
        const negatives = Math.floor((epoch - next[edge]!) / (edges.epochsPerSample[edge]! / options.negativeSampleRate))
        draws += negatives
        next[edge]! += negatives * (edges.epochsPerSample[edge]! / options.negativeSampleRate)
      }
    }
    expect(draws).toBeGreaterThan(0)
    expect(state.random[0]).toBe((1234 + draws * 0x6d2b79f5) >>> 0)
  })
})
