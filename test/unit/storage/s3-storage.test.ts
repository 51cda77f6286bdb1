import {readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {readJson} from '../../../src/storage/storage.js'
import type {S3Settings} from '../../../src/storage/storage-schema.js'
import {s3SettingsFromEnvironment} from '../../../src/storage/storage-schema.js'
import {isUserError} from '../../../src/base/errors.js'
import {openStorage} from '../../../src/storage/open-storage.js'
import {parseS3Uri, S3Storage} from '../../../src/storage/s3-storage.js'
import {describeStorageContract} from '../../support/storage-contract.js'
import {startS3Server, type S3Server} from '../../support/s3-server.js'
import {temporaryFolder} from '../../support/sample-subset.js'

// The Storage contract local-storage.test.ts also runs, against a real S3 HTTP server (s3rver) through the real
// SDK client; then what is S3's own.
describe('S3Storage against s3rver', () => {
  let server: S3Server
  let settings: S3Settings
  let counter = 0
  const newStorage = (pageSize?: number): S3Storage => new S3Storage(`s3://ftm-test/case-${++counter}`, settings, pageSize)

  beforeAll(async () => {
    server = await startS3Server(['ftm-test'])
    settings = s3SettingsFromEnvironment(server.environment)
    Object.assign(process.env, {AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER'})
  })
  afterAll(async () => server?.stop())

  describeStorageContract('S3Storage', () => newStorage())

  it('has no local path', () => {
    expect(newStorage().localPath()).toBeUndefined()
  })

  it('keeps each root to its own prefix', async () => {
    const first = newStorage()
    const second = newStorage()
    await first.write('t/x', '1')
    expect(await second.list('t/')).toEqual([])
    expect(first.uri).toMatch(/^s3:\/\/ftm-test\/case-\d+$/)
  })

  it('follows pagination when listing', async () => {
    const storage = newStorage(2)
    const keys = ['p/1', 'p/2', 'p/3', 'p/4', 'p/5']
    for (const key of keys) await storage.write(key, key)
    expect(await storage.list('p/')).toEqual(keys)
    expect((await storage.listDetailed('p/')).map((object) => object.size)).toEqual([3, 3, 3, 3, 3])
  })

  it('uploads a large file in parts with putFile and downloads it with getFile', async () => {
    const storage = newStorage()
    const folder = temporaryFolder()
    const local = path.join(folder, 'chunk.parquet')
    const data = Buffer.alloc(17 * 1024 * 1024)
    for (let index = 0; index < data.length; index += 4096) data[index] = index % 251
    writeFileSync(local, data)
    await storage.putFile('t/x.parquet', local)
    const [object] = await storage.listDetailed('t/')
    expect(object).toMatchObject({key: 't/x.parquet', size: data.length})
    // It went up as a multipart upload of three 8 MiB parts.
    const parts = server.requests.filter((request) => request.startsWith('PUT') && request.includes('x.parquet') && /partNumber=\d/.test(request))
    expect(parts).toHaveLength(3)
    const copy = path.join(folder, 'copy.parquet')
    expect(await storage.getFile('t/x.parquet', copy)).toBe(true)
    expect(readFileSync(copy).equals(data)).toBe(true)
    expect(await storage.getFile('t/missing', copy)).toBe(false)
  })

  it('creates an object only when it is absent: of 20 writers at the same moment exactly one wins', async () => {
    const storage = newStorage()
    const results = await Promise.all(Array.from({length: 20}, (_, writer) => storage.createIfAbsent('runs/r/claim.json', `{"writer":${writer}}`)))
    expect(results.filter(Boolean)).toHaveLength(1)
    const winner = results.indexOf(true)
    expect(await readJson(storage, 'runs/r/claim.json')).toEqual({writer: winner})
    // Later creates lose too, and leave the winner's content alone.
    expect(await storage.createIfAbsent('runs/r/claim.json', '{"writer":99}')).toBe(false)
    expect(await readJson(storage, 'runs/r/claim.json')).toEqual({writer: winner})
    expect(server.requests.some((request) => request.startsWith('PUT') && request.includes('claim.json'))).toBe(true)
  })

  it('never lets a reader see a torn object while the same key is rewritten (as real S3)', async () => {
    const storage = newStorage()
    const version = (index: number): string => JSON.stringify({index, padding: 'x'.repeat(2000 + (index % 7) * 300), exitCode: 0})
    await storage.write('p/progress.json', version(0))
    const writes = Array.from({length: 30}, (_, index) => storage.write('p/progress.json', version(index + 1)))
    const reads = Array.from({length: 30}, async () => JSON.parse(Buffer.from((await storage.read('p/progress.json'))!).toString()) as {exitCode: number})
    const seen = await Promise.all([...reads, ...writes])
    for (const object of seen.slice(0, 30) as {exitCode: number}[]) expect(object.exitCode).toBe(0)
    // A write is answered once it is in place: the last one answered is what a read sees next.
    await storage.write('p/progress.json', version(99))
    expect(JSON.parse(Buffer.from((await storage.read('p/progress.json'))!).toString())).toMatchObject({index: 99})
  })

  it('has no temporary objects to clean and refuses keys that leave the root', async () => {
    const storage = newStorage()
    await storage.write('t/done.parquet', 'x')
    await storage.removeTemporaryFiles()
    expect(await storage.list('t/')).toEqual(['t/done.parquet'])
    await expect(storage.write('../outside', 'x')).rejects.toThrow(/leaves the storage root/)
  })

  it('explains a missing bucket, refused credentials and an unreachable endpoint without leaking the secret', async () => {
    const missing = new S3Storage('s3://no-such-bucket/x', settings)
    await expect(missing.write('a', 'b')).rejects.toSatisfy((error: unknown) => isUserError(error) && /does not exist/.test((error as Error).message))

    const secret = 'wrong-secret-value-123'
    // s3rver checks the access key id (not SigV4 signatures): an unknown key stands for bad credentials.
    Object.assign(process.env, {AWS_ACCESS_KEY_ID: 'AKIAUNKNOWNKEY', AWS_SECRET_ACCESS_KEY: secret})
    try {
      const refused = new S3Storage('s3://ftm-test/x', settings)
      const error = await refused.write('a', 'b').catch((caught: unknown) => caught as Error)
      expect(isUserError(error)).toBe(true)
      expect(error!.message).toMatch(/S3 refused to write .*InvalidAccessKeyId/)
      expect(`${error!.message} ${(error as {hint?: string}).hint}`).not.toContain(secret)
    } finally {
      Object.assign(process.env, {AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER'})
    }

    const unreachable = new S3Storage('s3://ftm-test/x', {...settings, endpoint: 'http://127.0.0.1:9', maxAttempts: 2})
    const failure = (await unreachable.read('a').then(
      () => undefined,
      (caught: unknown) => caught,
    )) as {exitCode?: number; message: string}
    expect(failure.message).toMatch(/S3 is unreachable/)
    expect(failure.exitCode).toBe(75)
  })
})

describe('S3 roots and settings', () => {
  it('opens s3:// roots as S3 storage and parses bucket and prefix', () => {
    expect(openStorage('s3://bucket/some/prefix/').uri).toBe('s3://bucket/some/prefix')
    expect(parseS3Uri('s3://bucket')).toEqual({bucket: 'bucket', prefix: ''})
    expect(() => parseS3Uri('s3://')).toThrow(/not an S3 location/)
  })

  it('reads the endpoint, path style and region from the environment', () => {
    expect(s3SettingsFromEnvironment({})).toEqual({forcePathStyle: false, maxAttempts: 5})
    expect(s3SettingsFromEnvironment({AWS_ENDPOINT_URL_S3: 'http://minio:9000', AWS_DEFAULT_REGION: 'eu-west-1'})).toEqual({
      endpoint: 'http://minio:9000',
      region: 'eu-west-1',
      forcePathStyle: true,
      maxAttempts: 5,
    })
    expect(s3SettingsFromEnvironment({FTM_S3_ENDPOINT: 'http://x:1', FTM_S3_FORCE_PATH_STYLE: 'false'}).forcePathStyle).toBe(false)
    expect(() => s3SettingsFromEnvironment({FTM_S3_ENDPOINT: 'not a url'})).toThrow(/S3 setting endpoint is invalid/)
  })
})
