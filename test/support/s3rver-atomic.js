// Makes s3rver behave as real S3 does where ftm relies on it (issues 19.10 and 20):
// - a PUT is answered only once the whole object is in place, and a reader sees the old or the new object, never a
//   torn mix (s3rver answers before its file is written, and reads size and bytes at different moments);
// - a PUT with `If-None-Match: *` fails with 412 PreconditionFailed when the key exists, and of two such PUTs at the
//   same moment exactly one succeeds (s3rver ignores the header).
import {Buffer} from 'node:buffer'
import {createHash, randomBytes} from 'node:crypto'
import {mkdir, rename, rm, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {Readable} from 'node:stream'

/** One queue per key: whatever runs under the same key runs one at a time, in order. */
function keyedLocks() {
  const tails = new Map()
  return async function withLock(key, work) {
    const previous = tails.get(key) ?? Promise.resolve()
    let release
    const current = new Promise((resolve) => (release = resolve))
    const tail = previous.then(() => current)
    tails.set(key, tail)
    await previous
    try {
      return await work()
    } finally {
      release()
      if (tails.get(key) === tail) tails.delete(key)
    }
  }
}

async function bytesOf(content) {
  if (Buffer.isBuffer(content)) return content
  const chunks = []
  for await (const chunk of content) chunks.push(Buffer.from(chunk))
  return Buffer.concat(chunks)
}

/** Replaces the store's object writes and reads with whole-object, per-key serialised ones. */
export function makeStoreAtomic(store) {
  const withLock = keyedLocks()
  const original = {getObject: store.getObject.bind(store), deleteObject: store.deleteObject.bind(store)}
  store.putObject = async (object) => {
    const content = await bytesOf(object.content)
    return withLock(`${object.bucket}/${object.key}`, async () => {
      const objectPath = store.getResourcePath(object.bucket, object.key, 'object')
      await mkdir(path.dirname(objectPath), {recursive: true})
      const md5 = createHash('md5').update(content).digest('hex')
      // The checksum and metadata first: the object's rename is what makes the new version visible.
      await store.putMetadata(object.bucket, object.key, object.metadata, md5)
      const temporary = `${objectPath}.ftm-atomic-${randomBytes(4).toString('hex')}`
      try {
        await writeFile(temporary, content)
        await rename(temporary, objectPath)
      } finally {
        await rm(temporary, {force: true})
      }
      return {size: content.length, md5}
    })
  }
  store.getObject = (bucket, key, options) =>
    withLock(`${bucket}/${key}`, async () => {
      const object = await original.getObject(bucket, key, options)
      if (object?.content && !Buffer.isBuffer(object.content)) object.content = Readable.from([await bytesOf(object.content)])
      return object
    })
  store.deleteObject = (bucket, key) => withLock(`${bucket}/${key}`, () => original.deleteObject(bucket, key))
  return store
}

/** Koa middleware (to run first) that honours `If-None-Match: *` on PUT object requests, path-style. */
export function conditionalWrites(store) {
  const withLock = keyedLocks()
  return async (ctx, next) => {
    if (ctx.method !== 'PUT' || ctx.get('if-none-match') !== '*') return next()
    const [, bucket, ...rest] = ctx.path.split('/')
    const key = rest.map(decodeURIComponent).join('/')
    if (!bucket || !key) return next()
    await withLock(`${bucket}/${key}`, async () => {
      if (await store.existsObject(bucket, key)) {
        ctx.status = 412
        ctx.type = 'application/xml'
        ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message><Condition>If-None-Match</Condition></Error>`
        return
      }
      await next()
    })
  }
}
