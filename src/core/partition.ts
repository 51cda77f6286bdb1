import {compareFirmIds, type FirmRef} from '../sources/firm-ref.js'

/** How many partitions a quarter gets: the explicit count, or enough to keep every slot busy and partitions small. */
export function partitionCount(firms: number, options: {partitions?: number; parallel: number; firmsPerPartition: number}): number {
  if (firms === 0) return 0
  const wanted = options.partitions ?? Math.max(options.parallel, Math.ceil(firms / options.firmsPerPartition))
  return Math.min(wanted, firms)
}

/**
 * Splits firms into `count` contiguous, balanced partitions of the firms sorted by id: sizes differ by at most
 * one, larger ones first. The same firms always give the same partitions, whatever order they came in.
 */
export function partitionFirms(firms: readonly FirmRef[], count: number): FirmRef[][] {
  const sorted = [...new Map(firms.map((firm) => [firm.id, firm])).values()].sort((a, b) => compareFirmIds(a.id, b.id))
  if (count <= 0 || sorted.length === 0) return []
  const parts = Math.min(count, sorted.length)
  const base = Math.floor(sorted.length / parts)
  const larger = sorted.length % parts
  const partitions: FirmRef[][] = []
  let start = 0
  for (let index = 0; index < parts; index++) {
    const size = base + (index < larger ? 1 : 0)
    partitions.push(sorted.slice(start, start + size))
    start += size
  }
  return partitions
}
