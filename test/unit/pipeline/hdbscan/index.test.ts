import {describe, expect, it} from 'vitest'

import {
  type CondensedTree,
  computeStability,
  condenseTree,
  coreDistances,
  computedRows,
  denseRows,
  hdbscan,
  labelPoints,
  minimumSpanningTree,
  mutualReachability,
  pairwiseDistances,
  selectClusters,
  selectKth,
  singleLinkage,
  sortEdges,
} from '../../../../src/pipeline/hdbscan/index.js'

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/** Seeded uniform PRNG in [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed | 0
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Standard normal sample (Box–Muller) from a uniform PRNG. */
function gaussian(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand())
}

/** Three well-separated 2-D Gaussian blobs (std 1), points assigned round-robin; returns points and true blob ids. */
function blobs(n: number, seed: number): {points: number[][]; truth: number[]} {
  const rand = mulberry32(seed)
  const centers = [
    [0, 0],
    [12, 0],
    [6, 10],
  ]
  const points: number[][] = []
  const truth: number[] = []
  for (let i = 0; i < n; i++) {
    const c = centers[i % 3]!
    points.push([c[0]! + gaussian(rand), c[1]! + gaussian(rand)])
    truth.push(i % 3)
  }
  return {points, truth}
}

/** A seeded Fisher–Yates permutation of 0..n-1. */
function permutation(n: number, seed: number): number[] {
  const rand = mulberry32(seed)
  const p = Array.from({length: n}, (_, i) => i)
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1))
    ;[p[i], p[j]] = [p[j]!, p[i]!]
  }
  return p
}

function clusterCount(labels: Int32Array): number {
  return new Set(Array.from(labels).filter((l) => l >= 0)).size
}

function clusterSizes(labels: Int32Array): Map<number, number> {
  const sizes = new Map<number, number>()
  for (const l of labels) if (l >= 0) sizes.set(l, (sizes.get(l) ?? 0) + 1)
  return sizes
}

interface Row {
  parent: number
  child: number
  lambda: number
  size: number
}

function rowsOf(tree: CondensedTree): Row[] {
  return Array.from(tree.child, (child, r) => ({
    parent: tree.parent[r]!,
    child,
    lambda: tree.lambda[r]!,
    size: tree.size[r]!,
  }))
}

// ---------------------------------------------------------------------------------------------
// 2.3(a): the hand-checked, tie-free 1-D example (sklearn min_samples=2, mcs=3)
// ---------------------------------------------------------------------------------------------

const X = [7.2, 20.0, 22.7, 23.7, 26.6, 27.0, 29.8, 31.9, 32.0, 34.5, 36.8, 39.2]
const POINTS = X.map((v) => [v])
const N = X.length

function pipeline(minClusterSize: number) {
  const distances = pairwiseDistances(POINTS)
  const core = coreDistances(denseRows(distances, N), 2)
  const mst = minimumSpanningTree(denseRows(distances, N), core)
  const slt = singleLinkage(mst, N)
  const tree = condenseTree(slt, minClusterSize)
  const stability = computeStability(tree)
  return {distances, core, mst, slt, tree, stability}
}

