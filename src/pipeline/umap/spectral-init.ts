// UMAP's spectral initialisation (umap-learn's spectral_layout): the eigenvectors of the graph's normalised
// Laplacian with the smallest nonzero eigenvalues, found by Lanczos with full reorthogonalisation on D^-½ W D^-½.
// A connected graph whose eigenvectors do not converge gets a random layout (umap-learn's fallback); a graph of
// several components is laid out component by component around fixed centres (its multi_component_layout).
import type {SparseGraph} from './fuzzy-set.js'
import {seededRandom} from '../stages/random.js'
import {tridiagonalEigen} from './tridiagonal-eigen.js'

/** Residual below which a Ritz pair counts as converged (umap-learn asks eigsh for tol 1e-4). */
const tolerance = 1e-4

/** Up to this many points Lanczos may take up to 200 steps; beyond, 4·(dim + 1) + 20 (the basis is steps × n doubles). */
const smallGraph = 4096

/**
 * Initial coordinates (n × dim, row-major) from the graph's spectrum, or undefined where umap-learn falls back to
 * a random layout. `random` draws the layouts of components too small for a spectrum.
 */
export function spectralLayout(graph: SparseGraph, dim: number, random: () => number): Float64Array | undefined {
  const {count, labels} = componentLabels(graph)
  if (count === 1) return eigenLayout(graph, dim)
  const centres = componentCentres(count, dim, random)
  const layout = new Float64Array(graph.n * dim)
  for (let component = 0; component < count; component++) {
    const members: number[] = []
    for (let point = 0; point < graph.n; point++) if (labels[point] === component) members.push(point)
    const range = count > 2 * dim ? nearestCentreDistance(centres, component, dim) / 2 : 1
    const small = members.length < 2 * dim || members.length < dim + 1
    const local = small ? undefined : eigenLayout(subgraph(graph, members, labels, component), dim)
    let largest = 0
    if (local) for (let index = 0; index < local.length; index++) largest = Math.max(largest, Math.abs(local[index]!))
    const expansion = local && largest > 0 ? range / largest : 0
    members.forEach((point, position) => {
      for (let d = 0; d < dim; d++) {
        const offset = local ? local[position * dim + d]! * expansion : (random() * 2 - 1) * range
        layout[point * dim + d] = offset + centres[component * dim + d]!
      }
    })
  }
  return layout
}

/**
 * Where each component is placed: ±unit vectors when there are at most 2·dim components (as umap-learn), else
 * seeded uniform points in [−1, 1]^dim (umap-learn lays out the component centroids spectrally there).
 */
function componentCentres(count: number, dim: number, random: () => number): Float64Array {
  const centres = new Float64Array(count * dim)
  if (count <= 2 * dim) {
    const half = Math.ceil(count / 2)
    for (let component = 0; component < count; component++) {
      const axis = component % half
      centres[component * dim + axis] = component < half ? 1 : -1
    }
    return centres
  }
  for (let index = 0; index < centres.length; index++) centres[index] = random() * 2 - 1
  return centres
}

function nearestCentreDistance(centres: Float64Array, component: number, dim: number): number {
  let nearest = Infinity
  for (let other = 0; other < centres.length / dim; other++) {
    if (other === component) continue
    let sum = 0
    for (let d = 0; d < dim; d++) sum += (centres[component * dim + d]! - centres[other * dim + d]!) ** 2
    nearest = Math.min(nearest, Math.sqrt(sum))
  }
  return nearest
}

/** The graph restricted to one component's members (renumbered in order). */
function subgraph(graph: SparseGraph, members: readonly number[], labels: Int32Array, component: number): SparseGraph {
  const local = new Int32Array(graph.n).fill(-1)
  members.forEach((point, position) => (local[point] = position))
  const rowStart = new Int32Array(members.length + 1)
  const columns: number[] = []
  const weights: number[] = []
  members.forEach((point, position) => {
    for (let entry = graph.rowStart[point]!; entry < graph.rowStart[point + 1]!; entry++) {
      const column = graph.columns[entry]!
      if (labels[column] !== component) continue
      columns.push(local[column]!)
      weights.push(graph.weights[entry]!)
    }
    rowStart[position + 1] = columns.length
  })
  return {n: members.length, rowStart, columns: Int32Array.from(columns), weights: Float64Array.from(weights)}
}

