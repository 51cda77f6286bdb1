import {describe, expect, it} from 'vitest'
import {trustworthiness} from '../../../../src/pipeline/quality/trustworthiness.js'

const line = (positions: number[]) => (i: number, j: number): number => Math.abs(positions[i]! - positions[j]!)

describe('trustworthiness', () => {
  it('is 1 when the embedding keeps every neighbourhood', () => {
    const input = [0, 1, 3, 7, 15, 31]
    expect(trustworthiness(6, 2, line(input), line(input.map((value) => value * 3 + 1)))).toBe(1)
  })

  it('charges each intruder by how far down the input ranking it was (hand-computed: 0.5)', () => {
    // Input 0, 1, 3, 7; embedding 0, 3, 1, 7 with k = 1: each point's embedding neighbour has input rank 2.
    expect(trustworthiness(4, 1, line([0, 1, 3, 7]), line([0, 3, 1, 7]))).toBe(0.5)
  })

  it('rejects a k of half the points or more', () => {
    expect(() => trustworthiness(4, 2, line([0, 1, 2, 3]), line([0, 1, 2, 3]))).toThrow(/below n \/ 2/)
  })
})
