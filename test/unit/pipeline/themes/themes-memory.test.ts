import {describe, expect, it} from 'vitest'
import {isUserError} from '../../../../src/base/errors.js'
import {checkThemesMemory} from '../../../../src/pipeline/themes/themes-memory.js'

const fourGiB = 4 * 2 ** 30

describe('the themes memory check', () => {
  it('lets a whole 5000-firm quarter of 137,020 topics through a 4 GiB heap (it clustered within 0.77 GiB, 66 MiB of heap)', () => {
    expect(() => checkThemesMemory(137_020, 'run-1', fourGiB)).not.toThrow()
  })

  it('stops a quarter too large for the heap before clustering, naming the size and the ways out', () => {
    let caught: unknown
    try {
      checkThemesMemory(1_000_000, 'run-1', fourGiB)
    } catch (error) {
      caught = error
    }
    expect(isUserError(caught)).toBe(true)
    const error = caught as Error & {hint: string}
    expect(error.message).toBe("Themes over 1,000,000 topics need about 7.5 GiB of memory; this worker's JavaScript heap holds 4.0 GiB.")
    expect(error.hint).toContain('NODE_OPTIONS=--max-old-space-size=9216 ftm themes --run run-1')
    expect(error.hint).toContain('need a new `ftm run`')
    expect(() => checkThemesMemory(1_000_000, 'run-1', 16 * 2 ** 30)).not.toThrow()
  })
})
