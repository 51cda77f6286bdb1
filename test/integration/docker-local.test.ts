import {readFileSync} from 'node:fs'
import path from 'node:path'
import {afterAll, beforeAll, expect, it} from 'vitest'
import type {RunResult} from '../../src/commands/run.js'
import {workerContainerSpec} from '../../executors/docker/container-spec.js'
import {DockerClient} from '../../executors/docker/docker-client.js'
import {type DeviceRequest, parseGpus, planGpuSlots} from '../../executors/docker/gpu-request.js'
import {parseJson, runCli, startCli} from '../support/cli.js'
import {containersOfRun, dockerUnavailableReason, ensureTestImage, partitionRows, removeTestContainers} from '../support/docker.js'
import {sampleSubset, temporaryFolder} from '../support/sample-subset.js'
import {describeWithService} from '../support/service.js'
import {onlyRunId, readPartitionProgress, readRecord, waitFor} from '../support/wait-for.js'

const unavailable = await dockerUnavailableReason()

describeWithService('Docker', unavailable, 'ftm run --executor local (Docker)', () => {
  let image: string
  const runIds: string[] = []
  const data = sampleSubset({firms: 3, quarters: ['2024Q1']})
  const common = ['--source', data.file, '--quarters', '2024Q1', '--json']
  // Long enough that a container is still working when a test interrupts it.
  const longer = ['--source', sampleSubset({firms: 12, quarters: ['2024Q1']}).file, '--quarters', '2024Q1', '--json']

  beforeAll(async () => {
    image = await ensureTestImage()
  })

  afterAll(async () => {
    await removeTestContainers(runIds)
  })

  it('builds a non-root worker image whose entrypoint is ftm worker, and reuses it while nothing changed', async () => {
    const info = await DockerClient.connect().docker.getImage(image).inspect()
    expect(info.Config.User).toBe('10001:10001')
    expect(info.Config.Entrypoint).toEqual(['/usr/local/bin/node', '/app/bin/run.js', 'worker'])
    const again = await runCli(['image', 'build', '--offline', '--json'])
    expect(again.exitCode, again.stderr).toBe(0)
    expect(JSON.parse(again.stdout)).toMatchObject({image, reused: true, offline: true})
  })

  it('sends the GPU Dockerfile with its build arguments to the engine and reports a failed build with what to do', async () => {
    // A base tag that exists in no registry: the build stops at its first FROM, with or without network.
    const build = await runCli(['image', 'build', '--tag', 'ftm-gpu-test:never', '--build-arg', 'NODE_VERSION=0-ftm-missing', '--json'])
    expect(build.exitCode).toBe(2)
    const error = JSON.parse(build.stdout).error as {message: string; hint: string}
    expect(error.message).toMatch(/^Building ftm-gpu-test:never from pipeline-image\/Dockerfile failed: .*node:0-ftm-missing-bookworm-slim|^Building ftm-gpu-test:never from pipeline-image\/Dockerfile failed: .*registry/)
    expect(error.hint).toContain('ftm image build --offline')
  })

  it('writes the same rows for a partition as the process executor, and leaves no container behind', async () => {
    const processRoot = temporaryFolder()
    const localRoot = temporaryFolder()
    // Both at once, from the same build (the image is checked against the current build just before).
    image = await ensureTestImage()
    const [processRun, localRun] = await Promise.all([
      runCli(['run', ...common, '--root', processRoot]),
      runCli(['run', ...common, '--root', localRoot, '--executor', 'local', '--gpus', 'none', '--image', image]),
    ])
    expect(processRun.exitCode, processRun.stderr).toBe(0)
    const result = parseJson<RunResult>(localRun)
    runIds.push(result.runId)
    expect(localRun.exitCode, localRun.stderr).toBe(0)
    expect(result.status).toBe('succeeded')
    expect(result.summary.quarters).toEqual([expect.objectContaining({quarter: '2024Q1', ok: 3, failed: 0})])

    const [expected, actual] = await Promise.all([partitionRows(processRoot), partitionRows(localRoot)])
    expect((actual.sentences as unknown[]).length).toBeGreaterThan(100)
    expect(actual).toEqual(expected)

    const record = readRecord(localRoot, result.runId)
    expect(record.executor.name).toBe('local')
    expect(record.config.docker).toMatchObject({image, gpus: 'none'})
    expect(record.jobs[0]).toMatchObject({executor: 'local', id: `ftm-${result.runId}-2024q1-p0`})
    const log = readFileSync(path.join(localRoot, 'runs', result.runId, 'logs', '2024Q1', 'part-00000.log'), 'utf8')
    expect(log).toContain('ftm worker: done')
    expect(await containersOfRun(result.runId)).toEqual([])
  })

  it('passes --gpus to Docker as a device request and reports a clear failure where no GPU runtime exists', async () => {
    const root = temporaryFolder()
    const run = await runCli(['run', ...common, '--root', root, '--executor', 'local', '--gpus', 'device=0', '--image', image, '--set', 'docker.preflight=false'])
    const result = parseJson<RunResult>(run)
    runIds.push(result.runId)
    expect(run.exitCode).toBe(1)
    expect(result.status).toBe('failed')
    expect(result.reason).toMatch(/could not run: .*could not select device driver .*gpu/)
    expect(await containersOfRun(result.runId)).toEqual([])
  })

  it('creates containers whose device requests are what --gpus asks for, one GPU per container with --parallel', async () => {
    const client = DockerClient.connect()
    const job = {runId: '20990101-000000-0000', quarter: '2024Q1', runRecordLocation: '/nowhere/runs/20990101-000000-0000/run.json'}
    const spec = (partition: number, deviceRequests: DeviceRequest[]) =>
      workerContainerSpec({...job, partition}, {image, network: 'none', stopTimeout: 5, deviceRequests, mounts: [], environment: {}, version: 'test'})
    const cases: Array<[string, number, Array<Record<string, unknown>>]> = [
      ['device=0,2', 2, [{DeviceIDs: ['0']}, {DeviceIDs: ['2']}]],
      ['all', 1, [{Count: -1}]],
      ['2', 1, [{Count: 2}]],
    ]
    runIds.push(job.runId)
    for (const [gpus, parallel, expected] of cases) {
      const slots = planGpuSlots(parseGpus(gpus), parallel, undefined)
      const ids = await Promise.all(slots.map((requests, partition) => client.create(spec(partition, requests))))
      try {
        const inspected = await Promise.all(ids.map((id) => client.inspectRaw(id)))
        expect(inspected.map((info) => info.HostConfig.DeviceRequests?.[0])).toEqual(
          expected.map((fields) => expect.objectContaining({...fields, Capabilities: [['gpu']]})),
        )
        expect(inspected[0]!.Config.Labels).toMatchObject({'ftm.run-id': job.runId, 'ftm.quarter': '2024Q1', 'ftm.partition': '0', 'ftm.version': 'test'})
      } finally {
        await Promise.all(ids.map((id) => client.remove(id, true)))
      }
    }
  })

  it('stops the preflight with the fix when Docker has no NVIDIA runtime, and when the image is missing', async () => {
    const root = temporaryFolder()
    const gpu = await runCli(['run', ...common, '--root', root, '--executor', 'local', '--image', image])
    expect(gpu.exitCode).toBe(2)
    expect(JSON.parse(gpu.stdout).error.message).toMatch(/Docker has no NVIDIA runtime/)
    expect(JSON.parse(gpu.stdout).error.hint).toMatch(/nvidia-ctk runtime configure.*--gpus none/)
    const missing = await runCli(['run', ...common, '--root', root, '--executor', 'local', '--gpus', 'none', '--image', 'ftm-no-such-image:1'])
    expect(missing.exitCode).toBe(2)
    expect(JSON.parse(missing.stdout).error).toMatchObject({message: expect.stringContaining('ftm-no-such-image:1 is not on'), hint: expect.stringContaining('ftm image build')})
    const doctor = await runCli(['doctor', '--image', image, '--gpus', 'all'])
    expect(doctor.exitCode).toBe(1)
    expect(doctor.stdout).toMatch(/✓ docker: .*\n✓ image: .*\n✗ nvidia-runtime: .*\n {4}fix: .*\n✗ gpu: /)
  })

  it('cancels a run on Ctrl-C: the container commits, stops and is removed', async () => {
    const root = temporaryFolder()
    const cli = startCli(['run', ...longer, '--root', root, '--executor', 'local', '--gpus', 'none', '--image', image, '--checkpoint-interval', '1'])
    await waitFor(() => ((readPartitionProgress(root, '2024Q1')?.firmsCommitted ?? 0) >= 1 ? true : undefined))
    const runId = onlyRunId(root)!
    runIds.push(runId)
    expect(await containersOfRun(runId)).toEqual([`ftm-${runId}-2024q1-p0`])
    cli.kill('SIGINT')
    const result = await cli
    expect(result.exitCode, String(result.stderr)).toBe(130)
    const record = readRecord(root, runId)
    expect(record.status).toBe('cancelled')
    expect(readPartitionProgress(root, '2024Q1')).toMatchObject({phase: expect.stringMatching(/stopped|done/)})
    expect(readFileSync(path.join(root, 'runs', runId, 'logs', '2024Q1', 'part-00000.log'), 'utf8')).toContain('SIGTERM received')
    expect(await containersOfRun(runId)).toEqual([])
  })

  it('finds the containers of a CLI that died and cleans them up', async () => {
    const root = temporaryFolder()
    const cli = startCli(['run', ...longer, '--root', root, '--executor', 'local', '--gpus', 'none', '--image', image, '--checkpoint-interval', '1'])
    await waitFor(() => ((readPartitionProgress(root, '2024Q1')?.firmsProcessed ?? 0) >= 1 ? true : undefined))
    const runId = onlyRunId(root)!
    runIds.push(runId)
    cli.kill('SIGKILL')
    await cli
    const name = `ftm-${runId}-2024q1-p0`
    expect(await containersOfRun(runId)).toEqual([name])
    const status = parseJson<{partitions: Array<{phase: string}>}>(await runCli(['status', runId, '--root', root, '--json']))
    expect(status.partitions.map((partition) => partition.phase)).toEqual(['running'])
    const listed = parseJson<{containers: Array<{name: string; orphan: boolean}>}>(await runCli(['doctor', '--gpus', 'none', '--image', image, '--json']))
    expect(listed.containers).toContainEqual(expect.objectContaining({name, orphan: true}))
    const cleaned = await runCli(['doctor', '--gpus', 'none', '--image', image, '--clean'])
    expect(cleaned.exitCode, cleaned.stderr).toBe(0)
    expect(cleaned.stdout).toContain(`Removed ${name}`)
    expect(await containersOfRun(runId)).toEqual([])
  })

  it('cancels from another process with ftm cancel when the run\'s CLI has died', async () => {
    const root = temporaryFolder()
    const cli = startCli(['run', ...longer, '--root', root, '--executor', 'local', '--gpus', 'none', '--image', image, '--checkpoint-interval', '1'])
    await waitFor(() => ((readPartitionProgress(root, '2024Q1')?.firmsProcessed ?? 0) >= 1 ? true : undefined))
    const runId = onlyRunId(root)!
    runIds.push(runId)
    cli.kill('SIGKILL')
    await cli
    const cancel = await runCli(['cancel', runId, '--root', root, '--json'])
    expect(cancel.exitCode, cancel.stdout + cancel.stderr).toBe(0)
    expect(readRecord(root, runId).status).toBe('cancelled')
    expect(readPartitionProgress(root, '2024Q1')?.phase).toMatch(/stopped|done/)
    expect(await containersOfRun(runId)).toEqual([])
  })
})
