import {describe, expect, it} from 'vitest'
import {isUserError} from '../../../../src/base/errors.js'
import {checkThemesMemory} from '../../../../src/pipeline/themes/themes-memory.js'

const fourGiB = 4 * 2 ** 30

describe('the themes memory check', () => {
  it('lets a quarter through whose topics fit the heap (27,090 topics took 2.8 GB)', () => {
    expect(() => checkThemesMemory(27_090, 'run-1', fourGiB)).not.toThrow()
  })

  it('stops a 5000-firm quarter of 137,020 topics before clustering, naming the size and the ways out', () => {
    let caught: unknown
    try {
      checkThemesMemory(137_020, 'run-1', fourGiB)
    } catch (error) {
      caught = error
    }
    expect(isUserError(caught)).toBe(true)
    const error = caught as Error & {hint: string}
    expect(error.message).toBe("Themes over 137,020 topics need about 12.8 GiB of memory; this worker's JavaScript heap holds 4.0 GiB.")
    expect(error.hint).toContain('NODE_OPTIONS=--max-old-space-size=16384 ftm themes --run run-1')
    expect(error.hint).toContain('need a new `ftm run`')
    expect(() => checkThemesMemory(137_020, 'run-1', 16 * 2 ** 30)).not.toThrow()
  })
})
