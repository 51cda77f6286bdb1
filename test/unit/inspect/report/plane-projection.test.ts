import {describe, expect, it} from 'vitest'
import {projectToPlane} from '../../../../src/inspect/report/plane-projection.js'

describe('projectToPlane', () => {
  it('keeps two separated groups apart along the first axis and scales into [0, 1]', () => {
    // Two groups of 20-d vectors around opposite centres, with a little spread inside each.
    const vectors = Array.from({length: 40}, (_, index) => {
      const side = index < 20 ? 1 : -1
      return Array.from({length: 20}, (_, d) => side * (d % 2 === 0 ? 1 : 0.5) + Math.sin(index * 13 + d) * 0.05)
    })
    const points = projectToPlane(vectors)
    expect(points).toHaveLength(40)
    expect(points.flatMap((point) => [point.x, point.y]).every((value) => value >= 0 && value <= 1)).toBe(true)
    const first = points.slice(0, 20).map((point) => point.x)
    const second = points.slice(20).map((point) => point.x)
    const [low, high] = Math.max(...first) < Math.min(...second) ? [first, second] : [second, first]
    expect(Math.max(...low)).toBeLessThan(0.3)
    expect(Math.min(...high)).toBeGreaterThan(0.7)
  })

  it('finds the direction of largest spread first', () => {
    // Points on a line along (1, 1, 0) with a small wobble along (0, 0, 1): x follows the position on the line.
    const vectors = Array.from({length: 11}, (_, index) => [index, index, (index % 2) * 0.1])
    const xs = projectToPlane(vectors).map((point) => point.x)
    const increasing = xs.every((x, index) => index === 0 || x > xs[index - 1]!)
    const decreasing = xs.every((x, index) => index === 0 || x < xs[index - 1]!)
    expect(increasing || decreasing).toBe(true)
  })

  it('places identical or empty vectors in the middle instead of dividing by zero', () => {
    expect(projectToPlane([])).toEqual([])
    expect(projectToPlane([[1, 2], [1, 2]])).toEqual([{x: 0.5, y: 0.5}, {x: 0.5, y: 0.5}])
    expect(projectToPlane([[], []])).toEqual([{x: 0.5, y: 0.5}, {x: 0.5, y: 0.5}])
  })
})
