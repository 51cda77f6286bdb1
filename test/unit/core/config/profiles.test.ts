import {mkdtempSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {describeConfig, isSecretName, maskUrlPassword} from '../../../../src/core/config/describe-config.js'
import {loadConfig} from '../../../../src/core/config/load-config.js'
import {isUserError} from '../../../../src/base/errors.js'
import {defaultConfig} from '../../../../src/core/config/schema.js'

function project(values: unknown): string {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'ftm-profiles-'))
  writeFileSync(path.join(directory, 'ftm.config.json'), JSON.stringify(values))
  return directory
}

const file = {parallel: 2, root: 'out', profiles: {batch: {executor: 'process', parallel: 5, root: 'batch-out'}, small: {firmsPerPartition: 10}}}

describe('configuration profiles', () => {
  it('a profile overrides the file, and the environment and flags override the profile', () => {
    const cwd = project(file)
    const {config, origins, profile} = loadConfig({cwd, environment: {}, profile: 'batch'})
    expect(profile).toBe('batch')
    expect(config.parallel).toBe(5)
    expect(origins.parallel).toBe(`config file ${path.join(cwd, 'ftm.config.json')} (profile batch)`)
    // paths in a profile resolve from the config file's folder
    expect(config.root).toBe(path.join(cwd, 'batch-out'))
    const overridden = loadConfig({cwd, environment: {FTM_PARALLEL: '7'}, profile: 'batch'})
    expect(overridden.config.parallel).toBe(7)
    expect(loadConfig({cwd, environment: {}, profile: 'batch', flags: {values: {parallel: 9}, names: {parallel: '--parallel'}}}).config.parallel).toBe(9)
  })

  it('FTM_PROFILE selects a profile when --profile is not given; without either the profiles are ignored', () => {
    const cwd = project(file)
    expect(loadConfig({cwd, environment: {FTM_PROFILE: 'small'}}).config.firmsPerPartition).toBe(10)
    expect(loadConfig({cwd, environment: {FTM_PROFILE: 'small'}, profile: 'batch'}).profile).toBe('batch')
    const plain = loadConfig({cwd, environment: {}})
    expect(plain.config.parallel).toBe(2)
    expect(plain.profile).toBeUndefined()
  })

  it('names an unknown profile and lists the ones there are', () => {
    const cwd = project(file)
    let caught: unknown
    try {
      loadConfig({cwd, environment: {FTM_PROFILE: 'gpu'}})
    } catch (error) {
      caught = error
    }
    expect(isUserError(caught)).toBe(true)
    expect((caught as Error).message).toContain('There is no profile "gpu" (from environment variable FTM_PROFILE)')
    expect((caught as {hint: string}).hint).toBe('Use one of: batch, small, fine-topics, spectral-topics.')
  })

  it('ships fine-topics: the earlier fixed HDBSCAN sizes without merging, smoothing or outlier reassignment, with or without a config file', () => {
    const bare = mkdtempSync(path.join(os.tmpdir(), 'ftm-profiles-'))
    const {config, origins} = loadConfig({cwd: bare, environment: {}, profile: 'fine-topics'})
    expect(config.pipeline.hdbscan).toEqual({minClusterSize: 6, minSamples: 2, minClusterShare: 0, minSamplesShare: 0, selection: 'leaf'})
    expect(config.pipeline.outliers.strategy).toBe('none')
    expect([config.pipeline.mergeThreshold, config.pipeline.smoothWindow]).toEqual([1.01, 0])
    expect(origins['pipeline.hdbscan.minClusterShare']).toBe('built-in profile fine-topics')
    // A file's own profile of that name wins over the built-in one.
    const cwd = project({profiles: {'fine-topics': {pipeline: {hdbscan: {minClusterSize: 4}}}}})
    expect(loadConfig({cwd, environment: {}, profile: 'fine-topics'}).config.pipeline.hdbscan.minClusterSize).toBe(4)
    expect(loadConfig({cwd, environment: {}, profile: 'fine-topics'}).config.pipeline.hdbscan.minClusterShare).toBe(defaultConfig.pipeline.hdbscan.minClusterShare)
  })

  it('ships spectral-topics: spectral clustering of hybrid embeddings without smoothing', () => {
    const bare = mkdtempSync(path.join(os.tmpdir(), 'ftm-profiles-'))
    const {config, origins} = loadConfig({cwd: bare, environment: {}, profile: 'spectral-topics'})
    expect([config.pipeline.clustering, config.pipeline.embedding.backend, config.pipeline.smoothWindow]).toEqual(['spectral', 'hybrid', 0])
    expect(config.pipeline.spectral).toEqual(defaultConfig.pipeline.spectral)
    expect(origins['pipeline.clustering']).toBe('built-in profile spectral-topics')
  })

  it('validates profile values like any other, naming the profile as the origin', () => {
    const cwd = project({profiles: {bad: {parallel: 0}}})
    expect(() => loadConfig({cwd, environment: {}, profile: 'bad'})).toThrow(/Invalid value for parallel: 0 \(from config file .* \(profile bad\)\)/)
  })
})

describe('config show', () => {
  it('treats names holding key, secret, password or token as secret, by word', () => {
    for (const name of ['llm.apiKeyVariable', 'AWS_SECRET_ACCESS_KEY', 'PGPASSWORD', 'FTM_LLM_API_KEY', 'githubToken', 'docker.sshKey']) expect(isSecretName(name), name).toBe(true)
    for (const name of ['pipeline.keywords.topN', 'pipeline.keywords.minDf', 'parallel', 'llm.model', 'tokenizerPath']) expect(isSecretName(name), name).toBe(false)
  })

  it('reports each value with its origin and masks secrets (a password inside a URL is refused by loadConfig, issue 20)', () => {
    const cwd = project({parallel: 3})
    const environment = {FTM_LLM_API_KEY: 'sk-live-123', AWS_SECRET_ACCESS_KEY: 'abc', FTM_PIPELINE__UMAP__SEED: '7', HOME: '/home/x'}
    const resolved = loadConfig({cwd, environment, assignments: ['llm.baseUrl=https://vllm:8000/v1', 'llm.model=m']})
    const report = describeConfig(resolved, environment)
    const entry = (key: string) => report.entries.find((candidate) => candidate.key === key)!
    expect(entry('parallel')).toMatchObject({value: 3, origin: `config file ${path.join(cwd, 'ftm.config.json')}`, environmentVariable: 'FTM_PARALLEL', secret: false})
    expect(entry('pipeline.umap.seed')).toMatchObject({value: 7, origin: 'environment variable FTM_PIPELINE__UMAP__SEED'})
    expect(entry('pipeline.umap.nNeighbors')).toMatchObject({value: 15, origin: 'default'})
    expect(entry('llm.baseUrl')).toMatchObject({value: 'https://vllm:8000/v1', origin: 'flag --set llm.baseUrl'})
    expect(entry('llm.apiKeyVariable')).toMatchObject({value: '****', secret: true})
    expect(report.environment).toEqual([
      {name: 'AWS_SECRET_ACCESS_KEY', value: '****', secret: true},
      {name: 'FTM_LLM_API_KEY', value: '****', secret: true},
    ])
    expect(JSON.stringify(report)).not.toMatch(/hunter2|sk-live-123|"abc"/)
    expect(maskUrlPassword('http://host:8000/v1')).toBe('http://host:8000/v1')
    expect(maskUrlPassword('https://user:hunter2@vllm:8000/v1')).toBe('https://user:****@vllm:8000/v1')
  })
})
