import {describe, expect, it} from 'vitest'
import {classifyEdgeError, explainEdgeError} from '../../../src/base/edge-errors.js'
import {isUserError} from '../../../src/base/errors.js'

const systemError = (code: string, message = `${code}: something, open '/data/x.csv'`): Error => Object.assign(new Error(message), {code})
/** The shape the AWS SDK gives a service error: a name, a fault side and the HTTP status. */
const serviceError = (name: string, status: number): Error => Object.assign(new Error(name), {name, $fault: status >= 500 ? 'server' : 'client', $metadata: {httpStatusCode: status}})

describe('classifyEdgeError', () => {
  it('classes file-system errors the user fixes, each with its fix', () => {
    expect(classifyEdgeError(systemError('EISDIR'))).toMatchObject({kind: 'user', code: 'EISDIR', fix: expect.stringContaining('directory')})
    expect(classifyEdgeError(systemError('EACCES'))).toMatchObject({kind: 'user', code: 'EACCES', fix: expect.stringContaining('writable --root')})
    expect(classifyEdgeError(systemError('ENOSPC'))).toMatchObject({kind: 'user', code: 'ENOSPC', fix: expect.stringContaining('disk is full')})
  })

  it('classes the network, S3 throttling and server faults as transient', () => {
    expect(classifyEdgeError(systemError('ECONNRESET'))).toEqual({kind: 'transient', code: 'ECONNRESET'})
    expect(classifyEdgeError(serviceError('SlowDown', 503))).toEqual({kind: 'transient', code: 'SlowDown'})
    expect(classifyEdgeError(serviceError('InternalError', 500))).toEqual({kind: 'transient', code: 'InternalError'})
    expect(classifyEdgeError({$metadata: {httpStatusCode: 500}})).toEqual({kind: 'transient', code: 'HTTP 500'})
    expect(classifyEdgeError({status: 429})).toEqual({kind: 'transient', code: 'HTTP 429'})
  })

  it('classes credentials, missing buckets and HTTP 401/403/404 as the user’s to fix', () => {
    expect(classifyEdgeError(serviceError('NoSuchBucket', 404))).toMatchObject({kind: 'user', code: 'NoSuchBucket'})
    expect(classifyEdgeError(serviceError('InvalidAccessKeyId', 403))).toMatchObject({kind: 'user', code: 'InvalidAccessKeyId'})
    expect(classifyEdgeError(serviceError('AccessDeniedException', 400))).toMatchObject({kind: 'user'}) // Batch
    expect(classifyEdgeError({statusCode: 401})).toMatchObject({kind: 'user', code: 'HTTP 401'})
  })

  it('reads PostgreSQL SQLSTATE codes', () => {
    expect(classifyEdgeError(systemError('28P01', 'password authentication failed'))).toMatchObject({kind: 'user', code: '28P01'})
    expect(classifyEdgeError(systemError('57P01', 'terminating connection'))).toEqual({kind: 'transient', code: '57P01'})
    expect(classifyEdgeError(systemError('08006', 'connection failure'))).toEqual({kind: 'transient', code: '08006'})
  })

  it('looks through wrapped causes, and leaves what no rule knows unknown', () => {
    expect(classifyEdgeError(new Error('fetch failed', {cause: systemError('ECONNRESET')}))).toEqual({kind: 'transient', code: 'ECONNRESET'})
    expect(classifyEdgeError(new Error('undefined is not a function'))).toEqual({kind: 'unknown'})
    expect(classifyEdgeError({$metadata: {httpStatusCode: 400}})).toEqual({kind: 'unknown'})
    const loop: {cause?: unknown} = {}
    loop.cause = loop
    expect(classifyEdgeError(loop)).toEqual({kind: 'unknown'})
  })
})

describe('explainEdgeError', () => {
  it('makes a user-fixable error exit 2 with the fix', () => {
    const explained = explainEdgeError(systemError('EACCES'), {action: 'write', location: 'runs/x/run.json under /out'})
    expect(isUserError(explained)).toBe(true)
    expect(explained?.exitCode).toBe(2)
    expect(explained?.message).toBe('ftm could not write runs/x/run.json under /out (EACCES).')
    expect(explained?.hint).toContain('writable --root')
  })

  it('makes a transient error exit 75 saying what was retried', () => {
    const explained = explainEdgeError(serviceError('SlowDown', 503), {action: 'commit a checkpoint to', location: 'storage', retried: '9 tries over up to 60 s'})
    expect(explained?.exitCode).toBe(75)
    expect(explained?.message).toContain('(SlowDown) after 9 tries over up to 60 s')
  })

  it('leaves an unknown error to be reported as a bug', () => {
    expect(explainEdgeError(new TypeError('x is undefined'))).toBeUndefined()
  })
})
