import {describe, expect, it} from 'vitest'
import {curveParameters, fitCurve} from '../../../../src/pipeline/umap/curve-parameters.js'

describe('curveParameters (umap-learn find_ab_params)', () => {
  it.each([
    // umap-learn's fitted values for spread 1 (its docs and source quote a ≈ 1.577, b ≈ 0.895 at min_dist 0.1).
    [0.1, 1.577, 0.8951],
    [0.001, 1.929, 0.7915],
    [0.5, 0.583, 1.3342],
  ])('fits min_dist %s to a ≈ %s, b ≈ %s', (minDist, a, b) => {
    const fitted = fitCurve(minDist, 1)
    expect(fitted.a).toBeCloseTo(a, 3)
    expect(fitted.b).toBeCloseTo(b, 3)
  })

  it('fits once per setting and serves the same parameters after', () => {
    const first = curveParameters(0.0137, 1)
    expect(curveParameters(0.0137, 1)).toBe(first)
    expect(curveParameters(0.0137, 2)).not.toEqual(first)
  })
})