/** The spectral coordinates of a connected graph (n × dim, row-major), or undefined when Lanczos does not converge. */
export function eigenLayout(graph: SparseGraph, dim: number): Float64Array | undefined {
  const pairs = leadingEigenpairs(graph, dim + 1)
  if (!pairs) return undefined
  // Drop the top eigenvector (eigenvalue 1 of D^-½ W D^-½, the trivial one) and keep the next dim.
  const {n} = graph
  const layout = new Float64Array(n * dim)
  for (let index = 0; index < n; index++) {
    for (let component = 0; component < dim; component++) layout[index * dim + component] = pairs.vectors[index * (dim + 1) + component + 1]!
  }
  return layout
}

/**
 * The `wanted` largest eigenvalues of D^-½ W D^-½ (descending; 1 − each is an eigenvalue of the normalised
 * Laplacian) and their eigenvectors (n × wanted, row-major), by Lanczos with full reorthogonalisation; undefined
 * when the graph is too small or Lanczos does not converge.
 */
export function leadingEigenpairs(graph: SparseGraph, wanted: number): {values: Float64Array; vectors: Float64Array} | undefined {
  const {n} = graph
  if (n <= wanted + 1) return undefined
  const scale = new Float64Array(n)
  for (let row = 0; row < n; row++) {
    let degree = 0
    for (let entry = graph.rowStart[row]!; entry < graph.rowStart[row + 1]!; entry++) degree += graph.weights[entry]!
    scale[row] = degree > 0 ? 1 / Math.sqrt(degree) : 0
  }
  const multiply = (input: Float64Array, output: Float64Array): void => {
    for (let row = 0; row < n; row++) {
      let sum = 0
      for (let entry = graph.rowStart[row]!; entry < graph.rowStart[row + 1]!; entry++) {
        const column = graph.columns[entry]!
        sum += graph.weights[entry]! * scale[column]! * input[column]!
      }
      output[row] = sum * scale[row]!
    }
  }
  const maxSteps = Math.min(n, n <= smallGraph ? 200 : 4 * wanted + 20)
  const basis = new Float64Array(maxSteps * n)
  const alpha = new Float64Array(maxSteps)
  const beta = new Float64Array(maxSteps)
  const work = new Float64Array(n)
  // umap-learn starts eigsh from the all-ones vector; a fixed small perturbation of it keeps a symmetric graph
  // (a path, a ring) from hiding the eigenvectors that are odd under its symmetry from the Krylov space.
  const start = seededRandom(n)
  let startNorm = 0
  for (let index = 0; index < n; index++) {
    basis[index] = 1 + 0.1 * (start() - 0.5)
    startNorm += basis[index]! * basis[index]!
  }
  for (let index = 0; index < n; index++) basis[index]! /= Math.sqrt(startNorm)
  let steps = 0
  let ritz: {values: Float64Array; vectors: Float64Array} | undefined
  for (let step = 0; step < maxSteps; step++) {
    const current = basis.subarray(step * n, step * n + n)
    multiply(current, work)
    let dot = 0
    for (let index = 0; index < n; index++) dot += work[index]! * current[index]!
    alpha[step] = dot
    // Full reorthogonalisation (twice, for stability) against every basis vector so far (read in place: a
    // subarray per vector and pass would allocate steps² views).
    for (let pass = 0; pass < 2; pass++) {
      for (let offset = 0; offset <= step * n; offset += n) {
        let projection = 0
        for (let index = 0; index < n; index++) projection += work[index]! * basis[offset + index]!
        for (let index = 0; index < n; index++) work[index]! -= projection * basis[offset + index]!
      }
    }
    let norm = 0
    for (let index = 0; index < n; index++) norm += work[index]! * work[index]!
    norm = Math.sqrt(norm)
    steps = step + 1
    beta[step] = norm
    const invariant = norm < 1e-10
    if (steps >= wanted + 1 && (steps % 8 === 0 || invariant || steps === maxSteps)) {
      const last = tridiagonalEigen(alpha.subarray(0, steps), beta.subarray(0, steps - 1), true)
      if (last && converged(last.vectors, steps, wanted, norm)) {
        ritz = tridiagonalEigen(alpha.subarray(0, steps), beta.subarray(0, steps - 1))
        break
      }
    }
    if (steps === maxSteps) break
    const next = basis.subarray(steps * n, steps * n + n)
    if (invariant) {
      // The Krylov space is invariant (the start vector lies in a few eigenspaces): continue from a fresh
      // direction orthogonal to the basis, decoupling the tridiagonal matrix there (β = 0).
      beta[step] = 0
      if (!freshDirection(basis, steps, n, next)) break
      continue
    }
    for (let index = 0; index < n; index++) next[index] = work[index]! / norm
  }
  if (!ritz) return undefined
  const vectors = new Float64Array(n * wanted)
  for (let component = 0; component < wanted; component++) {
    for (let step = 0; step < steps; step++) {
      const weight = ritz.vectors[step * steps + component]!
      if (weight === 0) continue
      const vector = basis.subarray(step * n, step * n + n)
      for (let index = 0; index < n; index++) vectors[index * wanted + component]! += weight * vector[index]!
    }
  }
  return {values: ritz.values.slice(0, wanted), vectors}
}

