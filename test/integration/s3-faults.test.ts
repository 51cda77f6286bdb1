import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {parseJson, runCli, startCli} from '../support/cli.js'
import {S3FaultProxy} from '../support/s3-fault-proxy.js'
import {startS3Server, type S3Server} from '../support/s3-server.js'
import {sampleSubset, temporaryFolder} from '../support/sample-subset.js'
import {countRows, expectFirmsOnce} from '../support/table-counts.js'
import {waitFor} from '../support/wait-for.js'

// The rows "S3 answers 500/SlowDown while ftm run polls", "S3 unreachable while ftm run polls" and "worker commit
// retries" of issue 20, through a wire-level fault proxy in front of s3rver: the built CLI, its workers and the real
// SDK client (with its own default retries) see S3's error bodies and reset connections.
describe('S3 faults through a faulty server', () => {
  let server: S3Server
  let proxy: S3FaultProxy
  let environment: NodeJS.ProcessEnv
  let counter = 0
  const firms = 3
  const {file: source} = sampleSubset({firms, quarters: ['2024Q1']})
  /** The monitor's look at the progress files: a listing of runs/<id>/progress/ (workers never list it). */
  const progressListing = /list-type=2.*prefix=[^&]*\/progress\//
  const newRoot = (): string => `s3://ftm-test/faults-${++counter}`
  const seenProgressListing = (): boolean => proxy.requests.some((entry) => entry.method === 'GET' && progressListing.test(entry.url))

  beforeAll(async () => {
    server = await startS3Server(['ftm-test'])
    proxy = await S3FaultProxy.start(server.endpoint)
    environment = {...server.environment, FTM_S3_ENDPOINT: proxy.endpoint, FTM_CACHE_DIR: temporaryFolder('ftm-faults-cache-')}
  })
  afterAll(async () => {
    await proxy?.stop()
    await server?.stop()
  })

  it('ftm run retries SlowDown and InternalError while it polls, and worker commits retry through 500s; the run succeeds', async () => {
    const root = newRoot()
    proxy.requests.length = 0
    const run = startCli(['run', '--source', source, '--root', root, '--checkpoint-interval', '1', '--set', 'worker.retryBaseMs=200'], {environment})
    await waitFor(() => (seenProgressListing() ? true : undefined), 25, run)
    // More faults in a row than the SDK's own 5 attempts, so the monitor's retry is what carries the run on.
    proxy.inject({fault: 'slow-down', method: 'GET', path: progressListing, count: 7})
    proxy.inject({fault: 'internal-error', method: 'GET', path: progressListing, count: 5})
    proxy.inject({fault: 'internal-error', method: 'PUT', path: /\/firms\/quarter=/, count: 7})
    const result = await run
    expect(result.exitCode, result.stderr).toBe(0)
    expect(proxy.faulted('slow-down')).toBe(7)
    expect(proxy.faulted('internal-error')).toBe(12)
    expect(result.stderr).toMatch(/could not look at run \S+ \(.*(SlowDown|reduce your request rate).*\); try 2/)
    expect(result.stdout).toMatch(/Run \S+ succeeded/)
    const runId = /Run (\S+) succeeded/.exec(result.stdout)![1]!
    const logs = await runCli(['logs', runId, '--root', root], {environment})
    expect(logs.stdout).toMatch(/ftm worker: commit failed \(.*\), try 2 in \d+ ms/)
    proxy.heal()
    expectFirmsOnce(await countRowsThrough(root, runId), firms)
  })

  it('S3 unreachable for the monitor (connections reset, then stalled) is retried until it answers again', async () => {
    const root = newRoot()
    proxy.requests.length = 0
    const run = startCli(['run', '--source', source, '--root', root, '--json'], {environment})
    await waitFor(() => (seenProgressListing() ? true : undefined), 25, run)
    proxy.inject({fault: 'reset', method: 'GET', path: progressListing})
    // Long enough that the SDK's own attempts ran out twice over; then the requests hang, then S3 is back.
    await waitFor(() => (proxy.faulted('reset') >= 12 ? true : undefined), 25, run)
    proxy.heal()
    proxy.inject({fault: 'stall', method: 'GET', path: progressListing, count: 1})
    await waitFor(() => (proxy.faulted('stall') === 1 ? true : undefined), 25, run)
    proxy.heal()
    const result = await run
    expect(result.exitCode, result.stderr).toBe(0)
    const {runId, status} = parseJson<{runId: string; status: string}>({exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr)})
    expect(status).toBe('succeeded')
    expect(result.stderr).toMatch(/could not look at run \S+ \(.*\); try 2/)
    expectFirmsOnce(await countRowsThrough(root, runId), firms)
  })

  it('past the budget ftm run exits 75 saying the workers still run; ftm status --watch retries the same faults and the resume finishes', async () => {
    const root = newRoot()
    proxy.requests.length = 0
    const run = startCli(['run', '--source', source, '--root', root, '--set', 'worker.commitRetrySeconds=1'], {environment})
    await waitFor(() => (seenProgressListing() ? true : undefined), 25, run)
    proxy.inject({fault: 'reset', method: 'GET', path: progressListing})
    const result = await run
    expect(result.exitCode, result.stderr).toBe(75)
    expect(result.stderr).toMatch(/ftm run stopped watching run (\S+): .* Its workers are still running\./)
    expect(result.stderr).toContain('--watch --root')
    const runId = /stopped watching run (\S+):/.exec(result.stderr)![1]!
    proxy.heal()

    // ftm status --watch rides out SlowDowns past the SDK's attempts, as the monitor does
    proxy.inject({fault: 'slow-down', method: 'GET', path: progressListing, count: 6})
    const watched = await runCli(['status', runId, '--root', root, '--watch'], {environment})
    expect(watched.exitCode, watched.stderr).toBe(0)
    expect(proxy.faulted('slow-down')).toBe(6)
    expect(watched.stderr).toMatch(/Warning: could not look at run \S+ \(.*\); try 2/)
    proxy.heal()

    const resumed = await runCli(['run', '--resume', runId, '--root', root, '--json'], {environment})
    expect(resumed.exitCode, resumed.stderr).toBe(0)
    expectFirmsOnce(await countRowsThrough(root, runId), firms)
  })

  /** countRows against the S3 root: inspect needs the same S3 environment. */
  async function countRowsThrough(root: string, runId: string): Promise<Record<string, string>> {
    const saved = {...process.env}
    Object.assign(process.env, environment)
    try {
      return await countRows(root, runId)
    } finally {
      for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name]
      Object.assign(process.env, saved)
    }
  }
})
