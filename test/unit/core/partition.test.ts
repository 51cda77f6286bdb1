import {describe, expect, it} from 'vitest'
import {partitionCount, partitionFirms} from '../../../src/core/partition.js'
import {compareFirmIds, type FirmRef} from '../../../src/sources/firm-ref.js'

const firms = (ids: (string | number)[]): FirmRef[] => ids.map((id) => ({id: String(id), name: `Firm ${id}`}))

describe('partitionFirms', () => {
  it('gives the same partitions whatever order the firms come in', () => {
    // Given the same firms in two orders
    const ids = Array.from({length: 103}, (_, index) => 1000 + index * 7)
    const shuffled = [...ids].sort((a, b) => ((a * 7919) % 101) - ((b * 7919) % 101))
    // When both are partitioned
    const first = partitionFirms(firms(ids), 5)
    const second = partitionFirms(firms(shuffled), 5)
    // Then the partitions are identical
    expect(second).toEqual(first)
  })

  it('balances partitions to within one firm, larger ones first, contiguous in id order', () => {
    const parts = partitionFirms(firms(Array.from({length: 5003}, (_, index) => index + 1)), 5)
    expect(parts.map((part) => part.length)).toEqual([1001, 1001, 1001, 1000, 1000])
    const flattened = parts.flat().map((firm) => Number(firm.id))
    expect(flattened).toEqual(Array.from({length: 5003}, (_, index) => index + 1))
  })

  it('orders numeric firm ids numerically and never duplicates a firm', () => {
    const parts = partitionFirms(firms([10, 9, 100, 9, 2]), 2)
    expect(parts.map((part) => part.map((firm) => firm.id))).toEqual([['2', '9'], ['10', '100']])
  })

  it('never makes empty partitions', () => {
    expect(partitionFirms(firms([1, 2]), 5).map((part) => part.length)).toEqual([1, 1])
    expect(partitionFirms([], 3)).toEqual([])
  })
})

describe('compareFirmIds', () => {
  it('sorts whole numbers numerically and other ids by code units', () => {
    expect(['100', '20', '3'].sort(compareFirmIds)).toEqual(['3', '20', '100'])
    expect(['b', 'a10', 'a9'].sort(compareFirmIds)).toEqual(['a10', 'a9', 'b'])
  })
})

describe('partitionCount', () => {
  it('keeps every parallel slot busy and partitions under firmsPerPartition', () => {
    expect(partitionCount(5000, {parallel: 5, firmsPerPartition: 1000})).toBe(5)
    expect(partitionCount(40, {parallel: 2, firmsPerPartition: 1000})).toBe(2)
    expect(partitionCount(2500, {parallel: 1, firmsPerPartition: 1000})).toBe(3)
  })

  it('takes an explicit count but never more partitions than firms', () => {
    expect(partitionCount(40, {partitions: 8, parallel: 1, firmsPerPartition: 1000})).toBe(8)
    expect(partitionCount(3, {partitions: 8, parallel: 1, firmsPerPartition: 1000})).toBe(3)
    expect(partitionCount(0, {parallel: 4, firmsPerPartition: 1000})).toBe(0)
  })
})
