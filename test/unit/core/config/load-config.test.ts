import {mkdtempSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {loadConfig} from '../../../../src/core/config/load-config.js'
import {isUserError, type UserError} from '../../../../src/base/errors.js'

function projectWithConfig(values: unknown): string {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'ftm-config-'))
  writeFileSync(path.join(directory, 'ftm.config.json'), JSON.stringify(values))
  return directory
}

function userError(work: () => unknown): UserError {
  try {
    work()
  } catch (error) {
    if (isUserError(error)) return error
    throw error
  }
  throw new Error('expected a user error')
}

describe('loadConfig', () => {
  it('layers defaults < ftm.config.json < environment < flags and says where each value came from', () => {
    // Given a config file, an environment variable and a flag that all set values
    const cwd = projectWithConfig({parallel: 3, worker: {checkpointInterval: 10}, pipeline: {umap: {nNeighbors: 12}}})
    const {config, origins} = loadConfig({
      cwd,
      environment: {FTM_PARALLEL: '4', FTM_PIPELINE__UMAP__N_NEIGHBORS: '20'},
      flags: {values: {parallel: 5}, names: {parallel: '--parallel'}},
    })
    // Then the highest layer wins per key, and untouched keys keep their defaults
    expect(config.parallel).toBe(5)
    expect(origins.parallel).toBe('flag --parallel')
    expect(config.pipeline.umap.nNeighbors).toBe(20)
    expect(origins['pipeline.umap.nNeighbors']).toBe('environment variable FTM_PIPELINE__UMAP__N_NEIGHBORS')
    expect(config.worker.checkpointInterval).toBe(10)
    expect(origins['worker.checkpointInterval']).toMatch(/^config file .*ftm\.config\.json$/)
    expect(config.pipeline.hdbscan).toEqual({minClusterSize: 6, minSamples: 2, minClusterShare: 0.04, minSamplesShare: 0.013, selection: 'leaf'})
  })

  it('finds ftm.config.json upward and resolves its paths from its own folder', () => {
    const cwd = projectWithConfig({root: 'out', source: 'data/calls.csv'})
    const nested = path.join(cwd, 'a', 'b')
    const {config} = loadConfig({cwd: nested, environment: {}})
    expect(config.root).toBe(path.join(cwd, 'out'))
    expect(config.source).toBe(path.join(cwd, 'data', 'calls.csv'))
  })

  it('names the key, the bad value, where it came from and what is allowed', () => {
    const error = userError(() =>
      loadConfig({cwd: os.tmpdir(), environment: {}, flags: {values: {parallel: 'many'}, names: {parallel: '--parallel'}}}),
    )
    expect(error.message).toBe('Invalid value for parallel: "many" (from flag --parallel).')
    expect(error.hint).toMatch(/Allowed: .*number.*partitions running at the same time/)
    expect(error.exitCode).toBe(2)
  })

  it('names every bad value of a file at once, in zod\'s own words, and says "a number" rather than zod\'s type clash', () => {
    const cwd = projectWithConfig({parallel: 'many', pipeline: {hdbscan: {minClusterSize: 1}}})
    const error = userError(() => loadConfig({cwd, environment: {}}))
    expect(error.message).toMatch(/^Invalid value for /)
    expect(error.hint).toContain('Every problem (2):')
    expect(error.hint).toMatch(/→ at parallel/)
    expect(error.hint).toMatch(/→ at pipeline\.hdbscan\.minClusterSize/)
    const single = userError(() => loadConfig({cwd: os.tmpdir(), environment: {FTM_PARALLEL: 'many'}}))
    expect(single.hint).toMatch(/^Allowed: a number \(/)
    expect(single.hint).not.toContain('Every problem')
  })

  it('names the environment variable behind a bad value', () => {
    const error = userError(() => loadConfig({cwd: os.tmpdir(), environment: {FTM_WORKER__CHECKPOINT_INTERVAL: '0'}}))
    expect(error.message).toContain('worker.checkpointInterval: 0 (from environment variable FTM_WORKER__CHECKPOINT_INTERVAL)')
  })

  it('lists the allowed choices of an enumerated value', () => {
    const error = userError(() => loadConfig({cwd: os.tmpdir(), environment: {}, assignments: ['pipeline.hdbscan.selection=best']}))
    expect(error.message).toContain('pipeline.hdbscan.selection: "best" (from flag --set pipeline.hdbscan.selection)')
    expect(error.hint).toContain('one of leaf, eom')
  })

  it('rejects an unknown key in the config file and suggests known ones', () => {
    const cwd = projectWithConfig({pipeline: {umap: {nNeighbours: 10}}})
    const error = userError(() => loadConfig({cwd, environment: {}}))
    expect(error.message).toMatch(/Unknown configuration key "pipeline\.umap\.nNeighbours" \(from config file .*\)/)
    expect(error.hint).toContain('pipeline.umap.nNeighbors')
  })

  it('rejects --set with an unknown key', () => {
    const error = userError(() => loadConfig({cwd: os.tmpdir(), environment: {}, assignments: ['worker.checkpoint=5']}))
    expect(error.message).toContain('there is no configuration key "worker.checkpoint"')
    expect(error.hint).toContain('worker.checkpointInterval')
  })

  it('says which config file is not valid JSON', () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'ftm-config-'))
    writeFileSync(path.join(cwd, 'ftm.config.json'), '{"parallel": ')
    expect(userError(() => loadConfig({cwd, environment: {}})).message).toContain(`${path.join(cwd, 'ftm.config.json')} is not valid JSON`)
  })
})
