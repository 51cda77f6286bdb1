import {existsSync, readdirSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {loadConfig} from '../../../../src/core/config/load-config.js'
import {createRun, startRun} from '../../../../src/core/run/start-run.js'
import {isUserError} from '../../../../src/base/errors.js'
import {LocalStorage} from '../../../../src/storage/local-storage.js'
import type {Storage} from '../../../../src/storage/storage.js'
import {sampleSubset, temporaryFolder} from '../../../support/sample-subset.js'

const configFor = (root: string, file: string, parallel = 1) =>
  loadConfig({cwd: os.tmpdir(), environment: {}, flags: {values: {root, source: file, parallel, partitions: 2}, names: {}}}).config

/** Real local storage that fails every write after the first `writes` with `code` (a full disk, a root not writable). */
function failingAfter(root: string, writes: number, code: 'ENOSPC' | 'EACCES'): Storage {
  const storage = new LocalStorage(root)
  let count = 0
  return Object.assign(Object.create(storage) as Storage, {
    write: async (key: string, data: Uint8Array | string) => {
      if (++count > writes) throw Object.assign(new Error(`${code}: cannot write, open '${key}'`), {code})
      return storage.write(key, data)
    },
  })
}

describe('starting a run under faults', () => {
  it.each([
    ['the disk fills', 'ENOSPC', 'disk is full'],
    ['the root is not writable', 'EACCES', 'writable --root'],
  ] as const)('leaves no half-made run when %s while it is created, and says so clearly (exit 2)', async (_, code, fix) => {
    // Given a root that refuses writes after the first manifest
    const root = temporaryFolder()
    const {file} = sampleSubset({firms: 4, quarters: ['2024Q1']})
    // When the run is created
    const error: unknown = await createRun({config: configFor(root, file), executorName: 'process', storage: failingAfter(root, 1, code)}).catch((caught: unknown) => caught)
    // Then the user hears what failed and what to do, and nothing of the run is left
    expect(isUserError(error)).toBe(true)
    expect((error as {exitCode: number}).exitCode).toBe(2)
    expect((error as Error).message).toBe(`ftm could not write the new run to ${root} (${code}).`)
    expect((error as {hint: string}).hint).toContain(fix)
    expect(existsSync(path.join(root, 'runs')) ? readdirSync(path.join(root, 'runs')) : []).toEqual([])
  })

  it('refuses a --parallel the machine cannot hold before any worker starts, and leaves no run behind', async () => {
    const root = temporaryFolder()
    const {file} = sampleSubset({firms: 4, quarters: ['2024Q1']})
    const error: unknown = await startRun({config: configFor(root, file, 1000)}).catch((caught: unknown) => caught)
    expect(isUserError(error)).toBe(true)
    expect((error as Error).message).toMatch(/^--parallel 1000 is more worker processes than this machine can run: \d+ cores allow \d+/)
    expect((error as {hint: string}).hint).toMatch(/Pass --parallel \d+ or less/)
    // The executor's preparation runs before the record is written (issues 19 and 23): a refused run is no run
    expect(existsSync(path.join(root, 'runs')) ? readdirSync(path.join(root, 'runs')) : []).toEqual([])
  })
})
