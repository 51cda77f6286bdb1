import {describe, expect, it} from 'vitest'
import type {SparseGraph} from '../../../../src/pipeline/umap/fuzzy-set.js'
import {seededRandom} from '../../../../src/pipeline/stages/random.js'
import {componentLabels, eigenLayout, spectralLayout} from '../../../../src/pipeline/umap/spectral-init.js'

/** A graph from undirected weighted edges. */
function graphOf(n: number, edges: [number, number, number][]): SparseGraph {
  const rows = Array.from({length: n}, () => [] as [number, number][])
  for (const [a, b, w] of edges) {
    rows[a]!.push([b, w])
    rows[b]!.push([a, w])
  }
  rows.forEach((row) => row.sort((x, y) => x[0] - y[0]))
  const rowStart = new Int32Array(n + 1)
  rows.forEach((row, index) => (rowStart[index + 1] = rowStart[index]! + row.length))
  return {n, rowStart, columns: Int32Array.from(rows.flat().map(([column]) => column)), weights: Float64Array.from(rows.flat().map(([, w]) => w))}
}

const ring = (n: number, offset = 0): [number, number, number][] => Array.from({length: n}, (_, index) => [offset + index, offset + ((index + 1) % n), 1])

describe('spectral initialisation', () => {
  it('gives the normalised Laplacian eigenvectors with the smallest nonzero eigenvalues (a path: 1 − cos(πj/(n − 1)))', () => {
    const n = 40
    const path: [number, number, number][] = Array.from({length: n - 1}, (_, index) => [index, index + 1, 1])
    const graph = graphOf(n, path)
    const layout = eigenLayout(graph, 2)!
    const degree = (index: number): number => (index === 0 || index === n - 1 ? 1 : 2)
    for (let column = 0; column < 2; column++) {
      const expected = 1 - Math.cos((Math.PI * (column + 1)) / (n - 1))
      const v = (index: number): number => (index < 0 || index >= n ? 0 : layout[index * 2 + column]!)
      let norm = 0
      for (let index = 0; index < n; index++) norm += v(index) ** 2
      expect(norm).toBeCloseTo(1, 8)
      for (let index = 0; index < n; index++) {
        const neighbours = [index - 1, index + 1].filter((other) => other >= 0 && other < n)
        const laplacian = v(index) - neighbours.reduce((sum, other) => sum + v(other) / Math.sqrt(degree(index) * degree(other)), 0)
        expect(laplacian).toBeCloseTo(expected * v(index), 5)
      }
    }
  })

  it('lays out separate components around separate centres', () => {
    const graph = graphOf(60, [...ring(30), ...ring(30, 30)])
    expect(componentLabels(graph).count).toBe(2)
    const layout = spectralLayout(graph, 2, seededRandom(1))!
    const centre = (from: number): number[] => [0, 1].map((d) => Array.from({length: 30}, (_, index) => layout[(from + index) * 2 + d]!).reduce((a, b) => a + b) / 30)
    // ±unit vectors as umap-learn: the first component around (1, 0), the second around (−1, 0).
    expect(centre(0)[0]).toBeCloseTo(1, 6)
    expect(centre(30)[0]).toBeCloseTo(-1, 6)
  })
})
