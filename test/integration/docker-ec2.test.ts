import {afterAll, beforeAll, expect, it} from 'vitest'
import type {RunResult} from '../../src/commands/run.js'
import {s3SettingsFromEnvironment} from '../../src/storage/storage-schema.js'
import {S3Storage} from '../../src/storage/s3-storage.js'
import {parseJson, runCli} from '../support/cli.js'
import {containersOfRun, dockerUnavailableReason, ensureTestImage, partitionRows, removeTestContainers, sshdUnavailableReason, startTestSshd, type TestSshd} from '../support/docker.js'
import {startS3Server, type S3Server} from '../support/s3-server.js'
import {sampleSubset, temporaryFolder} from '../support/sample-subset.js'
import {describeWithService} from '../support/service.js'

const unavailable = (await dockerUnavailableReason()) ?? sshdUnavailableReason()

describeWithService('Docker and sshd', unavailable, 'ftm run --executor ec2 (Docker over SSH to 127.0.0.1, output on S3)', () => {
  let image: string
  let sshd: TestSshd
  let s3: S3Server
  let environment: NodeJS.ProcessEnv
  const runIds: string[] = []
  const source = 's3://ftm-ec2/input/transcripts.csv'
  const common = ['--source', source, '--quarters', '2024Q1', '--json']

  beforeAll(async () => {
    ;[sshd, s3] = await Promise.all([startTestSshd(), startS3Server(['ftm-ec2'])])
    environment = {...s3.environment, FTM_CACHE_DIR: temporaryFolder('ftm-cache-')}
    Object.assign(process.env, s3.environment)
    const data = sampleSubset({firms: 2, quarters: ['2024Q1']})
    await new S3Storage('s3://ftm-ec2/input', s3SettingsFromEnvironment(s3.environment)).putFile('transcripts.csv', data.file)
  })

  afterAll(async () => {
    await removeTestContainers(runIds)
    await Promise.all([sshd?.stop(), s3?.stop()])
  })

  it('runs a partition in a container on the engine reached over SSH, writing to S3 the same rows as the process executor', async () => {
    image = await ensureTestImage()
    const processRoot = temporaryFolder()
    const root = 's3://ftm-ec2/output'
    const ec2 = ['--executor', 'ec2', '--host', sshd.host, '--set', `docker.sshKey=${sshd.key}`, '--gpus', 'none', '--image', image]
    const [processRun, ec2Run] = await Promise.all([
      runCli(['run', ...common, '--root', processRoot], {environment}),
      runCli(['run', ...common, '--root', root, ...ec2], {environment}),
    ])
    expect(processRun.exitCode, processRun.stderr).toBe(0)
    const result = parseJson<RunResult>(ec2Run)
    runIds.push(result.runId)
    if (ec2Run.exitCode !== 0) {
      const log = await new S3Storage(root, s3SettingsFromEnvironment(s3.environment)).read(`runs/${result.runId}/logs/2024Q1/part-00000.log`)
      expect.fail(`ec2 run failed: ${result.reason ?? ec2Run.stdout}\n${Buffer.from(log ?? new Uint8Array()).toString('utf8')}`)
    }
    expect(result).toMatchObject({status: 'succeeded', root})
    expect(await partitionRows(root, environment)).toEqual(await partitionRows(processRoot, environment))

    const storage = new S3Storage(root, s3SettingsFromEnvironment(s3.environment))
    const recordText = Buffer.from((await storage.read(`runs/${result.runId}/run.json`))!).toString('utf8')
    const record = JSON.parse(recordText) as {executor: {name: string}; config: {docker: {host: string}}}
    expect(record.executor.name).toBe('ec2')
    expect(record.config.docker.host).toBe(sshd.host)
    expect(recordText).not.toContain(s3.environment.AWS_SECRET_ACCESS_KEY!)
    const log = Buffer.from((await storage.read(`runs/${result.runId}/logs/2024Q1/part-00000.log`))!).toString('utf8')
    expect(log).toContain('ftm worker: done')
    expect(await containersOfRun(result.runId)).toEqual([])
  })

  it('checks the engine over SSH with ftm doctor', async () => {
    const doctor = await runCli(['doctor', '--host', sshd.host, '--ssh-key', sshd.key, '--gpus', 'none', '--image', image ?? (await ensureTestImage())])
    expect(doctor.exitCode, doctor.stdout + doctor.stderr).toBe(0)
    expect(doctor.stdout).toContain(`reachable (the Docker engine on ${sshd.user}@127.0.0.1)`)
  })

  it('refuses a local output root on a remote host, a missing host and an unusable key, saying what to do', async () => {
    const root = temporaryFolder()
    const remote = await runCli(['run', ...common, '--root', root, '--executor', 'ec2', '--host', 'ssh://ubuntu@ec2-3-91-10-20.compute-1.amazonaws.com', '--gpus', 'none'], {environment})
    expect(remote.exitCode).toBe(2)
    expect(JSON.parse(remote.stdout).error).toMatchObject({message: expect.stringContaining('writes to S3'), hint: expect.stringContaining('--root s3://')})
    const noHost = await runCli(['run', ...common, '--root', 's3://ftm-ec2/output', '--executor', 'ec2'], {environment})
    expect(JSON.parse(noHost.stdout).error.hint).toContain('--host ssh://')
    const badKey = await runCli(['run', ...common, '--root', 's3://ftm-ec2/output', '--executor', 'ec2', '--host', sshd.host, '--set', 'docker.sshKey=/nonexistent/key', '--gpus', 'none'], {environment})
    expect(badKey.exitCode).toBe(2)
    expect(JSON.parse(badKey.stdout).error.message).toContain('The SSH key /nonexistent/key cannot be read')
  })
})
