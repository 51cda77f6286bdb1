import {describe, expect, it} from 'vitest'
import {checkParallel, workerCapacity} from '../../../../executors/process/worker-capacity.js'

const gib = 1024 ** 3

describe('process executor capacity', () => {
  it('is bounded by cores and by memory at about 240 MB a worker', () => {
    expect(workerCapacity({cores: 2, memoryBytes: 64 * gib})).toEqual({workers: 8, byCores: 8, byMemory: 218})
    expect(workerCapacity({cores: 64, memoryBytes: 8 * gib})).toEqual({workers: 27, byCores: 256, byMemory: 27})
  })

  it('refuses --parallel 1000 with the reason and the largest value that fits', () => {
    expect(() => checkParallel(1000, {cores: 16, memoryBytes: 48 * gib})).toThrow(
      expect.objectContaining({
        name: 'UserError',
        message: '--parallel 1000 is more worker processes than this machine can run: 16 cores allow 64 (4 per core) and 48 GiB of memory allows 163 (about 240 MB each).',
        hint: 'Pass --parallel 64 or less, or run many partitions elsewhere (--executor batch).',
      }),
    )
    expect(() => checkParallel(64, {cores: 16, memoryBytes: 48 * gib})).not.toThrow()
  })
})
