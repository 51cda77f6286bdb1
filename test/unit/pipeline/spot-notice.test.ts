import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {afterEach, describe, expect, it} from 'vitest'
import {defaultConfig} from '../../../src/core/config/schema.js'
import {type SpotNotice, shouldWatchSpot, watchSpotNotice} from '../../../src/pipeline/spot-notice.js'

let server: Server | undefined
afterEach(() => server?.close())

/** A fake instance metadata service (IMDSv2) on loopback that posts a notice after `quietPolls` polls. */
async function fakeMetadataService(quietPolls: number): Promise<{endpoint: string; polls: () => number; tokens: () => number}> {
  let polls = 0
  let tokens = 0
  server = createServer((request, response) => {
    if (request.method === 'PUT' && request.url === '/latest/api/token') {
      tokens++
      return response.end('token-123')
    }
    if (request.url === '/latest/meta-data/spot/instance-action' && request.headers['x-aws-ec2-metadata-token'] === 'token-123') {
      polls++
      if (polls <= quietPolls) return response.writeHead(404).end()
      return response.writeHead(200, {'content-type': 'application/json'}).end('{"action":"terminate","time":"2026-11-28T13:00:00Z"}')
    }
    response.writeHead(401).end()
  })
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as AddressInfo
  return {endpoint: `http://127.0.0.1:${port}`, polls: () => polls, tokens: () => tokens}
}

describe('watchSpotNotice', () => {
  it('polls the metadata service with an IMDSv2 token and reports the notice once', async () => {
    const service = await fakeMetadataService(2)
    const notices: SpotNotice[] = []
    const noticed = new Promise<void>((resolve) => {
      watchSpotNotice({endpoint: service.endpoint, intervalMs: 10, log: () => {}, onNotice: (notice) => { notices.push(notice); resolve() }})
    })
    await noticed
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(notices).toEqual([{action: 'terminate', time: '2026-11-28T13:00:00Z'}])
    expect(service.polls()).toBe(3)
    expect(service.tokens()).toBe(3)
  })

  it('stops polling when asked', async () => {
    const service = await fakeMetadataService(1_000_000)
    const stop = watchSpotNotice({endpoint: service.endpoint, intervalMs: 5, log: () => {}, onNotice: () => {}})
    await new Promise((resolve) => setTimeout(resolve, 50))
    stop()
    const polled = service.polls()
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(service.polls()).toBeLessThanOrEqual(polled + 1)
  })
})

describe('shouldWatchSpot', () => {
  it('watches inside AWS Batch or ECS under auto, and as configured otherwise', () => {
    const worker = defaultConfig.worker
    expect(shouldWatchSpot(worker, {})).toBe(false)
    expect(shouldWatchSpot(worker, {AWS_BATCH_JOB_ID: 'abc'})).toBe(true)
    expect(shouldWatchSpot(worker, {AWS_EXECUTION_ENV: 'AWS_ECS_EC2'})).toBe(true)
    expect(shouldWatchSpot({...worker, spotWatch: 'on'}, {})).toBe(true)
    expect(shouldWatchSpot({...worker, spotWatch: 'off'}, {AWS_BATCH_JOB_ID: 'abc'})).toBe(false)
  })
})
