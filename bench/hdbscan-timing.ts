// Manual timing check (not a test, no side effects on import): `npx tsx bench/hdbscan-timing.ts [n] [dim] [runs]`.
import {pathToFileURL} from 'node:url'
import {hdbscan} from '../src/pipeline/hdbscan/index.js'

/** Times hdbscan on n seeded random points of the given dimension (8 loose Gaussian blobs); returns milliseconds per run. */
export function timeHdbscan(n: number, dim: number, runs = 3): number[] {
  let seed = 12345
  const rand = (): number => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand())
  const centers = Array.from({length: 8}, () => Array.from({length: dim}, () => rand() * 20 - 10))
  const points = Array.from({length: n}, (_, i) => Float64Array.from(centers[i % 8]!, (c) => c + gauss()))
  const times: number[] = []
  for (let r = 0; r < runs; r++) {
    const start = performance.now()
    hdbscan(points, {minClusterSize: 10})
    times.push(performance.now() - start)
  }
  return times
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const n = Number(process.argv[2] ?? 3000)
  const dim = Number(process.argv[3] ?? 10)
  const runs = Number(process.argv[4] ?? 5)
  const times = timeHdbscan(n, dim, runs)
  const median = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!
  console.log(`hdbscan n=${n} dim=${dim}: median ${median.toFixed(1)} ms over ${runs} runs (${times.map((t) => t.toFixed(1)).join(', ')})`)
}