describe('hdbscan on the 1-D test vector (doc §2.3a)', () => {
  it('given minSamples=2 (self included), when computing core distances, then they are the nearest-neighbour gaps', () => {
    const {core} = pipeline(3)
    const expected = [12.8, 2.7, 1.0, 1.0, 0.4, 0.4, 2.1, 0.1, 0.1, 2.3, 2.3, 2.4]
    expected.forEach((v, i) => expect(core[i]).toBeCloseTo(v, 10))
  })

  it('given the mutual-reachability graph, when building the MST, then it is the chain of consecutive gaps with true sources', () => {
    const {distances, core, mst} = pipeline(3)
    const sorted = Array.from(mst.weight).sort((a, b) => a - b)
    const expected = [0.1, 0.4, 1.0, 2.1, 2.3, 2.4, 2.5, 2.7, 2.8, 2.9, 12.8]
    expect(sorted).toHaveLength(expected.length)
    expected.forEach((v, i) => expect(sorted[i]).toBeCloseTo(v, 10))
    for (let e = 0; e < mst.weight.length; e++) {
      // Each edge joins neighbours on the line, and its weight is the mutual reachability of its real endpoints.
      expect(Math.abs(mst.from[e]! - mst.to[e]!)).toBe(1)
      expect(mst.weight[e]).toBe(mutualReachability(distances, core, N, mst.from[e]!, mst.to[e]!))
    }
  })

  it('given the MST, when building the single-linkage tree, then merges are ascending and the root holds every point', () => {
    const {slt} = pipeline(3)
    for (let i = 1; i < N - 1; i++) expect(slt.distance[i]!).toBeGreaterThanOrEqual(slt.distance[i - 1]!)
    expect(slt.size[N - 2]).toBe(N)
    expect(slt.distance[N - 2]).toBeCloseTo(12.8, 10)
  })

  it('given mcs=3, when condensing, then births, deaths and memberships match the hand derivation', () => {
    const {tree} = pipeline(3)
    expect(tree.nPoints).toBe(12)
    expect(tree.nClusters).toBe(5) // clusters 12 (root), 13, 14, 15, 16
    const rows = rowsOf(tree)
    const expected: Row[] = [
      {parent: 12, child: 0, lambda: 1 / 12.8, size: 1},
      {parent: 12, child: 13, lambda: 1 / 2.9, size: 3},
      {parent: 12, child: 14, lambda: 1 / 2.9, size: 8},
      ...[1, 2, 3].map((p) => ({parent: 13, child: p, lambda: 1 / 2.7, size: 1})),
      ...[4, 5].map((p) => ({parent: 14, child: p, lambda: 1 / 2.8, size: 1})),
      {parent: 14, child: 15, lambda: 1 / 2.5, size: 3},
      {parent: 14, child: 16, lambda: 1 / 2.5, size: 3},
      ...[6, 7, 8].map((p) => ({parent: 15, child: p, lambda: 1 / 2.1, size: 1})),
      ...[9, 10, 11].map((p) => ({parent: 16, child: p, lambda: 1 / 2.4, size: 1})),
    ]
    const key = (r: Row): string => `${r.parent}->${r.child}`
    const byKey = new Map(rows.map((r) => [key(r), r]))
    expect(rows).toHaveLength(expected.length)
    for (const e of expected) {
      const r = byKey.get(key(e))
      expect(r, key(e)).toBeDefined()
      expect(r!.size).toBe(e.size)
      expect(r!.lambda).toBeCloseTo(e.lambda, 10)
    }
  })

  it('given the condensed tree, when computing stabilities, then they match the doc to 1e-4', () => {
    const {stability} = pipeline(3)
    const expected = [3.87123, 0.07663, 0.35567, 0.22857, 0.05]
    expect(stability).toHaveLength(5)
    expected.forEach((v, i) => expect(Math.abs(stability[i]! - v)).toBeLessThan(1e-4))
  })

  it('given EOM, when clustering, then clusters 13 and 14 are kept with the documented probabilities', () => {
    const {labels, probabilities} = hdbscan(POINTS, {minClusterSize: 3, minSamples: 2})
    expect(Array.from(labels)).toEqual([-1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1])
    const expected = [0, 1, 1, 1, 0.892857, 0.892857, 1, 1, 1, 1, 1, 1]
    expected.forEach((v, i) => expect(probabilities[i]).toBeCloseTo(v, 6))
  })

  it('given leaf selection, when clustering, then the leaves 13, 15 and 16 are kept and points 4, 5 are noise', () => {
    const {labels, probabilities} = hdbscan(POINTS, {minClusterSize: 3, minSamples: 2, selection: 'leaf'})
    expect(Array.from(labels)).toEqual([-1, 0, 0, 0, -1, -1, 1, 1, 1, 2, 2, 2])
    expect(Array.from(probabilities)).toEqual([0, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1])
  })

  it('given allowSingleCluster with EOM, when clustering, then the root wins and only point 0 is noise', () => {
    const {labels, probabilities} = hdbscan(POINTS, {minClusterSize: 3, minSamples: 2, allowSingleCluster: true})
    expect(Array.from(labels)).toEqual([-1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
    expect(Array.from(probabilities)).toEqual([0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1])
  })

  it('given mcs=6, when clustering, then there are no clusters', () => {
    const {tree} = pipeline(6)
    expect(tree.nClusters).toBe(1)
    const {labels, probabilities} = hdbscan(POINTS, {minClusterSize: 6, minSamples: 2})
    expect(Array.from(labels)).toEqual(new Array(12).fill(-1))
    expect(Array.from(probabilities)).toEqual(new Array(12).fill(0))
  })

  it('given mcs=6 and allowSingleCluster, when clustering, then the last six points (those leaving at the largest lambda) form cluster 0', () => {
    const {labels} = hdbscan(POINTS, {minClusterSize: 6, minSamples: 2, allowSingleCluster: true})
    expect(Array.from(labels)).toEqual([-1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0])
  })

  it('given mcs=6 and leaf selection, when clustering, then the root is the only candidate and everything is noise', () => {
    const {labels} = hdbscan(POINTS, {minClusterSize: 6, minSamples: 2, selection: 'leaf'})
    expect(Array.from(labels)).toEqual(new Array(12).fill(-1))
  })

  // The following cases have no vector in the doc; they were derived by hand from the tree above.
  it('given leaf selection and epsilon=2.6, when clustering, then leaves born below 2.6 merge up into cluster 14', () => {
    // 15 and 16 are born at distance 2.5 < 2.6; their parent 14 is born at 2.9 > 2.6. 13 (born at 2.9) stays.
    const {labels} = hdbscan(POINTS, {minClusterSize: 3, minSamples: 2, selection: 'leaf', epsilon: 2.6})
    expect(Array.from(labels)).toEqual([-1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1])
  })

  it('given epsilon=3 without allowSingleCluster, when clustering, then the walk stops below the root', () => {
    const {labels} = hdbscan(POINTS, {minClusterSize: 3, minSamples: 2, selection: 'leaf', epsilon: 3})
    expect(Array.from(labels)).toEqual([-1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1])
  })

  it('given epsilon=3 with allowSingleCluster, when clustering, then the root is selected and thresholded at lambda >= 1/3', () => {
    const {labels} = hdbscan(POINTS, {minClusterSize: 3, minSamples: 2, selection: 'leaf', epsilon: 3, allowSingleCluster: true})
    expect(Array.from(labels)).toEqual([-1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
  })

  it('given maxClusterSize=5 with EOM, when clustering, then cluster 14 (8 points) is split into 15 and 16', () => {
    const {labels} = hdbscan(POINTS, {minClusterSize: 3, minSamples: 2, maxClusterSize: 5})
    expect(Array.from(labels)).toEqual([-1, 0, 0, 0, -1, -1, 1, 1, 1, 2, 2, 2])
  })

  it('given the stabilities, when selecting with EOM directly, then the selected ids are 13 and 14', () => {
    const {tree, stability} = pipeline(3)
    const selected = selectClusters(tree, stability, {selection: 'eom', allowSingleCluster: false, epsilon: 0, maxClusterSize: 0})
    expect(Array.from(selected)).toEqual([13, 14])
    // Selection must not mutate the stabilities it was given.
    expect(stability[2]).toBeCloseTo(0.35567, 4)
  })
})

// ---------------------------------------------------------------------------------------------
// 2.3(b): sklearn test_labelling_thresholding
// ---------------------------------------------------------------------------------------------

describe('labelling a single selected root (doc §2.3b)', () => {
  const tree: CondensedTree = {
    nPoints: 5,
    nClusters: 1,
    parent: Int32Array.from([5, 5, 5, 5, 5]),
    child: Int32Array.from([2, 1, 0, 3, 4]),
    lambda: Float64Array.from([1.5, 0.1, 1.5, 0.2, 0.3]),
    size: Int32Array.from([1, 1, 1, 1, 1]),
  }

  it('given epsilon=1, when labelling, then noise is exactly the points with lambda < 1', () => {
    const {labels} = labelPoints(tree, [5], true, 1)
    expect(Array.from(labels)).toEqual([0, -1, 0, -1, -1])
  })

  it('given epsilon=0, when labelling, then noise is exactly the points with lambda < 1.5 (the largest root lambda)', () => {
    const {labels, probabilities} = labelPoints(tree, [5], true, 0)
    expect(Array.from(labels)).toEqual([0, -1, 0, -1, -1])
    expect(Array.from(probabilities)).toEqual([1, 0, 1, 0, 0])
  })

  it('given epsilon=4 (threshold 0.25), when labelling, then the point at lambda 0.3 joins too', () => {
    const {labels} = labelPoints(tree, [5], true, 4)
    expect(Array.from(labels)).toEqual([0, -1, 0, -1, 0])
  })

  it('given allowSingleCluster=false, when labelling with the root selected, then everything is noise', () => {
    const {labels} = labelPoints(tree, [5], false, 0)
    expect(Array.from(labels)).toEqual([-1, -1, -1, -1, -1])
  })
})

// ---------------------------------------------------------------------------------------------
// 2.3(c): invariants
// ---------------------------------------------------------------------------------------------

describe('hdbscan invariants (doc §2.3c)', () => {
  it('given three well-separated blobs, when clustering with mcs=10, then there are exactly 3 pure clusters of size >= mcs', () => {
    const {points, truth} = blobs(200, 10)
    const {labels, probabilities} = hdbscan(points, {minClusterSize: 10})
    expect(clusterCount(labels)).toBe(3)
    for (const size of clusterSizes(labels).values()) expect(size).toBeGreaterThanOrEqual(10)
    // Each cluster holds points of one blob only, and each blob maps to one cluster.
    const blobOf = new Map<number, number>()
    labels.forEach((l, i) => {
      if (l < 0) return
      if (!blobOf.has(l)) blobOf.set(l, truth[i]!)
      expect(blobOf.get(l)).toBe(truth[i])
    })
    expect(new Set(blobOf.values()).size).toBe(3)
    const noise = Array.from(labels).filter((l) => l < 0).length
    expect(noise).toBeLessThan(40)
    for (let i = 0; i < labels.length; i++) {
      expect(probabilities[i]).toBeGreaterThanOrEqual(0)
      expect(probabilities[i]).toBeLessThanOrEqual(1)
      if (labels[i]! < 0) expect(probabilities[i]).toBe(0)
      else expect(probabilities[i]).toBeGreaterThan(0)
    }
  })

  it('given other seeds and minSamples/leaf settings, when clustering blobs, then every cluster has at least mcs points', () => {
    for (const seed of [1, 2, 3]) {
      const {points} = blobs(150, seed)
      for (const options of [
        {minClusterSize: 5},
        {minClusterSize: 6, minSamples: 2, selection: 'leaf' as const},
        {minClusterSize: 8, minSamples: 3, allowSingleCluster: true},
      ]) {
        const {labels} = hdbscan(points, options)
        for (const size of clusterSizes(labels).values()) expect(size).toBeGreaterThanOrEqual(options.minClusterSize)
      }
    }
  })

  it('given shuffled input rows, when clustering, then labels match up to renaming and the noise set is identical', () => {
    const {points} = blobs(200, 10)
    const base = hdbscan(points, {minClusterSize: 10})
    for (const seed of [7, 8, 9]) {
      const perm = permutation(points.length, seed) // shuffled row k is original row perm[k]
      const shuffled = perm.map((i) => points[i]!)
      const result = hdbscan(shuffled, {minClusterSize: 10})
      const forward = new Map<number, number>()
      const backward = new Map<number, number>()
      perm.forEach((original, k) => {
        const a = base.labels[original]!
        const b = result.labels[k]!
        expect(b < 0).toBe(a < 0)
        expect(result.probabilities[k]).toBeCloseTo(base.probabilities[original]!, 12)
        if (a < 0) return
        if (!forward.has(a)) forward.set(a, b)
        if (!backward.has(b)) backward.set(b, a)
        expect(forward.get(a)).toBe(b)
        expect(backward.get(b)).toBe(a)
      })
    }
  })

  it('given the 1-D example reversed, when clustering, then the same partition comes back', () => {
    const reversed = [...POINTS].reverse()
    const {labels} = hdbscan(reversed, {minClusterSize: 3, minSamples: 2})
    const back = Array.from(labels).reverse()
    // Cluster ids follow tree order, so the names may swap; the partition may not.
    expect(back[0]).toBe(-1)
    expect(new Set(back.slice(1, 4)).size).toBe(1)
    expect(new Set(back.slice(4)).size).toBe(1)
    expect(back[1]).not.toBe(back[4])
  })

  it('given minClusterSize = n-1, when clustering, then there are no clusters', () => {
    const {points} = blobs(200, 10)
    const {labels} = hdbscan(points, {minClusterSize: points.length - 1})
    expect(clusterCount(labels)).toBe(0)
  })

  it('given two groups of exact duplicates, when clustering, then each group is a cluster with probability 1', () => {
    const points = [...Array.from({length: 10}, () => [0, 0]), ...Array.from({length: 10}, () => [5, 5])]
    const {labels, probabilities} = hdbscan(points, {minClusterSize: 5})
    expect(Array.from(labels)).toEqual([...new Array(10).fill(0), ...new Array(10).fill(1)])
    expect(Array.from(probabilities)).toEqual(new Array(20).fill(1))
  })

  it('given duplicates inside a blob, when clustering, then the result is finite and well formed', () => {
    const {points} = blobs(90, 4)
    const withDuplicates = [...points, ...points.slice(0, 30)]
    const {labels, probabilities} = hdbscan(withDuplicates, {minClusterSize: 5, minSamples: 3})
    expect(clusterCount(labels)).toBeGreaterThan(0)
    for (const p of probabilities) {
      expect(Number.isFinite(p)).toBe(true)
      expect(p).toBeGreaterThanOrEqual(0)
      expect(p).toBeLessThanOrEqual(1)
    }
    // Identical rows get identical labels.
    for (let i = 0; i < 30; i++) expect(labels[90 + i]).toBe(labels[i])
  })

  it('given all points identical, when clustering, then the stabilities are not NaN and allowSingleCluster gives one cluster', () => {
    const points = Array.from({length: 10}, () => [1, 2, 3])
    const distances = pairwiseDistances(points)
    const core = coreDistances(denseRows(distances, 10), 3)
    const tree = condenseTree(singleLinkage(minimumSpanningTree(denseRows(distances, 10), core), 10), 3)
    for (const s of computeStability(tree)) expect(Number.isNaN(s)).toBe(false)
    expect(Array.from(hdbscan(points, {minClusterSize: 3}).labels)).toEqual(new Array(10).fill(-1))
    const single = hdbscan(points, {minClusterSize: 3, allowSingleCluster: true})
    expect(Array.from(single.labels)).toEqual(new Array(10).fill(0))
    expect(Array.from(single.probabilities)).toEqual(new Array(10).fill(1))
  })
})

// ---------------------------------------------------------------------------------------------
// Small inputs, validation and building blocks
// ---------------------------------------------------------------------------------------------

describe('hdbscan small inputs and validation', () => {
  it('given no points, when clustering, then the result is empty', () => {
    const {labels, probabilities} = hdbscan([], {minClusterSize: 5})
    expect(labels).toHaveLength(0)
    expect(probabilities).toHaveLength(0)
  })

  it('given one point, when clustering, then it is noise with probability 0', () => {
    const {labels, probabilities} = hdbscan([[1, 2]], {minClusterSize: 5, allowSingleCluster: true})
    expect(Array.from(labels)).toEqual([-1])
    expect(Array.from(probabilities)).toEqual([0])
  })

  it('given two points, when clustering, then both are noise unless a single cluster is allowed', () => {
    const points = [
      [0, 0],
      [1, 1],
    ]
    expect(Array.from(hdbscan(points, {minClusterSize: 2}).labels)).toEqual([-1, -1])
    expect(Array.from(hdbscan(points, {minClusterSize: 5}).labels)).toEqual([-1, -1])
    expect(Array.from(hdbscan(points, {minClusterSize: 2, allowSingleCluster: true}).labels)).toEqual([0, 0])
  })

  it('given fewer points than minClusterSize, when clustering, then all points are noise', () => {
    const {labels} = hdbscan(POINTS.slice(0, 4), {minClusterSize: 5})
    expect(Array.from(labels)).toEqual([-1, -1, -1, -1])
  })

  it('given minSamples above n or below 1, when clustering, then it is clipped instead of throwing', () => {
    expect(() => hdbscan(POINTS, {minClusterSize: 3, minSamples: 100})).not.toThrow()
    expect(() => hdbscan(POINTS, {minClusterSize: 3, minSamples: 0})).not.toThrow()
    const distances = pairwiseDistances(POINTS)
    expect(Array.from(coreDistances(denseRows(distances, N), 0))).toEqual(new Array(N).fill(0))
    expect(coreDistances(denseRows(distances, N), 100)[0]).toBeCloseTo(39.2 - 7.2, 10)
  })

  it('given a NaN or infinite coordinate, when clustering, then it throws naming the row', () => {
    expect(() => hdbscan([[0, 0], [1, 1], [2, 2], [3, Number.NaN]], {minClusterSize: 2})).toThrow(/row 3/)
    expect(() => hdbscan([[0, 0], [Infinity, 1]], {minClusterSize: 2})).toThrow(/row 1/)
    expect(() => hdbscan([[Number.NaN]], {minClusterSize: 2})).toThrow(/row 0/)
  })

  it('given rows of different lengths, when clustering, then it throws naming the row', () => {
    expect(() => hdbscan([[0, 0], [1, 1], [2]], {minClusterSize: 2})).toThrow(/row 2/)
  })

  it('given invalid options, when clustering, then it throws a descriptive error', () => {
    expect(() => hdbscan(POINTS, {minClusterSize: 1})).toThrow(/minClusterSize/)
    expect(() => hdbscan(POINTS, {minClusterSize: 3, alpha: 0})).toThrow(/alpha/)
    expect(() => hdbscan(POINTS, {minClusterSize: 3, epsilon: -1})).toThrow(/epsilon/)
    expect(() => hdbscan(POINTS, {minClusterSize: 3, maxClusterSize: -1})).toThrow(/maxClusterSize/)
  })

  it('given typed-array rows, when clustering, then the result equals that of plain arrays', () => {
    const typed = POINTS.map((row) => Float64Array.from(row))
    expect(Array.from(hdbscan(typed, {minClusterSize: 3, minSamples: 2}).labels)).toEqual([-1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1])
  })
})

describe('hdbscan building blocks', () => {
  it('given random arrays, when selecting the k-th smallest, then it matches a full sort', () => {
    const rand = mulberry32(3)
    for (let trial = 0; trial < 50; trial++) {
      const length = 1 + Math.floor(rand() * 200)
      const values = Float64Array.from({length}, () => Math.floor(rand() * 20)) // many ties
      const sorted = Float64Array.from(values).sort()
      const k = Math.floor(rand() * length)
      expect(selectKth(Float64Array.from(values), k)).toBe(sorted[k])
    }
  })

  it('given random points, when computing core distances with small and large minSamples, then they match sorting each row', () => {
    const rand = mulberry32(5)
    const points = Array.from({length: 120}, () => [rand(), rand(), rand()])
    const n = points.length
    const distances = pairwiseDistances(points)
    for (const m of [1, 2, 10, 64, 65, 120]) {
      const core = coreDistances(denseRows(distances, n), m)
      for (let i = 0; i < n; i++) {
        const row = Float64Array.from(distances.subarray(i * n, i * n + n)).sort()
        expect(core[i]).toBe(row[m - 1])
      }
    }
  })

  it('given random points, when building the MST with Prim, then its weights equal those of Kruskal on the explicit graph', () => {
    const rand = mulberry32(11)
    const points = Array.from({length: 80}, () => [rand() * 10, rand() * 10])
    const n = points.length
    const distances = pairwiseDistances(points)
    const core = coreDistances(denseRows(distances, n), 4)
    for (const alpha of [1, 1.5]) {
      const prim = Array.from(minimumSpanningTree(denseRows(distances, n), core, alpha).weight).sort((a, b) => a - b)
      const edges: [number, number, number][] = []
      for (let i = 0; i < n; i++) {
        for (let j = i + 1; j < n; j++) edges.push([Math.max(core[i]!, core[j]!, distances[i * n + j]! / alpha), i, j])
      }
      edges.sort((a, b) => a[0] - b[0])
      const parent = Array.from({length: n}, (_, i) => i)
      const find = (x: number): number => (parent[x] === x ? x : (parent[x] = find(parent[x]!)))
      const kruskal: number[] = []
      for (const [w, a, b] of edges) {
        const ra = find(a)
        const rb = find(b)
        if (ra !== rb) {
          parent[ra] = rb
          kruskal.push(w)
        }
      }
      expect(prim).toEqual(kruskal)
    }
  })

  it('given a three-way tie merged in two different binary orders, when condensing, then both trees condense identically', () => {
    // Deliberate refinement of the doc's binary walk (§2.2 step 6): merges at exactly the same distance are one
    // k-way split, so the tie-break order (which depends on row order) cannot change the condensed tree.
    // Groups A={0,1,2}, B={3,4,5}, C={6,7,8} join at distance 1, as ((A,B),C) or as (A,(B,C)).
    const inner = {left: [0, 9, 3, 11, 6, 13], right: [1, 2, 4, 5, 7, 8], distance: [0.1, 0.2, 0.1, 0.2, 0.1, 0.2], size: [2, 3, 2, 3, 2, 3]}
    const tree = (left: number[], right: number[]) => ({
      n: 9,
      left: Int32Array.from([...inner.left, ...left]),
      right: Int32Array.from([...inner.right, ...right]),
      distance: Float64Array.from([...inner.distance, 1, 1]),
      size: Int32Array.from([...inner.size, 6, 9]),
    })
    const abFirst = tree([10, 15], [12, 14])
    const bcFirst = tree([12, 10], [14, 15])
    for (const mcs of [3, 4]) {
      expect(rowsOf(condenseTree(abFirst, mcs))).toEqual(rowsOf(condenseTree(bcFirst, mcs)))
    }
    // mcs=3: the root splits three ways at lambda 1. mcs=4: no part is large enough, so every point falls out.
    const three = rowsOf(condenseTree(abFirst, 3)).filter((r) => r.child >= 9)
    expect(three).toEqual([10, 11, 12].map((child) => ({parent: 9, child, lambda: 1, size: 3})))
    const none = condenseTree(abFirst, 4)
    expect(none.nClusters).toBe(1)
    expect(rowsOf(none).every((r) => r.parent === 9 && r.lambda === 1 && r.size === 1)).toBe(true)
  })

  it('given tied edge weights, when sorting edges, then ties break by smaller then larger endpoint', () => {
    const mst = {
      from: Int32Array.from([5, 1, 3, 4, 0]),
      to: Int32Array.from([2, 4, 0, 2, 6]),
      weight: Float64Array.from([1, 1, 1, 1, 0.5]),
    }
    // Endpoint pairs: (2,5) (1,4) (0,3) (2,4) (0,6); the weight-0.5 edge comes first.
    expect(Array.from(sortEdges(mst))).toEqual([4, 2, 1, 3, 0])
  })
})

describe('hdbscan beyond the dense limit (rows computed on demand)', () => {
  it('given random points, when distances are computed row by row, then every row is bit-identical to the dense matrix', () => {
    const rand = mulberry32(21)
    const points = Array.from({length: 150}, () => [rand() * 4, rand() * 4, rand() * 4, rand() * 4, rand() * 4])
    const dense = denseRows(pairwiseDistances(points), points.length)
    const computed = computedRows(points)
    for (let i = 0; i < points.length; i++) expect(Array.from(computed.row(i))).toEqual(Array.from(dense.row(i)))
  })

  it('given clustered points, when the matrix is not kept, then labels and probabilities equal the dense path', () => {
    const {points} = blobs(400, 9)
    for (const selection of ['eom', 'leaf'] as const) {
      const dense = hdbscan(points, {minClusterSize: 8, minSamples: 4, selection})
      const computed = hdbscan(points, {minClusterSize: 8, minSamples: 4, selection, denseLimit: 0})
      expect(clusterCount(dense.labels)).toBeGreaterThan(1)
      expect(Array.from(computed.labels)).toEqual(Array.from(dense.labels))
      expect(Array.from(computed.probabilities)).toEqual(Array.from(dense.probabilities))
    }
  })

  it('given a NaN coordinate, when the matrix is not kept, then it still throws naming the row', () => {
    expect(() => hdbscan([[0, 0], [1, 1], [2, Number.NaN]], {minClusterSize: 2, denseLimit: 0})).toThrow(/row 2/)
  })
})