/** Fills `next` with a unit vector orthogonal to the first `steps` basis vectors (a fixed pseudo-random start). */
function freshDirection(basis: Float64Array, steps: number, n: number, next: Float64Array): boolean {
  const random = seededRandom(steps)
  for (let index = 0; index < n; index++) next[index] = random() - 0.5
  for (let pass = 0; pass < 2; pass++) {
    for (let offset = 0; offset < steps * n; offset += n) {
      let projection = 0
      for (let index = 0; index < n; index++) projection += next[index]! * basis[offset + index]!
      for (let index = 0; index < n; index++) next[index]! -= projection * basis[offset + index]!
    }
  }
  let norm = 0
  for (let index = 0; index < n; index++) norm += next[index]! * next[index]!
  norm = Math.sqrt(norm)
  if (norm < 1e-8) return false
  for (let index = 0; index < n; index++) next[index]! /= norm
  return true
}

/** Every wanted Ritz pair's residual |β_m · s_m,i| is below the tolerance. */
function converged(vectors: Float64Array, steps: number, wanted: number, lastBeta: number): boolean {
  for (let column = 0; column < wanted; column++) {
    if (Math.abs(lastBeta * vectors[(steps - 1) * steps + column]!) > tolerance) return false
  }
  return true
}

/** The connected components of the graph (breadth-first search), numbered in order of their first point. */
export function componentLabels(graph: SparseGraph): {count: number; labels: Int32Array} {
  const {n, rowStart, columns} = graph
  const labels = new Int32Array(n).fill(-1)
  const queue = new Int32Array(n)
  let count = 0
  for (let start = 0; start < n; start++) {
    if (labels[start] !== -1) continue
    const component = count++
    labels[start] = component
    let head = 0
    let tail = 0
    queue[tail++] = start
    while (head < tail) {
      const row = queue[head++]!
      for (let entry = rowStart[row]!; entry < rowStart[row + 1]!; entry++) {
        const column = columns[entry]!
        if (labels[column] === -1) {
          labels[column] = component
          queue[tail++] = column
        }
      }
    }
  }
  return {count, labels}
}
