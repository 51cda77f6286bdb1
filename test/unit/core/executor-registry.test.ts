import {describe, expect, it} from 'vitest'
import {z} from 'zod'
import {batchExecutorPlugin} from '../../../executors/batch/index.js'
import {ec2ExecutorPlugin} from '../../../executors/ec2/index.js'
import {localExecutorPlugin} from '../../../executors/local/index.js'
import {processExecutorPlugin} from '../../../executors/process/index.js'
import {configSchema, defaultConfig} from '../../../src/core/config/schema.js'
import {isUserError} from '../../../src/base/errors.js'
import type {Executor, ExecutorContext} from '../../../src/core/executor.js'
import {defineExecutorPlugin} from '../../../src/core/executor-plugin.js'
import {assembleExecutorRegistry, executorNames} from '../../../src/core/executor-registry.js'
import {LocalStorage} from '../../../src/storage/local-storage.js'

const real = [processExecutorPlugin, localExecutorPlugin, ec2ExecutorPlugin, batchExecutorPlugin] as const

// A whole executor folder in one object: what a new executors/<name>/index.ts would export.
const fakeSettings = z.strictObject({cluster: z.string().min(1).describe('fake: the cluster to submit to')})
const created: ExecutorContext[] = []
const fakePlugin = defineExecutorPlugin({
  name: 'fake',
  capabilities: {remote: true, detached: true},
  create: async (context) => {
    created.push(context)
    return {name: 'fake', capabilities: {remote: true, detached: true}} as unknown as Executor
  },
  settings: {fake: fakeSettings},
  settingsDefaults: {fake: {cluster: 'default'}},
  estimate: {hourlyPrice: 1, startupSeconds: 5, overheadFactor: 1.5, billing: 'partition'},
  runFlags: [{name: 'cluster', configKey: 'fake.cluster', description: 'fake: the cluster'}],
})

describe('the executor registry', () => {
  it('assembles the names, configuration sections, estimate defaults and run flags of the built-in executors', () => {
    const registry = assembleExecutorRegistry(real)
    expect(registry.names).toEqual(['process', 'local', 'ec2', 'batch'])
    expect(executorNames).toEqual(registry.names)
    expect(Object.keys(registry.settingsSchemas)).toEqual(['docker', 'batch', 'infra'])
    expect(registry.runFlags.map((flag) => `--${flag.name}=${flag.configKey}`)).toEqual(['--gpus=docker.gpus', '--image=docker.image', '--host=docker.host'])
    expect(Object.keys(registry.estimateDefaults)).toEqual(registry.names)
    expect(configSchema.parse(defaultConfig)).toEqual(defaultConfig)
    expect(Object.keys(defaultConfig.estimate)).toEqual(['stageSeconds', 'useMeasured', 'sequential', ...registry.names])
  })

  it('takes a new executor from its plug-in alone: name, section, estimate, flag and factory', async () => {
    const registry = assembleExecutorRegistry([...real, fakePlugin])
    expect(registry.names).toContain('fake')
    expect(registry.settingsDefaults.fake).toEqual({cluster: 'default'})
    expect(registry.estimateDefaults.fake.billing).toBe('partition')
    expect(registry.runFlags.find((flag) => flag.name === 'cluster')?.configKey).toBe('fake.cluster')
    const schema = z.strictObject({...registry.settingsSchemas})
    expect(schema.parse(registry.settingsDefaults)).toEqual(registry.settingsDefaults)
    expect(() => schema.parse({...registry.settingsDefaults, fake: {cluster: ''}})).toThrow()
    const context = {storage: new LocalStorage('/tmp/ftm-registry-unused')}
    const executor = await registry.create('fake', context)
    expect(executor.name).toBe('fake')
    expect(created).toEqual([context])
  })

  it('refuses an unknown name with the names it knows', async () => {
    const error = await assembleExecutorRegistry(real).create('kubernetes', {storage: new LocalStorage('/tmp/ftm-registry-unused')}).catch((caught: unknown) => caught)
    expect(isUserError(error) && `${error.message} ${error.hint}`).toBe('There is no executor "kubernetes". Use one of: process, local, ec2, batch (e.g. --executor process).')
  })

  it('refuses two plug-ins that disagree on a name, a section or a flag', () => {
    expect(() => assembleExecutorRegistry([processExecutorPlugin, processExecutorPlugin])).toThrow(/Two executor plug-ins are named process/)
    const otherDocker = {...fakePlugin, name: 'other', settings: {docker: fakeSettings}, settingsDefaults: {docker: {cluster: 'x'}}}
    expect(() => assembleExecutorRegistry([localExecutorPlugin, otherDocker])).toThrow(/two different "docker"/)
    const otherGpus = {...fakePlugin, runFlags: [{name: 'gpus', configKey: 'fake.cluster', description: ''}]}
    expect(() => assembleExecutorRegistry([localExecutorPlugin, otherGpus])).toThrow(/--gpus for docker.gpus and fake.cluster/)
  })
})
